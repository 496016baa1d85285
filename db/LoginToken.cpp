#include "db/LoginToken.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>

namespace parley::db {

ValueResult<NewLoginToken> makeLoginToken() {
    std::array<unsigned char, kLoginTokenBytes> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
        return Result{Status::Error, "the random generator failed"};
    static const char kHex[] = "0123456789abcdef";
    NewLoginToken token;
    token.text.reserve(kLoginTokenTextSize);
    for (unsigned char byte : random) {
        token.text.push_back(kHex[byte >> 4]);
        token.text.push_back(kHex[byte & 0x0F]);
    }
    OPENSSL_cleanse(random.data(), random.size());
    token.hash = hashLoginToken(token.text);
    return token;
}

bool looksLikeLoginToken(std::string_view text) {
    if (text.size() != kLoginTokenTextSize) return false;
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

Bytes hashLoginToken(std::string_view text) {
    Bytes hash(SHA256_DIGEST_LENGTH);
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), hash.data());
    return hash;
}

bool sameLoginTokenHash(const Bytes& a, const Bytes& b) {
    return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace parley::db

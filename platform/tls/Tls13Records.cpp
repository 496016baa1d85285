#include "platform/tls/Tls13Records.h"

#include "platform/Buffer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace parley::net {

namespace {

// RFC 8446 §5.1, §5.2, §6, §4.
constexpr unsigned char kApplicationData = 23;
constexpr unsigned char kAlert = 21;
constexpr unsigned char kHandshake = 22;
constexpr unsigned char kNewSessionTicket = 4;
constexpr unsigned char kKeyUpdate = 24;
constexpr std::size_t kHeaderBytes = 5;
constexpr std::size_t kTagBytes = 16;
constexpr std::size_t kIvBytes = 12;
constexpr std::size_t kMaxPlaintext = 16U << 10U;
constexpr std::size_t kMaxCiphertext = kMaxPlaintext + 256;

// Alert descriptions we send or name (§6).
constexpr unsigned char kCloseNotify = 0;
constexpr unsigned char kUnexpectedMessage = 10;
constexpr unsigned char kBadRecordMac = 20;
constexpr unsigned char kRecordOverflow = 22;
constexpr unsigned char kDecodeError = 50;
constexpr unsigned char kInternalError = 80;
constexpr unsigned char kFatal = 2;

struct SuiteInfo {
    const EVP_CIPHER* cipher;
    const EVP_MD* digest;
    int keyBytes;
};

bool suiteInfo(std::uint16_t suite, SuiteInfo& info) {
    switch (static_cast<Tls13Suite>(suite)) {
    case Tls13Suite::Aes128GcmSha256: info = {EVP_aes_128_gcm(), EVP_sha256(), 16}; return true;
    case Tls13Suite::Aes256GcmSha384: info = {EVP_aes_256_gcm(), EVP_sha384(), 32}; return true;
    case Tls13Suite::Chacha20Poly1305Sha256: info = {EVP_chacha20_poly1305(), EVP_sha256(), 32}; return true;
    }
    return false;
}

/// HKDF-Expand-Label(secret, label, "", length) of §7.1.
bool expandLabel(const SuiteInfo& suite, const TrafficSecret& secret, const char* label, unsigned char* out,
                 std::size_t length) {
    // struct { uint16 length; opaque label<7..255> = "tls13 " + label; opaque context<0..255> = ""; }
    unsigned char info[2 + 1 + 255 + 1];
    const std::size_t labelBytes = 6 + std::strlen(label);
    info[0] = static_cast<unsigned char>(length >> 8U);
    info[1] = static_cast<unsigned char>(length & 0xFFU);
    info[2] = static_cast<unsigned char>(labelBytes);
    std::memcpy(info + 3, "tls13 ", 6);
    std::memcpy(info + 9, label, labelBytes - 6);
    info[3 + labelBytes] = 0;
    const std::size_t infoBytes = 3 + labelBytes + 1;

    EVP_PKEY_CTX* context = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
    std::size_t produced = length;
    const bool ok = context != nullptr && EVP_PKEY_derive_init(context) == 1 &&
                    EVP_PKEY_CTX_hkdf_mode(context, EVP_PKEY_HKDEF_MODE_EXPAND_ONLY) == 1 &&
                    EVP_PKEY_CTX_set_hkdf_md(context, suite.digest) == 1 &&
                    EVP_PKEY_CTX_set1_hkdf_key(context, secret.bytes.data(), static_cast<int>(secret.size)) == 1 &&
                    EVP_PKEY_CTX_add1_hkdf_info(context, info, static_cast<int>(infoBytes)) == 1 &&
                    EVP_PKEY_derive(context, out, &produced) == 1 && produced == length;
    EVP_PKEY_CTX_free(context);
    return ok;
}

/// The body length a record header announces (its last two bytes).
std::size_t bodyBytesOf(const char* header) {
    return (static_cast<std::size_t>(static_cast<unsigned char>(header[3])) << 8U) |
           static_cast<unsigned char>(header[4]);
}

void writeHeader(unsigned char* header, std::size_t bodyBytes) {
    header[0] = kApplicationData;  // the outer type of every protected record
    header[1] = 0x03;
    header[2] = 0x03;
    header[3] = static_cast<unsigned char>(bodyBytes >> 8U);
    header[4] = static_cast<unsigned char>(bodyBytes & 0xFFU);
}

std::string alertName(unsigned char description) {
    switch (description) {
    case kUnexpectedMessage: return "unexpected_message";
    case kBadRecordMac: return "bad_record_mac";
    case kRecordOverflow: return "record_overflow";
    case 40: return "handshake_failure";
    case 42: return "bad_certificate";
    case 48: return "unknown_ca";
    case kDecodeError: return "decode_error";
    case 51: return "decrypt_error";
    case 70: return "protocol_version";
    case kInternalError: return "internal_error";
    case 90: return "user_canceled";
    default: return "alert " + std::to_string(description);
    }
}

int hexValue(char digit) {
    if (digit >= '0' && digit <= '9') {
        return digit - '0';
    }
    if (digit >= 'a' && digit <= 'f') {
        return digit - 'a' + 10;
    }
    if (digit >= 'A' && digit <= 'F') {
        return digit - 'A' + 10;
    }
    return -1;
}

}  // namespace

HandshakeSecrets::~HandshakeSecrets() {
    OPENSSL_cleanse(client.bytes.data(), client.bytes.size());
    OPENSSL_cleanse(server.bytes.data(), server.bytes.size());
}

void HandshakeSecrets::capture(std::string_view line) {
    const std::size_t labelEnd = line.find(' ');
    const std::size_t randomEnd = labelEnd == std::string_view::npos ? labelEnd : line.find(' ', labelEnd + 1);
    if (randomEnd == std::string_view::npos) {
        return;
    }
    const std::string_view label = line.substr(0, labelEnd);
    TrafficSecret* secret = label == "CLIENT_TRAFFIC_SECRET_0"   ? &client
                            : label == "SERVER_TRAFFIC_SECRET_0" ? &server
                                                                 : nullptr;
    const std::string_view hex = line.substr(randomEnd + 1);
    if (secret == nullptr || hex.size() % 2 != 0 || hex.size() / 2 > secret->bytes.size()) {
        return;
    }
    for (std::size_t i = 0; i < hex.size() / 2; ++i) {
        const int high = hexValue(hex[2 * i]);
        const int low = hexValue(hex[2 * i + 1]);
        if (high < 0 || low < 0) {
            secret->size = 0;
            return;
        }
        secret->bytes[i] = static_cast<unsigned char>((high << 4) | low);
    }
    secret->size = hex.size() / 2;
}

/// One direction's key state: the cipher context keyed once per secret, the IV and the
/// record sequence number that make each record's nonce (§5.3).
struct Tls13Records::Direction {
    SuiteInfo suite{};
    TrafficSecret secret;
    std::array<unsigned char, kIvBytes> iv{};
    std::uint64_t sequence = 0;
    EVP_CIPHER_CTX* context = nullptr;
    bool encrypt = false;

    ~Direction() {
        EVP_CIPHER_CTX_free(context);
        OPENSSL_cleanse(secret.bytes.data(), secret.bytes.size());
        OPENSSL_cleanse(iv.data(), iv.size());
    }

    /// Keys for `secret` (sequence back to 0).
    bool install() {
        unsigned char key[32];
        const bool ok = expandLabel(suite, secret, "key", key, static_cast<std::size_t>(suite.keyBytes)) &&
                        expandLabel(suite, secret, "iv", iv.data(), iv.size()) &&
                        EVP_CipherInit_ex(context, suite.cipher, nullptr, key, nullptr, encrypt ? 1 : 0) == 1;
        OPENSSL_cleanse(key, sizeof key);
        sequence = 0;
        return ok;
    }

    /// The next secret of a KeyUpdate (§7.2).
    bool update() {
        TrafficSecret next;
        next.size = secret.size;
        const bool ok = expandLabel(suite, secret, "traffic upd", next.bytes.data(), next.size);
        secret = next;
        OPENSSL_cleanse(next.bytes.data(), next.bytes.size());
        return ok && install();
    }

    /// Sets the nonce for the next record and counts it.
    bool startRecord() {
        std::array<unsigned char, kIvBytes> nonce = iv;
        for (std::size_t i = 0; i < 8; ++i) {
            nonce[kIvBytes - 1 - i] ^= static_cast<unsigned char>(sequence >> (8U * i));
        }
        ++sequence;
        return EVP_CipherInit_ex(context, nullptr, nullptr, nullptr, nonce.data(), encrypt ? 1 : 0) == 1;
    }
};

Tls13Records::Tls13Records() = default;
Tls13Records::~Tls13Records() = default;

std::unique_ptr<Tls13Records> Tls13Records::create(std::uint16_t suite, bool client, const TrafficSecret& read,
                                                   const TrafficSecret& write, std::uint64_t recordsPerKey) {
    SuiteInfo info{};
    if (!suiteInfo(suite, info) || info.cipher == nullptr ||
        read.size != static_cast<std::size_t>(EVP_MD_size(info.digest)) || write.size != read.size) {
        return nullptr;
    }
    std::unique_ptr<Tls13Records> records(new Tls13Records());
    records->m_recordsPerKey = std::max<std::uint64_t>(recordsPerKey, 1);
    records->m_client = client;
    const auto makeDirection = [&info](const TrafficSecret& secret, bool encrypt) {
        auto direction = std::make_unique<Direction>();
        direction->suite = info;
        direction->secret = secret;
        direction->encrypt = encrypt;
        direction->context = EVP_CIPHER_CTX_new();
        if (direction->context == nullptr || !direction->install()) {
            direction.reset();
        }
        return direction;
    };
    records->m_read = makeDirection(read, false);
    records->m_write = makeDirection(write, true);
    if (!records->m_read || !records->m_write) {
        return nullptr;
    }
    return records;
}

Tls13Records::Status Tls13Records::decode(std::string_view wire, Buffer& application, Buffer& wireOut) {
    if (m_status != Status::Open) {
        return m_status;
    }
    // A record cut by the previous read is completed from the front of `wire` alone; the
    // records after it are opened where they are, never copied into m_partial first.
    while (!m_partial.empty()) {
        const std::size_t recordBytes =
            m_partial.size() < kHeaderBytes ? kHeaderBytes : kHeaderBytes + bodyBytesOf(m_partial.data());
        const std::size_t missing = recordBytes - m_partial.size();
        m_partial.append(wire.substr(0, missing));
        if (wire.size() < missing) {
            return Status::Open;  // still not whole
        }
        wire.remove_prefix(missing);
        std::string_view record(m_partial);
        const Status status = decodeRecords(record, application, wireOut);  // checks a header just completed
        if (status != Status::Open) {
            std::string().swap(m_partial);
            return status;
        }
        if (record.empty()) {
            m_partial.clear();  // opened; the capacity serves the next cut record
        }
    }
    const Status status = decodeRecords(wire, application, wireOut);
    if (status == Status::Open && !wire.empty()) {
        m_partial.assign(wire);
    } else {
        std::string().swap(m_partial);  // an idle connection keeps no record buffer
    }
    return status;
}

Tls13Records::Status Tls13Records::decodeRecords(std::string_view& input, Buffer& application, Buffer& wireOut) {
    while (input.size() >= kHeaderBytes) {
        const auto* header = reinterpret_cast<const unsigned char*>(input.data());
        if (header[0] != kApplicationData) {
            return fail(kUnexpectedMessage,
                        "an unprotected TLS record (type " + std::to_string(header[0]) + ") after the handshake",
                        wireOut);
        }
        const std::size_t bodyBytes = bodyBytesOf(input.data());
        if (bodyBytes > kMaxCiphertext) {
            return fail(kRecordOverflow, "a TLS record of " + std::to_string(bodyBytes) + " bytes", wireOut);
        }
        if (bodyBytes < kTagBytes + 1) {
            return fail(kDecodeError, "a TLS record too short to be protected", wireOut);
        }
        if (input.size() < kHeaderBytes + bodyBytes) {
            break;  // the rest of it comes with a later read
        }
        const Status status = openRecord(input.substr(0, kHeaderBytes + bodyBytes), application, wireOut);
        input.remove_prefix(kHeaderBytes + bodyBytes);
        if (status != Status::Open) {
            return status;
        }
    }
    return Status::Open;
}

Tls13Records::Status Tls13Records::openRecord(std::string_view record, Buffer& application, Buffer& wireOut) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(record.data());
    const std::size_t sealedBytes = record.size() - kHeaderBytes - kTagBytes;
    std::array<unsigned char, kTagBytes> tag{};
    std::memcpy(tag.data(), bytes + kHeaderBytes + sealedBytes, kTagBytes);

    // Decrypted in place at the end of `application`; committed only if it is application
    // data that passed its tag.
    application.ensureWritable(sealedBytes);
    auto* plain = reinterpret_cast<unsigned char*>(application.beginWrite());
    EVP_CIPHER_CTX* context = m_read->context;
    int produced = 0;
    int finalBytes = 0;
    const bool opened =
        m_read->startRecord() &&
        EVP_DecryptUpdate(context, nullptr, &produced, bytes, static_cast<int>(kHeaderBytes)) == 1 &&
        EVP_DecryptUpdate(context, plain, &produced, bytes + kHeaderBytes, static_cast<int>(sealedBytes)) == 1 &&
        static_cast<std::size_t>(produced) == sealedBytes &&
        EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kTagBytes), tag.data()) == 1 &&
        EVP_DecryptFinal_ex(context, plain + produced, &finalBytes) == 1;
    if (!opened) {
        return fail(kBadRecordMac, "a TLS record failed its integrity check (bad_record_mac)", wireOut);
    }
    // TLSInnerPlaintext: content, the real type, zero padding (§5.4).
    std::size_t end = sealedBytes;
    while (end > 0 && plain[end - 1] == 0) {
        --end;
    }
    if (end == 0) {
        return fail(kUnexpectedMessage, "a TLS record without a content type", wireOut);
    }
    const unsigned char type = plain[end - 1];
    const std::size_t contentBytes = end - 1;
    if (contentBytes > kMaxPlaintext) {
        return fail(kRecordOverflow, "a TLS record of more than 16 KiB of plaintext", wireOut);
    }
    switch (type) {
    case kApplicationData: application.hasWritten(contentBytes); return Status::Open;
    case kHandshake: {
        const std::string messages(reinterpret_cast<const char*>(plain), contentBytes);
        return handlePostHandshake(messages, wireOut);
    }
    case kAlert: {
        if (contentBytes != 2) {
            return fail(kDecodeError, "a malformed TLS alert", wireOut);
        }
        if (plain[1] == kCloseNotify) {
            m_status = Status::PeerClosed;
            return m_status;
        }
        m_status = Status::Failed;  // no alert back to an alert
        m_failure = "the peer sent the TLS alert " + alertName(plain[1]);
        return m_status;
    }
    default: return fail(kUnexpectedMessage, "a TLS record of content type " + std::to_string(type), wireOut);
    }
}

Tls13Records::Status Tls13Records::handlePostHandshake(std::string_view messages, Buffer& wireOut) {
    while (!messages.empty()) {
        if (messages.size() < 4) {
            return fail(kDecodeError, "a post-handshake message split across TLS records", wireOut);
        }
        const auto* header = reinterpret_cast<const unsigned char*>(messages.data());
        const std::size_t bodyBytes =
            (static_cast<std::size_t>(header[1]) << 16U) | (static_cast<std::size_t>(header[2]) << 8U) | header[3];
        if (messages.size() < 4 + bodyBytes) {
            return fail(kDecodeError, "a post-handshake message split across TLS records", wireOut);
        }
        if (header[0] == kKeyUpdate) {
            const auto request = bodyBytes == 1 ? header[4] : 0xFFU;
            if (request > 1) {
                return fail(kDecodeError, "a malformed KeyUpdate", wireOut);
            }
            if (!m_read->update()) {
                return fail(kInternalError, "cannot derive the peer's next traffic key", wireOut);
            }
            if (request == 1) {
                // Ours goes under the old key, then our key moves on too.
                if (!sealKeyUpdate(false, wireOut) || !m_write->update()) {
                    return fail(kInternalError, "cannot derive the next traffic key", wireOut);
                }
            }
        } else if (header[0] != kNewSessionTicket || !m_client) {
            return fail(kUnexpectedMessage,
                        "an unexpected post-handshake message (type " + std::to_string(header[0]) + ")", wireOut);
        }  // a client does not resume: a ticket is dropped
        messages.remove_prefix(4 + bodyBytes);
    }
    return Status::Open;
}

Tls13Records::Status Tls13Records::fail(unsigned char alert, std::string reason, Buffer& wireOut) {
    const unsigned char body[2] = {kFatal, alert};
    seal(kAlert, std::string_view(reinterpret_cast<const char*>(body), sizeof body), wireOut);
    m_status = Status::Failed;
    m_failure = std::move(reason);
    return m_status;
}

bool Tls13Records::encode(std::string_view application, Buffer& wireOut) {
    // Room for all of it at once: a file chunk is 16 records, and growing the buffer
    // record by record would copy it again each time.
    const std::size_t records = (application.size() + kMaxPlaintext - 1) / kMaxPlaintext;
    wireOut.ensureWritable(application.size() + records * (kHeaderBytes + 1 + kTagBytes));
    while (!application.empty()) {
        const std::size_t chunk = std::min(application.size(), kMaxPlaintext);
        if (m_write->sequence >= m_recordsPerKey && (!sealKeyUpdate(false, wireOut) || !m_write->update())) {
            return false;
        }
        if (!seal(kApplicationData, application.substr(0, chunk), wireOut)) {
            return false;
        }
        application.remove_prefix(chunk);
    }
    return true;
}

void Tls13Records::closeNotify(Buffer& wireOut) {
    const unsigned char body[2] = {1, kCloseNotify};  // level "warning", as §6.1 has it
    seal(kAlert, std::string_view(reinterpret_cast<const char*>(body), sizeof body), wireOut);
}

bool Tls13Records::sealKeyUpdate(bool requestPeerUpdate, Buffer& wireOut) {
    const unsigned char message[5] = {kKeyUpdate, 0, 0, 1, static_cast<unsigned char>(requestPeerUpdate ? 1 : 0)};
    return seal(kHandshake, std::string_view(reinterpret_cast<const char*>(message), sizeof message), wireOut);
}

bool Tls13Records::seal(unsigned char type, std::string_view content, Buffer& wireOut) {
    const std::size_t bodyBytes = content.size() + 1 + kTagBytes;
    wireOut.ensureWritable(kHeaderBytes + bodyBytes);
    auto* out = reinterpret_cast<unsigned char*>(wireOut.beginWrite());
    writeHeader(out, bodyBytes);
    EVP_CIPHER_CTX* context = m_write->context;
    int produced = 0;
    int typeBytes = 0;
    int finalBytes = 0;
    const bool sealed = m_write->startRecord() &&
                        EVP_EncryptUpdate(context, nullptr, &produced, out, static_cast<int>(kHeaderBytes)) == 1 &&
                        (content.empty() || EVP_EncryptUpdate(context, out + kHeaderBytes, &produced,
                                                              reinterpret_cast<const unsigned char*>(content.data()),
                                                              static_cast<int>(content.size())) == 1) &&
                        EVP_EncryptUpdate(context, out + kHeaderBytes + content.size(), &typeBytes, &type, 1) == 1 &&
                        EVP_EncryptFinal_ex(context, out + kHeaderBytes + content.size() + 1, &finalBytes) == 1 &&
                        EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kTagBytes),
                                            out + kHeaderBytes + content.size() + 1) == 1;
    if (sealed) {
        wireOut.hasWritten(kHeaderBytes + bodyBytes);  // never a half-made record
    }
    return sealed;
}

}  // namespace parley::net

#include "platform/fileio/Sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace parley::fileio {

namespace {

void check(int ok, const char* what) {
    if (ok != 1) {
        throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
    }
}

}  // namespace

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new()) {
    if (m_ctx == nullptr) {
        throw std::runtime_error("OpenSSL: EVP_MD_CTX_new failed");
    }
    reset();
}

Sha256::Sha256(FromCopy, const Sha256& other) : m_ctx(EVP_MD_CTX_new()) {
    if (m_ctx == nullptr) {
        throw std::runtime_error("OpenSSL: EVP_MD_CTX_new failed");
    }
    check(EVP_MD_CTX_copy_ex(m_ctx, other.m_ctx), "EVP_MD_CTX_copy_ex");
}

Sha256::~Sha256() { EVP_MD_CTX_free(m_ctx); }

void Sha256::reset() { check(EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr), "EVP_DigestInit_ex"); }

void Sha256::update(const std::uint8_t* data, std::size_t size) {
    if (size > 0) {
        check(EVP_DigestUpdate(m_ctx, data, size), "EVP_DigestUpdate");
    }
}

proto::Sha256 Sha256::finish() {
    proto::Sha256 digest{};
    unsigned int length = 0;
    check(EVP_DigestFinal_ex(m_ctx, digest.data(), &length), "EVP_DigestFinal_ex");
    reset();
    return digest;
}

std::unique_ptr<transfer::Sha256Engine> Sha256::clone() const {
    return std::unique_ptr<transfer::Sha256Engine>(new Sha256(FromCopy{}, *this));
}

proto::Sha256 Sha256::of(const void* data, std::size_t size) {
    Sha256 sha;
    sha.update(static_cast<const std::uint8_t*>(data), size);
    return sha.finish();
}

transfer::Sha256Factory Sha256::factory() {
    return [] { return std::make_unique<Sha256>(); };
}

}  // namespace parley::fileio

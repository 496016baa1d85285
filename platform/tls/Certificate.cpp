#include "platform/tls/Certificate.h"

#include "platform/tls/TlsContext.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <functional>
#include <memory>

namespace parley::net {

namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using KeyContextPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& what) { throw TlsError(takeOpenSslError(what)); }

KeyPtr newP256Key() {
    KeyContextPtr context(EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr));
    EVP_PKEY* key = nullptr;
    if (!context || EVP_PKEY_keygen_init(context.get()) != 1 ||
        EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context.get(), NID_X9_62_prime256v1) != 1 ||
        EVP_PKEY_keygen(context.get(), &key) != 1) {
        fail("cannot make an EC P-256 key");
    }
    return KeyPtr(key);
}

BioPtr bioOf(const std::string& pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        fail("out of memory");
    }
    return bio;
}

// PEM_read_bio_X509 / PEM_read_bio_PrivateKey from a string.
template <class Owner, class Read>
Owner readPem(const std::string& pem, Read read, const char* what) {
    const BioPtr bio = bioOf(pem);
    Owner object(read(bio.get(), nullptr, nullptr, nullptr));
    if (!object) {
        fail(std::string("not a PEM ") + what);
    }
    return object;
}

X509Ptr readCertificate(const std::string& pem) { return readPem<X509Ptr>(pem, PEM_read_bio_X509, "certificate"); }

KeyPtr readKey(const std::string& pem) { return readPem<KeyPtr>(pem, PEM_read_bio_PrivateKey, "private key"); }

void addExtension(X509* certificate, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
    if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
        fail("cannot add the certificate extension " + value);
    }
}

std::string subjectAltNames(const CertificateSpec& spec) {
    std::string names;
    for (const std::string& dns : spec.dnsNames) {
        names += (names.empty() ? "DNS:" : ",DNS:") + dns;
    }
    for (const std::string& ip : spec.ipAddresses) {
        names += (names.empty() ? "IP:" : ",IP:") + ip;
    }
    return names;
}

std::string pemOf(const std::function<int(BIO*)>& write) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1) {
        fail("cannot write PEM");
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

PemPair makeCertificate(const CertificateSpec& spec) {
    const KeyPtr key = newP256Key();
    X509Ptr certificate(X509_new());
    if (!certificate) {
        fail("out of memory");
    }
    X509Ptr issuerCertificate;
    KeyPtr issuerKey;
    if (spec.issuer != nullptr) {
        issuerCertificate = readCertificate(spec.issuer->certificate);
        issuerKey = readKey(spec.issuer->key);
    }
    X509* issuer = issuerCertificate ? issuerCertificate.get() : certificate.get();
    EVP_PKEY* signingKey = issuerKey ? issuerKey.get() : key.get();

    // A random 127-bit serial: two certificates never share issuer and serial.
    BignumPtr serial(BN_new());
    if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())) == nullptr) {
        fail("cannot make a serial number");
    }
    X509_set_version(certificate.get(), 2);  // v3
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), static_cast<long>(spec.notBeforeSeconds));
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), static_cast<long>(spec.notAfterSeconds));
    X509_set_pubkey(certificate.get(), key.get());
    X509_NAME* name = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(spec.commonName.c_str()), -1, -1, 0);
    X509_set_issuer_name(certificate.get(), X509_get_subject_name(issuer));

    addExtension(certificate.get(), issuer, NID_subject_key_identifier, "hash");
    if (spec.certificateAuthority) {
        addExtension(certificate.get(), issuer, NID_basic_constraints, "critical,CA:TRUE");
        addExtension(certificate.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        addExtension(certificate.get(), issuer, NID_basic_constraints, "critical,CA:FALSE");
        addExtension(certificate.get(), issuer, NID_key_usage, "critical,digitalSignature");
        addExtension(certificate.get(), issuer, NID_ext_key_usage, "serverAuth");
    }
    if (const std::string names = subjectAltNames(spec); !names.empty()) {
        addExtension(certificate.get(), issuer, NID_subject_alt_name, names);
    }
    if (X509_sign(certificate.get(), signingKey, EVP_sha256()) == 0) {
        fail("cannot sign the certificate");
    }
    PemPair pair;
    pair.certificate = pemOf([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate.get()); });
    pair.key = pemOf(
        [&](BIO* bio) { return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
    return pair;
}

std::string sha256Fingerprint(const x509_st* certificate) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (X509_digest(certificate, EVP_sha256(), digest, &size) != 1) {
        fail("cannot hash the certificate");
    }
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string text;
    text.reserve(size * 3);
    for (unsigned int i = 0; i < size; ++i) {
        if (i != 0) {
            text += ':';
        }
        text += kHex[digest[i] >> 4U];
        text += kHex[digest[i] & 0x0FU];
    }
    return text;
}

std::string sha256FingerprintOfPem(const std::string& pem) { return sha256Fingerprint(readCertificate(pem).get()); }

}  // namespace parley::net

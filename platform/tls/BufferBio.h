#pragma once
// The BIO between OpenSSL and one connection's buffers: reads take bytes from the wire
// bytes being decoded, writes append to the connection's output buffer. Nothing is
// buffered in the BIO itself, so an idle TLS connection holds no BIO memory and no
// record is copied once more on its way (a memory BIO pair would keep both).
// Internal to platform/tls.

#include <string_view>

struct bio_method_st;
struct bio_st;

namespace parley::net {

class Buffer;

/// What a BufferBio reads from and writes to during one OpenSSL call.
struct BioEndpoint {
    std::string_view input;    ///< not yet read by OpenSSL
    Buffer* output = nullptr;  ///< null: writes fail (retry), which no call of ours expects
};

/// A new BIO_METHOD for BufferBios (free with BIO_meth_free), or null.
bio_method_st* newBufferBioMethod();

/// A BIO of that method over `endpoint` (which must outlive it), or null.
bio_st* newBufferBio(bio_method_st* method, BioEndpoint& endpoint);

}  // namespace parley::net

#include "platform/tls/BufferBio.h"

#include "platform/Buffer.h"

#include <openssl/bio.h>

#include <algorithm>
#include <cstring>

namespace parley::net {

namespace {

BioEndpoint& endpointOf(BIO* bio) { return *static_cast<BioEndpoint*>(BIO_get_data(bio)); }

int bioWrite(BIO* bio, const char* data, std::size_t size, std::size_t* written) {
    BIO_clear_retry_flags(bio);
    Buffer* output = endpointOf(bio).output;
    if (output == nullptr) {
        BIO_set_retry_write(bio);
        return 0;
    }
    output->append(data, size);
    *written = size;
    return 1;
}

int bioRead(BIO* bio, char* data, std::size_t size, std::size_t* read) {
    BIO_clear_retry_flags(bio);
    std::string_view& input = endpointOf(bio).input;
    if (input.empty()) {
        BIO_set_retry_read(bio);  // "no more for now": SSL_ERROR_WANT_READ
        return 0;
    }
    const std::size_t n = std::min(size, input.size());
    std::memcpy(data, input.data(), n);
    input.remove_prefix(n);
    *read = n;
    return 1;
}

long bioControl(BIO*, int command, long, void*) {
    // OpenSSL flushes after each flight; the connection writes at the end of the loop
    // iteration anyway.
    return command == BIO_CTRL_FLUSH ? 1 : 0;
}

int bioCreate(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

}  // namespace

bio_method_st* newBufferBioMethod() {
    BIO_METHOD* method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "parley buffer");
    if (method == nullptr) {
        return nullptr;
    }
    BIO_meth_set_write_ex(method, bioWrite);
    BIO_meth_set_read_ex(method, bioRead);
    BIO_meth_set_ctrl(method, bioControl);
    BIO_meth_set_create(method, bioCreate);
    return method;
}

bio_st* newBufferBio(bio_method_st* method, BioEndpoint& endpoint) {
    BIO* bio = BIO_new(method);
    if (bio != nullptr) {
        BIO_set_data(bio, &endpoint);
    }
    return bio;
}

}  // namespace parley::net

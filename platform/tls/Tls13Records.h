#pragma once
// TLS 1.3 record protection after the handshake (RFC 8446 §5), in place of OpenSSL's SSL
// object: once a handshake is done, TlsLayer hands the two application traffic secrets to
// this class and frees the SSL. What an idle connection then holds is two cipher contexts
// and two secrets (~2.5 KiB) instead of the ~14.8 KiB an OpenSSL 3.0 SSL keeps (7.6 KiB
// of it the SSL structure itself), and each record is sealed straight into the
// connection's output buffer.
//
// Covers what a TLS 1.3 peer may send after the handshake: application data, alerts
// (close_notify ends the stream, any other ends it with the alert's name), KeyUpdate
// (answered when asked) and NewSessionTicket (ignored by a client). The keys are rotated
// with a KeyUpdate of our own every kRecordsPerKey records (§5.5's limit for AES-GCM).
// Anything else is a failure with a reason, after a fatal alert to the peer.
// The handshake, certificates and trust stay OpenSSL's. Internal to platform/tls.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_cipher_ctx_st;

namespace parley::net {

class Buffer;

/// The TLS 1.3 cipher suites this class implements (IANA numbers); others stay in OpenSSL.
enum class Tls13Suite : std::uint16_t {
    Aes128GcmSha256 = 0x1301,
    Aes256GcmSha384 = 0x1302,
    Chacha20Poly1305Sha256 = 0x1303,
};

/// A traffic secret: Hash.length bytes (32 for SHA-256, 48 for SHA-384).
struct TrafficSecret {
    std::array<unsigned char, 48> bytes{};
    std::size_t size = 0;
};

/// The application traffic secrets of one handshake, as OpenSSL's key log callback
/// hands them out (the only way OpenSSL 1.1.1 and 3.0 give them); wiped when destroyed.
struct HandshakeSecrets {
    TrafficSecret client;
    TrafficSecret server;

    HandshakeSecrets() = default;
    ~HandshakeSecrets();
    HandshakeSecrets(const HandshakeSecrets&) = delete;
    HandshakeSecrets& operator=(const HandshakeSecrets&) = delete;

    /// Takes a key log line "LABEL <client random> <secret in hex>"; only the two
    /// *_TRAFFIC_SECRET_0 labels are kept.
    void capture(std::string_view line);
};

class Tls13Records {
public:
    /// Records sealed under one key before it is rotated.
    static constexpr std::uint64_t kRecordsPerKey = std::uint64_t{1} << 24U;

    /// Why decode() stopped.
    enum class Status { Open, PeerClosed, Failed };

    /// The records of one connection end: `read` is the peer's application traffic
    /// secret, `write` ours; `client` when this end is the client (it may be sent
    /// NewSessionTicket). Null when `suite` is not one of Tls13Suite or OpenSSL refuses the
    /// cipher (the caller keeps OpenSSL's record layer then).
    static std::unique_ptr<Tls13Records> create(std::uint16_t suite, bool client, const TrafficSecret& read,
                                                const TrafficSecret& write,
                                                std::uint64_t recordsPerKey = kRecordsPerKey);

    ~Tls13Records();
    Tls13Records(const Tls13Records&) = delete;
    Tls13Records& operator=(const Tls13Records&) = delete;

    /// Takes all of `wire` (a partial record waits inside), appends the application bytes
    /// it carries to `application` and what must go back (a KeyUpdate, an alert) to
    /// `wireOut`. After PeerClosed or Failed nothing more is read.
    Status decode(std::string_view wire, Buffer& application, Buffer& wireOut);
    /// Why decode() failed.
    const std::string& failure() const { return m_failure; }

    /// Appends `application` as records of at most 16 KiB of plaintext each; false if
    /// OpenSSL could not seal one (nothing half-made is appended; the link must close).
    bool encode(std::string_view application, Buffer& wireOut);
    /// Appends a close_notify alert.
    void closeNotify(Buffer& wireOut);

private:
    struct Direction;
    Tls13Records();

    Status decodeRecords(std::string_view& input, Buffer& application, Buffer& wireOut);
    Status openRecord(std::string_view record, Buffer& application, Buffer& wireOut);
    Status handlePostHandshake(std::string_view messages, Buffer& wireOut);
    Status fail(unsigned char alert, std::string reason, Buffer& wireOut);
    bool seal(unsigned char type, std::string_view content, Buffer& wireOut);
    bool sealKeyUpdate(bool requestPeerUpdate, Buffer& wireOut);

    std::unique_ptr<Direction> m_read;
    std::unique_ptr<Direction> m_write;
    std::uint64_t m_recordsPerKey = kRecordsPerKey;
    bool m_client = false;
    std::string m_partial;  ///< the start of a record whose end has not arrived
    std::string m_failure;
    Status m_status = Status::Open;
};

}  // namespace parley::net

#pragma once
// Everything an operator can set. Defaults are what `parley-server` uses when
// no flag overrides them; tests shrink the time limits and hash cost.

#include "server-gui/engine/LoginThrottle.h"

#include <cstdint>
#include <string>

namespace parley::server {

struct Limits {
    /// Open connections allowed from one address (0 = unlimited).
    std::uint32_t connectionsPerAddress = 64;
    /// Registration attempts (those that pass the name/password rules) allowed
    /// from one address per rolling hour; counting attempts, not successes,
    /// also slows probing for taken names.
    std::uint32_t registrationsPerAddressPerHour = 10;
    /// Sustained CHAT/ROOM/TYPING messages per second per session, and the burst above it.
    double messagesPerSecond = 200.0;
    double messageBurst = 400.0;
    /// Over the rate, a session is slowed: the server stops reading from it
    /// until tokens are back (nothing is dropped) and sends ERROR RateLimited
    /// once. A session kept at the limit this long is cut with ERROR Flooding.
    std::uint32_t floodCutAfterMs = 30'000;
    /// Sustained control frames per second per session, and the burst above it:
    /// every frame but CHAT, ROOM, TYPING (the message rate above) and the file
    /// data frames (FILE_CHUNK, FILE_BLOCK_HASH, FILE_DONE: the credit window).
    /// Over the rate: as for messages (RateLimited, paused, Flooding).
    double controlFramesPerSecond = 2000.0;
    double controlFrameBurst = 4000.0;
    /// A CONTACTS_QUERY costs one control token per this many users in the
    /// list (at least one, at most the burst): it is answered with all of them.
    std::uint32_t contactsPerControlToken = 4;
    /// Output a logged-in connection may queue. Above the high-water mark the
    /// server stops reading from it until it is back at the low-water mark (its
    /// own PINGs and ACKs cannot grow it); one that stays above the mark for
    /// slowConsumerMs is closed as a slow consumer; one that would pass the
    /// limit is closed at once. Chat not yet acknowledged goes to the store.
    std::uint32_t outputHighWater = 4u << 20U;
    std::uint32_t outputLowWater = 1u << 20U;
    std::uint32_t outputLimit = 16u << 20U;
    std::uint32_t slowConsumerMs = 30'000;
    /// The same marks before login (the slow-consumer time is shared).
    std::uint32_t preLoginOutputHighWater = 64u << 10U;
    std::uint32_t preLoginOutputLowWater = 16u << 10U;
    std::uint32_t preLoginOutputLimit = 256u << 10U;
    /// Largest payload accepted before login (ERROR PayloadTooLarge, close).
    std::uint32_t preLoginMaxPayload = 4096;
    /// Bytes of unfinished frames all unauthenticated connections together may
    /// hold; a connection whose partial data would pass it is closed (ERROR
    /// ServerUnavailable).
    std::uint64_t preLoginInputBudget = 8u << 20U;
    /// Failed logins before LOGIN_RESULT Throttled, per (account, address), per
    /// address and per account (the last one slows only addresses that failed at
    /// that account: LoginThrottle.h), and the first / longest wait after that
    /// (doubling in between). Counted when the attempt starts.
    LoginThrottleRules login;
    /// Password hashes (LOGIN, REGISTER) waiting for the hashing workers; a
    /// LOGIN or REGISTER beyond this is answered Throttled at once.
    std::uint32_t hashQueue = 64;
    /// Log lines of one cause a peer can repeat (failed logins, protocol errors,
    /// errors reported by clients, ...) per window; more are counted and
    /// summed up in one "N similar lines suppressed" line (LogLimiter.h).
    std::uint32_t logLinesPerCause = 20;
    std::uint32_t logCauseWindowMs = 10'000;
    /// FILE_OFFERs per second per session, and the burst above it; more get
    /// FILE_REJECT Unavailable (each offer and its end are database writes).
    double fileOffersPerSecond = 2.0;
    double fileOfferBurst = 20.0;
    /// A TLS handshake must finish within this time after the connection opens, or the
    /// connection is closed (a client that never finishes one holds nothing for long).
    std::uint32_t tlsHandshakeTimeoutMs = 10'000;
    /// An unauthenticated connection must log in within this time.
    std::uint32_t loginTimeoutMs = 30'000;
    /// A connection that completed no frame for this long is closed (clients
    /// ping every 15 s); bytes of an unfinished frame do not count.
    std::uint32_t idleTimeoutMs = 60'000;
    /// Largest file a FILE_OFFER may announce, in bytes (0 = no limit);
    /// larger offers get FILE_REJECT TooLarge.
    std::uint64_t maxFileSize = 0;
    /// File transfers one user may have in progress as the sender, offered or
    /// accepted (0 = no limit); more get FILE_REJECT TooManyTransfers.
    std::uint32_t maxTransfersPerUser = 8;
};

/// TLS on the listening port. parley-server turns it on unless --plaintext, with the
/// operator's certificate or the self-signed one of its data folder (ServerCertificate.h);
/// a ServerConfig built in code states it (off by default there).
struct TlsConfig {
    bool enabled = false;
    std::string certificateFile;  ///< PEM certificate (and intermediates)
    std::string keyFile;          ///< PEM private key
    /// Accept TLS 1.2 clients too (default: TLS 1.3 only).
    bool allowTls12 = false;
};

struct ServerConfig {
    std::string listenHost = "127.0.0.1";
    std::uint16_t listenPort = 7878;
    /// I/O loops; 0 = defaultIoThreads().
    unsigned threads = 0;
    /// "epoll" or "poco"; empty = the platform default.
    std::string backend;
    /// `sqlite:PATH` or `odbc:CONNECTION-STRING`.
    std::string database = "sqlite:./data/parley.db";
    /// Database worker threads (messages, backlog, transfers).
    unsigned dbWorkers = 2;
    /// Password hashing worker threads (LOGIN, REGISTER), apart from the database
    /// workers so that a login storm never delays a STORED ack.
    unsigned hashWorkers = 1;
    /// PBKDF2-HMAC-SHA256 iterations for new passwords (OWASP 2023: 600,000).
    std::uint32_t passwordIterations = 600'000;
    TlsConfig tls;
    /// Days a login token ("remember me", LoginMode::PasswordAndToken) stays valid;
    /// 0 = the server issues and accepts no tokens.
    std::uint32_t tokenLifetimeDays = 30;
    Limits limits;
};

/// The I/O loops of a server started with `threads` 0: one per core this process may
/// run on, less one, at least one. The spare core is for the database and hashing
/// workers (a login at the default cost is ~0.2 s of CPU), the accept thread and the
/// window; and every message between users on different loops costs a thread wake-up.
/// Measured on 2 cores (docs/benchmarks.md): one loop had lower latency at every rate
/// and no less throughput than two.
unsigned defaultIoThreads();

}  // namespace parley::server

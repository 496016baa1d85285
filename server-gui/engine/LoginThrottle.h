#pragma once
// Slows down password guessing without letting anyone lock an owner out.
//
// Three tables of failures (FailureBackoff), each with its own limit:
// - per (account, address): the guesses one address may make at one account;
// - per address: the guesses one address may make at all accounts together;
// - per account: many addresses guessing at one account. Over this limit only
//   addresses that have already failed at that account must wait; an address
//   with no failure there (the owner's, usually) still gets its attempt.
//
// An attempt is counted when it starts (begin()), before its password is
// hashed, so that guesses in flight at once count as well: 64 parallel LOGINs
// get at most the (account, address) limit of real guesses. An attempt that
// turns out right is taken back (succeeded()), one that could not be checked
// too (cancelled()). Token logins are counted only when refused (see below).
//
// Thread-safe: logins arrive on every I/O loop; one mutex makes a check and
// its count one step. Memory is bounded per table (FailureBackoff maxKeys).

#include "server-gui/engine/FailureBackoff.h"

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

namespace parley::server {

struct LoginThrottleRules {
    /// Failures before a key must wait (0 = no limit for that table).
    std::uint32_t perAccountAndAddress = 5;
    std::uint32_t perAddress = 100;
    std::uint32_t perAccount = 20;
    /// The first wait and the longest, doubling with each further failure.
    std::uint32_t firstSeconds = 2;
    std::uint32_t maxSeconds = 300;
};

class LoginThrottle {
public:
    explicit LoginThrottle(const LoginThrottleRules& rules, std::size_t maxKeys = 100'000);

    /// 0: the attempt of `address` at `account` (a normalised name) may go
    /// ahead, and is counted as a failure from now on. Otherwise the seconds to
    /// wait, and nothing is counted.
    std::uint32_t begin(const std::string& account, const std::string& address, std::uint64_t nowMs);
    /// The attempt begun was right: its count is taken back and the
    /// (account, address) failures are forgotten.
    void succeeded(const std::string& account, const std::string& address);
    /// The attempt begun could not be checked (database down, queue full).
    void cancelled(const std::string& account, const std::string& address);

    // Login tokens. A 256-bit token cannot be guessed, so an attempt is not
    // counted while it is checked: counting in-flight attempts would throttle the
    // thousands of clients (often behind one address) that log back in with
    // their tokens at once after a server restart. Only a refused token counts.

    /// 0: a token LOGIN of `address` at `account` may go ahead (nothing is
    /// counted); otherwise the seconds to wait, as for begin().
    std::uint32_t waitBeforeToken(const std::string& account, const std::string& address, std::uint64_t nowMs) const;
    /// The token was not valid: one failure, as a wrong password.
    void tokenRefused(const std::string& account, const std::string& address, std::uint64_t nowMs);
    /// The token was valid: the (account, address) failures are forgotten.
    void tokenAccepted(const std::string& account, const std::string& address);

private:
    std::uint32_t waitLocked(const std::string& account, const std::string& address, const std::string& pair,
                             std::uint64_t nowMs) const;
    void recordFailureLocked(const std::string& account, const std::string& address, const std::string& pair,
                             std::uint64_t nowMs);
    static std::string pairKey(const std::string& account, const std::string& address);

    mutable std::mutex m_mutex;
    FailureBackoff m_pairs;
    FailureBackoff m_addresses;
    FailureBackoff m_accounts;
};

}  // namespace parley::server

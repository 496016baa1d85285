#include "server-gui/engine/LoginThrottle.h"

#include <algorithm>

namespace parley::server {

LoginThrottle::LoginThrottle(const LoginThrottleRules& rules, std::size_t maxKeys)
    : m_pairs(rules.perAccountAndAddress, rules.firstSeconds, rules.maxSeconds, maxKeys),
      m_addresses(rules.perAddress, rules.firstSeconds, rules.maxSeconds, maxKeys),
      m_accounts(rules.perAccount, rules.firstSeconds, rules.maxSeconds, maxKeys) {}

std::string LoginThrottle::pairKey(const std::string& account, const std::string& address) {
    // '\n' is in no normalised account name.
    return account + '\n' + address;
}

std::uint32_t LoginThrottle::waitLocked(const std::string& account, const std::string& address, const std::string& pair,
                                        std::uint64_t nowMs) const {
    std::uint32_t wait = std::max(m_pairs.retryAfter(pair, nowMs), m_addresses.retryAfter(address, nowMs));
    // An account under attack slows only the addresses that failed at it.
    if (m_pairs.failures(pair, nowMs) > 0) wait = std::max(wait, m_accounts.retryAfter(account, nowMs));
    return wait;
}

void LoginThrottle::recordFailureLocked(const std::string& account, const std::string& address, const std::string& pair,
                                        std::uint64_t nowMs) {
    m_pairs.recordFailure(pair, nowMs);
    m_addresses.recordFailure(address, nowMs);
    m_accounts.recordFailure(account, nowMs);
}

std::uint32_t LoginThrottle::begin(const std::string& account, const std::string& address, std::uint64_t nowMs) {
    const std::string pair = pairKey(account, address);
    std::lock_guard<std::mutex> lock(m_mutex);
    const std::uint32_t wait = waitLocked(account, address, pair, nowMs);
    if (wait > 0) return wait;
    recordFailureLocked(account, address, pair, nowMs);
    return 0;
}

void LoginThrottle::succeeded(const std::string& account, const std::string& address) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pairs.recordSuccess(pairKey(account, address));
    m_addresses.undoFailure(address);
    m_accounts.undoFailure(account);
}

void LoginThrottle::cancelled(const std::string& account, const std::string& address) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pairs.undoFailure(pairKey(account, address));
    m_addresses.undoFailure(address);
    m_accounts.undoFailure(account);
}

std::uint32_t LoginThrottle::waitBeforeToken(const std::string& account, const std::string& address,
                                             std::uint64_t nowMs) const {
    const std::string pair = pairKey(account, address);
    std::lock_guard<std::mutex> lock(m_mutex);
    return waitLocked(account, address, pair, nowMs);
}

void LoginThrottle::tokenRefused(const std::string& account, const std::string& address, std::uint64_t nowMs) {
    const std::string pair = pairKey(account, address);
    std::lock_guard<std::mutex> lock(m_mutex);
    recordFailureLocked(account, address, pair, nowMs);
}

void LoginThrottle::tokenAccepted(const std::string& account, const std::string& address) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pairs.recordSuccess(pairKey(account, address));
}

}  // namespace parley::server

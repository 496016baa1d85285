#pragma once
// One bit per user id: online or not, read without a lock. CONTACTS asks it
// for every user of every page, so a storm of N re-logins asks it N×N times
// (10,000 users: 10^8 times), which a mutex and a hash lookup per question
// made the largest cost of the storm. DeliveryTable writes it where a session
// attaches and detaches, under its own lock; anyone reads.
//
// The bits grow with the highest id (ids are dense: AUTOINCREMENT), up to
// kMaxIndexed; ids beyond it are not indexed (covers() says so) and the
// caller asks its own table, so a store whose ids jump far costs no memory. A grown
// array replaces the old one; the old one is kept until the index is
// destroyed, so a reader holding it never reads freed memory (the arrays
// retired over a lifetime add up to less than the current one).
//
// Thread-safety: set() from any thread (serialised by an internal mutex);
// online() from any thread, lock-free. A reader racing a set() sees the
// state just before or just after it, as with a lock.

#include "shared/proto/Header.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace parley::server {

class OnlineIndex {
public:
    OnlineIndex() = default;
    OnlineIndex(const OnlineIndex&) = delete;
    OnlineIndex& operator=(const OnlineIndex&) = delete;

    /// Ids below this are indexed (2 MiB of bits at most).
    static constexpr proto::UserId kMaxIndexed = proto::UserId{1} << 24;

    static bool covers(proto::UserId user) { return user < kMaxIndexed; }

    /// Records whether `user` is online; ignored when !covers(user).
    void set(proto::UserId user, bool online) {
        if (!covers(user)) return;
        std::lock_guard<std::mutex> lock(m_writers);
        Bits& bits = withRoomFor(user);
        const std::uint64_t mask = std::uint64_t{1} << (user % 64);
        if (online) bits.words[user / 64].fetch_or(mask, std::memory_order_release);
        else bits.words[user / 64].fetch_and(~mask, std::memory_order_release);
    }

    /// Whether `user` is online; false for ids it does not cover.
    bool online(proto::UserId user) const {
        const Bits* bits = m_current.load(std::memory_order_acquire);
        if (bits == nullptr || user / 64 >= bits->count) return false;
        return (bits->words[user / 64].load(std::memory_order_acquire) >> (user % 64)) & 1U;
    }

private:
    struct Bits {
        explicit Bits(std::size_t n) : count(n), words(std::make_unique<std::atomic<std::uint64_t>[]>(n)) {}
        std::size_t count;
        std::unique_ptr<std::atomic<std::uint64_t>[]> words;
    };

    // Under m_writers. Grows to twice what is needed, at least 1,024 ids (16 words).
    Bits& withRoomFor(proto::UserId user) {
        Bits* bits = m_current.load(std::memory_order_relaxed);
        const std::size_t word = user / 64;
        if (bits != nullptr && word < bits->count) return *bits;
        auto grown =
            std::make_unique<Bits>(std::min<std::size_t>(std::max<std::size_t>(2 * (word + 1), 16), kMaxIndexed / 64));
        if (bits != nullptr)
            for (std::size_t i = 0; i < bits->count; ++i)
                grown->words[i].store(bits->words[i].load(std::memory_order_relaxed), std::memory_order_relaxed);
        m_arrays.push_back(std::move(grown));
        m_current.store(m_arrays.back().get(), std::memory_order_release);
        return *m_arrays.back();
    }

    std::mutex m_writers;
    std::vector<std::unique_ptr<Bits>> m_arrays;  ///< every array made; the last is current
    std::atomic<Bits*> m_current{nullptr};
};

}  // namespace parley::server

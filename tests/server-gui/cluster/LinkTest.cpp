// One direction of a cluster link (server-gui/cluster/Link.h, docs/cluster-design.md §2.4):
// numbered envelopes arrive exactly once and in order through a channel that loses and
// duplicates them (NATS core after a reconnect), acks are cumulative and may be lost too;
// retention is bounded; a new instance restarts the numbering. Time is a plain counter.

#include <boost/test/unit_test.hpp>

#include "server-gui/cluster/Envelope.h"
#include "server-gui/cluster/Link.h"
#include "tests/server-gui/cluster/EnvelopePrint.h"

#include <deque>
#include <random>
#include <string>
#include <vector>

using namespace parley::cluster;

namespace {

/// An envelope whose one record says which message of the test it is.
Envelope numbered(std::uint32_t message) {
    EnvelopeHead head;
    head.kind = EnvelopeKind::Link;
    head.node = "node-a";
    EnvelopeWriter writer(head);
    BOOST_TEST_REQUIRE(writer.add(RecordType::Notice, message, 0, {}));
    return writer.bytes();
}

std::uint64_t seqOf(const Envelope& envelope) {
    DecodedEnvelope got;
    BOOST_TEST_REQUIRE(decodeEnvelope(envelope.data(), envelope.size(), got) == EnvelopeError::None);
    return got.head.seq;
}

std::uint32_t messageOf(const Envelope& envelope) {
    DecodedEnvelope got;
    BOOST_TEST_REQUIRE(decodeEnvelope(envelope.data(), envelope.size(), got) == EnvelopeError::None);
    BOOST_TEST_REQUIRE(got.records.size() == 1u);
    return got.records.front().user;
}

/// Sender and receiver with the wire between them: what the receiver delivered, in order.
struct Pair {
    LinkLimits limits;
    LinkSender sender{limits};
    LinkReceiver receiver{limits};
    std::vector<std::uint32_t> delivered;
    std::uint64_t now = 1'000;

    LinkReceiver::Verdict arrive(const Envelope& envelope) {
        const LinkReceiver::Verdict verdict = receiver.accept(seqOf(envelope), now);
        if (verdict == LinkReceiver::Verdict::Deliver) {
            delivered.push_back(messageOf(envelope));
        }
        return verdict;
    }
    Envelope send(std::uint32_t message) {
        Envelope out;
        BOOST_TEST_REQUIRE((sender.send(numbered(message), now, out) == LinkSender::Queued::Sent));
        return out;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_link)

BOOST_AUTO_TEST_CASE(in_order_envelopes_are_delivered_and_a_cumulative_ack_frees_them) {
    Pair p;
    for (std::uint32_t m = 1; m <= 5; ++m) {
        const Envelope out = p.send(m);
        BOOST_TEST(seqOf(out) == m);  // numbered from 1
        BOOST_TEST((p.arrive(out) == LinkReceiver::Verdict::Deliver));
    }
    BOOST_TEST(p.delivered == (std::vector<std::uint32_t>{1, 2, 3, 4, 5}));
    BOOST_TEST(p.sender.retained() == 5u);
    BOOST_TEST(p.receiver.ackUpTo() == 5u);
    BOOST_TEST(!p.receiver.ackDue(p.now));  // piggybacked, or alone after ackDelayMs
    BOOST_TEST(p.receiver.ackDue(p.now + p.limits.ackDelayMs));
    p.sender.acknowledged(3, p.now);
    BOOST_TEST(p.sender.retained() == 2u);
    p.sender.acknowledged(2, p.now);  // an old ack changes nothing
    BOOST_TEST(p.sender.retained() == 2u);
    p.sender.acknowledged(99, p.now);  // beyond what was sent: not ours
    BOOST_TEST(p.sender.retained() == 2u);
    p.sender.acknowledged(5, p.now);
    BOOST_TEST(p.sender.retained() == 0u);
    BOOST_TEST(p.sender.retainedBytes() == 0u);
}

BOOST_AUTO_TEST_CASE(a_lost_envelope_is_a_gap_the_receiver_asks_to_fill) {
    Pair p;
    BOOST_TEST((p.arrive(p.send(1)) == LinkReceiver::Verdict::Deliver));
    p.send(2);  // lost
    BOOST_TEST((p.arrive(p.send(3)) == LinkReceiver::Verdict::Gap));
    BOOST_TEST((p.arrive(p.send(4)) == LinkReceiver::Verdict::Gap));
    BOOST_TEST(p.receiver.resendDue(p.now));
    BOOST_TEST(!p.receiver.resendDue(p.now + 1));  // once per resendAfterMs, not per envelope
    for (const Envelope& again : p.sender.resendAfter(p.receiver.ackUpTo(), p.now)) {
        p.arrive(again);
    }
    BOOST_TEST(p.delivered == (std::vector<std::uint32_t>{1, 2, 3, 4}));
    BOOST_TEST(p.sender.retained() == 3u);                              // the request acknowledged 1
    BOOST_TEST(!p.receiver.resendDue(p.now + p.limits.resendAfterMs));  // the gap is closed
}

BOOST_AUTO_TEST_CASE(a_lost_ack_makes_the_sender_resend_and_the_receiver_ack_at_once) {
    Pair p;
    p.arrive(p.send(1));
    p.arrive(p.send(2));
    p.receiver.ackSent();  // ...and that ack is lost
    BOOST_TEST(p.sender.poll(p.now + p.limits.resendAfterMs - 1).empty());
    p.now += p.limits.resendAfterMs;
    const std::vector<Envelope> again = p.sender.poll(p.now);
    BOOST_TEST_REQUIRE(again.size() == 2u);
    BOOST_TEST((p.arrive(again[0]) == LinkReceiver::Verdict::Duplicate));
    BOOST_TEST(p.receiver.ackDue(p.now));  // no delay: our last ack was lost
    p.sender.acknowledged(p.receiver.ackUpTo(), p.now);
    BOOST_TEST(p.sender.retained() == 0u);
    BOOST_TEST(p.delivered == (std::vector<std::uint32_t>{1, 2}));  // once each
    BOOST_TEST(p.sender.poll(p.now + 10 * p.limits.resendAfterMs).empty());
}

// A peer that stays silent (cut off, or slow) gets fewer and fewer copies, not a flood; an
// ack brings the short timer back.
BOOST_AUTO_TEST_CASE(timeouts_and_requests_without_answer_back_off) {
    Pair p;
    p.send(1);
    const std::uint64_t base = p.limits.resendAfterMs;
    std::uint64_t at = p.now;
    for (const std::uint64_t wait : {base, 2 * base, 4 * base, 8 * base}) {
        BOOST_TEST(p.sender.poll(at + wait - 1).empty());
        BOOST_TEST(p.sender.poll(at + wait).size() == 1u);
        at += wait;
    }
    p.sender.acknowledged(1, at);
    p.send(2);
    BOOST_TEST(p.sender.poll(at + base).size() == 1u);  // short again

    LinkReceiver receiver(p.limits);
    BOOST_TEST((receiver.accept(2, 0) == LinkReceiver::Verdict::Gap));
    BOOST_TEST(receiver.resendDue(0));  // a new gap: at once
    BOOST_TEST(!receiver.resendDue(base - 1));
    BOOST_TEST(receiver.resendDue(base));
    BOOST_TEST(!receiver.resendDue(base + 2 * base - 1));
    BOOST_TEST(receiver.resendDue(base + 2 * base));
    BOOST_TEST((receiver.accept(1, 4 * base) == LinkReceiver::Verdict::Deliver));
    BOOST_TEST((receiver.accept(3, 4 * base) == LinkReceiver::Verdict::Gap));
    BOOST_TEST(receiver.resendDue(4 * base));  // progress made it a new gap
}

BOOST_AUTO_TEST_CASE(retention_is_bounded_by_count_and_bytes) {
    LinkLimits few;
    few.maxRetained = 3;
    LinkSender sender(few);
    Envelope out;
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST((sender.send(numbered(1), 0, out) == LinkSender::Queued::Sent));
    }
    out.clear();
    BOOST_TEST((sender.send(numbered(4), 0, out) == LinkSender::Queued::Full));
    BOOST_TEST(out.empty());
    BOOST_TEST(sender.lastSent() == 3u);  // not numbered
    sender.acknowledged(1, 0);
    BOOST_TEST((sender.send(numbered(4), 0, out) == LinkSender::Queued::Sent));
    BOOST_TEST(seqOf(out) == 4u);

    LinkLimits small;
    small.maxRetainedBytes = 2 * numbered(1).size();
    LinkSender bytes(small);
    BOOST_TEST((bytes.send(numbered(1), 0, out) == LinkSender::Queued::Sent));
    BOOST_TEST((bytes.send(numbered(2), 0, out) == LinkSender::Queued::Sent));
    BOOST_TEST((bytes.send(numbered(3), 0, out) == LinkSender::Queued::Full));
    BOOST_TEST(bytes.retainedBytes() == small.maxRetainedBytes);
}

BOOST_AUTO_TEST_CASE(a_new_instance_restarts_the_numbering_at_both_ends) {
    Pair p;
    p.arrive(p.send(1));
    p.arrive(p.send(2));
    p.sender.reset();
    p.receiver.reset();
    BOOST_TEST(p.sender.retained() == 0u);
    const Envelope first = p.send(3);
    BOOST_TEST(seqOf(first) == 1u);
    BOOST_TEST((p.arrive(first) == LinkReceiver::Verdict::Deliver));
    BOOST_TEST(p.receiver.ackUpTo() == 1u);
}

// Thousands of envelopes through a wire that loses what NATS core loses: everything in
// flight and everything sent while a connection is down (an outage of 20..80 ms every few
// hundred), acks included; order is kept otherwise. Every message is delivered exactly
// once, in order, and retention drains.
BOOST_AUTO_TEST_CASE(outages_on_the_wire_still_deliver_everything_once_and_in_order) {
    for (std::uint32_t seed = 1; seed <= 4; ++seed) {
        BOOST_TEST_CONTEXT("seed " << seed) {
            std::mt19937 rng(seed);
            Pair p;
            constexpr std::uint32_t kMessages = 5'000;
            std::deque<Envelope> wire;  // what is on its way, in order
            std::uint64_t downUntil = 0;
            const auto up = [&] { return p.now >= downUntil; };
            const auto put = [&](const Envelope& envelope) {
                if (up()) {
                    wire.push_back(envelope);
                }
            };
            std::uint32_t next = 1;
            for (int step = 0; step < 400'000 && p.delivered.size() < kMessages; ++step) {
                p.now += 1;
                if (up() && rng() % 400 == 0) {
                    downUntil = p.now + 20 + rng() % 60;
                    wire.clear();  // in flight when the connection dropped
                }
                if (next <= kMessages && rng() % 2 == 0) {
                    Envelope out;
                    if (p.sender.send(numbered(next), p.now, out) == LinkSender::Queued::Sent) {
                        ++next;
                        put(out);
                    }
                }
                for (int i = 0; i < 4 && !wire.empty(); ++i) {  // the wire is faster than the sender
                    p.arrive(wire.front());
                    wire.pop_front();
                }
                // The reverse direction: acks and resend requests, lost while the link is down.
                if (p.receiver.resendDue(p.now) && up()) {
                    for (const Envelope& again : p.sender.resendAfter(p.receiver.ackUpTo(), p.now)) {
                        put(again);
                    }
                }
                if (p.receiver.ackDue(p.now)) {
                    p.receiver.ackSent();
                    if (up()) {
                        p.sender.acknowledged(p.receiver.ackUpTo(), p.now);
                    }
                }
                for (const Envelope& again : p.sender.poll(p.now)) {
                    put(again);
                }
            }
            BOOST_TEST_MESSAGE("seed " << seed << ": " << p.delivered.size() << " delivered, " << p.sender.retained()
                                       << " kept at the end");
            BOOST_TEST_REQUIRE(p.delivered.size() == kMessages);
            bool inOrder = true;
            for (std::uint32_t i = 0; i < kMessages; ++i) {
                inOrder = inOrder && p.delivered[i] == i + 1;
            }
            BOOST_TEST(inOrder);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

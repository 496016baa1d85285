// The framer under arbitrary splits of the byte stream (muduo
// testParseRequestInTwoPieces, plus thousands of seeded random splits).

#include <boost/test/unit_test.hpp>

#include "tests/shared/proto/ProtoTestSupport.h"

#include <algorithm>
#include <random>

using namespace parley::proto;
using namespace parley::proto::test;

namespace {

/// Takes every whole frame out of `framer`, copying its bytes to `frames`.
FrameStatus drain(Framer& framer, std::vector<Bytes>& frames) {
    FrameView view;
    FrameStatus status;
    while ((status = framer.next(view)) == FrameStatus::Complete) {
        frames.emplace_back(view.frameBegin(), view.frameBegin() + view.frameSize());
    }
    return status;
}

Bytes concat(const std::vector<Bytes>& frames) {
    Bytes stream;
    for (const Bytes& f : frames) {
        stream.insert(stream.end(), f.begin(), f.end());
    }
    return stream;
}

/// A chunk length for the random splits: a single byte (30%), up to 8 bytes
/// (30%), up to 100 (30%), or anything up to the whole stream (10%).
std::size_t chunkLength(std::mt19937& rng, std::size_t total) {
    const auto dice = rng() % 10;
    if (dice < 3) {
        return 1;
    }
    if (dice < 6) {
        return 1 + rng() % 8;
    }
    return 1 + rng() % (dice < 9 ? 100 : total);
}

/// Feeds `stream` to a fresh framer in random chunks drawn from `seed`; checks
/// that it yields exactly `expected`, and that after each drain it holds less
/// than the next frame. Returns false (with the check failed) on a mismatch.
bool feedInRandomChunks(const std::vector<Bytes>& expected, std::uint32_t seed) {
    const Bytes stream = concat(expected);
    std::mt19937 rng(seed);
    Framer framer;
    std::vector<Bytes> got;
    bool bounded = true;
    for (std::size_t pos = 0; pos < stream.size();) {
        const std::size_t n = std::min(chunkLength(rng, stream.size()), stream.size() - pos);
        framer.feed(stream.data() + pos, n);
        pos += n;
        if (drain(framer, got) != FrameStatus::NeedMore) {
            BOOST_ERROR("framer error " << framer.error());
            return false;
        }
        const std::size_t nextFrame = got.size() < expected.size() ? expected[got.size()].size() : 1;
        bounded = bounded && framer.buffered() < nextFrame;
    }
    BOOST_TEST(bounded);
    BOOST_TEST(got.size() == expected.size());
    const bool same = got == expected;
    BOOST_TEST(same);
    return bounded && same;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(framer)

BOOST_AUTO_TEST_CASE(thousands_of_random_splits_of_mixed_small_frames) {
    std::vector<Bytes> pool;
    for (const Message& m : smallSampleMessages(4096)) {
        pool.push_back(encodeFrame(m));
    }
    const std::uint32_t kBaseSeed = 0x5EED0001;
    for (std::uint32_t i = 0; i < 3000; ++i) {
        const std::uint32_t seed = kBaseSeed + i;
        BOOST_TEST_CONTEXT("seed " << seed) {
            std::mt19937 pick(seed);
            std::vector<Bytes> frames;
            for (int k = 0; k < 60; ++k) {
                frames.push_back(pool[pick() % pool.size()]);
            }
            if (!feedInRandomChunks(frames, seed)) {
                break;  // one failing seed is enough to report
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(random_splits_of_large_frames) {
    std::vector<Bytes> frames;
    for (const Message& m : sampleMessages()) {
        frames.push_back(encodeFrame(m));  // up to a full 1 MiB payload
    }
    const std::uint32_t kBaseSeed = 0x5EED1000;
    for (std::uint32_t i = 0; i < 8; ++i) {
        const std::uint32_t seed = kBaseSeed + i;
        BOOST_TEST_CONTEXT("seed " << seed) {
            std::mt19937 shuffle(seed);
            std::shuffle(frames.begin(), frames.end(), shuffle);
            feedInRandomChunks(frames, seed);
        }
    }
}

BOOST_AUTO_TEST_CASE(two_frames_split_at_every_offset) {
    const std::vector<Bytes> expected = {goldenCase("Chat").frame, goldenCase("FileOffer").frame};
    const Bytes stream = concat(expected);
    for (std::size_t split = 0; split <= stream.size(); ++split) {
        BOOST_TEST_CONTEXT("split at " << split) {
            Framer framer;
            std::vector<Bytes> got;
            framer.feed(stream.data(), split);
            BOOST_TEST(drain(framer, got) == FrameStatus::NeedMore);
            const std::size_t whole = split == stream.size() ? 2 : split >= expected[0].size() ? 1 : 0;
            BOOST_TEST(got.size() == whole);
            // missing(): the rest of the frame in progress, once its header is in.
            const std::size_t start = whole == 0 ? 0 : expected[0].size();
            const std::size_t end = whole == 0 ? expected[0].size() : stream.size();
            const bool headerIn = whole < 2 && split - start >= kHeaderSize;
            BOOST_TEST(framer.missing() == (headerIn ? end - split : 0u));
            // Feeding exactly that completes the frame; then the rest.
            const std::size_t first = framer.missing();
            framer.feed(stream.data() + split, first);
            BOOST_TEST(drain(framer, got) == FrameStatus::NeedMore);
            BOOST_TEST(got.size() == whole + (headerIn ? 1u : 0u));
            framer.feed(stream.data() + split + first, stream.size() - split - first);
            BOOST_TEST(drain(framer, got) == FrameStatus::NeedMore);
            BOOST_CHECK(got == expected);
            BOOST_TEST(framer.buffered() == 0u);
            BOOST_TEST(framer.missing() == 0u);
        }
    }
}

BOOST_AUTO_TEST_CASE(missing_is_zero_for_a_header_the_framer_refuses) {
    const Bytes header = withPayloadLength(goldenCase("Ping").frame, kMaxPayload + 1);
    Framer framer;
    framer.feed(header.data(), header.size());  // not yet looked at by next()
    BOOST_TEST(framer.missing() == 0u);
    FrameView view;
    BOOST_TEST(framer.next(view) == FrameStatus::Error);
    BOOST_TEST(framer.missing() == 0u);
}

BOOST_AUTO_TEST_CASE(two_frames_split_in_three_pieces_at_every_pair_of_offsets) {
    const std::vector<Bytes> expected = {goldenCase("Room").frame, goldenCase("Ping").frame};
    const Bytes stream = concat(expected);
    for (std::size_t i = 0; i <= stream.size(); ++i) {
        for (std::size_t j = i; j <= stream.size(); ++j) {
            Framer framer;
            std::vector<Bytes> got;
            framer.feed(stream.data(), i);
            drain(framer, got);
            framer.feed(stream.data() + i, j - i);
            drain(framer, got);
            framer.feed(stream.data() + j, stream.size() - j);
            if (drain(framer, got) != FrameStatus::NeedMore || got != expected) {
                BOOST_ERROR("pieces " << i << "/" << j << " gave " << got.size() << " frames");
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_frame_on_every_prefix) {
    // The server's style: parseFrame over its own buffer, as bytes arrive.
    const Bytes frame = goldenCase("FileBlockHash").frame;
    Bytes stream = frame;
    stream.push_back(0x50);  // the start of a next frame
    for (std::size_t size = 0; size <= stream.size(); ++size) {
        BOOST_TEST_CONTEXT("prefix " << size) {
            FrameView view;
            ProtocolError error = ProtocolError::BadMagic;
            const FrameStatus status = parseFrame(stream.data(), size, view, error);
            BOOST_TEST(error == ProtocolError::None);
            if (size < frame.size()) {
                BOOST_TEST(status == FrameStatus::NeedMore);
            } else {
                BOOST_TEST(status == FrameStatus::Complete);
                BOOST_TEST(view.frameBegin() == stream.data());
                BOOST_TEST(view.frameSize() == frame.size());
                BOOST_TEST(view.payload == stream.data() + kHeaderSize);
                BOOST_TEST(view.payloadSize == frame.size() - kHeaderSize);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(views_from_one_feed_stay_valid_until_the_next_feed) {
    std::vector<Bytes> expected;
    for (const GoldenCase& c : goldenCases()) {
        expected.push_back(c.frame);
    }
    const Bytes stream = concat(expected);
    Framer framer;
    framer.feed(stream.data(), stream.size());
    std::vector<FrameView> views;
    FrameView view;
    while (framer.next(view) == FrameStatus::Complete) {
        views.push_back(view);
    }
    BOOST_REQUIRE(views.size() == expected.size());
    for (std::size_t i = 0; i < views.size(); ++i) {
        const Bytes bytes(views[i].frameBegin(), views[i].frameBegin() + views[i].frameSize());
        BOOST_CHECK(bytes == expected[i]);
    }
}

BOOST_AUTO_TEST_CASE(an_oversized_header_is_refused_before_its_payload) {
    const Bytes header = withPayloadLength(goldenCase("Ping").frame, kMaxPayload + 1);
    Framer framer;
    framer.feed(header.data(), header.size() - 1);
    FrameView view;
    BOOST_TEST(framer.next(view) == FrameStatus::NeedMore);
    framer.feed(header.data() + header.size() - 1, 1);
    BOOST_TEST(framer.next(view) == FrameStatus::Error);
    BOOST_TEST(framer.error() == ProtocolError::PayloadTooLarge);
    BOOST_TEST(framer.buffered() == 0u);

    // The error sticks: later bytes are dropped and never parsed.
    const Bytes& ping = goldenCase("Ping").frame;
    framer.feed(ping.data(), ping.size());
    BOOST_TEST(framer.buffered() == 0u);
    BOOST_TEST(framer.next(view) == FrameStatus::Error);
    BOOST_TEST(framer.error() == ProtocolError::PayloadTooLarge);
}

BOOST_AUTO_TEST_CASE(a_framer_with_its_own_limit) {
    Framer framer(16);
    const Bytes fits = goldenCase("FileAccept").frame;  // payload 16
    framer.feed(fits.data(), fits.size());
    FrameView view;
    BOOST_TEST(framer.next(view) == FrameStatus::Complete);
    const Bytes tooBig = goldenCase("FileChunk").frame;  // payload 20
    framer.feed(tooBig.data(), kHeaderSize);
    BOOST_TEST(framer.next(view) == FrameStatus::Error);
    BOOST_TEST(framer.error() == ProtocolError::PayloadTooLarge);
}

BOOST_AUTO_TEST_CASE(frames_before_a_bad_one_are_delivered) {
    const Bytes& chat = goldenCase("Chat").frame;
    Bytes stream = chat;
    Bytes bad = goldenCase("Ping").frame;
    bad[2] = 9;  // version
    stream.insert(stream.end(), bad.begin(), bad.end());
    Framer framer;
    framer.feed(stream.data(), stream.size());
    std::vector<Bytes> got;
    BOOST_TEST(drain(framer, got) == FrameStatus::Error);
    BOOST_TEST(framer.error() == ProtocolError::UnsupportedVersion);
    BOOST_TEST(got.size() == 1u);
    BOOST_CHECK(got.at(0) == chat);
}

BOOST_AUTO_TEST_CASE(an_unknown_type_is_skipped_and_the_next_frame_parses) {
    Bytes unknown = goldenCase("Ping").frame;
    unknown[3] = 0x7E;
    unknown.insert(unknown.end(), {0xDE, 0xAD});
    unknown = withPayloadLength(unknown, 2);
    const Bytes& chat = goldenCase("Chat").frame;
    Bytes stream = unknown;
    stream.insert(stream.end(), chat.begin(), chat.end());

    Framer framer;
    framer.feed(stream.data(), stream.size());
    FrameView view;
    Body body;
    BOOST_REQUIRE(framer.next(view) == FrameStatus::Complete);
    const ProtocolError error = decodePayload(view.header, view.payload, view.payloadSize, body);
    BOOST_TEST(error == ProtocolError::UnknownType);
    BOOST_TEST(!isFatal(error));
    BOOST_REQUIRE(framer.next(view) == FrameStatus::Complete);
    BOOST_TEST(decodePayload(view.header, view.payload, view.payloadSize, body) == ProtocolError::None);
    BOOST_CHECK(body == goldenCase("Chat").message.body);
    BOOST_TEST(framer.next(view) == FrameStatus::NeedMore);
}

BOOST_AUTO_TEST_CASE(empty_feeds_change_nothing) {
    Framer framer;
    FrameView view;
    framer.feed(nullptr, 0);
    BOOST_TEST(framer.next(view) == FrameStatus::NeedMore);
    const Bytes& pong = goldenCase("Pong").frame;
    framer.feed(pong.data(), 10);
    framer.feed(pong.data(), 0);
    BOOST_TEST(framer.buffered() == 10u);
    framer.feed(pong.data() + 10, pong.size() - 10);
    BOOST_TEST(framer.next(view) == FrameStatus::Complete);
    BOOST_TEST(view.header.type == static_cast<std::uint8_t>(MessageType::Pong));
}

// scanFrames: the one loop over the whole frames at the front of a caller's buffer.
BOOST_AUTO_TEST_CASE(scan_frames_hands_over_whole_frames_and_stops_where_told) {
    const Bytes ping = goldenCase("Ping").frame;
    const Bytes chat = goldenCase("Chat").frame;
    Bytes stream = ping;
    stream.insert(stream.end(), chat.begin(), chat.end());
    stream.insert(stream.end(), ping.begin(), ping.begin() + 5);  // a partial third frame

    std::vector<std::uint8_t> types;
    const auto record = [&types](const FrameView& frame) {
        types.push_back(frame.header.type);
        return FrameAction::Next;
    };
    FrameScan scan = scanFrames(stream.data(), stream.size(), record);
    BOOST_TEST(scan.status == FrameStatus::NeedMore);
    BOOST_TEST(scan.consumed == ping.size() + chat.size());
    BOOST_TEST(types.size() == 2u);

    // Stop: the frame is used, nothing after it is looked at.
    scan = scanFrames(stream.data(), stream.size(), [](const FrameView&) { return FrameAction::Stop; });
    BOOST_TEST(scan.status == FrameStatus::Complete);
    BOOST_TEST(scan.consumed == ping.size());
    // Leave: the frame stays.
    int seen = 0;
    scan = scanFrames(stream.data(), stream.size(),
                      [&seen](const FrameView&) { return ++seen == 2 ? FrameAction::Leave : FrameAction::Next; });
    BOOST_TEST(scan.status == FrameStatus::Complete);
    BOOST_TEST(scan.consumed == ping.size());

    // A framing error after a good frame: reported at its offset, the good one handed over.
    Bytes bad = ping;
    bad.push_back(0x00);
    bad.insert(bad.end(), kHeaderSize, 0x00);
    types.clear();
    scan = scanFrames(bad.data(), bad.size(), record);
    BOOST_TEST(scan.status == FrameStatus::Error);
    BOOST_TEST(scan.error == ProtocolError::BadMagic);
    BOOST_TEST(scan.consumed == ping.size());
    BOOST_TEST(types.size() == 1u);

    // The payload limit is parseFrame's.
    scan = scanFrames(chat.data(), chat.size(), record, static_cast<std::uint32_t>(chat.size() - kHeaderSize - 1));
    BOOST_TEST(scan.status == FrameStatus::Error);
    BOOST_TEST(scan.error == ProtocolError::PayloadTooLarge);
    BOOST_TEST(scan.consumed == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

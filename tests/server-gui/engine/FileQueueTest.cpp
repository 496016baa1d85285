// The receiving session's queue of file frames, without sockets: order,
// the output budget, dropping one transfer's frames, and its size when idle.
#include "server-gui/engine/FileQueue.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using parley::server::FileQueue;

namespace {
/// An output that takes frames while it holds less than `limit` bytes.
struct Output {
    std::size_t limit;
    std::vector<std::string> frames;
    std::size_t bytes = 0;

    std::size_t pumpFrom(FileQueue& queue) {
        return queue.pump([this] { return bytes < limit; },
                          [this](std::string&& frame) {
                              bytes += frame.size();
                              frames.push_back(std::move(frame));
                          });
    }
    void drain() { bytes = 0; }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(file_queue)

BOOST_AUTO_TEST_CASE(frames_leave_in_order_only_while_the_output_has_room) {
    FileQueue queue;
    for (int i = 0; i < 5; ++i) queue.push(3, 1, std::string(100, static_cast<char>('a' + i)));
    BOOST_TEST(queue.frames() == 5u);
    BOOST_TEST(queue.bytes() == 500u);

    Output out{250, {}};
    BOOST_TEST(out.pumpFrom(queue) == 300u);  // takes frames until it holds 250 or more
    BOOST_TEST(out.frames.size() == 3u);
    BOOST_TEST(queue.bytes() == 200u);
    BOOST_TEST(out.pumpFrom(queue) == 0u);  // full: nothing moves until it drains
    out.drain();
    BOOST_TEST(out.pumpFrom(queue) == 200u);
    BOOST_REQUIRE(out.frames.size() == 5u);
    for (int i = 0; i < 5; ++i) BOOST_TEST(out.frames[i][0] == static_cast<char>('a' + i));
    BOOST_TEST(queue.empty());
    BOOST_TEST(queue.bytes() == 0u);
}

BOOST_AUTO_TEST_CASE(an_ended_transfer_drops_its_frames_and_leaves_the_others_in_order) {
    FileQueue queue;
    queue.push(3, 1, "3/1 chunk 0");
    queue.push(4, 1, "4/1 chunk 0");  // same transfer id, another sender: another transfer
    queue.push(3, 1, "3/1 chunk 1");
    queue.push(3, 2, "3/2 chunk 0");
    queue.push(4, 1, "4/1 hash");
    BOOST_TEST(queue.drop(3, 1) == 22u);
    BOOST_TEST(queue.drop(3, 1) == 0u);  // once
    BOOST_TEST(queue.drop(9, 9) == 0u);  // unknown

    Output out{1 << 20, {}};
    out.pumpFrom(queue);
    BOOST_TEST(out.frames == (std::vector<std::string>{"4/1 chunk 0", "3/2 chunk 0", "4/1 hash"}));
}

BOOST_AUTO_TEST_CASE(a_closing_session_drops_everything) {
    FileQueue queue;
    queue.push(3, 1, std::string(1000, 'x'));
    queue.push(4, 2, std::string(24, 'y'));
    BOOST_TEST(queue.dropAll() == 1024u);
    BOOST_TEST(queue.empty());
    BOOST_TEST(queue.bytes() == 0u);
    BOOST_TEST(queue.dropAll() == 0u);
}

BOOST_AUTO_TEST_CASE(an_idle_queue_holds_no_deque) {
    // Every connected user has one: an empty std::deque is ~600 bytes.
    FileQueue queue;
    BOOST_TEST(sizeof(FileQueue) == sizeof(void*));
    queue.push(3, 1, "x");
    Output out{1, {}};
    out.pumpFrom(queue);
    BOOST_TEST(queue.empty());  // released once it runs empty
}

BOOST_AUTO_TEST_SUITE_END()

#include "platform/Buffer.h"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using parley::net::Buffer;

BOOST_AUTO_TEST_SUITE(buffer)

BOOST_AUTO_TEST_CASE(default_buffer_owns_no_memory) {
    Buffer buffer;
    BOOST_TEST(buffer.capacity() == 0U);
    BOOST_TEST(buffer.readableBytes() == 0U);
    BOOST_TEST(buffer.empty());
    BOOST_TEST(buffer.view().empty());
    buffer.retrieveAll();
    buffer.release();
    BOOST_TEST(buffer.capacity() == 0U);
}

BOOST_AUTO_TEST_CASE(append_then_retrieve) {
    Buffer buffer;
    buffer.append("hello, world");
    BOOST_TEST(buffer.readableBytes() == 12U);
    BOOST_TEST(buffer.prependableBytes() == Buffer::kCheapPrepend);
    BOOST_TEST(buffer.writableBytes() == Buffer::kInitialSize - 12U);
    BOOST_TEST(buffer.retrieveAsString(5) == "hello");
    BOOST_TEST(buffer.prependableBytes() == Buffer::kCheapPrepend + 5U);
    BOOST_TEST(buffer.view() == ", world");
    buffer.retrieve(2);
    BOOST_TEST(buffer.retrieveAllAsString() == "world");
    // Retrieving everything resets the indices rather than leaving a hole.
    BOOST_TEST(buffer.prependableBytes() == Buffer::kCheapPrepend);
    BOOST_TEST(buffer.writableBytes() == Buffer::kInitialSize);
}

BOOST_AUTO_TEST_CASE(grows_beyond_the_initial_size) {
    Buffer buffer;
    const std::string big(3000, 'b');
    buffer.append(big);
    buffer.append("tail");
    BOOST_TEST(buffer.readableBytes() == 3004U);
    BOOST_TEST(buffer.view().substr(3000) == "tail");
    BOOST_TEST(buffer.capacity() >= 3004U + Buffer::kCheapPrepend);
}

BOOST_AUTO_TEST_CASE(moves_content_forward_instead_of_growing) {
    Buffer buffer;
    buffer.append(std::string(800, 'a'));
    buffer.retrieve(700);
    const std::size_t capacity = buffer.capacity();
    buffer.append(std::string(600, 'c'));  // fits once the 100 remaining bytes move to the front
    BOOST_TEST(buffer.capacity() == capacity);
    BOOST_TEST(buffer.prependableBytes() == Buffer::kCheapPrepend);
    BOOST_TEST(buffer.readableBytes() == 700U);
    BOOST_TEST(buffer.view().substr(0, 100) == std::string(100, 'a'));
    BOOST_TEST(buffer.view().substr(100) == std::string(600, 'c'));
}

BOOST_AUTO_TEST_CASE(prepend_uses_the_reserved_front) {
    Buffer buffer;
    buffer.append("payload");
    const std::uint32_t length = 7;
    buffer.prepend(&length, sizeof length);
    BOOST_TEST(buffer.readableBytes() == 11U);
    BOOST_TEST(buffer.prependableBytes() == Buffer::kCheapPrepend - sizeof length);
    std::uint32_t read = 0;
    std::memcpy(&read, buffer.peek(), sizeof read);
    BOOST_TEST(read == 7U);
}

BOOST_AUTO_TEST_CASE(write_in_place_then_unwrite) {
    Buffer buffer;
    buffer.ensureWritable(16);
    BOOST_TEST(buffer.writableBytes() >= 16U);
    std::memcpy(buffer.beginWrite(), "0123456789", 10);
    buffer.hasWritten(10);
    buffer.unwrite(4);
    BOOST_TEST(buffer.view() == "012345");
}

BOOST_AUTO_TEST_CASE(release_and_shrink_give_memory_back) {
    Buffer buffer;
    buffer.append(std::string(100000, 'x'));
    buffer.retrieve(99990);
    buffer.release();  // not empty: shrinks to the content
    BOOST_TEST(buffer.view() == std::string(10, 'x'));
    BOOST_TEST(buffer.capacity() < 100U);
    buffer.shrink(50);
    BOOST_TEST(buffer.writableBytes() == 50U);
    BOOST_TEST(buffer.view() == std::string(10, 'x'));
    buffer.retrieveAll();
    buffer.release();
    BOOST_TEST(buffer.capacity() == 0U);
    buffer.append("again");
    BOOST_TEST(buffer.view() == "again");
}

BOOST_AUTO_TEST_CASE(storage_moves_from_one_empty_buffer_to_another_unchanged) {
    Buffer first;
    first.append(std::string(3000, 'a'));
    first.retrieveAll();
    const std::size_t capacity = first.capacity();
    const void* memory = first.peek();  // compared as addresses, not C strings
    std::vector<char> storage = first.takeStorage();
    BOOST_TEST(first.capacity() == 0U);
    BOOST_TEST(first.empty());

    Buffer second;
    second.adoptStorage(std::move(storage));
    BOOST_TEST(second.capacity() == capacity);
    BOOST_TEST(second.empty());
    BOOST_TEST(second.writableBytes() >= 3000U);
    second.append(std::string(3000, 'b'));  // fits: the same memory, not reallocated
    BOOST_TEST(static_cast<const void*>(second.peek()) == memory);
    BOOST_TEST(second.view() == std::string(3000, 'b'));
}

BOOST_AUTO_TEST_CASE(swap_and_copy) {
    Buffer a;
    Buffer b;
    a.append("first");
    b.append("second");
    a.swap(b);
    BOOST_TEST(a.view() == "second");
    BOOST_TEST(b.view() == "first");
    Buffer c = a;
    c.append("!");
    BOOST_TEST(a.view() == "second");
    BOOST_TEST(c.view() == "second!");
}

BOOST_AUTO_TEST_SUITE_END()

// A client's list of servers (shared/session/ServerList.h): parsing and the order in
// which the nodes of a cluster are tried.
#include "shared/session/ServerList.h"

#include <boost/test/unit_test.hpp>

using parley::session::ServerRotation;
using parley::session::splitServerList;

BOOST_AUTO_TEST_SUITE(server_list)

BOOST_AUTO_TEST_CASE(a_list_is_split_trimmed_and_checked) {
    std::string error;
    BOOST_TEST(splitServerList("127.0.0.1:7878", error) == std::vector<std::string>{"127.0.0.1:7878"},
               boost::test_tools::per_element());
    BOOST_TEST(splitServerList("a:1, b:2 ,[::1]:3", error) == (std::vector<std::string>{"a:1", "b:2", "[::1]:3"}),
               boost::test_tools::per_element());
    BOOST_TEST(error.empty());
    BOOST_TEST(splitServerList("a:1,,b:2", error).empty());
    BOOST_TEST(error.find("empty entry") != std::string::npos);
    BOOST_TEST(splitServerList("a:1,", error).empty());
    BOOST_TEST(splitServerList("", error).empty());
    BOOST_TEST(splitServerList("a:1,b:2,a:1", error).empty());
    BOOST_TEST(error.find("a:1 twice") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_next_server_is_tried_at_once_and_the_backoff_waits_for_a_whole_pass) {
    ServerRotation rotation(3);
    BOOST_TEST(rotation.current() == 0u);
    BOOST_TEST(!rotation.failed());  // a is down: b now
    BOOST_TEST(rotation.current() == 1u);
    BOOST_TEST(!rotation.failed());  // b too: c
    BOOST_TEST(rotation.failed());   // c too: a pass, back off, then a again
    BOOST_TEST(rotation.current() == 0u);
    BOOST_TEST(!rotation.failed());
    rotation.succeeded();  // logged in on b
    BOOST_TEST(rotation.current() == 1u);
    // b dies later: c at once, then a; only then the backoff.
    BOOST_TEST(!rotation.failed());
    BOOST_TEST(rotation.current() == 2u);
    BOOST_TEST(!rotation.failed());
    BOOST_TEST(rotation.failed());
    BOOST_TEST(rotation.current() == 1u);
}

BOOST_AUTO_TEST_CASE(one_server_backs_off_after_every_failure_as_before) {
    ServerRotation rotation(1);
    BOOST_TEST(rotation.failed());
    BOOST_TEST(rotation.failed());
    BOOST_TEST(rotation.current() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

// The credit rules of protocol 9.8 rule 4, as every side counts them (CreditAccount).

#include "shared/transfer/CreditAccount.h"

#include <boost/test/unit_test.hpp>

using namespace parley;
using parley::transfer::CreditAccount;

BOOST_AUTO_TEST_SUITE(credit_account)

BOOST_AUTO_TEST_CASE(chunks_use_what_was_granted_and_no_more) {
    CreditAccount credit;
    BOOST_TEST(!credit.spend(1));  // nothing granted yet
    credit.grant(1000);
    BOOST_TEST(credit.spend(600));
    BOOST_TEST(credit.available() == 400u);
    BOOST_TEST(!credit.spend(401));  // refused, and not counted
    BOOST_TEST(credit.spent() == 600u);
    BOOST_TEST(credit.spend(400));
    BOOST_TEST(credit.available() == 0u);
    credit.grant(10);
    BOOST_TEST(credit.spend(10));
    BOOST_TEST(credit.granted() == 1010u);
}

BOOST_AUTO_TEST_CASE(at_most_the_window_is_outstanding) {
    CreditAccount credit;
    BOOST_TEST(credit.room() == proto::kMaxCreditWindow);
    BOOST_TEST(credit.canGrant(proto::kMaxCreditWindow));
    BOOST_TEST(!credit.canGrant(proto::kMaxCreditWindow + 1));
    credit.grant(proto::kMaxCreditWindow);
    BOOST_TEST(!credit.canGrant(1));
    BOOST_TEST(credit.spend(256 * 1024));
    BOOST_TEST(credit.canGrant(256 * 1024));  // used credit makes room again
    BOOST_TEST(!credit.canGrant(256 * 1024 + 1));
    BOOST_TEST(credit.room(1024 * 1024) == 0u);  // a smaller window (a receiver's own) is full
}

BOOST_AUTO_TEST_CASE(recorded_bytes_count_beyond_the_credit_and_reset_starts_again) {
    CreditAccount relayed;
    relayed.grant(100);
    relayed.record(150);  // a follower counts what another side let through
    BOOST_TEST(relayed.available() == 0u);
    BOOST_TEST(relayed.spent() == 150u);
    BOOST_TEST(relayed.room() == proto::kMaxCreditWindow);
    relayed.reset();  // FILE_ACCEPT for a window since that accept; a new offer
    BOOST_TEST(relayed.granted() == 0u);
    BOOST_TEST(relayed.spent() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

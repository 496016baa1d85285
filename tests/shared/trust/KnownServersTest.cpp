// shared/trust: the known_servers file both clients pin certificates in (real files in a
// temporary folder), and the trust rule.
#include "shared/trust/KnownServers.h"
#include "tests/support/TempDir.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>

using namespace parley::trust;

namespace {

const std::string kOne =
    "51:75:A4:08:42:42:CF:3B:CB:A9:2B:3E:84:BF:02:DC:65:C8:B8:B9:CD:89:13:A9:F6:A9:0B:91:33:BF:D6:42";
const std::string kTwo =
    "0F:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:0F";

std::string contents(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(known_servers)

BOOST_AUTO_TEST_CASE(fingerprints_are_normalized_or_refused) {
    BOOST_TEST(normalizeFingerprint("5175a4084242cf3bcba92b3e84bf02dc65c8b8b9cd8913a9f6a90b9133bfd642").value() ==
               kOne);
    BOOST_TEST(normalizeFingerprint(kOne).value() == kOne);
    BOOST_TEST(!normalizeFingerprint("51:75").has_value());
    BOOST_TEST(!normalizeFingerprint(kOne.substr(0, kOne.size() - 1) + "G").has_value());
}

BOOST_AUTO_TEST_CASE(the_rule_ca_then_pin_then_ask) {
    BOOST_TEST((decideTrust(true, kTwo, kOne) == TrustDecision::Verified));
    BOOST_TEST((decideTrust(false, kOne, kOne) == TrustDecision::Pinned));
    BOOST_TEST((decideTrust(false, kTwo, kOne) == TrustDecision::Changed));
    BOOST_TEST((decideTrust(false, std::nullopt, kOne) == TrustDecision::Unknown));
}

BOOST_AUTO_TEST_CASE(pins_survive_a_reload_and_forget_removes_only_one) {
    const parley::test::TempDir dir;
    const auto file = dir.path() / "profile" / "known_servers";
    {
        KnownServers known(file);
        BOOST_TEST(known.load().empty());  // no file yet: nothing pinned
        BOOST_TEST(known.pin("127.0.0.1:7878", kOne).empty());
        BOOST_TEST(known.pin("[::1]:7878", kTwo).empty());
        BOOST_TEST(known.pin("bad:1", "not hex") != "");
    }
    KnownServers again(file);
    BOOST_TEST(again.load().empty());
    BOOST_TEST(again.find("127.0.0.1:7878").value() == kOne);
    BOOST_TEST(again.find("[::1]:7878").value() == kTwo);
    BOOST_TEST(!again.find("bad:1").has_value());

    BOOST_TEST(again.forget("127.0.0.1:7878").empty());
    BOOST_TEST(again.forget("never.pinned:1").empty());  // nothing to do is not an error
    KnownServers third(file);
    BOOST_TEST(third.load().empty());
    BOOST_TEST(!third.find("127.0.0.1:7878").has_value());
    BOOST_TEST(third.find("[::1]:7878").value() == kTwo);
    BOOST_TEST(contents(file).find(kOne) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_malformed_line_is_named) {
    const parley::test::TempDir dir;
    const auto file = dir.path() / "known_servers";
    std::ofstream(file) << "# comment\n127.0.0.1:7878 " << kOne << "\nsomething wrong here\n";
    KnownServers known(file);
    const std::string error = known.load();
    BOOST_TEST(error.find("line 3") != std::string::npos, error);
}

BOOST_AUTO_TEST_SUITE_END()

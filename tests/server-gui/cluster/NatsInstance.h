#pragma once
// Test-only: the private nats-server that scripts/nats-instance started for a suite (the
// ctest fixture `nats`, cmake/ParleyNats.cmake), as its instance.env and users/NAME files
// describe it. A suite fails (never skips) when the fixture is missing.
//
//   const NatsInstance nats = NatsInstance::fromEnvironment();   // PARLEY_TEST_NATS_DIR
//   nats.env.at("URL"), nats.env.at("CA"), nats.password("node-a")
//   NatsInstance::fromDirectory(dir)                             // another instance's folder
//   PrivateNats own; own.instance(); own.run("crash")               // a suite's own server

#include "tests/support/TempDir.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

namespace parley::test {

/// What scripts/nats-instance wrote: instance.env's keys and the users' passwords.
struct NatsInstance {
    std::string dir;
    std::map<std::string, std::string> env;

    static NatsInstance fromEnvironment() {
        const char* dir = std::getenv("PARLEY_TEST_NATS_DIR");
        BOOST_TEST_REQUIRE(dir != nullptr, "PARLEY_TEST_NATS_DIR is not set (run through ctest: fixture nats)");
        return fromDirectory(dir);
    }

    static NatsInstance fromDirectory(const std::string& dir) {
        NatsInstance instance{dir, {}};
        std::ifstream file(instance.dir + "/instance.env");
        BOOST_TEST_REQUIRE(file.good(), "no instance.env in " << instance.dir << " (did nats_start run?)");
        std::string line;
        while (std::getline(file, line)) {
            const auto equals = line.find('=');
            if (equals == std::string::npos) {
                continue;
            }
            std::string value = line.substr(equals + 1);
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            instance.env[line.substr(0, equals)] = value;
        }
        BOOST_TEST_REQUIRE(!instance.env["URL"].empty());
        BOOST_TEST_REQUIRE(!instance.env["CA"].empty());
        return instance;
    }

    std::string password(const std::string& user) const {
        std::ifstream file(dir + "/users/" + user);
        BOOST_TEST_REQUIRE(file.good(), "no password file for " << user);
        std::string secret;
        std::getline(file, secret);
        return secret;
    }
};

/// A private nats-server of one suite, in a folder of its own, so that crashing and
/// restarting it disturbs no other suite on the shared fixture's server (needs
/// PARLEY_NATS_SCRIPT, scripts/nats-instance). Stopped when it goes.
class PrivateNats {
public:
    /// `clusterPermissions`: each node user may read only its own node's subjects
    /// (NATS_PERMISSIONS=cluster, as scripts/cluster deploys it).
    explicit PrivateNats(const std::string& folderPrefix = "parley-nats", bool clusterPermissions = false)
        : m_folder(folderPrefix) {
        const char* script = std::getenv("PARLEY_NATS_SCRIPT");
        BOOST_TEST_REQUIRE(script != nullptr, "PARLEY_NATS_SCRIPT is not set (run through ctest)");
        m_script = script;
        BOOST_TEST_REQUIRE(run("start", clusterPermissions), "scripts/nats-instance start failed");
        m_started = true;
    }
    ~PrivateNats() {
        if (m_started) run("stop");
    }
    PrivateNats(const PrivateNats&) = delete;
    PrivateNats& operator=(const PrivateNats&) = delete;

    NatsInstance instance() const { return NatsInstance::fromDirectory(m_folder.path().string()); }
    /// nats-instance crash|restart|...: true when it succeeded.
    bool run(const std::string& command, bool clusterPermissions = false) const {
        const std::string line = std::string(clusterPermissions ? "NATS_PERMISSIONS=cluster " : "") + "'" + m_script +
                                 "' " + command + " '" + m_folder.path().string() + "'";
        return std::system(line.c_str()) == 0;
    }

private:
    TempDir m_folder;
    std::string m_script;
    bool m_started = false;
};

}  // namespace parley::test

#include "bench/parley/Report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace parley::bench {
namespace {

using Fields = std::map<std::string, std::string>;

/// The rate phases of the 1,000-pair run: the target's 20,000 msg/s, and 1,000 msg/s
/// (the machine nearly idle: what wake-ups alone cost).
Fields ratePhase(const char* rate) { return {{"pairs", "1000"}, {"rate", rate}}; }
/// A pairs run: how many pairs, which window.
Fields pairsOf(const char* pairs, const char* window) { return {{"pairs", pairs}, {"window", window}}; }

struct Record {
    int run = 0;
    Fields fields;
    std::string get(const std::string& key) const {
        const auto it = fields.find(key);
        return it == fields.end() ? std::string() : it->second;
    }
};

/// The server variants, in column order.
struct Variant {
    const char* label;
    const char* title;
};
constexpr Variant kVariants[] = {
    {"parley", "Parley"},
    {"parley-per-core", "Parley, a loop per core"},
    {"mqtt-qos0", "mosquitto QoS 0"},
    {"mqtt-qos1", "mosquitto QoS 1"},
    {"nats", "nats-server"},
    {"nats-acks", "nats-server + acks"},
};

class Results {
public:
    void add(Record record) { m_records.push_back(std::move(record)); }
    bool empty() const { return m_records.empty(); }
    int runs() const {
        std::set<int> runs;
        for (const auto& r : m_records)
            if (r.run > 0) runs.insert(r.run);  // run 0: the system-call probe
        return static_cast<int>(runs.size());
    }

    /// Records of `shape` and `label` whose fields match `where`.
    std::vector<const Record*> select(const std::string& shape, const std::string& label, const Fields& where) const {
        std::vector<const Record*> out;
        for (const auto& r : m_records) {
            if (r.get("shape") != shape || r.get("label") != label) continue;
            bool match = true;
            for (const auto& [key, value] : where)
                if (r.get(key) != value) match = false;
            if (match) out.push_back(&r);
        }
        return out;
    }

    std::optional<double> median(const std::string& shape, const std::string& label, const Fields& where,
                                 const std::string& key) const {
        std::vector<double> values;
        for (const Record* r : select(shape, label, where)) {
            const std::string v = r->get(key);
            if (v.empty() || v == "-") continue;
            try {
                values.push_back(std::stod(v));
            } catch (...) {}
        }
        if (values.empty()) return std::nullopt;
        std::sort(values.begin(), values.end());
        const std::size_t n = values.size();
        return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    double sum(const std::string& label, const std::string& key) const {
        double total = 0;
        for (const auto& r : m_records) {
            if (r.get("label") != label) continue;
            const std::string v = r.get(key);
            if (!v.empty() && v != "-") total += std::stod(v);
        }
        return total;
    }

    std::vector<const Record*> all() const {
        std::vector<const Record*> out;
        for (const auto& r : m_records) out.push_back(&r);
        return out;
    }

private:
    std::vector<Record> m_records;
};

std::string number(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    // Thousands separators for large integers.
    std::string s = text;
    const auto dot = s.find('.');
    std::string whole = s.substr(0, dot == std::string::npos ? s.size() : dot);
    const std::string rest = dot == std::string::npos ? std::string() : s.substr(dot);
    const bool negative = !whole.empty() && whole[0] == '-';
    if (negative) whole.erase(0, 1);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i != 0 && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    return (negative ? "-" : "") + grouped + rest;
}

std::string cell(const std::optional<double>& value, int decimals) { return value ? number(*value, decimals) : "—"; }

std::string ratio(const std::optional<double>& parley, const std::optional<double>& peer) {
    if (!parley || !peer || *peer == 0) return "—";
    char text[32];
    std::snprintf(text, sizeof text, "%.2f×", *parley / *peer);
    return text;
}

enum class Better { Higher, Lower };

/// The best of the given variants' values.
std::optional<double> best(const std::vector<std::optional<double>>& values, Better better) {
    std::optional<double> out;
    for (const auto& v : values) {
        if (!v) continue;
        if (!out || (better == Better::Higher ? *v > *out : *v < *out)) out = v;
    }
    return out;
}

struct Row {
    std::string title;
    std::string shape;
    Fields where;
    std::string key;
    int decimals;
    Better better;
};

void headline(std::ostream& out, const Results& results) {
    const std::vector<Row> rows = {
        {"1,000 pairs, W=16: delivered msgs/s", "pairs", pairsOf("1000", "16"), "msgs_per_s", 0, Better::Higher},
        {"1,000 pairs, W=1: delivered msgs/s", "pairs", pairsOf("1000", "1"), "msgs_per_s", 0, Better::Higher},
        {"100 pairs, W=16: delivered msgs/s", "pairs", pairsOf("100", "16"), "msgs_per_s", 0, Better::Higher},
        {"100 pairs, W=1: delivered msgs/s", "pairs", pairsOf("100", "1"), "msgs_per_s", 0, Better::Higher},
        {"1,000 pairs at 20k msg/s: p50 µs", "rate", ratePhase("20000"), "p50_us", 1, Better::Lower},
        {"1,000 pairs at 20k msg/s: p99 µs", "rate", ratePhase("20000"), "p99_us", 1, Better::Lower},
        {"1,000 pairs at 20k msg/s: p99.9 µs", "rate", ratePhase("20000"), "p999_us", 1, Better::Lower},
        {"1,000 pairs at 1k msg/s (machine nearly idle): p50 µs", "rate", ratePhase("1000"), "p50_us", 1,
         Better::Lower},
        {"1,000 pairs at 1k msg/s (machine nearly idle): p99 µs", "rate", ratePhase("1000"), "p99_us", 1,
         Better::Lower},
        {"idle: server memory per connection, KiB", "idle", {}, "kib_per_conn", 2, Better::Lower},
        {"server CPU per message, 1,000 pairs W=16, µs", "pairs", pairsOf("1000", "16"), "server_cpu_us_per_msg", 2,
         Better::Lower},
        {"server CPU per message, 1,000 pairs W=1, µs", "pairs", pairsOf("1000", "1"), "server_cpu_us_per_msg", 2,
         Better::Lower},
        {"server CPU per message at 20k msg/s, µs", "rate", ratePhase("20000"), "server_cpu_us_per_msg", 2,
         Better::Lower},
        {"server system calls per message, 1,000 pairs W=16 (probe run)", "probe", pairsOf("1000", "16"),
         "server_syscalls_per_msg", 2, Better::Lower},
        {"server system calls per message, 1,000 pairs W=1 (probe run)", "probe", pairsOf("1000", "1"),
         "server_syscalls_per_msg", 2, Better::Lower},
    };
    out << "| shape |";
    for (const auto& v : kVariants) out << ' ' << v.title << " |";
    out << " Parley ÷ best mosquitto | Parley ÷ nats-server |\n|---|";
    for (std::size_t i = 0; i < std::size(kVariants); ++i) out << "---:|";
    out << "---:|---:|\n";
    for (const Row& row : rows) {
        std::vector<std::optional<double>> values;
        for (const auto& v : kVariants) values.push_back(results.median(row.shape, v.label, row.where, row.key));
        if (std::none_of(values.begin(), values.end(), [](const auto& v) { return v.has_value(); })) continue;
        out << "| " << row.title << " |";
        for (const auto& v : values) out << ' ' << cell(v, row.decimals) << " |";
        const auto mosquitto = best({values[2], values[3]}, row.better);
        out << ' ' << ratio(values[0], mosquitto) << " | " << ratio(values[0], values[4]) << " |\n";
    }
    // Logins: Parley only.
    for (const char* cost : {"600000", "1000"}) {
        const auto logins = results.median("logins", "parley", {{"hash_iterations", cost}}, "logins_per_s");
        if (!logins) continue;
        out << "| logins/s at " << number(std::stod(cost), 0) << " PBKDF2 iterations | " << cell(logins, 1) << " |";
        for (std::size_t i = 1; i < std::size(kVariants); ++i) out << (i == 1 ? " — |" : " n/a |");
        out << " — | — |\n";
    }
    out << "| lost / duplicated / reordered messages, all runs |";
    for (const auto& v : kVariants) {
        const bool present =
            !results.select("pairs", v.label, {}).empty() || !results.select("rate", v.label, {}).empty();
        if (!present) {
            out << " — |";
            continue;
        }
        out << ' ' << number(results.sum(v.label, "lost"), 0) << " / " << number(results.sum(v.label, "duplicated"), 0)
            << " / " << number(results.sum(v.label, "reordered"), 0) << " |";
    }
    out << " | |\n\nRatios are Parley (its default: one I/O loop per core less one, at least one) ÷ peer (the better "
           "of mosquitto's two QoS levels): above 1 is better "
           "for messages/s, below 1 is better for latency, memory, CPU and system calls.\n";
}

/// Issue 18: each figure with TLS and without, for every server measured both ways
/// (labels X and X-tls), and the TLS targets.
void tlsTable(std::ostream& out, const Results& results) {
    const Variant pairs[] = {{"parley", "Parley"}, {"mqtt-qos0", "mosquitto QoS 0"}, {"nats", "nats-server"}};
    const std::vector<Row> rows = {
        {"1,000 pairs, W=16: delivered msgs/s", "pairs", pairsOf("1000", "16"), "msgs_per_s", 0, Better::Higher},
        {"1,000 pairs, W=1: delivered msgs/s", "pairs", pairsOf("1000", "1"), "msgs_per_s", 0, Better::Higher},
        {"1,000 pairs at 20k msg/s: p50 µs", "rate", ratePhase("20000"), "p50_us", 1, Better::Lower},
        {"1,000 pairs at 20k msg/s: p99 µs", "rate", ratePhase("20000"), "p99_us", 1, Better::Lower},
        {"server CPU per message, 1,000 pairs W=16, µs", "pairs", pairsOf("1000", "16"), "server_cpu_us_per_msg", 2,
         Better::Lower},
        {"idle: server memory per connection, KiB", "idle", {}, "kib_per_conn", 2, Better::Lower},
        {"logins/s at 1,000 PBKDF2 iterations",
         "logins",
         {{"hash_iterations", "1000"}},
         "logins_per_s",
         1,
         Better::Higher},
    };
    bool any = false;
    for (const auto& v : pairs)
        any = any || !results.select("pairs", std::string(v.label) + "-tls", {}).empty() ||
              !results.select("idle", std::string(v.label) + "-tls", {}).empty();
    if (!any) return;
    out << "\n### With TLS and without (issue 18)\n\n| shape |";
    for (const auto& v : pairs) out << ' ' << v.title << " | " << v.title << " TLS | TLS ÷ plain |";
    out << "\n|---|";
    for (std::size_t i = 0; i < std::size(pairs); ++i) out << "---:|---:|---:|";
    out << '\n';
    for (const Row& row : rows) {
        out << "| " << row.title << " |";
        for (const auto& v : pairs) {
            const auto plain = results.median(row.shape, v.label, row.where, row.key);
            const auto tls = results.median(row.shape, std::string(v.label) + "-tls", row.where, row.key);
            out << ' ' << cell(plain, row.decimals) << " | " << cell(tls, row.decimals) << " | " << ratio(tls, plain)
                << " |";
        }
        out << '\n';
    }
    const Fields w16 = pairsOf("1000", "16");
    const auto plain16 = results.median("pairs", "parley", w16, "msgs_per_s");
    const auto tls16 = results.median("pairs", "parley-tls", w16, "msgs_per_s");
    const auto idleTls = results.median("idle", "parley-tls", {}, "kib_per_conn");
    const auto natsIdleTls = results.median("idle", "nats-tls", {}, "kib_per_conn");
    const auto verdict = [](bool measured, bool met) {
        return !measured ? "not measured" : met ? "**met**" : "**NOT met**";
    };
    out << "\n| target (issue 18) | Parley | reference | met? |\n|---|---:|---:|---|\n";
    out << "| TLS costs at most 15 % of plaintext msgs/s at W=16 (1,000 pairs) | " << cell(tls16, 0) << " | "
        << (plain16 ? number(*plain16 * 0.85, 0) : std::string("—")) << " (85 % of plaintext " << cell(plain16, 0)
        << ") | " << verdict(tls16 && plain16, tls16 && plain16 && *tls16 >= 0.85 * *plain16) << " |\n";
    out << "| idle memory per TLS connection < ¼ of nats-server's with TLS | " << cell(idleTls, 2) << " KiB | "
        << (natsIdleTls ? number(*natsIdleTls / 4, 2) : std::string("—")) << " KiB (¼ of " << cell(natsIdleTls, 2)
        << ") | " << verdict(idleTls && natsIdleTls, idleTls && natsIdleTls && *idleTls < *natsIdleTls / 4) << " |\n";
}

void targets(std::ostream& out, const Results& results) {
    const auto m = [&](const std::string& shape, const char* label, const Fields& where, const std::string& key) {
        return results.median(shape, label, where, key);
    };
    const Fields w16 = pairsOf("1000", "16");
    const Fields w1 = pairsOf("1000", "1");
    struct Target {
        std::string what;
        std::optional<double> parley;
        std::optional<double> reference;
        std::string referenceText;
        bool higherIsBetter;
        int decimals;
    };
    const auto w16Peer =
        best({m("pairs", "nats", w16, "msgs_per_s"), m("pairs", "nats-acks", w16, "msgs_per_s")}, Better::Higher);
    const auto w1Peer = best({m("pairs", "mqtt-qos0", w1, "msgs_per_s"), m("pairs", "mqtt-qos1", w1, "msgs_per_s"),
                              m("pairs", "nats", w1, "msgs_per_s"), m("pairs", "nats-acks", w1, "msgs_per_s")},
                             Better::Higher);
    const auto idlePeer =
        best({m("idle", "mqtt-qos0", {}, "kib_per_conn"), m("idle", "mqtt-qos1", {}, "kib_per_conn")}, Better::Lower);
    const std::vector<Target> list = {
        {"1,000 pairs W=16 msgs/s ≥ nats-server's (best of its two variants)", m("pairs", "parley", w16, "msgs_per_s"),
         w16Peer, "nats-server", true, 0},
        {"1,000 pairs W=1 msgs/s ≥ both peers' (best variant)", m("pairs", "parley", w1, "msgs_per_s"), w1Peer,
         "best peer", true, 0},
        {"p99 at 20k msg/s ≤ 100 µs", m("rate", "parley", ratePhase("20000"), "p99_us"), 100.0, "100 µs", false, 1},
        {"idle memory per connection ≤ mosquitto's", m("idle", "parley", {}, "kib_per_conn"), idlePeer, "mosquitto",
         false, 2},
    };
    out << "| target (issue 6) | Parley | reference | met? |\n|---|---:|---:|---|\n";
    for (const Target& t : list) {
        std::string met = "not measured";
        if (t.parley && t.reference)
            met =
                (t.higherIsBetter ? *t.parley >= *t.reference : *t.parley <= *t.reference) ? "**met**" : "**NOT met**";
        out << "| " << t.what << " | " << cell(t.parley, t.decimals) << " | " << cell(t.reference, t.decimals) << " ("
            << t.referenceText << ") | " << met << " |\n";
    }
    const double bad = results.sum("parley", "lost") + results.sum("parley", "duplicated") +
                       results.sum("parley", "reordered") + results.sum("parley", "unacked") +
                       results.sum("parley", "stale");
    const auto w16PerCore = m("pairs", "parley-per-core", w16, "msgs_per_s");
    const auto w1PerCore = m("pairs", "parley-per-core", w1, "msgs_per_s");
    const auto p99PerCore = m("rate", "parley-per-core", ratePhase("20000"), "p99_us");
    const bool ran = !results.select("pairs", "parley", {}).empty();
    out << "| zero lost / duplicated / reordered / unacknowledged messages | " << (ran ? number(bad, 0) : "—")
        << " | 0 | "
        << (!ran       ? "not measured"
            : bad == 0 ? "**met**"
                       : "**NOT met**")
        << " |\n";
    if (w16PerCore || w1PerCore || p99PerCore) {
        out << "\nThe same server with one I/O loop per core (`--threads` = cores; messages between users on "
               "different loops are handed over): 1,000 pairs W=16 "
            << cell(w16PerCore, 0) << " msgs/s (" << ratio(w16PerCore, w16Peer) << " of nats-server), W=1 "
            << cell(w1PerCore, 0) << " msgs/s (" << ratio(w1PerCore, w1Peer) << " of the best peer), p99 at 20k msg/s "
            << cell(p99PerCore, 1) << " µs.\n";
    }
}

void details(std::ostream& out, const Results& results) {
    out << "| shape | server | P | W or rate | msgs/s | server CPU % | server µs/msg | client CPU % | client µs/msg | "
           "others' CPU % | "
           "p50 µs | p99 µs | p99.9 µs | lost/dup/reord "
           "|\n|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
    for (const char* shape : {"pairs", "rate"}) {
        for (const char* pairs : {"100", "1000"}) {
            // A window phase ("1", "16") or, for the rate shape, a rate ("=1000" msg/s).
            for (const char* phase : {"1", "16", "=1000", "=20000"}) {
                const bool isRate = phase[0] == '=';
                if ((std::string(shape) == "rate") != isRate) continue;
                for (const auto& v : kVariants) {
                    Fields where{{"pairs", pairs}};
                    if (isRate) where["rate"] = phase + 1;
                    else where["window"] = phase;
                    const auto records = results.select(shape, v.label, where);
                    if (records.empty()) continue;
                    const auto md = [&](const char* key) { return results.median(shape, v.label, where, key); };
                    double lost = 0, dup = 0, reord = 0;
                    for (const Record* r : records) {
                        lost += std::stod(r->get("lost").empty() ? "0" : r->get("lost"));
                        dup += std::stod(r->get("duplicated").empty() ? "0" : r->get("duplicated"));
                        reord += std::stod(r->get("reordered").empty() ? "0" : r->get("reordered"));
                    }
                    out << "| " << shape << " | " << v.title << " | " << pairs << " | "
                        << (isRate ? number(std::stod(phase + 1), 0) + " msg/s" : std::string("W=") + phase) << " | "
                        << cell(md("msgs_per_s"), 0) << " | " << cell(md("server_cpu_pct"), 0) << " | "
                        << cell(md("server_cpu_us_per_msg"), 2) << " | " << cell(md("client_cpu_pct"), 0) << " | "
                        << cell(md("client_cpu_us_per_msg"), 2) << " | " << cell(md("other_cpu_pct"), 0) << " | "
                        << cell(md("p50_us"), 1) << " | " << cell(md("p99_us"), 1) << " | " << cell(md("p999_us"), 1)
                        << " | " << number(lost, 0) << "/" << number(dup, 0) << "/" << number(reord, 0) << " |\n";
                }
            }
        }
    }
    out << "\n| idle | server | connections | setup s | logins or connects/s | RSS before KiB | RSS after KiB | "
           "KiB per connection |\n|---|---|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& v : kVariants) {
        if (results.select("idle", v.label, {}).empty()) continue;
        const auto md = [&](const char* key) { return results.median("idle", v.label, {}, key); };
        out << "| idle | " << v.title << " | " << cell(md("connections"), 0) << " | " << cell(md("setup_s"), 1) << " | "
            << cell(md("logins_per_s"), 0) << " | " << cell(md("rss_before_kib"), 0) << " | "
            << cell(md("rss_held_kib"), 0) << " | " << cell(md("kib_per_conn"), 2) << " |\n";
    }
    const auto logins600 = results.select("logins", "parley", {});
    if (!logins600.empty()) {
        out << "\n| logins | PBKDF2 iterations | accounts | logins/s | server CPU % | server CPU ms per login |\n"
               "|---|---:|---:|---:|---:|---:|\n";
        for (const char* cost : {"600000", "1000"}) {
            const Fields where{{"hash_iterations", cost}};
            if (results.select("logins", "parley", where).empty()) continue;
            const auto md = [&](const char* key) { return results.median("logins", "parley", where, key); };
            out << "| Parley | " << number(std::stod(cost), 0) << " | " << cell(md("accounts"), 0) << " | "
                << cell(md("logins_per_s"), 1) << " | " << cell(md("server_cpu_pct"), 0) << " | "
                << cell(md("server_cpu_ms_per_login"), 2) << " |\n";
        }
    }
}

void plotData(const std::string& dir, const Results& results) {
    std::ofstream throughput(dir + "/throughput.dat");
    throughput << "config";
    for (const auto& v : kVariants) throughput << " \"" << v.title << "\"";
    throughput << "\n";
    for (const char* pairs : {"100", "1000"}) {
        for (const char* window : {"1", "16"}) {
            throughput << "\"" << pairs << "p W=" << window << "\"";
            for (const auto& v : kVariants) {
                const auto value =
                    results.median("pairs", v.label, {{"pairs", pairs}, {"window", window}}, "msgs_per_s");
                throughput << ' ' << (value ? std::to_string(*value) : "NaN");
            }
            throughput << "\n";
        }
    }
    std::ofstream latency(dir + "/latency.dat");
    latency << "percentile";
    for (const auto& v : kVariants) latency << " \"" << v.title << "\"";
    latency << "\n";
    for (const auto& [key, title] : {std::pair{"p50_us", "p50"}, {"p99_us", "p99"}, {"p999_us", "p99.9"}}) {
        latency << '"' << title << '"';
        for (const auto& v : kVariants) {
            const auto value = results.median("rate", v.label, ratePhase("20000"), key);
            latency << ' ' << (value ? std::to_string(*value) : "NaN");
        }
        latency << "\n";
    }
}

}  // namespace

int runReport(int argc, char** argv) {
    std::string in, machine, command, plotDir;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--in") in = argv[i + 1];
        else if (flag == "--machine") machine = argv[i + 1];
        else if (flag == "--command") command = argv[i + 1];
        else if (flag == "--plot-dir") plotDir = argv[i + 1];
        else {
            std::cerr << "parley-bench report: unknown option " << flag << "\n";
            return 64;
        }
    }
    std::ifstream file(in);
    if (!file) {
        std::cerr << "parley-bench report: cannot read " << in << "\n";
        return 64;
    }
    Results results;
    std::string line;
    while (std::getline(file, line)) {
        std::istringstream words(line);
        std::string word;
        Record record;
        bool isResult = false;
        while (words >> word) {
            if (word == "result") {
                isResult = true;
                continue;
            }
            const auto eq = word.find('=');
            if (eq == std::string::npos) continue;
            const std::string key = word.substr(0, eq);
            const std::string value = word.substr(eq + 1);
            if (key == "run") record.run = std::stoi(value);
            else record.fields[key] = value;
        }
        if (isResult) results.add(std::move(record));
    }

    std::ostream& out = std::cout;
    out << "Medians of " << results.runs() << " run(s). Generated by `scripts/bench`";
    if (!command.empty()) out << " as `" << command << "`";
    out << ".\n\n";
    if (!machine.empty()) {
        std::ifstream text(machine);
        out << text.rdbuf() << "\n";
    }
    {
        std::vector<double> others;
        for (const Record* r : results.all()) {
            const std::string v = r->get("other_cpu_pct");
            if (!v.empty() && v != "-" && r->run > 0) others.push_back(std::stod(v));
        }
        if (!others.empty()) {
            std::sort(others.begin(), others.end());
            const std::size_t quiet =
                static_cast<std::size_t>(std::count_if(others.begin(), others.end(), [](double v) { return v < 10; }));
            out << "Other processes on the machine (neither the server under test nor parley-bench) used "
                << number(others[others.size() / 2], 0) << " % of a core during the median measurement (range "
                << number(others.front(), 0) << "–" << number(others.back(), 0) << " %, 200 % = both cores; " << quiet
                << " of " << others.size() << " measurements under 10 %). "
                << "The column *others' CPU %* below shows it per row.\n\n";
        }
    }
    out << "### Headline\n\n";
    headline(out, results);
    tlsTable(out, results);
    out << "\n### Targets of issue 6\n\n";
    targets(out, results);
    out << "\n### Every measurement (medians)\n\n";
    details(out, results);
    out << "\n<details><summary>Raw result lines</summary>\n\n```\n";
    std::ifstream raw(in);
    while (std::getline(raw, line))
        if (line.find(" result ") != std::string::npos) out << line << "\n";
    out << "```\n\n</details>\n";
    if (!plotDir.empty()) plotData(plotDir, results);

    bool failed = false;
    for (const Record* r : results.all())
        if (r->get("status") != "ok") failed = true;
    return failed ? 1 : 0;
}

}  // namespace parley::bench

#pragma once
// Statistics and the report: a latency histogram, and the one-line results
// (`result key=value ...`) that scripts/bench collects into docs/benchmarks.md.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace parley::bench {

/// Log-linear histogram of nanosecond values: 64 sub-buckets per power of two,
/// so a percentile is exact to about 1.6 %. Fixed size, no allocation when
/// recording. Not thread-safe: one per loop, merged afterwards.
class Histogram {
public:
    Histogram();
    void record(std::uint64_t ns);
    void merge(const Histogram& other);
    void reset();
    std::uint64_t count() const { return m_count; }
    /// The value below which `fraction` (0..1) of the samples lie, in µs; 0 if empty.
    double percentileUs(double fraction) const;
    double maxUs() const { return static_cast<double>(m_max) / 1000.0; }

private:
    static constexpr unsigned kSubBits = 6;
    static constexpr std::size_t kSub = std::size_t{1} << kSubBits;
    static std::size_t indexOf(std::uint64_t ns);
    static double midpointOf(std::size_t index);

    std::vector<std::uint64_t> m_buckets;
    std::uint64_t m_count = 0;
    std::uint64_t m_max = 0;
};

/// One `result k=v k=v ...` line on stdout. Keys and values must not contain
/// spaces (values are sanitised).
class ResultLine {
public:
    explicit ResultLine(std::string shape);
    ResultLine& add(const std::string& key, const std::string& value);
    ResultLine& add(const std::string& key, double value, int decimals = 2);
    ResultLine& add(const std::string& key, std::uint64_t value);
    void print() const;

private:
    std::vector<std::pair<std::string, std::string>> m_fields;
};

/// Progress and diagnostics go to stderr, results to stdout.
void note(const std::string& text);

}  // namespace parley::bench

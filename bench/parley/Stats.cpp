#include "bench/parley/Stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <sstream>

namespace parley::bench {

Histogram::Histogram() : m_buckets(kSub * 64, 0) {}

std::size_t Histogram::indexOf(std::uint64_t ns) {
    if (ns < kSub) return static_cast<std::size_t>(ns);
    unsigned exponent = 63;
    while ((ns >> exponent) == 0) --exponent;  // floor(log2 ns) >= kSubBits
    const unsigned shift = exponent - kSubBits;
    const std::uint64_t mantissa = (ns >> shift) - kSub;  // 0 .. kSub-1
    return kSub + (exponent - kSubBits) * kSub + static_cast<std::size_t>(mantissa);
}

double Histogram::midpointOf(std::size_t index) {
    if (index < kSub) return static_cast<double>(index);
    const std::size_t shift = (index - kSub) / kSub;
    const std::size_t mantissa = (index - kSub) % kSub;
    const double low = std::ldexp(static_cast<double>(kSub + mantissa), static_cast<int>(shift));
    const double width = std::ldexp(1.0, static_cast<int>(shift));
    return low + width / 2;
}

void Histogram::record(std::uint64_t ns) {
    ++m_buckets[indexOf(ns)];
    ++m_count;
    m_max = std::max(m_max, ns);
}

void Histogram::merge(const Histogram& other) {
    for (std::size_t i = 0; i < m_buckets.size(); ++i) m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_max = std::max(m_max, other.m_max);
}

void Histogram::reset() {
    std::fill(m_buckets.begin(), m_buckets.end(), 0);
    m_count = 0;
    m_max = 0;
}

double Histogram::percentileUs(double fraction) const {
    if (m_count == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(m_count)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= std::max<std::uint64_t>(rank, 1))
            return std::min(midpointOf(i), static_cast<double>(m_max)) / 1000.0;
    }
    return maxUs();
}

ResultLine::ResultLine(std::string shape) { m_fields.emplace_back("shape", std::move(shape)); }

ResultLine& ResultLine::add(const std::string& key, const std::string& value) {
    std::string clean = value;
    for (char& c : clean)
        if (c == ' ' || c == '\t' || c == '\n') c = '_';
    m_fields.emplace_back(key, clean.empty() ? "-" : clean);
    return *this;
}

ResultLine& ResultLine::add(const std::string& key, double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return add(key, std::string(text));
}

ResultLine& ResultLine::add(const std::string& key, std::uint64_t value) { return add(key, std::to_string(value)); }

void ResultLine::print() const {
    std::ostringstream line;
    line << "result";
    for (const auto& [key, value] : m_fields) line << ' ' << key << '=' << value;
    std::cout << line.str() << std::endl;
}

void note(const std::string& text) {
    static std::mutex mutex;
    std::lock_guard<std::mutex> lock(mutex);
    std::cerr << "parley-bench: " << text << std::endl;
}

}  // namespace parley::bench

#pragma once
// Descriptor limits for the tests that need many sockets or none left. CMake builds
// ResourceLimitsPosix.cpp or ResourceLimitsNone.cpp; DescriptorExhaustion exists on POSIX only
// (its one test, DescriptorExhaustionTest.cpp, is built there alone).

#include <cstddef>
#include <vector>

namespace parley::net::test {

/// Raises the soft RLIMIT_NOFILE towards the hard limit so at least `wanted` descriptors
/// can be open; returns the resulting soft limit (or `wanted` where there are no limits).
std::size_t raiseOpenFileLimit(std::size_t wanted);

/// Uses up every free descriptor of the process (after lowering the soft limit so that
/// takes few), until release() or destruction restores both.
class DescriptorExhaustion {
public:
    DescriptorExhaustion();
    ~DescriptorExhaustion();
    DescriptorExhaustion(const DescriptorExhaustion&) = delete;
    DescriptorExhaustion& operator=(const DescriptorExhaustion&) = delete;

    /// True if the descriptor table is now full.
    bool exhausted() const { return m_exhausted; }
    void release();

private:
    std::vector<int> m_fillers;
    unsigned long long m_savedSoftLimit = 0;
    bool m_exhausted = false;
    bool m_active = false;
};

}  // namespace parley::net::test

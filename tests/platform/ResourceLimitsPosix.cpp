#include "tests/platform/ResourceLimits.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace parley::net::test {

namespace {
constexpr rlim_t kExhaustionHeadroom = 64;
}

std::size_t raiseOpenFileLimit(std::size_t wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 0;
    }
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, std::max<rlim_t>(wanted, limit.rlim_cur));
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return static_cast<std::size_t>(limit.rlim_cur);
}

DescriptorExhaustion::DescriptorExhaustion() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return;
    }
    m_savedSoftLimit = limit.rlim_cur;
    m_active = true;
    // Lower the limit to just above the highest descriptor in use, so filling is quick.
    const int probe = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (probe >= 0) {
        ::close(probe);
    }
    rlimit lowered = limit;
    lowered.rlim_cur = std::min<rlim_t>(limit.rlim_cur, static_cast<rlim_t>(std::max(probe, 0)) + kExhaustionHeadroom);
    ::setrlimit(RLIMIT_NOFILE, &lowered);
    for (;;) {
        const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            m_exhausted = errno == EMFILE;
            break;
        }
        m_fillers.push_back(fd);
    }
}

DescriptorExhaustion::~DescriptorExhaustion() { release(); }

void DescriptorExhaustion::release() {
    for (const int fd : m_fillers) {
        ::close(fd);
    }
    m_fillers.clear();
    if (m_active) {
        rlimit limit{};
        ::getrlimit(RLIMIT_NOFILE, &limit);
        limit.rlim_cur = static_cast<rlim_t>(m_savedSoftLimit);
        ::setrlimit(RLIMIT_NOFILE, &limit);
        m_active = false;
    }
    m_exhausted = false;
}

}  // namespace parley::net::test

#include "tests/platform/ResourceLimits.h"

namespace parley::net::test {

std::size_t raiseOpenFileLimit(std::size_t wanted)
{
    return wanted;
}

bool DescriptorExhaustion::supported()
{
    return false;
}

DescriptorExhaustion::DescriptorExhaustion() = default;

DescriptorExhaustion::~DescriptorExhaustion() = default;

void DescriptorExhaustion::release() {}

} // namespace parley::net::test

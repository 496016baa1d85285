#pragma once
// What /proc says about a process (Linux): resident memory and CPU time. On a
// system without /proc every reader returns -1 and the report leaves it out.

#include <string>

namespace parley::bench {

/// VmRSS of `pid` ("self", a number, or "PID,PID,...": summed), KiB.
long residentKiB(const std::string& pid);

/// utime + stime of every thread of `pid` so far, seconds (clock ticks / clkTck); a list
/// "PID,PID,..." is summed.
double cpuSeconds(const std::string& pid, long clkTck);

/// CPU time the whole machine spent busy so far (every CPU; user, nice, system,
/// irq, softirq, steal from /proc/stat), seconds, or -1.
double machineBusySeconds(long clkTck);

/// Counts the system calls of every thread of `pid` for `seconds` with
/// `perf stat -e raw_syscalls:sys_enter` (a software tracepoint: no hardware
/// counters needed). Blocks for `seconds`; -1 if perf is missing or refused.
/// (/proc/PID/io's syscr/syscw would be cheaper but miss send/recv.)
long long countSyscalls(const std::string& pid, double seconds);

/// A CPU-time reading taken at two moments.
class CpuMeter {
public:
    CpuMeter(std::string pid, long clkTck) : m_pid(std::move(pid)), m_clkTck(clkTck) {}
    void start() { m_start = cpuSeconds(m_pid, m_clkTck); }
    /// CPU seconds since start(), or -1.
    double elapsed() const;
    bool enabled() const { return !m_pid.empty() && m_pid != "0"; }

private:
    std::string m_pid;
    long m_clkTck;
    double m_start = -1;
};

}  // namespace parley::bench

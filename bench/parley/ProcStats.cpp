#include "bench/parley/ProcStats.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace parley::bench {

namespace {

/// `read` of every pid of "PID,PID,..." summed; -1 if one is unreadable.
template <typename T, typename Read>
T sumOverPids(const std::string& pids, Read read) {
    T total = 0;
    std::istringstream in(pids);
    std::string pid;
    while (std::getline(in, pid, ',')) {
        const T value = read(pid);
        if (value < 0) return -1;
        total += value;
    }
    return total;
}

long residentKiBOf(const std::string& pid) {
    std::ifstream status("/proc/" + pid + "/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            long kib = 0;
            if (status >> kib) return kib;
            return -1;
        }
        status.ignore(4096, '\n');
    }
    return -1;
}

double cpuSecondsOf(const std::string& pid, long clkTck) {
    std::ifstream file("/proc/" + pid + "/stat");
    std::string line;
    if (!std::getline(file, line)) return -1;
    // The command name (field 2) may hold spaces and parentheses: skip past the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream rest(line.substr(close + 1));
    std::string field;
    // Fields after the name start at 3 (state); utime is 14, stime 15.
    double utime = 0;
    double stime = 0;
    for (int index = 3; index <= 15 && rest >> field; ++index) {
        if (index == 14) utime = std::stod(field);
        if (index == 15) stime = std::stod(field);
    }
    if (!rest) return -1;
    return (utime + stime) / static_cast<double>(clkTck);
}

}  // namespace

long residentKiB(const std::string& pid) { return sumOverPids<long>(pid, residentKiBOf); }

double cpuSeconds(const std::string& pid, long clkTck) {
    return sumOverPids<double>(pid, [clkTck](const std::string& one) { return cpuSecondsOf(one, clkTck); });
}

double machineBusySeconds(long clkTck) {
    std::ifstream file("/proc/stat");
    std::string cpu;
    if (!(file >> cpu) || cpu != "cpu") return -1;
    // user nice system idle iowait irq softirq steal
    double values[8] = {};
    for (double& value : values)
        if (!(file >> value)) return -1;
    const double busy = values[0] + values[1] + values[2] + values[5] + values[6] + values[7];
    return busy / static_cast<double>(clkTck);
}

long long countSyscalls(const std::string& pid, double seconds) {
    const std::string out = "/tmp/parley-bench-syscalls-" + pid + "-" + std::to_string(seconds) + ".csv";
    std::ostringstream command;
    command << "perf stat -x, -e raw_syscalls:sys_enter -p " << pid << " -o " << out << " -- sleep " << seconds
            << " >/dev/null 2>&1";
    if (std::system(command.str().c_str()) != 0) return -1;
    std::ifstream file(out);
    std::string line;
    long long count = -1;
    while (std::getline(file, line)) {
        if (line.find("raw_syscalls:sys_enter") == std::string::npos) continue;
        try {
            count = std::stoll(line.substr(0, line.find(',')));
        } catch (...) {
            count = -1;
        }
    }
    std::remove(out.c_str());
    return count;
}

double CpuMeter::elapsed() const {
    if (m_start < 0) return -1;
    const double now = cpuSeconds(m_pid, m_clkTck);
    return now < 0 ? -1 : now - m_start;
}

}  // namespace parley::bench

#include "client-cli/LineReader.h"

#include <iostream>
#include <mutex>
#include <thread>
#include <utility>

namespace parley::client {

struct LineReader::Shared {
    std::mutex mutex;  // held while the callback runs, so stop() waits for a call in progress
    LineCallback callback;

    void hand(std::optional<std::string> line) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (callback) {
            callback(std::move(line));
        }
    }
};

LineReader::~LineReader() { stop(); }

void LineReader::start(LineCallback callback) {
    if (m_shared) {
        return;
    }
    m_shared = std::make_shared<Shared>();
    m_shared->callback = std::move(callback);
    std::thread([shared = m_shared] {
        std::string line;
        while (std::getline(std::cin, line)) {
            shared->hand(line);
        }
        shared->hand(std::nullopt);
    }).detach();
}

void LineReader::stop() {
    if (m_shared) {
        const std::lock_guard<std::mutex> lock(m_shared->mutex);
        m_shared->callback = nullptr;
    }
}

}  // namespace parley::client

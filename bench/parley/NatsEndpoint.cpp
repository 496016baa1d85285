#include "bench/parley/NatsEndpoint.h"

#include <charconv>
#include <cstring>
#include <string_view>

namespace parley::bench {
namespace {

std::size_t putDecimal(char* out, std::uint64_t value) {
    const auto result = std::to_chars(out, out + 24, value);
    return static_cast<std::size_t>(result.ptr - out);
}

bool parseDecimal(std::string_view text, std::uint64_t& value) {
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

}  // namespace

NatsEndpoint::NatsEndpoint(Shared& shared, net::Reactor& loop, std::uint32_t index)
    : Endpoint(shared, loop, index), m_acks(shared.options.natsAcks) {}

void NatsEndpoint::connected() {
    if (m_shared.tls) {
        m_awaitingInfo = true;  // upgrade first, then CONNECT through TLS
        return;
    }
    sayHello();
}

void NatsEndpoint::sayHello() {
    std::string hello = "CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"pb" + std::to_string(m_index) +
                        "\"}\r\nSUB u." + std::to_string(m_index) + " 1\r\n";
    if (m_acks) hello += "SUB a." + std::to_string(m_index) + " 2\r\n";
    hello += "PING\r\n";
    send(hello);
}

void NatsEndpoint::sendChat(std::uint32_t to, const PayloadFields& payload) {
    PrebuiltFrame& frame = m_frame;
    if (frame.fits(to, payload)) {
        frame.patch(payload);
    } else {
        std::size_t n = 0;
        std::memcpy(frame.bytes, "PUB u.", 6);
        n = 6;
        n += putDecimal(frame.bytes + n, to);
        std::memcpy(frame.bytes + n, " 64\r\n", 5);
        n += 5;
        frame.payloadAt = n;
        writePayload(frame.bytes + n, payload);
        n += kPayloadSize;
        frame.bytes[n++] = '\r';
        frame.bytes[n++] = '\n';
        frame.size = n;
        frame.remember(to, payload);
    }
    send(std::string_view(frame.bytes, frame.size));
}

void NatsEndpoint::received(net::Buffer& input) {
    if (m_awaitingInfo) {
        const auto* end = static_cast<const char*>(std::memchr(input.peek(), '\n', input.readableBytes()));
        if (end == nullptr) return;  // the INFO line is not all here yet
        input.retrieveAll();         // nothing follows INFO before the client's ClientHello
        m_awaitingInfo = false;
        startTls();
        sayHello();
        return;
    }
    const char* data = input.peek();
    const std::size_t size = input.readableBytes();
    std::size_t used = 0;
    while (used < size) {
        const char* line = data + used;
        const auto* end = static_cast<const char*>(std::memchr(line, '\n', size - used));
        if (end == nullptr) break;
        std::size_t lineSize = static_cast<std::size_t>(end - line);
        if (lineSize > 0 && line[lineSize - 1] == '\r') --lineSize;
        const std::string_view text(line, lineSize);
        const std::size_t lineTotal = static_cast<std::size_t>(end - line) + 1;
        if (text.size() >= 4 && text.compare(0, 4, "MSG ") == 0) {
            // MSG <subject> <sid> [reply-to] <#bytes>
            std::string_view fields[5];
            std::size_t count = 0;
            std::size_t pos = 4;
            while (pos < text.size() && count < 5) {
                const std::size_t space = text.find(' ', pos);
                const std::size_t stop = space == std::string_view::npos ? text.size() : space;
                if (stop > pos) fields[count++] = text.substr(pos, stop - pos);
                pos = stop + 1;
            }
            std::uint64_t bytes = 0;
            std::uint64_t sid = 0;
            if (count < 3 || !parseDecimal(fields[count - 1], bytes) || !parseDecimal(fields[1], sid)) {
                fail("malformed MSG line");
                return;
            }
            if (used + lineTotal + bytes + 2 > size) break;  // payload not all here yet
            handleMessage(static_cast<std::uint32_t>(sid), line + lineTotal, static_cast<std::size_t>(bytes));
            used += lineTotal + static_cast<std::size_t>(bytes) + 2;
            continue;
        }
        used += lineTotal;
        if (text == "PING") {
            m_out += "PONG\r\n";
        } else if (text == "PONG") {
            if (!m_ready) ready();
        } else if (text.size() >= 4 && text.compare(0, 4, "-ERR") == 0) {
            m_shared.noteError("nats: " + std::string(text));
        }
        // INFO, +OK: nothing to do
    }
    input.retrieve(used);

    for (SenderCount& sender : m_senders) {
        if (!sender.dirty) continue;
        sender.dirty = false;
        char ack[64];
        char count[24];
        const std::size_t countSize = putDecimal(count, sender.count);
        std::size_t n = 0;
        std::memcpy(ack, "PUB a.", 6);
        n = 6;
        n += putDecimal(ack + n, sender.sender);
        ack[n++] = ' ';
        n += putDecimal(ack + n, countSize);
        ack[n++] = '\r';
        ack[n++] = '\n';
        std::memcpy(ack + n, count, countSize);
        n += countSize;
        ack[n++] = '\r';
        ack[n++] = '\n';
        m_out.append(ack, n);
    }
    if (!m_out.empty()) {
        send(m_out);
        m_out.clear();
    }
    if (m_ackedThisRead != 0 && m_listener) {
        const std::uint64_t acked = m_ackedThisRead;
        m_ackedThisRead = 0;
        m_listener->onAcked(*this, acked);
    }
}

void NatsEndpoint::handleMessage(std::uint32_t sid, const char* payload, std::size_t size) {
    if (sid == 2) {
        std::uint64_t total = 0;
        if (!parseDecimal(std::string_view(payload, size), total)) return fail("malformed ack");
        if (total > m_ackedTotal) {
            m_ackedThisRead += total - m_ackedTotal;
            m_ackedTotal = total;
        }
        return;
    }
    PayloadFields fields;
    if (!readPayload(payload, size, fields)) return;
    fields.arrivedNs = m_readNs;
    if (m_acks) {
        bool found = false;
        for (SenderCount& sender : m_senders) {
            if (sender.sender == fields.from) {
                ++sender.count;
                sender.dirty = true;
                found = true;
            }
        }
        if (!found) m_senders.push_back({fields.from, 1, true});
    }
    if (m_listener) m_listener->onChat(*this, fields);
}

}  // namespace parley::bench

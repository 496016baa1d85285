#include "bench/parley/ParleyRegistrar.h"

#include "bench/parley/ParleyWire.h"

#include <chrono>

namespace parley::bench {

ParleyRegistrar::ParleyRegistrar(Shared& shared, net::Reactor& loop, std::uint32_t index)
    : Endpoint(shared, loop, index), m_lastId(messageIdBase()) {}

void ParleyRegistrar::connected() { registerNext(); }

void ParleyRegistrar::registerNext() {
    const std::size_t next = m_shared.nextToRegister.fetch_add(1);
    if (next >= m_shared.registerEnd) {
        m_done = true;
        if (m_connection) m_connection->close();
        ready();
        return;
    }
    m_name = userName(m_shared.options, next);
    sendRegister();
}

void ParleyRegistrar::sendRegister() {
    send(encodeFrame(0, ++m_lastId, proto::Register{m_name, m_shared.options.password, std::string()}));
}

void ParleyRegistrar::received(net::Buffer& input) {
    proto::ProtocolError error = proto::ProtocolError::None;
    bool next = false;
    const bool ok = forEachFrame(
        input,
        [&](const proto::FrameView& frame) {
            if (frame.header.messageType() == proto::MessageType::Error) {
                m_shared.noteError("register: " + errorText(frame));
                return;
            }
            if (frame.header.messageType() != proto::MessageType::RegisterResult) return;
            proto::Body body;
            if (proto::decodePayload(frame.header, frame.payload, frame.payloadSize, body) !=
                proto::ProtocolError::None) {
                fail("malformed REGISTER_RESULT");
                return;
            }
            const auto& result = std::get<proto::RegisterResult>(body);
            if (result.status == proto::AuthStatus::Ok) {
                m_shared.registered.fetch_add(1);
            } else if (result.status == proto::AuthStatus::UsernameTaken) {
                m_shared.alreadyThere.fetch_add(1);
            } else if (result.status == proto::AuthStatus::Throttled) {
                // The server's password-check queue is full: the same name again in
                // a second (the loop stops before the registrar is destroyed).
                loop().runAfter(std::chrono::seconds(1), [this] { sendRegister(); });
                return;
            } else {
                fail(std::string("register refused: ") + proto::toString(result.status) + " " + result.text);
                return;
            }
            next = true;
        },
        error);
    if (!ok) {
        fail(std::string("framing error: ") + proto::toString(error));
        return;
    }
    if (next && !m_failed) registerNext();
}

}  // namespace parley::bench

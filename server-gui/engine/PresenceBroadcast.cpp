#include "server-gui/engine/PresenceBroadcast.h"

#include "server-gui/engine/ServerCore.h"
#include "server-gui/engine/SessionLoop.h"
#include "shared/proto/Codec.h"

#include <memory>

namespace parley::server {

void fanOutPresence(ServerCore& core, const proto::Presence& presence, bool known) {
    const auto bytes = proto::encode(proto::Header{}, proto::Body{presence});
    auto frame = std::make_shared<const std::string>(bytes.begin(), bytes.end());
    const proto::ContactState change{presence.contact.userId, presence.contact.state};
    for (net::Reactor* loop : core.ioLoops) {
        loop->runInLoop([loop, frame, change, known] { SessionLoop::of(*loop).queuePresence(*frame, change, known); });
    }
}

}  // namespace parley::server

#pragma once
// The "last login" times waiting to be written, so that many logins share one
// store job and one transaction (one disk sync) instead of one each: after a
// server restart thousands of clients log in within seconds.
//
// No timer: the first login while nothing is pending asks its caller to submit a
// store job; logins that arrive while that job waits in the store's queue join
// it; the job takes them all when it runs. Quiet servers write each login at once,
// busy ones in batches as large as the queue's wait.
//
// Thread-safe: logins complete on every I/O loop, the job runs on a store worker.

#include "db/StoreTypes.h"

#include <mutex>
#include <unordered_map>
#include <vector>

namespace parley::server {

class LoginTimes {
public:
    /// Adds (or moves forward) `user`'s time. True: the caller submits a job that
    /// calls take(); false: one is already on its way and will take this too.
    bool add(db::UserId user, std::int64_t atMs);
    /// Everything pending, for the job to write; the next add() asks for a new job.
    std::vector<db::LoginTime> take();

private:
    std::mutex m_mutex;
    std::unordered_map<db::UserId, std::int64_t> m_pending;
    bool m_jobQueued = false;
};

}  // namespace parley::server

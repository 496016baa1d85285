#include "db/Store.h"

#include "db/SqlConnection.h"
#include "db/SqlStore.h"

namespace parley::db {

ValueResult<std::unique_ptr<Store>> openStore(const std::string& connectionString, const OpenOptions& options) {
    ValueResult<ConnectionSpec> spec = parseConnectionString(connectionString);
    if (!spec.ok()) return spec.result();
    auto store = std::make_unique<SqlStore>(std::move(spec.value), options);
    if (options.connectNow) {
        if (Result r = store->ensureConnected(); !r.ok()) return r;
    }
    return std::unique_ptr<Store>(std::move(store));
}

void prepareStoreThreads() { SqlConnection::prepareProcess(); }

}  // namespace parley::db

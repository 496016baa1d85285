#include "tests/db/TestDatabase.h"

namespace parley::db::test {
const TestBackend kBackend = TestBackend::Sqlite;
}

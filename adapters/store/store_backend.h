// StoreBackend: the databases the SOCI store runs on. A value type; every
// part of the store that differs by database (the URL, the dialect, the
// migrations) is chosen by it.
#pragma once

namespace credflow::adapters {

enum class StoreBackend { kSqlite, kPostgresql };

}  // namespace credflow::adapters

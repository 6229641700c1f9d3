// RunPipelined: a transaction's held writes sent to PostgreSQL in one round
// trip, in libpq's pipeline mode (PostgreSQL 14+ libpq), below SOCI.
//
// A filing's unit of work ends in about ten writes (two cases, their
// history, three notices, a timer, the stored answer). Sent one statement
// at a time, each is a round trip: a wake-up of the server's backend and of
// the client, about 60 µs of backend CPU on a loaded machine
// (tests/bench/README.md). In a pipeline, BEGIN and every write go out
// together, followed by one Sync, and their results come back together.
//
// Each write runs as a statement prepared on the connection for pipelines
// (a name of its own, `cfp_N`, kept in the connection's StatementCache); a
// text seen for the first time is prepared in the same pipeline. A write's
// row count is checked against its DeferredWrite bounds.
//
// An error stops the pipeline: PostgreSQL skips every later statement up to
// the Sync, and an explicit transaction is left aborted, so the caller rolls
// it back. A row count out of bounds is not an error to the server; the
// statements after it still run, and the caller rolls back too. Nothing is
// committed here: the caller commits when no write failed.
//
// Threading: the caller holds the connection's lease. Blocking mode, so the
// number of writes in one pipeline is bounded (kMaxPipelinedWrites): their
// small results must fit the socket buffers while the client still sends.
#pragma once

#include <cstddef>
#include <exception>
#include <optional>
#include <vector>

#include "adapters/store/prepared_statement.h"

namespace credflow::adapters {

// The first write of a batch that failed: its index, and the database's
// error (a soci::postgresql_soci_error with its SQLSTATE), or none when it
// ran but changed a number of rows out of its bounds.
struct BatchFailure {
  std::size_t index = 0;
  std::exception_ptr error;
};

constexpr std::size_t kMaxPipelinedWrites = 2000;

// Sends `begin` (when not null) and `writes` in one pipeline and reads every
// result. Returns the first failed write, or nullopt when all ran within
// their bounds. Throws soci::postgresql_soci_error when the connection fails
// or `begin` fails. REQUIRES: `conn` is a PostgreSQL connection, idle, and
// writes.size() <= kMaxPipelinedWrites.
std::optional<BatchFailure> RunPipelined(Connection& conn, const char* begin,
                                         const std::vector<const DeferredWrite*>& writes);

// `text` with SOCI's named placeholders (:name) turned into PostgreSQL's
// positional ones ($1, $2, ... in order of appearance), leaving casts (::)
// and quoted literals alone. Exposed for tests.
std::string PositionalPlaceholders(const std::string& text);

}  // namespace credflow::adapters

#include "adapters/store/tables/idempotency_table.h"

#include "adapters/store/rows.h"

namespace credflow::adapters {

using engine::StoredResponse;
using engine::Timestamp;

std::optional<StoredResponse> IdempotencyTable::Find(const std::string& key) {
  ResponseRow row;
  Query q(conn_, std::string("SELECT ") + kResponseColumns + " FROM idempotency WHERE key = :key");
  row.Bind(q);
  q.Use(key).Start();
  if (!q.Next()) return std::nullopt;
  return row.ToResponse();
}

bool IdempotencyTable::Put(const StoredResponse& r, Timestamp now) {
  Query q(conn_,
          "INSERT INTO idempotency (key, request_hash, case_id, response, created_at) "
          "VALUES (:key, :request_hash, :case_id, :response, :created_at) "
          "ON CONFLICT (key) DO NOTHING");
  q.Use(r.key).Use(r.request_hash).Use(r.case_id).Use(r.response).Use(now);
  return q.Write(1, 1);
}

}  // namespace credflow::adapters

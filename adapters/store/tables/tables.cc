#include "adapters/store/tables/tables.h"

#include <stdexcept>

namespace credflow::adapters {

void Tables::Ping() {
  int one = 0;
  Query q(conn_, "SELECT 1");
  q.Into(one).Start();
  if (!q.Next() || one != 1) throw std::runtime_error("SELECT 1 did not answer 1");
}

}  // namespace credflow::adapters

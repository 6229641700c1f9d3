// The placeholders of a pipelined statement (adapters/store/postgresql/pipeline.h).
#include "adapters/store/postgresql/pipeline.h"

#include <gtest/gtest.h>

namespace credflow::adapters {
namespace {

TEST(PipelinePlaceholdersTest, NamedPlaceholdersBecomePositionalInOrder) {
  EXPECT_EQ(PositionalPlaceholders("UPDATE cases SET state = :state, data = :data WHERE id = :id AND version = :v0"),
            "UPDATE cases SET state = $1, data = $2 WHERE id = $3 AND version = $4");
  // A name used twice is two parameters, as SOCI binds it (by position).
  EXPECT_EQ(PositionalPlaceholders("VALUES (:case_id1, :seq1), (:case_id1, :seq2)"), "VALUES ($1, $2), ($3, $4)");
}

TEST(PipelinePlaceholdersTest, CastsQuotedTextAndLoneColonsStay) {
  EXPECT_EQ(PositionalPlaceholders("SELECT :a::text, ':not_a_name', \"col:x\", 1 : 2, :b"),
            "SELECT $1::text, ':not_a_name', \"col:x\", 1 : 2, $2");
  EXPECT_EQ(PositionalPlaceholders("SELECT 'unterminated :x"), "SELECT 'unterminated :x");
}

}  // namespace
}  // namespace credflow::adapters

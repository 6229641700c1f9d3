// Records and fields of a CSV file (adapters/import/csv_reader.h).
#include "adapters/import/csv_reader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace credflow::adapters::importer {
namespace {

std::vector<CsvRecord> Records(const std::string& text) {
  std::istringstream in(text);
  return ReadCsvRecords(in);
}

TEST(CsvReaderTest, AQuotedFieldMaySpanLinesAndKeepsItsFirstLineNumber) {
  const auto records = Records("code,name\n\"91350100M000100Y43\",\"福州\n某某\\\"公司\"\nlast,row\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[1].last_line, 3);
  EXPECT_EQ(records[1].text, "\"91350100M000100Y43\",\"福州\n某某\\\"公司\"");
  EXPECT_EQ(records[2].line, 4);
  const auto fields = CsvFields(records[1].text);
  ASSERT_TRUE(fields.has_value());
  EXPECT_EQ((*fields)[1], "福州\n某某\"公司");
}

TEST(CsvReaderTest, ABackslashAtALinesEndEscapesTheLineBreak) {
  // The quote after the escaped break opens a field that the last line closes.
  const auto records = Records("a,b\\\n\"c\nd\"\ne\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].text, "a,b\\");
  EXPECT_EQ(records[1].text, "\"c\nd\"");
  EXPECT_EQ(records[2].text, "e");
}

// One stray quote in the first row leaves the rest of the file in one open
// record, reported as malformed (CsvFields refuses it). Reading it is linear
// in the file: it used to rescan the record at every line, quadratic time
// for a file of 100,000 lines.
TEST(CsvReaderTest, AQuoteThatNeverClosesTakesTheRestOfTheFileAsOneRecord) {
  std::string text = "code,name\n91350100M000100Y43,\"unclosed\n";
  for (int i = 0; i < 100000; ++i) text += "91350100M000100Y43,某某公司\n";
  const auto records = Records(text);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[1].last_line, 100002);
  EXPECT_FALSE(CsvFields(records[1].text).has_value());
  EXPECT_EQ(MalformedCsvRecordMessage(records[1]),
            "the row's quotes or backslash escapes are broken; a quote in it is never closed, so lines 2-100002 (the "
            "rest of the file) were read as this row");
  EXPECT_EQ(records[0].last_line, 1);
  EXPECT_EQ(MalformedCsvRecordMessage(records[0]), "the row's quotes or backslash escapes are broken");
}

}  // namespace
}  // namespace credflow::adapters::importer

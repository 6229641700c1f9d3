// LineIndex answers as LineAtOffset does (adapters/xml/xml_lines.h).
#include "adapters/xml/xml_lines.h"

#include <gtest/gtest.h>

#include <string>

namespace credflow::adapters {
namespace {

TEST(LineIndexTest, AgreesWithCountingAtEveryOffset) {
  for (const std::string& text : {std::string(""), std::string("\n"), std::string("no newline"),
                                  std::string("<policy>\n  <期限 天=\"5\"/>\n\n</policy>\n"), std::string("\n\n\nx")}) {
    const LineIndex lines(text);
    for (std::ptrdiff_t offset = -2; offset <= static_cast<std::ptrdiff_t>(text.size()) + 2; ++offset) {
      EXPECT_EQ(lines.At(offset), LineAtOffset(text, offset)) << "offset " << offset << " of \"" << text << "\"";
    }
  }
}

TEST(LineIndexTest, LinesAreOneBasedAndANewlineEndsItsLine) {
  const std::string text = "a\nb\nc";
  const LineIndex lines(text);
  EXPECT_EQ(lines.At(-1), 0);  // unknown
  EXPECT_EQ(lines.At(0), 1);
  EXPECT_EQ(lines.At(1), 1);  // the newline itself
  EXPECT_EQ(lines.At(2), 2);
  EXPECT_EQ(lines.At(4), 3);
  EXPECT_EQ(lines.At(1000), 3);  // past the end: the last line
}

}  // namespace
}  // namespace credflow::adapters

// Reading office files in UTF-8 or GB 18030: detection, conversion through
// iconv, and an invalid byte named by its line. GB 18030 bytes are made with
// iconv(3) (EncodeFromUtf8), not written by hand.
#include "adapters/import/text_encoding.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/status_matchers.h"

namespace credflow::adapters::importer {
namespace {

std::string Gb(const std::string& utf8) {
  engine::Result<std::string> bytes = EncodeFromUtf8(utf8, "GB18030");
  EXPECT_OK(bytes);
  return bytes.ok() ? *bytes : std::string();
}

// Chinese text saved as GB 18030 is found out and comes back as the same
// UTF-8, four-byte GB 18030 characters (U+20000) included.
TEST(TextEncodingTest, AutoReadsGb18030BackToTheSameText) {
  const std::string text = "统一社会信用代码,认定单位\n苏州禾丰餐饮管理有限公司,𠀀€\n";
  const std::string bytes = Gb(text);
  ASSERT_NE(bytes, text);
  EXPECT_FALSE(IsValidUtf8(bytes));
  engine::Result<DecodedText> decoded = DecodeToUtf8(bytes, TextEncoding::kAuto);
  ASSERT_OK(decoded);
  EXPECT_EQ(decoded->encoding, TextEncoding::kGb18030);
  EXPECT_EQ(decoded->utf8, text);
}

// Valid UTF-8 is UTF-8, and its byte order mark goes.
TEST(TextEncodingTest, AutoKeepsUtf8AndDropsTheByteOrderMark) {
  engine::Result<DecodedText> decoded = DecodeToUtf8("\xEF\xBB\xBF代码,名称\n", TextEncoding::kAuto);
  ASSERT_OK(decoded);
  EXPECT_EQ(decoded->encoding, TextEncoding::kUtf8);
  EXPECT_EQ(decoded->utf8, "代码,名称\n");
}

// A byte GB 18030 does not allow is reported with its line.
TEST(TextEncodingTest, AnInvalidGb18030ByteNamesItsLine) {
  const std::string bytes = Gb("代码,名称\n第二行\n") + "\x81\x20" + Gb("坏\n");
  engine::Result<DecodedText> decoded = DecodeToUtf8(bytes, TextEncoding::kAuto);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().reason(), "invalid_encoding");
  EXPECT_NE(decoded.status().message().find("line 3:"), std::string::npos) << decoded.status().ToString();
  EXPECT_NE(decoded.status().message().find("GB 18030"), std::string::npos) << decoded.status().ToString();
}

// Told the file is UTF-8, a GB 18030 file fails on its first Chinese line.
TEST(TextEncodingTest, ATextThatIsNotUtf8NamesItsFirstBadLine) {
  const std::string bytes = "code,name\n" + Gb("91320500,苏州\n");
  engine::Result<DecodedText> decoded = DecodeToUtf8(bytes, TextEncoding::kUtf8);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().reason(), "invalid_encoding");
  EXPECT_NE(decoded.status().message().find("line 2:"), std::string::npos) << decoded.status().ToString();
  // Told it is GB 18030, the same bytes read.
  engine::Result<DecodedText> gb = DecodeToUtf8(bytes, TextEncoding::kGb18030);
  ASSERT_OK(gb);
  EXPECT_EQ(gb->utf8, "code,name\n91320500,苏州\n");
}

// Overlong forms, surrogates and code points above U+10FFFF are not UTF-8.
TEST(TextEncodingTest, IsValidUtf8RefusesOverlongsSurrogatesAndTooHigh) {
  EXPECT_TRUE(IsValidUtf8("ascii 中文 𠀀"));
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xE4\xB8"));  // cut short
}

TEST(TextEncodingTest, EncodingNamesParse) {
  EXPECT_EQ(ParseTextEncoding("AUTO"), TextEncoding::kAuto);
  EXPECT_EQ(ParseTextEncoding("utf8"), TextEncoding::kUtf8);
  EXPECT_EQ(ParseTextEncoding("GBK"), TextEncoding::kGb18030);
  EXPECT_FALSE(ParseTextEncoding("latin1").has_value());
}

}  // namespace
}  // namespace credflow::adapters::importer

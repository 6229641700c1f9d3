// Bounded JSON decoding of external input: nesting, string length and size
// are refused while parsing, with their own reason codes, and a document a
// hostile client nests 100,000 deep is refused without building it (so
// without nlohmann's recursive dump or destruction ever seeing it).
#include "adapters/input/bounded_json.h"

#include <gtest/gtest.h>

#include <string>

#include "adapters/import/text_encoding.h"
#include "tests/support/status_matchers.h"

namespace credflow::adapters::input {
namespace {

// `levels` objects nested in one another: {"a":{"a":...1...}}.
std::string NestedObjects(size_t levels) {
  std::string text;
  text.reserve(levels * 6 + 1);
  for (size_t i = 0; i < levels; ++i) text += "{\"a\":";
  text += "1";
  text.append(levels, '}');
  return text;
}

// `levels` arrays nested in one another: [[[...]]].
std::string NestedArrays(size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

// Exactly kMaxJsonDepth levels are read; one more is refused as too_deep.
TEST(BoundedJsonTest, NestingUpToTheLimitIsReadAndOneMoreIsTooDeep) {
  engine::Result<engine::Json> at_limit = DecodeJson(NestedObjects(kMaxJsonDepth), "the body");
  ASSERT_OK(at_limit);
  EXPECT_EQ(at_limit->dump().size(), NestedObjects(kMaxJsonDepth).size());
  engine::Result<engine::Json> over = DecodeJson(NestedObjects(kMaxJsonDepth + 1), "the body");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().reason(), "too_deep");
  EXPECT_NE(over.status().message().find("the body"), std::string::npos) << over.status().message();
  EXPECT_TRUE(DecodeJson(NestedArrays(kMaxJsonDepth), "x").ok());
  EXPECT_EQ(DecodeJson(NestedArrays(kMaxJsonDepth + 1), "x").status().reason(), "too_deep");
}

// The crash: 100,000 levels of objects or arrays are refused (the
// parser stops at the first container over the limit; nothing recurses).
TEST(BoundedJsonTest, HundredThousandLevelsAreRefusedWithoutRecursion) {
  EXPECT_EQ(DecodeJson(NestedObjects(100000), "the body").status().reason(), "too_deep");
  EXPECT_EQ(DecodeJson(NestedArrays(100000), "the body").status().reason(), "too_deep");
  // Even cut short (no closing brackets), depth is what stops it.
  EXPECT_EQ(DecodeJson(std::string(500000, '['), "the body").status().reason(), "too_deep");
}

// A string value or a key over kMaxJsonStringBytes is refused; one at the
// limit is read.
TEST(BoundedJsonTest, StringsAndKeysOverTheLimitAreRefused) {
  const std::string at_limit(kMaxJsonStringBytes, 'x');
  const std::string over(kMaxJsonStringBytes + 1, 'x');
  EXPECT_OK(DecodeJson("{\"name\":\"" + at_limit + "\"}", "x"));
  EXPECT_EQ(DecodeJson("{\"name\":\"" + over + "\"}", "x").status().reason(), "string_too_long");
  EXPECT_EQ(DecodeJson("{\"" + over + "\":1}", "x").status().reason(), "string_too_long");
  EXPECT_EQ(DecodeJson("[\"" + over + "\"]", "x").status().reason(), "string_too_long");
}

// A document over max_bytes is refused before it is parsed.
TEST(BoundedJsonTest, ADocumentOverTheSizeLimitIsTooLarge) {
  JsonLimits limits;
  limits.max_bytes = 16;
  EXPECT_OK(DecodeJson("{\"a\":\"0123456\"}", "x", limits));  // 15 bytes
  engine::Result<engine::Json> over = DecodeJson("{\"a\":\"01234567890\"}", "x", limits);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().reason(), "too_large");
  // Malformed text over the limit is still "too large": nothing was read.
  EXPECT_EQ(DecodeJson(std::string(17, '{'), "x", limits).status().reason(), "too_large");
}

// GBK bytes inside a string (what Excel and older clients send in China) are
// invalid_utf8 with the byte offset, not malformed_json; UTF-8 Chinese reads.
TEST(BoundedJsonTest, GbkBytesAreInvalidUtf8NamingTheInput) {
  engine::Result<std::string> gbk = importer::EncodeFromUtf8("苏州禾丰", "GBK");
  ASSERT_OK(gbk);
  engine::Result<engine::Json> r = DecodeJson("{\"name\":\"" + *gbk + "\"}", "the request body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "invalid_utf8");
  EXPECT_NE(r.status().message().find("the request body"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("byte 9"), std::string::npos) << r.status().message();
  engine::Result<engine::Json> utf8 = DecodeJson("{\"name\":\"苏州禾丰\"}", "x");
  ASSERT_OK(utf8);
  EXPECT_EQ((*utf8)["name"], "苏州禾丰");
}

// Broken syntax is malformed_json; so are comments (RFC 8259 has none),
// trailing text, a lone surrogate and a number no double holds.
TEST(BoundedJsonTest, BrokenSyntaxIsMalformed) {
  for (const char* text : {"", "{\"a\":", "{\"a\":1,}", "{} x", "// c\n{}", "{\"a\":01}", "[\"\\ud800\"]", "[1e999]"}) {
    engine::Result<engine::Json> r = DecodeJson(text, "x");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().reason(), "malformed_json") << text;
  }
}

}  // namespace
}  // namespace credflow::adapters::input

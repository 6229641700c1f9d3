// User names: letters and digits of the scripts Chinese offices write names
// in, counted in code points, validated as UTF-8 (engine/user.h).
#include <gtest/gtest.h>

#include "engine/user.h"

namespace credflow::testing {
namespace {

using engine::NameLength;

TEST(UserNameTest, CountsCodePointsOfLettersAndDigits) {
  EXPECT_EQ(NameLength("alice"), 5u);
  EXPECT_EQ(NameLength("张三"), 2u);
  EXPECT_EQ(NameLength("阿依古丽·买买提"), 8u);
  EXPECT_EQ(NameLength("Zoë_1"), 5u);
  EXPECT_EQ(NameLength("𠀀"), 1u);  // CJK extension B, four bytes
  EXPECT_EQ(NameLength(""), 0u);
}

// Spaces of any kind, controls, slashes, punctuation, symbols, fullwidth
// look-alikes and malformed UTF-8 (overlong, surrogates, truncated) are refused.
TEST(UserNameTest, RefusesWhatIsNotALetterOrDigit) {
  for (const char* name : {"张 三", "张\u3000三", "a\tb", "a/b", "a\\b", "张三／", "张三。", "a\x7f", "ａｌｉｃｅ",
                           "\xc0\xaf", "\xed\xa0\x80", "\xe5\xbc", "a\u200bb", "a\u0301"}) {
    EXPECT_FALSE(NameLength(name).has_value()) << name;
  }
}

}  // namespace
}  // namespace credflow::testing

// adapters/text/pinyin.h: the keys a subject's name is searched by.
#include "adapters/text/pinyin.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace credflow::adapters::text {
namespace {

TEST(PinyinTest, FullPinyinAndInitialsOfAName) {
  const PinyinKeys keys = PinyinOf("苏州禾丰餐饮管理有限公司");
  EXPECT_EQ(keys.full, "suzhouhefengcanyinguanliyouxiangongsi");
  EXPECT_EQ(keys.initials, "szhfcyglyxgs");
  EXPECT_EQ(PinyinSearchKey("苏州禾丰"), "suzhouhefeng szhf");
}

// Words whose reading differs from their characters' commonest one.
TEST(PinyinTest, WordsReadAsInNames) {
  EXPECT_EQ(PinyinOf("中国银行").full, "zhongguoyinhang");
  EXPECT_EQ(PinyinOf("厦门").full, "xiamen");
  EXPECT_EQ(PinyinOf("长沙市").full, "changshashi");
  EXPECT_EQ(PinyinOf("重庆").full, "chongqing");
}

// Latin letters and digits stay (lower-case), punctuation goes; a Latin
// word contributes its first letter to the initials.
TEST(PinyinTest, LatinAndPunctuation) {
  const PinyinKeys keys = PinyinOf("苏州ABC科技（集团）有限公司 No.2");
  EXPECT_EQ(keys.full, "suzhouabckejijituanyouxiangongsino2");
  EXPECT_EQ(keys.initials, "szakjjtyxgsn2");
  EXPECT_EQ(PinyinSearchKey(""), "");
  EXPECT_EQ(PinyinSearchKey("（）"), "");
}

TEST(PinyinTest, WhatLooksLikeTypedPinyin) {
  EXPECT_TRUE(LooksLikePinyin("hefeng"));
  EXPECT_TRUE(LooksLikePinyin("SZHF"));
  EXPECT_FALSE(LooksLikePinyin(""));
  EXPECT_FALSE(LooksLikePinyin("9132"));
  EXPECT_FALSE(LooksLikePinyin("he feng"));
  EXPECT_FALSE(LooksLikePinyin("禾丰"));
  EXPECT_FALSE(LooksLikePinyin("he%"));
  EXPECT_FALSE(LooksLikePinyin(std::string(65, 'a')));
}

// A typed query: spaces between syllables and capitals do not matter.
TEST(PinyinTest, AQueryDropsSpacesAndCase) {
  EXPECT_EQ(PinyinQuery("He Feng"), "hefeng");
  EXPECT_EQ(PinyinQuery("SZHF"), "szhf");
  EXPECT_EQ(PinyinQuery("  "), "");
  EXPECT_EQ(PinyinQuery("禾丰"), "");
  EXPECT_EQ(PinyinQuery("9132"), "");
}

// Threads each use their own transliterator: the same answers from many.
TEST(PinyinTest, SafeFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> got(8);
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&got, i] {
      for (int n = 0; n < 200; ++n) got[i] = PinyinOf("苏州清和商贸有限公司").initials;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& g : got) EXPECT_EQ(g, "szqhsmyxgs");
}

}  // namespace
}  // namespace credflow::adapters::text

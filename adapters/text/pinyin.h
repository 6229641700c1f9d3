// Pinyin search keys for Chinese names, so that a caseworker can find
// 苏州禾丰餐饮管理有限公司 by typing "hefeng" or "szhf". ICU's Han-Latin
// transliterator gives each character its most common reading; a short
// table of words whose reading in enterprise and place names differs (银行
// hang, 长沙 chang, 厦门 xia, ...) is applied first. Latin letters and
// digits in a name are kept (lower-case); everything else is dropped.
#pragma once

#include <string>

namespace credflow::adapters::text {

struct PinyinKeys {
  std::string full;      // "suzhouhefengcanyinguanliyouxiangongsi"
  std::string initials;  // "szhfcyglyxgs"
};

// The keys of `name` (UTF-8). Thread-safe. Empty keys when ICU's
// transliterator is unavailable (the search then matches characters only).
PinyinKeys PinyinOf(const std::string& name);

// One text to search: "<full> <initials>", what the subjects table stores
// in search_key and a search matches with LIKE.
std::string PinyinSearchKey(const std::string& name);

// True when `text` could be typed pinyin: 1-64 ASCII letters (any case).
bool LooksLikePinyin(const std::string& text);

// What a search text matches in a search key: its letters lower-case with
// spaces dropped ("He Feng" -> "hefeng"), when what is left looks like
// pinyin; "" otherwise (the text is matched as characters or a code only).
std::string PinyinQuery(const std::string& text);

}  // namespace credflow::adapters::text

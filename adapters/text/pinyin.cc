#include "adapters/text/pinyin.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <utility>

namespace credflow::adapters::text {
namespace {

// Words whose characters ICU reads otherwise (its reading of each character
// alone is the most common one, not the one these words take). Only words
// frequent in enterprise and place names; the readings are the standard
// ones of 《现代汉语词典》.
const std::pair<const char*, const char*> kWordReadings[] = {
    {"银行", " yin hang "},
    {"行业", " hang ye "},
    {"商行", " shang hang "},
    {"车行", " che hang "},
    {"琴行", " qin hang "},
    {"长沙", " chang sha "},
    {"长春", " chang chun "},
    {"长安", " chang an "},
    {"长江", " chang jiang "},
    {"长城", " chang cheng "},
    {"长治", " chang zhi "},
    {"长兴", " chang xing "},
    {"长宁", " chang ning "},
    {"延长", " yan chang "},
    {"厦门", " xia men "},
    {"大厦", " da sha "},
    {"重庆", " chong qing "},
    {"蚌埠", " beng bu "},
    {"六安", " lu an "},
    {"丽水", " li shui "},
    {"番禺", " pan yu "},
    {"乐清", " yue qing "},
    {"音乐", " yin yue "},
    {"单县", " shan xian "},
    {"供应", " gong ying "},
    {"调味", " tiao wei "},
    {"传动", " chuan dong "},
    {"和平", " he ping "},
    {"会计", " kuai ji "},
    {"朝阳", " chao yang "},
    {"石家庄", " shi jia zhuang "},
};

// ICU's transliterators may not be shared between threads: one prototype,
// built once, and a clone per thread.
const icu::Transliterator* Prototype() {
  static const icu::Transliterator* prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::Transliterator* t =
        icu::Transliterator::createInstance("Han-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status);
    if (U_FAILURE(status)) {
      delete t;
      return static_cast<icu::Transliterator*>(nullptr);
    }
    return t;
  }();
  return prototype;
}

// Space-separated syllables (and Latin words), ASCII lower-case; "" when
// ICU has no Han-Latin data.
std::string Syllables(const std::string& name) {
  thread_local std::unique_ptr<icu::Transliterator> mine(Prototype() != nullptr ? Prototype()->clone() : nullptr);
  if (!mine) return std::string();
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(name);
  for (const auto& [word, reading] : kWordReadings) {
    s.findAndReplace(icu::UnicodeString::fromUTF8(word), icu::UnicodeString::fromUTF8(reading));
  }
  mine->transliterate(s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

bool IsAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

PinyinKeys PinyinOf(const std::string& name) {
  const std::string syllables = Syllables(name);
  PinyinKeys keys;
  bool at_word_start = true;
  for (char c : syllables) {
    if (!IsAsciiAlnum(c)) {
      at_word_start = true;
      continue;
    }
    keys.full += c;
    if (at_word_start) keys.initials += c;
    at_word_start = false;
  }
  return keys;
}

std::string PinyinSearchKey(const std::string& name) {
  const PinyinKeys keys = PinyinOf(name);
  if (keys.full.empty()) return std::string();
  return keys.full + " " + keys.initials;
}

bool LooksLikePinyin(const std::string& text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

std::string PinyinQuery(const std::string& text) {
  std::string letters;
  for (char c : text) {
    if (c == ' ') continue;
    letters += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return LooksLikePinyin(letters) ? letters : std::string();
}

}  // namespace credflow::adapters::text

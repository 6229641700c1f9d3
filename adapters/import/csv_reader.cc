// CSV records and the progress bar of the importers (see csv_reader.h).
#include "adapters/import/csv_reader.h"

#include <cstdio>
#include <string_view>

#include <boost/tokenizer.hpp>

namespace credflow::adapters::importer {
namespace {

constexpr std::chrono::milliseconds kRedrawInterval{100};
constexpr int kBarWidth = 30;

// Whether the text read so far ends inside a quoted field (an odd number of
// unescaped quotes), so that the record continues on the next line. Fed a
// line at a time: rescanning the whole record at each line made a record
// whose quote never closes (one stray quote in an Excel export) cost time
// quadratic in the rest of the file.
class QuoteState {
 public:
  void Scan(std::string_view text) {
    for (const char c : text) {
      if (escaped_) {
        escaped_ = false;  // an escaped character, inside quotes or not (as escaped_list_separator reads it)
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        inside_ = !inside_;
      }
    }
  }
  bool inside() const { return inside_; }

 private:
  bool inside_ = false;
  bool escaped_ = false;
};

bool InsideQuotes(std::string_view text) {
  QuoteState state;
  state.Scan(text);
  return state.inside();
}

std::string Trim(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::vector<CsvRecord> ReadCsvRecords(std::istream& in) {
  std::vector<CsvRecord> records;
  std::string line;
  int number = 0;
  CsvRecord current;
  QuoteState quotes;
  bool open = false;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (open) {
      current.text += '\n';
      current.text += line;
      quotes.Scan("\n");
    } else {
      current = CsvRecord{number, number, line};
      quotes = QuoteState();
    }
    current.last_line = number;
    quotes.Scan(line);
    open = quotes.inside();
    if (!open) records.push_back(std::move(current));
  }
  if (open) records.push_back(std::move(current));  // reported as malformed
  return records;
}

std::optional<std::vector<std::string>> CsvFields(const std::string& text) {
  if (InsideQuotes(text)) return std::nullopt;
  std::vector<std::string> fields;
  try {
    boost::tokenizer<boost::escaped_list_separator<char>> tokens(text);
    for (const std::string& field : tokens) fields.push_back(Trim(field));
  } catch (const boost::escaped_list_error&) {
    return std::nullopt;
  }
  return fields;
}

std::string MalformedCsvRecordMessage(const CsvRecord& record) {
  std::string message = "the row's quotes or backslash escapes are broken";
  if (record.last_line == record.line) return message;
  const std::string lines = std::to_string(record.line) + "-" + std::to_string(record.last_line);
  if (InsideQuotes(record.text)) {
    return message + "; a quote in it is never closed, so lines " + lines +
           " (the rest of the file) were read as this row";
  }
  return message + " (the row takes lines " + lines + ")";
}

bool IsBlankCsvRecord(const std::string& text) { return text.find_first_not_of(" \t\r\n,") == std::string::npos; }

ProgressBar::ProgressBar(std::ostream* out, int total) : out_(out), total_(total), start_(SteadyClock::now()) {}

void ProgressBar::Update(int done, bool final) {
  if (out_ == nullptr) return;
  const SteadyClock::time_point now = SteadyClock::now();
  if (!final && drawn_ && now - last_ < kRedrawInterval) return;
  last_ = now;
  drawn_ = true;
  const double fraction = total_ > 0 ? static_cast<double>(done) / total_ : 1.0;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const int filled = static_cast<int>(fraction * kBarWidth);
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, "  %d/%d  %5.1f%%  %.0f rows/s", done, total_, fraction * 100.0,
                seconds > 0 ? done / seconds : 0.0);
  *out_ << "\r[" << std::string(filled, '#') << std::string(kBarWidth - filled, '.') << "]" << numbers << std::flush;
  if (final) *out_ << "\n" << std::flush;
}

}  // namespace credflow::adapters::importer

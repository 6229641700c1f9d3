// The CSV the importers read, and the progress bar they draw: shared by the
// subject import and the dishonesty-record import.
//
// Fields are comma-separated; a field holding a comma, a quote or a line
// break is quoted; inside quotes a backslash escapes the next character
// (boost::escaped_list_separator). CRLF line ends are accepted. The reader
// works on UTF-8 text (see text_encoding.h for files in GB 18030).
//
// Threading: no shared state; a ProgressBar belongs to one import.
#pragma once

#include <chrono>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace credflow::adapters::importer {

// One CSV record and the file lines it takes (the header is line 1).
struct CsvRecord {
  int line = 0;       // its first line
  int last_line = 0;  // its last: later than `line` when a quoted field spans lines
  std::string text;
};

// Why CsvFields refused `record`, for a rejected row's message. A quote left
// open takes the lines after it: the message names them, so that a row that
// swallowed the rest of the file is seen to.
std::string MalformedCsvRecordMessage(const CsvRecord& record);

// Splits `in` into records; a quoted field may span lines. A leading UTF-8
// byte order mark is dropped. A record left open at the end is returned as
// it is (CsvFields then refuses it).
std::vector<CsvRecord> ReadCsvRecords(std::istream& in);

// The record's fields, trimmed of spaces and tabs; nullopt when its quoting
// or escaping is broken.
std::optional<std::vector<std::string>> CsvFields(const std::string& text);

// A line with nothing but spaces and commas.
bool IsBlankCsvRecord(const std::string& text);

// Draws "[#####.....]  1500/50000   3.0%  2410 rows/s" on one line of `out`
// (redrawn in place with \r, at most every 100 ms); nothing when `out` is null.
class ProgressBar {
 public:
  ProgressBar(std::ostream* out, int total);
  // `final` draws whatever the interval and ends the line.
  void Update(int done, bool final = false);

 private:
  using SteadyClock = std::chrono::steady_clock;
  std::ostream* out_;
  int total_;
  SteadyClock::time_point start_;
  SteadyClock::time_point last_{};
  bool drawn_ = false;
};

}  // namespace credflow::adapters::importer

// The CSV importers: the input is a file's bytes as an office hands it over
// (UTF-8 or GB 18030), decoded as `credflow subject import` and `credflow
// record import` decode it, split into records and fields, then imported
// both as subjects and as dishonesty records into an in-memory store.
// Properties: nothing crashes or throws; every data row is counted once, as
// imported, updated, unchanged or rejected (subjects) or as recorded,
// already recorded or rejected (records).
#include <sstream>
#include <string>

#include "adapters/import/csv_reader.h"
#include "adapters/import/record_import.h"
#include "adapters/import/subject_import.h"
#include "adapters/import/text_encoding.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace credflow::fuzz;
  namespace importer = credflow::adapters::importer;
  // Inputs run against one world before it is rebuilt (imports pile up).
  constexpr int kInputsPerWorld = 1000;
  static std::unique_ptr<World> world;
  static int inputs = 0;
  Rules();
  if (!world || ++inputs % kInputsPerWorld == 0) {
    world.reset();
    world = std::make_unique<World>();
  }
  credflow::engine::Result<importer::DecodedText> text =
      importer::DecodeToUtf8(AsText(data, size), importer::TextEncoding::kAuto);
  if (!text.ok()) return 0;
  {
    std::istringstream in(text->utf8);
    for (const importer::CsvRecord& r : importer::ReadCsvRecords(in)) (void)importer::CsvFields(r.text);
  }
  {
    std::istringstream in(text->utf8);
    importer::SubjectImportOptions options;
    options.batch_size = 3;
    auto report = importer::ImportSubjects(*world->service, in, options);
    if (report.ok()) {
      const int counted =
          report->imported + report->updated + report->unchanged + static_cast<int>(report->rejected.size());
      CREDFLOW_FUZZ_CHECK(counted == report->rows,
                          "subject rows " + std::to_string(report->rows) + " counted as " + std::to_string(counted));
    }
  }
  {
    std::istringstream in(text->utf8);
    importer::RecordImportOptions options;
    options.batch_size = 3;
    auto report = importer::ImportRecords(*world->service, in, options);
    if (report.ok()) {
      const int counted = report->recorded + report->already_recorded + static_cast<int>(report->rejected.size());
      CREDFLOW_FUZZ_CHECK(counted == report->rows,
                          "record rows " + std::to_string(report->rows) + " counted as " + std::to_string(counted));
    }
  }
  return 0;
}

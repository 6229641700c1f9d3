#include "adapters/store/tables/document_numbers_table.h"

#include <stdexcept>

#include "adapters/store/rows.h"

namespace credflow::adapters {

using engine::DocumentNumber;

std::optional<DocumentNumber> DocumentNumbersTable::Find(const std::string& case_id, const std::string& kind) {
  DocumentNumberRow row;
  Query q(conn_, std::string("SELECT ") + kDocumentNumberColumns +
                     " FROM document_numbers WHERE case_id = :case_id AND kind = :kind");
  row.Bind(q);
  q.Use(case_id).Use(kind).Start();
  if (!q.Next()) return std::nullopt;
  return row.ToDocumentNumber();
}

std::vector<DocumentNumber> DocumentNumbersTable::ForCase(const std::string& case_id) {
  DocumentNumberRow row;
  Query q(conn_, std::string("SELECT ") + kDocumentNumberColumns +
                     " FROM document_numbers WHERE case_id = :case_id ORDER BY issued_at, kind");
  row.Bind(q);
  q.Use(case_id).Start();
  std::vector<DocumentNumber> out;
  while (q.Next()) out.push_back(row.ToDocumentNumber());
  return out;
}

long long DocumentNumbersTable::TakeNext(const std::string& office, const std::string& prefix, int year) {
  long long number = 0;
  Query q(conn_,
          "INSERT INTO document_sequences (office, prefix, year, last_number) "
          "VALUES (:office, :prefix, :year, 1) "
          "ON CONFLICT (office, prefix, year) DO UPDATE SET last_number = document_sequences.last_number + 1 "
          "RETURNING last_number");
  q.Into(number).Use(office).Use(prefix).Use(year).Start();
  if (!q.Next()) throw std::runtime_error("the document sequence upsert returned no row");
  return number;
}

void DocumentNumbersTable::GiveBack(const std::string& office, const std::string& prefix, int year, long long number) {
  Query q(conn_,
          "UPDATE document_sequences SET last_number = last_number - 1 "
          "WHERE office = :office AND prefix = :prefix AND year = :year AND last_number = :number");
  q.Use(office).Use(prefix).Use(year).Use(number);
  if (q.Run() != 1) throw std::runtime_error("a document number could not be given back to its sequence");
}

bool DocumentNumbersTable::Insert(const DocumentNumber& d) {
  Query q(conn_, std::string("INSERT INTO document_numbers (") + kDocumentNumberColumns +
                     ") VALUES (:case_id, :kind, :office, :prefix, :year, :number, :issued_on, :issued_at) "
                     "ON CONFLICT (case_id, kind) DO NOTHING");
  q.Use(d.case_id)
      .Use(d.kind)
      .Use(d.office)
      .Use(d.prefix)
      .Use(d.year)
      .Use(static_cast<long long>(d.number))
      .Use(d.issued_on.ToString())
      .Use(d.issued_at);
  return q.Run() == 1;
}

}  // namespace credflow::adapters

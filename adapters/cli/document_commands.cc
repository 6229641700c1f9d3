// `credflow case print ID [--document rectification_order]`: prints a case's
// rendered document. ID is the false-commitment case, or the commitment case
// whose false-commitment child made the order.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/cli/commands.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/false_commitment/false_commitment_workflow.h"

namespace credflow::adapters::cli {
namespace {

namespace fc = workflows::false_commitment;
using engine::Json;

constexpr const char* kRectificationOrderDocument = "rectification_order";

// The false-commitment case `id` names: the case itself, or, for a
// commitment case, its newest false-commitment child.
engine::Result<engine::Case> FalseCommitmentCaseFor(engine::CaseStore& store, const std::string& id) {
  engine::Result<engine::Case> c = store.GetCase(id);
  if (!c.ok() || c->workflow != workflows::commitment::kWorkflowName) return c;
  engine::CaseQuery query;
  query.workflow = fc::kWorkflowName;
  query.parent_id = id;
  std::optional<engine::Case> newest;
  for (;;) {
    engine::Result<std::vector<engine::Case>> page = store.FindCases(query);
    if (!page.ok()) return page.status();
    for (engine::Case& child : *page) {
      if (!newest || child.created_at > newest->created_at) newest = std::move(child);
    }
    if (static_cast<int>(page->size()) < query.limit) break;
    query.after_id = page->back().id;
  }
  if (!newest) {
    return engine::Status::NotFound("no_rectification_order",
                                    "commitment case " + id + " has no false-commitment case");
  }
  return *std::move(newest);
}

int CasePrint(const GlobalOptions& g, const std::string& id, const std::string& document) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  if (document != kRectificationOrderDocument) {
    PrintStatus(engine::Status::InvalidArgument("unknown_document", "no document named '" + document + "'"));
    return kExitUnusable;
  }
  engine::Result<engine::Case> c = FalseCommitmentCaseFor(*e->store, id);
  if (!c.ok()) return PrintStatus(c.status()), kExitFailed;
  // A case opened without the applicant's name takes it from its commitment
  // case (which has it from the letter), so the order is addressed by name.
  const Json name = c->data.value("applicant_name", Json());
  if ((!name.is_string() || name.get<std::string>().empty()) && !c->parent_id.empty()) {
    engine::Result<engine::Case> parent = e->store->GetCase(c->parent_id);
    if (parent.ok() && parent->data.contains("applicant_name")) {
      c->data["applicant_name"] = parent->data["applicant_name"];
    }
  }
  engine::Result<std::string> text = fc::RenderRectificationOrder(*c, e->rules->book());
  if (!text.ok()) return PrintStatus(text.status()), kExitFailed;
  std::cout << *text << "\n";
  return kExitOk;
}

}  // namespace

void AddDocumentCommands(CLI::App& case_cmd, const GlobalOptions& g, int& exit_code) {
  // Parsed values live as long as the callback that reads them.
  struct Options {
    std::string id;
    std::string document = kRectificationOrderDocument;
  };
  auto options = std::make_shared<Options>();
  CLI::App* print =
      case_cmd.add_subcommand("print",
                              "print a case's document in Chinese (the rectification order of a false-commitment case; "
                              "a commitment case prints its false-commitment child's)");
  print->add_option("ID", options->id, "case id (false-commitment case, or its commitment case)")->required();
  print->add_option("--document", options->document, "the document to print")
      ->check(CLI::IsMember({std::string(kRectificationOrderDocument)}))
      ->capture_default_str();
  print->callback([&g, &exit_code, options] { exit_code = CasePrint(g, options->id, options->document); });
}

}  // namespace credflow::adapters::cli

// `credflow case print ID [--document KIND] [--html]`: prints one of the
// documents of a case's commitment matter (adapters/documents), as text or as
// an A4 HTML page. Without --document, lists the kinds the case has. The
// first print of a document issues its number; later prints show the same.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "adapters/cli/commands.h"
#include "adapters/documents/documents.h"

namespace credflow::adapters::cli {
namespace {

int ListDocuments(Engine& e, const engine::Case& c) {
  engine::Result<std::vector<std::string>> kinds = documents::AvailableDocuments(*e.store, c);
  if (!kinds.ok()) return PrintStatus(kinds.status()), kExitFailed;
  if (kinds->empty()) {
    std::cout << "case " << c.id << " has no documents to print (yet)\n";
    return kExitOk;
  }
  std::cout << "documents of case " << c.id << " (print one with --document KIND):\n";
  for (const std::string& kind : *kinds) std::cout << "  " << kind << "\n";
  return kExitOk;
}

int CasePrint(const GlobalOptions& g, const std::string& id, const std::string& kind, bool html) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::Result<engine::Case> c = e->store->GetCase(id);
  if (!c.ok()) return PrintStatus(c.status()), kExitFailed;
  if (kind.empty()) return ListDocuments(*e, *c);
  engine::Result<documents::Document> doc = documents::IssueDocument(*e->store, e->rules->book(), *e->clock, *c, kind);
  if (!doc.ok()) return PrintStatus(doc.status()), kExitFailed;
  std::cout << (html ? documents::RenderHtml(*doc) : documents::RenderText(*doc));
  return kExitOk;
}

}  // namespace

void AddDocumentCommands(CLI::App& case_cmd, const GlobalOptions& g, int& exit_code) {
  // Parsed values live as long as the callback that reads them.
  struct Options {
    std::string id;
    std::string document;
    bool html = false;
  };
  auto options = std::make_shared<Options>();
  std::string kinds;
  for (const std::string& k : documents::DocumentKinds()) kinds += (kinds.empty() ? "" : ", ") + k;
  CLI::App* print = case_cmd.add_subcommand(
      "print",
      "print a document of the case's commitment matter in Chinese (notice, signed letter, verification report, "
      "rectification order, revocation decision, penalty referral); without --document, list those it has");
  print->add_option("ID", options->id, "case id (the commitment case, or its verification or false-commitment case)")
      ->required();
  print->add_option("--document", options->document, "the document to print: " + kinds);
  print->add_flag("--html", options->html, "print an A4 HTML page instead of text");
  print->callback(
      [&g, &exit_code, options] { exit_code = CasePrint(g, options->id, options->document, options->html); });
}

}  // namespace credflow::adapters::cli

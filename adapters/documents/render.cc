// The two printed forms of a Document: plain text and an A4 HTML page.
#include <string>

#include "adapters/documents/documents.h"

namespace credflow::adapters::documents {
namespace {

// The ideographic space: Chinese paragraphs open with two.
constexpr const char* kIndent = "\u3000\u3000";

// Escapes the five characters XML gives meaning to, so that the page parses
// as XML whatever the case data hold.
std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// GB/T 9704-2012 page margins (top 37 mm, bottom 35 mm, left 28 mm, right
// 26 mm) and type: 三号仿宋 (16 pt) for the body, 二号小标宋 (22 pt) for the title.
constexpr const char* kStyle = R"css(
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
html { background: #fff; color: #000; }
body { margin: 0; font-family: "FangSong", "STFangsong", "仿宋", "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.75; }
header { text-align: center; margin-bottom: 1.5em; }
.office { font-size: 18pt; letter-spacing: 0.2em; margin: 0; }
h1 { font-family: "SimSun", "STSong", "宋体", "Noto Serif CJK SC", serif; font-size: 22pt; font-weight: bold; margin: 0.4em 0 0.2em; }
.number { margin: 0; }
.addressee { margin: 0; }
.body p { text-indent: 2em; margin: 0; white-space: pre-wrap; }
table.fields { border-collapse: collapse; width: 100%; margin: 0.8em 0; page-break-inside: avoid; }
table.fields th, table.fields td { border: 1px solid #000; padding: 0.2em 0.5em; vertical-align: top; font-size: 14pt; }
table.fields th { width: 30%; font-weight: normal; text-align: left; }
table.fields td { white-space: pre-wrap; }
footer { margin-top: 2em; text-align: right; page-break-inside: avoid; }
footer p { margin: 0; }
.notes { margin-top: 1.5em; font-size: 12pt; }
.notes p { margin: 0; }
)css";

}  // namespace

std::string RenderText(const Document& d) {
  std::string out;
  out += d.office + "\n";
  out += d.title + "\n";
  out += d.NumberText() + "\n\n";
  if (!d.addressee.empty()) out += d.addressee + "：\n";
  for (const std::string& p : d.paragraphs) out += kIndent + p + "\n";
  if (!d.fields.empty()) {
    out += "\n";
    for (const auto& [label, value] : d.fields) out += label + "：" + value + "\n";
  }
  out += "\n";
  for (const std::string& line : d.signature) out += line + "\n";
  if (!d.notes.empty()) {
    out += "\n";
    for (const std::string& note : d.notes) out += note + "\n";
  }
  return out;
}

std::string RenderHtml(const Document& d) {
  std::string out;
  out += "<!DOCTYPE html>\n";
  out += "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\" xml:lang=\"zh-CN\">\n";
  out += "<head>\n<meta charset=\"utf-8\"/>\n";
  out += "<title>" + Escape(d.title + " " + d.NumberText()) + "</title>\n";
  out += "<style>";
  out += kStyle;
  out += "</style>\n</head>\n";
  out += "<body>\n<article class=\"document\" data-kind=\"" + Escape(d.kind) + "\" data-case=\"" + Escape(d.case_id) +
         "\">\n";
  out += "<header>\n";
  out += "<p class=\"office\">" + Escape(d.office) + "</p>\n";
  out += "<h1>" + Escape(d.title) + "</h1>\n";
  out += "<p class=\"number\">" + Escape(d.NumberText()) + "</p>\n";
  out += "</header>\n";
  if (!d.addressee.empty()) out += "<p class=\"addressee\">" + Escape(d.addressee) + "：</p>\n";
  out += "<section class=\"body\">\n";
  for (const std::string& p : d.paragraphs) out += "<p>" + Escape(p) + "</p>\n";
  out += "</section>\n";
  if (!d.fields.empty()) {
    out += "<table class=\"fields\">\n<tbody>\n";
    for (const auto& [label, value] : d.fields) {
      out += "<tr><th scope=\"row\">" + Escape(label) + "</th><td>" + Escape(value) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
  }
  out += "<footer>\n";
  for (size_t i = 0; i < d.signature.size(); ++i) {
    out += std::string("<p class=\"") + (i == 0 ? "signature" : "date") + "\">" + Escape(d.signature[i]) + "</p>\n";
  }
  out += "</footer>\n";
  if (!d.notes.empty()) {
    out += "<aside class=\"notes\">\n";
    for (const std::string& note : d.notes) out += "<p>" + Escape(note) + "</p>\n";
    out += "</aside>\n";
  }
  out += "</article>\n</body>\n</html>\n";
  return out;
}

}  // namespace credflow::adapters::documents

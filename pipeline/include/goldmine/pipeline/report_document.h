// The report of `goldmine run` as a small document model, rendered twice:
// DIR/report.md (images linked) and a self-contained DIR/report.html (PNG
// images embedded as base64 data URIs, no external files).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace goldmine::pipeline {

struct ReportBlock {
  enum class Kind { kHeading, kParagraph, kTable, kFigure, kCode };
  Kind kind = Kind::kParagraph;
  int level = 2;                    // headings
  std::string text;                 // heading, paragraph, caption, code
  std::vector<std::string> header;  // tables
  std::vector<std::vector<std::string>> rows;  // tables
  std::filesystem::path png;                   // figures
  std::filesystem::path svg;
};

class ReportDocument {
 public:
  void Heading(const std::string& text, int level = 2);
  // Plain text; `code` spans in backquotes are kept.
  void Paragraph(const std::string& text);
  void Table(std::vector<std::string> header,
             std::vector<std::vector<std::string>> rows);
  void Figure(const std::filesystem::path& png,
              const std::filesystem::path& svg,
              const std::string& caption);
  void Code(const std::string& text);

  // Markdown with image paths relative to `folder` (where report.md lives).
  std::string Markdown(const std::filesystem::path& folder) const;
  // One HTML file with every image embedded.
  std::string Html(const std::string& title) const;

  const std::vector<ReportBlock>& blocks() const { return blocks_; }

 private:
  std::vector<ReportBlock> blocks_;
};

std::string Base64(const std::string& bytes);
std::string HtmlEscaped(const std::string& text);

}  // namespace goldmine::pipeline

#include "goldmine/pipeline/report_document.h"

#include <fstream>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InternalError("report: cannot read " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// `code` spans of a paragraph as <code>, everything else escaped.
std::string InlineHtml(const std::string& text) {
  std::string html;
  bool code = false;
  std::string part;
  for (char c : text) {
    if (c == '`') {
      html +=
          code ? "<code>" + HtmlEscaped(part) + "</code>" : HtmlEscaped(part);
      part.clear();
      code = !code;
    } else {
      part += c;
    }
  }
  return html + HtmlEscaped(part);
}

std::string MarkdownCell(const std::string& text) {
  std::string cell;
  for (char c : text) cell += c == '|' ? std::string("\\|") : std::string(1, c);
  return cell;
}

}  // namespace

void ReportDocument::Heading(const std::string& text, int level) {
  ReportBlock block;
  block.kind = ReportBlock::Kind::kHeading;
  block.text = text;
  block.level = level;
  blocks_.push_back(block);
}

void ReportDocument::Paragraph(const std::string& text) {
  ReportBlock block;
  block.kind = ReportBlock::Kind::kParagraph;
  block.text = text;
  blocks_.push_back(block);
}

void ReportDocument::Table(std::vector<std::string> header,
                           std::vector<std::vector<std::string>> rows) {
  ReportBlock block;
  block.kind = ReportBlock::Kind::kTable;
  block.header = std::move(header);
  block.rows = std::move(rows);
  blocks_.push_back(block);
}

void ReportDocument::Figure(const fs::path& png,
                            const fs::path& svg,
                            const std::string& caption) {
  ReportBlock block;
  block.kind = ReportBlock::Kind::kFigure;
  block.png = png;
  block.svg = svg;
  block.text = caption;
  blocks_.push_back(block);
}

void ReportDocument::Code(const std::string& text) {
  ReportBlock block;
  block.kind = ReportBlock::Kind::kCode;
  block.text = text;
  blocks_.push_back(block);
}

std::string ReportDocument::Markdown(const fs::path& folder) const {
  std::ostringstream md;
  for (const ReportBlock& block : blocks_) {
    switch (block.kind) {
      case ReportBlock::Kind::kHeading:
        md << std::string(static_cast<std::size_t>(block.level), '#') << " "
           << block.text << "\n\n";
        break;
      case ReportBlock::Kind::kParagraph:
        md << block.text << "\n\n";
        break;
      case ReportBlock::Kind::kTable: {
        md << "|";
        for (const std::string& cell : block.header)
          md << " " << MarkdownCell(cell) << " |";
        md << "\n|";
        for (std::size_t i = 0; i < block.header.size(); ++i) md << "---|";
        md << "\n";
        for (const auto& row : block.rows) {
          md << "|";
          for (const std::string& cell : row)
            md << " " << MarkdownCell(cell) << " |";
          md << "\n";
        }
        md << "\n";
        break;
      }
      case ReportBlock::Kind::kFigure: {
        const fs::path png = fs::relative(block.png, folder);
        const fs::path svg = fs::relative(block.svg, folder);
        md << "![" << block.text << "](" << png.generic_string() << ")\n\n*"
           << block.text << "* ([SVG](" << svg.generic_string() << "))\n\n";
        break;
      }
      case ReportBlock::Kind::kCode:
        md << "```\n" << block.text << "\n```\n\n";
        break;
    }
  }
  return md.str();
}

std::string ReportDocument::Html(const std::string& title) const {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
          "charset=\"utf-8\"/>\n"
       << "<title>" << HtmlEscaped(title) << "</title>\n"
       << "<style>\n"
          "body{font-family:sans-serif;max-width:1100px;margin:2em auto;"
          "padding:0 1em;line-height:1.45;color:#222}\n"
          "table{border-collapse:collapse;margin:1em 0;font-size:0.92em}\n"
          "th,td{border:1px solid #bbb;padding:0.3em 0.6em;text-align:right}\n"
          "th{background:#eee}td:first-child,th:first-child{text-align:left}\n"
          "figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}\n"
          "figcaption{font-style:italic;font-size:0.92em}\n"
          "pre{background:#f6f6f6;padding:0.8em;overflow-x:auto}\n"
          "</style>\n</head>\n<body>\n";
  for (const ReportBlock& block : blocks_) {
    switch (block.kind) {
      case ReportBlock::Kind::kHeading:
        html << "<h" << block.level << ">" << HtmlEscaped(block.text) << "</h"
             << block.level << ">\n";
        break;
      case ReportBlock::Kind::kParagraph:
        html << "<p>" << InlineHtml(block.text) << "</p>\n";
        break;
      case ReportBlock::Kind::kTable:
        html << "<table>\n<tr>";
        for (const std::string& cell : block.header)
          html << "<th>" << InlineHtml(cell) << "</th>";
        html << "</tr>\n";
        for (const auto& row : block.rows) {
          html << "<tr>";
          for (const std::string& cell : row)
            html << "<td>" << InlineHtml(cell) << "</td>";
          html << "</tr>\n";
        }
        html << "</table>\n";
        break;
      case ReportBlock::Kind::kFigure:
        html << "<figure><img alt=\"" << HtmlEscaped(block.text)
             << "\" src=\"data:image/png;base64,"
             << Base64(ReadBytes(block.png)) << "\"/><figcaption>"
             << HtmlEscaped(block.text) << "</figcaption></figure>\n";
        break;
      case ReportBlock::Kind::kCode:
        html << "<pre>" << HtmlEscaped(block.text) << "</pre>\n";
        break;
    }
  }
  html << "</body>\n</html>\n";
  return html.str();
}

std::string Base64(const std::string& bytes) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  encoded.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned value = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
    encoded += kAlphabet[(value >> 18) & 63];
    encoded += kAlphabet[(value >> 12) & 63];
    encoded += kAlphabet[(value >> 6) & 63];
    encoded += kAlphabet[value & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned value = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) value |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    encoded += kAlphabet[(value >> 18) & 63];
    encoded += kAlphabet[(value >> 12) & 63];
    encoded += rest == 2 ? kAlphabet[(value >> 6) & 63] : '=';
    encoded += '=';
  }
  return encoded;
}

std::string HtmlEscaped(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

}  // namespace goldmine::pipeline

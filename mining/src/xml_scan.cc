#include "xml_scan.h"

#include <cctype>
#include <stdexcept>

namespace goldmine::mining {
namespace {

bool IsNameCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         c == '-' || c == ':' || c == '.';
}

void SkipSpace(const std::string& text, std::size_t* i) {
  while (*i < text.size() &&
         std::isspace(static_cast<unsigned char>(text[*i])) != 0)
    ++*i;
}

}  // namespace

std::string Trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::optional<XmlTag> NextXmlTag(const std::string& text, std::size_t offset) {
  std::size_t i = text.find('<', offset);
  while (i != std::string::npos) {
    XmlTag tag;
    tag.begin = i;
    std::size_t j = i + 1;
    if (j < text.size() && text[j] == '/') {
      tag.closing = true;
      ++j;
    }
    const std::size_t name_start = j;
    while (j < text.size() && IsNameCharacter(text[j])) ++j;
    if (j == name_start) {  // "<!--", "<![CDATA[", a stray '<': not a tag
      i = text.find('<', i + 1);
      continue;
    }
    tag.name = text.substr(name_start, j - name_start);
    while (true) {
      SkipSpace(text, &j);
      if (j >= text.size())
        throw std::invalid_argument("tag <" + tag.name + "> does not close");
      if (text[j] == '>') {
        tag.end = j + 1;
        return tag;
      }
      if (text[j] == '/' && j + 1 < text.size() && text[j + 1] == '>') {
        tag.self_closing = true;
        tag.end = j + 2;
        return tag;
      }
      const std::size_t key_start = j;
      while (j < text.size() && IsNameCharacter(text[j])) ++j;
      if (j == key_start) {
        throw std::invalid_argument("unexpected '" + std::string(1, text[j]) +
                                    "' in tag <" + tag.name + ">");
      }
      const std::string key = text.substr(key_start, j - key_start);
      SkipSpace(text, &j);
      if (j >= text.size() || text[j] != '=') {
        throw std::invalid_argument("attribute " + key + " of <" + tag.name +
                                    "> has no value");
      }
      ++j;
      SkipSpace(text, &j);
      if (j >= text.size() || (text[j] != '\'' && text[j] != '"')) {
        throw std::invalid_argument("attribute " + key + " of <" + tag.name +
                                    "> is not quoted");
      }
      const char quote = text[j];
      const std::size_t value_end = text.find(quote, j + 1);
      if (value_end == std::string::npos) {
        throw std::invalid_argument("attribute " + key + " of <" + tag.name +
                                    "> has no closing quote");
      }
      tag.attributes[key] = text.substr(j + 1, value_end - j - 1);
      j = value_end + 1;
    }
  }
  return std::nullopt;
}

}  // namespace goldmine::mining

// Just enough XML for the tags inside LHE files (<initrwgt>, <weightgroup>,
// <weight>, <rwgt>, <wgt>): start and end tags with quoted attributes and the
// text between them. LHE files are not well-formed XML as a whole (free text,
// '&' and '<' in cards), so no general parser is used on them.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace goldmine::mining {

struct XmlTag {
  std::string name;  // without '<' and '/'
  bool closing = false;
  bool self_closing = false;
  std::map<std::string, std::string> attributes;
  std::size_t begin = 0;  // offset of '<'
  std::size_t end = 0;    // offset after '>'
};

// The next tag at or after `offset`, or nullopt when there is none. Throws
// std::invalid_argument with a short reason for a tag that does not close or
// has a malformed attribute; callers turn it into a FileFormatError with the
// file and line.
std::optional<XmlTag> NextXmlTag(const std::string& text, std::size_t offset);

// Text with leading and trailing white space removed.
std::string Trimmed(const std::string& text);

}  // namespace goldmine::mining

#include "goldmine/core/yaml_node.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "goldmine/core/errors.h"
#include "goldmine/core/utf8.h"
#include "goldmine/core/yaml_unique_keys.h"

namespace goldmine::core {

YamlNode::YamlNode(YAML::Node node, std::string file, std::string path)
    : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)) {}

std::string YamlNode::Where() const {
  std::string where = file_;
  if (node_.IsDefined() && node_.Mark().line >= 0)
    where += ", line " + std::to_string(node_.Mark().line + 1);
  if (!path_.empty()) where += ": " + path_;
  return where;
}

YamlNode YamlNode::Child(YAML::Node child, const std::string& suffix) const {
  const bool index = !suffix.empty() && suffix.front() == '[';
  return YamlNode(
      child,
      file_,
      path_.empty() || index ? path_ + suffix : path_ + "." + suffix);
}

std::string YamlNode::KeyText(const YAML::Node& key) const {
  if (!key.IsScalar()) YamlNode(key, file_, path_).Fail("a name as the key");
  return key.Scalar();
}

bool YamlNode::Has(const std::string& key) const {
  return node_.IsMap() && node_[key].IsDefined();
}

YamlNode YamlNode::At(const std::string& key) const {
  if (!node_.IsMap()) Fail("a map of keys");
  const YAML::Node child = node_[key];
  if (!child.IsDefined())
    throw InvalidInput(Where() + ": missing key \"" + key + "\"");
  return Child(child, key);
}

void YamlNode::RequireOnlyKeys(
    std::initializer_list<const char*> allowed) const {
  if (!node_.IsMap()) Fail("a map of keys");
  for (const auto& entry : node_) {
    const std::string key = KeyText(entry.first);
    bool known = false;
    for (const char* name : allowed) known = known || key == name;
    if (!known) {
      std::string list;
      for (const char* name : allowed)
        list += (list.empty() ? "" : ", ") + std::string(name);
      throw InvalidInput(Child(entry.first, key).Where() + ": unknown key \"" +
                         key + "\"; allowed keys: " + list);
    }
  }
}

std::vector<YamlNode> YamlNode::Elements() const {
  if (!node_.IsSequence()) Fail("a list");
  std::vector<YamlNode> elements;
  for (std::size_t i = 0; i < node_.size(); ++i)
    elements.push_back(Child(node_[i], "[" + std::to_string(i) + "]"));
  return elements;
}

std::vector<std::pair<std::string, YamlNode>> YamlNode::Entries() const {
  if (node_.IsNull()) return {};
  if (!node_.IsMap()) Fail("a map of names to values");
  std::vector<std::pair<std::string, YamlNode>> entries;
  for (const auto& entry : node_) {
    const std::string key = KeyText(entry.first);
    entries.emplace_back(key, Child(entry.second, key));
  }
  return entries;
}

double YamlNode::AsDouble() const {
  if (!node_.IsScalar()) Fail("a number");
  try {
    const double value = node_.as<double>();
    if (!std::isfinite(value)) Fail("a finite number");
    return value;
  } catch (const YAML::Exception&) {
    Fail("a number");
  }
}

int YamlNode::AsInt() const {
  const double value = AsDouble();
  if (value != std::floor(value) || std::abs(value) > 2e9) Fail("an integer");
  return static_cast<int>(value);
}

bool YamlNode::AsBool() const {
  if (!node_.IsScalar()) Fail("true or false");
  try {
    return node_.as<bool>();
  } catch (const YAML::Exception&) {
    Fail("true or false");
  }
}

std::string YamlNode::AsString() const {
  if (!node_.IsScalar()) Fail("a string");
  return node_.as<std::string>();
}

std::vector<double> YamlNode::AsDoubles(int expected_size) const {
  const std::vector<YamlNode> elements = Elements();
  if (expected_size >= 0 &&
      elements.size() != static_cast<std::size_t>(expected_size)) {
    Fail("a list of " + std::to_string(expected_size) + " numbers");
  }
  std::vector<double> values;
  for (const YamlNode& element : elements) values.push_back(element.AsDouble());
  return values;
}

void YamlNode::Fail(const std::string& expected) const {
  std::string shown = node_.IsScalar()     ? "\"" + node_.Scalar() + "\""
                      : node_.IsSequence() ? "a list"
                      : node_.IsMap()      ? "a map"
                                           : "nothing";
  throw InvalidInput(Where() + ": expected " + expected + ", got " + shown);
}

YamlNode LoadYamlFile(const std::string& path) {
  std::error_code error_code;
  if (std::filesystem::is_directory(path, error_code))
    throw InvalidInput(path + ": is a folder; expected a YAML file");
  std::ifstream in(path);
  if (!in) throw InvalidInput(path + ": cannot open the file for reading");
  std::ostringstream text;
  text << in.rdbuf();
  RequireUtf8Text(text.str(), path, "a YAML file");
  RequireUniqueYamlKeys(text.str(), path);
  try {
    std::istringstream document(text.str());
    return YamlNode(YAML::Load(document), path);
  } catch (const YAML::ParserException& error) {
    throw FileFormatError(path + ", line " +
                          std::to_string(error.mark.line + 1) + ", column " +
                          std::to_string(error.mark.column + 1) +
                          ": not valid YAML: " + error.msg);
  }
}

}  // namespace goldmine::core

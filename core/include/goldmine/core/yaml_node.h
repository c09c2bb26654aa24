// A YAML node that knows where it is, so that every complaint about a
// configuration names the file, the line and the key:
// "wh.yaml, line 12: samples[0].k_factor: expected a positive number, got -1".
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace goldmine::core {

class YamlNode {
 public:
  YamlNode(YAML::Node node, std::string file, std::string path = "");

  const YAML::Node& node() const { return node_; }
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  // "wh.yaml, line 12: samples[0].k_factor" (or just the file at the root).
  std::string Where() const;

  bool Has(const std::string& key) const;
  // Throws InvalidInput when missing.
  YamlNode At(const std::string& key) const;
  void RequireOnlyKeys(std::initializer_list<const char*> allowed) const;
  // Elements of a sequence (throws unless one).
  std::vector<YamlNode> Elements() const;
  // Key-value pairs of a map, in document order.
  std::vector<std::pair<std::string, YamlNode>> Entries() const;

  bool IsMap() const { return node_.IsMap(); }
  bool IsSequence() const { return node_.IsSequence(); }
  bool IsScalar() const { return node_.IsScalar(); }

  double AsDouble() const;
  int AsInt() const;
  bool AsBool() const;
  std::string AsString() const;
  std::vector<double> AsDoubles(int expected_size = -1) const;

  [[noreturn]] void Fail(const std::string& expected) const;

 private:
  YamlNode Child(YAML::Node child, const std::string& suffix) const;
  // A map key as text; YAML also allows lists and maps as keys
  // ("? [a, b]: 1"), which no configuration uses: InvalidInput.
  std::string KeyText(const YAML::Node& key) const;

  YAML::Node node_;
  std::string file_;
  std::string path_;
};

// Loads a YAML file; InvalidInput when unreadable or when a map repeats a key
// (with the line), FileFormatError (with line and column) when it is not
// YAML.
YamlNode LoadYamlFile(const std::string& path);

}  // namespace goldmine::core

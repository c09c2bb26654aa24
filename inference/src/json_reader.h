// A JSON value that knows its path from the document root, so that every
// complaint names the key: "ws.json: channels[0].samples[1].data: expected an
// array of numbers, got "abc"". Private to inference (apps/ has its own).
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace goldmine::inference::internal {

class JsonReader {
 public:
  JsonReader(const nlohmann::json& value, std::string source, std::string path);

  const nlohmann::json& value() const { return *value_; }
  const std::string& path() const { return path_; }
  // "source: path" (or just "source" at the root).
  std::string Where() const;

  bool Has(const std::string& key) const;
  JsonReader At(const std::string& key) const;  // throws when missing
  void RequireObject() const;
  void RequireOnlyKeys(std::initializer_list<const char*> allowed) const;
  std::vector<JsonReader> Elements(bool allow_empty) const;

  double AsDouble() const;
  bool AsBool() const;
  std::string AsString() const;
  // An array of numbers; `expected_size` >= 0 also checks the length,
  // `what` explains it in the message ("one per bin").
  std::vector<double> AsDoubles(int expected_size = -1,
                                const std::string& what = "") const;

  // Throws InvalidInput "<where>: expected <expected>, got <value>".
  [[noreturn]] void Fail(const std::string& expected) const;
  // Throws InvalidInput "<where>: <message>".
  [[noreturn]] void FailWith(const std::string& message) const;

 private:
  const nlohmann::json* value_;
  std::string source_;
  std::string path_;
};

// Abbreviated dump of a value for messages (at most ~60 characters).
std::string ShortDump(const nlohmann::json& value);

}  // namespace goldmine::inference::internal

// A JSON value that knows where it sits in its file, so that every complaint
// about input names the file and the key: "case.json: cases[2].basis[1]:
// expected 2 numbers (one per parameter), got [1, 2, 3]".
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace goldmine::core {

class JsonNode {
 public:
  // `file` names the source in messages; `path` is the key path from the
  // document root ("" for the root itself).
  JsonNode(const nlohmann::json& value,
           std::string file,
           std::string path = "");

  const nlohmann::json& value() const { return *value_; }
  const std::string& path() const { return path_; }
  // "case.json: cases[2].basis" (or just "case.json" at the root).
  std::string Where() const;

  bool Has(const std::string& key) const;
  // The member `key`; throws InvalidInput when it is missing.
  JsonNode At(const std::string& key) const;
  // Throws InvalidInput naming the first key not in `allowed`.
  void RequireOnlyKeys(std::initializer_list<const char*> allowed) const;

  // Array elements; throws InvalidInput unless this is an array, and, when
  // expected_size >= 0, unless it has that many elements.
  std::vector<JsonNode> Elements(int expected_size = -1,
                                 const std::string& what = "") const;

  double AsDouble() const;
  // Integral numbers only (2 and 2.0; not 2.5, not "2").
  int AsInt() const;
  std::uint64_t AsUnsigned() const;
  std::string AsString() const;

  std::vector<double> AsDoubles(int expected_size = -1,
                                const std::string& what = "") const;
  std::vector<int> AsInts(int expected_size = -1,
                          const std::string& what = "") const;
  std::vector<std::string> AsStrings(int expected_size = -1,
                                     const std::string& what = "") const;
  // A list of rows, each with `columns` numbers; rows() may be 0.
  Eigen::MatrixXd AsMatrix(int columns, const std::string& what) const;

  // Throws InvalidInput "<where>: expected <expected>, got <value>".
  [[noreturn]] void Fail(const std::string& expected) const;

 private:
  JsonNode Child(const nlohmann::json& value, const std::string& suffix) const;

  const nlohmann::json* value_;
  std::string file_;
  std::string path_;
};

// Parses a whole file strictly; throws InvalidInput when it cannot be opened
// (or is a folder) and FileFormatError when it is not JSON (with line and
// column), repeats a key within an object, holds a number beyond the range of
// a double, or nests deeper than kMaxJsonDepth levels (these three with the
// JSON path): core's ParseStrictJson, shared with the HistFactory readers.
nlohmann::json ReadJsonFile(const std::string& path);

// The same for text already in memory (standard input, fuzz targets);
// `source` names it in messages.
nlohmann::json ParseJsonText(const std::string& text,
                             const std::string& source);

}  // namespace goldmine::core

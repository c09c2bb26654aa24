#include "goldmine/core/json_node.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>
#include <utility>

#include "goldmine/core/errors.h"
#include "goldmine/core/strict_json.h"

namespace goldmine::core {
namespace {

// The offending value as the user wrote it, shortened for one-line messages.
std::string Shown(const nlohmann::json& value) {
  std::string text = value.dump();
  constexpr std::size_t kMaxLength = 60;
  if (text.size() > kMaxLength) {
    // Cut before a character, not inside a UTF-8 sequence.
    std::size_t cut = kMaxLength - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;
    text = text.substr(0, cut) + "...";
  }
  return text;
}

std::string ElementsWhat(int expected_size, const std::string& what) {
  std::string text = "a list";
  if (expected_size >= 0) text += " of " + std::to_string(expected_size);
  if (!what.empty()) text += " " + what;
  return text;
}

}  // namespace

JsonNode::JsonNode(const nlohmann::json& value,
                   std::string file,
                   std::string path)
    : value_(&value), file_(std::move(file)), path_(std::move(path)) {}

std::string JsonNode::Where() const {
  return path_.empty() ? file_ : file_ + ": " + path_;
}

JsonNode JsonNode::Child(const nlohmann::json& value,
                         const std::string& suffix) const {
  const bool index = !suffix.empty() && suffix.front() == '[';
  return JsonNode(
      value,
      file_,
      path_.empty() || index ? path_ + suffix : path_ + "." + suffix);
}

bool JsonNode::Has(const std::string& key) const {
  return value_->is_object() && value_->contains(key);
}

JsonNode JsonNode::At(const std::string& key) const {
  if (!value_->is_object()) Fail("a JSON object");
  const auto found = value_->find(key);
  if (found == value_->end()) {
    throw InvalidInput(Where() + ": missing key \"" + key + "\"");
  }
  return Child(*found, key);
}

void JsonNode::RequireOnlyKeys(
    std::initializer_list<const char*> allowed) const {
  if (!value_->is_object()) Fail("a JSON object");
  for (const auto& [key, ignored] : value_->items()) {
    bool known = false;
    for (const char* name : allowed) known = known || key == name;
    if (!known) {
      std::string list;
      for (const char* name : allowed)
        list += (list.empty() ? "" : ", ") + std::string(name);
      throw InvalidInput(Where() + ": unknown key \"" + key +
                         "\"; allowed keys: " + list);
    }
  }
}

std::vector<JsonNode> JsonNode::Elements(int expected_size,
                                         const std::string& what) const {
  if (!value_->is_array() ||
      (expected_size >= 0 &&
       value_->size() != static_cast<std::size_t>(expected_size))) {
    Fail(ElementsWhat(expected_size, what));
  }
  std::vector<JsonNode> elements;
  for (std::size_t i = 0; i < value_->size(); ++i) {
    elements.push_back(Child((*value_)[i], "[" + std::to_string(i) + "]"));
  }
  return elements;
}

double JsonNode::AsDouble() const {
  if (!value_->is_number()) Fail("a number");
  const double number = value_->get<double>();
  if (!std::isfinite(number)) Fail("a finite number");
  return number;
}

int JsonNode::AsInt() const {
  if (!value_->is_number()) Fail("an integer");
  const double number = value_->get<double>();
  if (number != std::floor(number)) Fail("an integer");
  if (std::abs(number) > std::numeric_limits<int>::max()) {
    Fail("an integer of magnitude at most " +
         std::to_string(std::numeric_limits<int>::max()));
  }
  return static_cast<int>(number);
}

std::uint64_t JsonNode::AsUnsigned() const {
  if (value_->is_number_unsigned()) return value_->get<std::uint64_t>();
  // Integers beyond 2^64 - 1 are read as floating-point numbers.
  if (value_->is_number_float() && value_->get<double>() >= 0.0 &&
      value_->get<double>() == std::floor(value_->get<double>())) {
    Fail("a non-negative integer below 2^64");
  }
  const int number = AsInt();
  if (number < 0) Fail("a non-negative integer");
  return static_cast<std::uint64_t>(number);
}

std::string JsonNode::AsString() const {
  if (!value_->is_string()) Fail("a string");
  return value_->get<std::string>();
}

std::vector<double> JsonNode::AsDoubles(int expected_size,
                                        const std::string& what) const {
  std::vector<double> numbers;
  for (const JsonNode& element : Elements(expected_size, what))
    numbers.push_back(element.AsDouble());
  return numbers;
}

std::vector<int> JsonNode::AsInts(int expected_size,
                                  const std::string& what) const {
  std::vector<int> numbers;
  for (const JsonNode& element : Elements(expected_size, what))
    numbers.push_back(element.AsInt());
  return numbers;
}

std::vector<std::string> JsonNode::AsStrings(int expected_size,
                                             const std::string& what) const {
  std::vector<std::string> strings;
  for (const JsonNode& element : Elements(expected_size, what))
    strings.push_back(element.AsString());
  return strings;
}

Eigen::MatrixXd JsonNode::AsMatrix(int columns, const std::string& what) const {
  const std::vector<JsonNode> rows = Elements(-1, what);
  Eigen::MatrixXd matrix(static_cast<Eigen::Index>(rows.size()), columns);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::vector<double> row =
        rows[r].AsDoubles(columns,
                          columns == 1 ? "number (one per parameter)"
                                       : "numbers (one per parameter)");
    for (int c = 0; c < columns; ++c)
      matrix(static_cast<Eigen::Index>(r), c) = row[c];
  }
  return matrix;
}

void JsonNode::Fail(const std::string& expected) const {
  throw InvalidInput(Where() + ": expected " + expected + ", got " +
                     Shown(*value_));
}

nlohmann::json ReadJsonFile(const std::string& path) {
  std::error_code error_code;
  if (std::filesystem::is_directory(path, error_code)) {
    throw InvalidInput(path + ": is a folder; expected a JSON file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidInput(path + ": cannot open the file for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InvalidInput(path + ": cannot read the file");
  return ParseJsonText(text.str(), path);
}

nlohmann::json ParseJsonText(const std::string& text,
                             const std::string& source) {
  return ParseStrictJson(text, source);
}

}  // namespace goldmine::core

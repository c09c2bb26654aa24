#include "json_reader.h"

#include <utility>

#include "goldmine/core/errors.h"

namespace goldmine::inference::internal {

std::string ShortDump(const nlohmann::json& value) {
  std::string text = value.dump();
  constexpr std::size_t kMaxLength = 60;
  if (text.size() > kMaxLength) text = text.substr(0, kMaxLength) + "...";
  return text;
}

JsonReader::JsonReader(const nlohmann::json& value,
                       std::string source,
                       std::string path)
    : value_(&value), source_(std::move(source)), path_(std::move(path)) {}

std::string JsonReader::Where() const {
  if (path_.empty()) return source_;
  return source_ + ": " + path_;
}

void JsonReader::Fail(const std::string& expected) const {
  throw InvalidInput(Where() + ": expected " + expected + ", got " +
                     ShortDump(*value_));
}

void JsonReader::FailWith(const std::string& message) const {
  throw InvalidInput(Where() + ": " + message);
}

void JsonReader::RequireObject() const {
  if (!value_->is_object()) Fail("an object");
}

bool JsonReader::Has(const std::string& key) const {
  return value_->is_object() && value_->contains(key);
}

JsonReader JsonReader::At(const std::string& key) const {
  RequireObject();
  const std::string child_path = path_.empty() ? key : path_ + "." + key;
  const auto found = value_->find(key);
  if (found == value_->end()) FailWith("missing required key \"" + key + "\"");
  return JsonReader(*found, source_, child_path);
}

void JsonReader::RequireOnlyKeys(
    std::initializer_list<const char*> allowed) const {
  RequireObject();
  for (const auto& item : value_->items()) {
    bool known = false;
    for (const char* key : allowed) known = known || item.key() == key;
    if (!known) {
      std::string list;
      for (const char* key : allowed) {
        list += (list.empty() ? "" : ", ") + std::string(key);
      }
      FailWith("unknown key \"" + item.key() + "\"; allowed are " + list);
    }
  }
}

std::vector<JsonReader> JsonReader::Elements(bool allow_empty) const {
  if (!value_->is_array()) Fail("an array");
  if (!allow_empty && value_->empty()) Fail("a non-empty array");
  std::vector<JsonReader> elements;
  for (std::size_t i = 0; i < value_->size(); ++i) {
    elements.emplace_back(
        (*value_)[i], source_, path_ + "[" + std::to_string(i) + "]");
  }
  return elements;
}

double JsonReader::AsDouble() const {
  if (!value_->is_number()) Fail("a number");
  return value_->get<double>();
}

bool JsonReader::AsBool() const {
  if (!value_->is_boolean()) Fail("true or false");
  return value_->get<bool>();
}

std::string JsonReader::AsString() const {
  if (!value_->is_string()) Fail("a string");
  return value_->get<std::string>();
}

std::vector<double> JsonReader::AsDoubles(int expected_size,
                                          const std::string& what) const {
  if (!value_->is_array()) Fail("an array of numbers");
  std::vector<double> numbers;
  for (const auto& element : Elements(true))
    numbers.push_back(element.AsDouble());
  if (expected_size >= 0 && static_cast<int>(numbers.size()) != expected_size) {
    FailWith("expected " + std::to_string(expected_size) +
             (expected_size == 1 ? " number" : " numbers") +
             (what.empty() ? "" : " (" + what + ")") + ", got " +
             std::to_string(numbers.size()));
  }
  return numbers;
}

}  // namespace goldmine::inference::internal

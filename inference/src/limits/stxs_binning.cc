#include "goldmine/inference/limits/stxs_binning.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::inference {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

}  // namespace

std::vector<std::string> StxsBinningNames() {
  return {"STXS-WH-1.0",
          "STXS-WH-1.1",
          "STXS-WH-1.2",
          "STXS-WH",
          "STXS-WH-6",
          "improved-STXS"};
}

std::optional<std::vector<AxisBinning>> StxsBinning(const std::string& name) {
  const std::vector<double> six = {0, 75, 150, 250, 400, 600, kInf};
  if (name == "STXS-WH-1.0")
    return std::vector<AxisBinning>{{{0, 150, 250, kInf}, 0}};
  if (name == "STXS-WH-1.1") {
    return std::vector<AxisBinning>{{{0, 75, 150, 250, kInf}, 0}};
  }
  if (name == "STXS-WH-1.2" || name == "STXS-WH") {
    return std::vector<AxisBinning>{{{0, 75, 150, 250, 400, kInf}, 0}};
  }
  if (name == "STXS-WH-6") return std::vector<AxisBinning>{{six, 0}};
  if (name == "improved-STXS") {
    return std::vector<AxisBinning>{{six, 0}, {{0, 400, 800, kInf}, 0}};
  }
  return std::nullopt;
}

std::vector<AxisBinning> ParseBinning(const std::string& text) {
  if (auto preset = StxsBinning(text)) return *preset;
  std::vector<AxisBinning> binning;
  for (const std::string& spec : Split(text, ';')) {
    const std::vector<std::string> words = Split(spec, ',');
    std::vector<double> numbers;
    for (const std::string& word : words) {
      std::size_t used = 0;
      double value = 0.0;
      try {
        value = std::stod(word, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != word.size() || std::isnan(value)) {
        std::string names;
        for (const auto& name : StxsBinningNames()) names += " " + name;
        throw InvalidInput("--binning " + text + ": \"" + word +
                           "\" is not a number (expected N, E0,E1,... per "
                           "dimension separated by ';', or one of" +
                           names + ")");
      }
      numbers.push_back(value);
    }
    if (numbers.empty()) {
      throw InvalidInput("--binning " + text + ": an empty dimension");
    }
    AxisBinning axis;
    if (numbers.size() == 1) {
      if (numbers[0] < 1 || numbers[0] != std::floor(numbers[0]) ||
          numbers[0] > 1e6) {
        throw InvalidInput("--binning " + spec +
                           ": a single value is a number of bins ≥ 1");
      }
      axis.num_bins = static_cast<int>(numbers[0]);
    } else {
      for (std::size_t i = 1; i < numbers.size(); ++i) {
        if (!(numbers[i - 1] < numbers[i])) {
          throw InvalidInput("--binning " + spec + ": edges must increase");
        }
      }
      axis.edges = numbers;
    }
    binning.push_back(axis);
  }
  return binning;
}

}  // namespace goldmine::inference

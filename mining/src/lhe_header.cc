#include "lhe_header.h"

#include <cmath>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "goldmine/core/errors.h"
#include "goldmine/core/strict_number.h"
#include "xml_scan.h"

namespace goldmine::mining {

std::vector<WeightDefinition> ParseInitRwgt(const std::string& text,
                                            const std::string& where) {
  std::vector<WeightDefinition> weights;
  std::set<std::string> seen;
  std::string group;
  std::size_t offset = 0;
  try {
    while (const auto tag = NextXmlTag(text, offset)) {
      offset = tag->end;
      if (tag->name == "weightgroup" && !tag->closing) {
        const auto name = tag->attributes.find("name");
        const auto type = tag->attributes.find("type");  // MadGraph 2 spelling
        group = name != tag->attributes.end()   ? name->second
                : type != tag->attributes.end() ? type->second
                                                : "";
      } else if (tag->name == "weightgroup" && tag->closing) {
        group.clear();
      } else if (tag->name == "weight" && !tag->closing) {
        WeightDefinition weight;
        const auto id = tag->attributes.find("id");
        if (id == tag->attributes.end()) {
          throw FileFormatError(
              where + ": <weight> without an id attribute in <initrwgt>");
        }
        weight.id = id->second;
        weight.group = group;
        weight.attributes = tag->attributes;
        weight.attributes.erase("id");
        if (!tag->self_closing) {
          const std::size_t close = text.find("</weight>", tag->end);
          if (close == std::string::npos) {
            throw FileFormatError(where + ": <weight id='" + weight.id +
                                  "'> in <initrwgt> has no </weight>");
          }
          weight.text = Trimmed(text.substr(tag->end, close - tag->end));
          offset = close + 9;
        }
        if (!seen.insert(weight.id).second) {
          throw FileFormatError(
              where + ": weight id '" + weight.id +
              "' is declared twice in <initrwgt>; ids must be unique");
        }
        weights.push_back(std::move(weight));
      }
    }
  } catch (const std::invalid_argument& error) {
    throw FileFormatError(where + ": broken <initrwgt>: " + error.what());
  }
  return weights;
}

std::map<std::string, double> ParseReweightSettings(const std::string& text,
                                                    const std::string& where) {
  std::map<std::string, double> settings;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::vector<std::string> tokens;
    for (std::string word; words >> word;) tokens.push_back(word);
    if (tokens.size() < 2 || tokens[0] != "set" || tokens[1] != "param_card")
      continue;
    if (tokens.size() < 5) {
      throw FileFormatError(where + ": \"" + Trimmed(line) +
                            "\": expected set param_card BLOCK ID VALUE");
    }
    // Strict: "0x10" is not 16, and a reweighting to nan or inf means
    // nothing (it became null in inspect's JSON).
    const std::optional<double> parsed = ParseDouble(tokens.back());
    if (!parsed || !std::isfinite(*parsed)) {
      throw FileFormatError(where + ": \"" + Trimmed(line) + "\": value \"" +
                            tokens.back() + "\" is not a finite number");
    }
    const double value = *parsed;
    std::string key = tokens[2];
    for (std::size_t i = 3; i + 1 < tokens.size(); ++i) key += " " + tokens[i];
    settings[key] = value;
  }
  return settings;
}

bool IsReweighting(const WeightDefinition& weight) {
  return weight.group == "mg_reweighting" ||
         weight.text.find("set param_card") != std::string::npos;
}

}  // namespace goldmine::mining

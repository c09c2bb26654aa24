#include "goldmine/mining/systematics.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

#include "goldmine/core/errors.h"
#include "goldmine/core/strict_number.h"
#include "xml_scan.h"

namespace goldmine::mining {
namespace {

// What a weight varies, from its attributes or its name.
struct Variation {
  std::optional<double> mur;
  std::optional<double> muf;
  std::optional<long> pdf;
  bool dynamic_scale = false;
  std::string group;
};

std::optional<double> Number(
    const std::map<std::string, std::string>& attributes, const char* key) {
  const auto found = attributes.find(key);
  if (found == attributes.end()) return std::nullopt;
  // Strict (strict_number.h): "2.0abc" or "0x10" is no scale at all, not 2
  // or 16; neither is nan.
  const std::optional<double> value = ParseDouble(Trimmed(found->second));
  if (!value || !std::isfinite(*value)) return std::nullopt;
  return value;
}

// The number after the first `tag` (MUR, MUF, PDF) in a weight name that
// is not preceded by a letter: "MUR2.0_MUF0.5" → "2.0" for MUR. Digits,
// then with `fraction` optionally "." and more digits; nullopt without one.
// (std::regex recursed once per character: a 50 000-digit name overflowed
// the stack; mutation campaign, issue 15.)
std::optional<std::string> TaggedNumber(const std::string& name,
                                        const std::string& tag,
                                        bool fraction) {
  const auto is_letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t at = name.find(tag); at != std::string::npos;
       at = name.find(tag, at + 1)) {
    if (at > 0 && is_letter(name[at - 1])) continue;
    const std::size_t begin = at + tag.size();
    std::size_t end = begin;
    while (end < name.size() && is_digit(name[end])) ++end;
    if (end == begin) continue;
    if (fraction && end < name.size() && name[end] == '.') {
      ++end;
      while (end < name.size() && is_digit(name[end])) ++end;
    }
    return name.substr(begin, end - begin);
  }
  return std::nullopt;
}

std::vector<Variation> Variations(const EventFileInfo& file) {
  std::vector<Variation> variations(file.weight_names.size());
  for (const WeightDefinition& weight : file.weight_definitions) {
    const auto index = std::find(
        file.weight_names.begin(), file.weight_names.end(), weight.id);
    if (index == file.weight_names.end()) continue;
    Variation& variation =
        variations[static_cast<std::size_t>(index - file.weight_names.begin())];
    variation.mur = Number(weight.attributes, "MUR");
    variation.muf = Number(weight.attributes, "MUF");
    if (const auto pdf = weight.attributes.find("PDF");
        pdf != weight.attributes.end()) {
      if (const auto id = ParseInteger(Trimmed(pdf->second)))
        variation.pdf = static_cast<long>(*id);
    }
    variation.dynamic_scale = weight.attributes.count("DYN_SCALE") != 0;
    variation.group = weight.group;
  }
  // Names such as "MUR2.0_MUF0.5_PDF261000" (POWHEG, Sherpa) or "MUF2"
  // (goldmine's generators): a scale that is not named is 1.
  for (std::size_t w = 0; w < file.weight_names.size(); ++w) {
    Variation& variation = variations[w];
    if (variation.mur || variation.muf) continue;  // attributes win
    const std::string& name = file.weight_names[w];
    const std::optional<std::string> mur = TaggedNumber(name, "MUR", true);
    const std::optional<std::string> muf = TaggedNumber(name, "MUF", true);
    if (!mur && !muf) continue;
    // Digits only, but possibly too many for a double or a long: such a
    // name is no variation (std::stod would throw).
    const std::optional<double> mur_value =
        mur ? ParseDouble(*mur) : std::optional<double>(1.0);
    const std::optional<double> muf_value =
        muf ? ParseDouble(*muf) : std::optional<double>(1.0);
    if (!mur_value || !muf_value) continue;
    variation.mur = mur_value;
    variation.muf = muf_value;
    if (const auto pdf = TaggedNumber(name, "PDF", false)) {
      if (const auto id = ParseInteger(*pdf))
        variation.pdf = static_cast<long>(*id);
    }
  }
  return variations;
}

bool Near(std::optional<double> value, double target) {
  return value && std::abs(*value - target) < 1e-6;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return text;
}

std::string Joined(const std::vector<double>& values) {
  std::ostringstream text;
  for (std::size_t i = 0; i < values.size(); ++i)
    text << (i > 0 ? "," : "") << values[i];
  return text.str();
}

}  // namespace

std::optional<int> FindVariationWeight(const EventFileInfo& file,
                                       const NuisanceSource& source) {
  if (source.type == SystematicSpec::Type::kNorm) return std::nullopt;
  const std::vector<Variation> variations = Variations(file);
  std::optional<int> central_match;
  std::optional<int> any_match;
  for (std::size_t w = 0; w < variations.size(); ++w) {
    const Variation& variation = variations[w];
    if (variation.dynamic_scale || !Near(variation.mur, source.mur) ||
        !Near(variation.muf, source.muf))
      continue;
    if (source.type == SystematicSpec::Type::kPdf) {
      if (variation.pdf == source.pdf_id) return static_cast<int>(w);
      continue;
    }
    // A scale variation: prefer the central PDF member (or no PDF label).
    const bool central = !variation.pdf || *variation.pdf % 1000 == 0;
    if (central && !central_match) central_match = static_cast<int>(w);
    if (!any_match) any_match = static_cast<int>(w);
  }
  return central_match ? central_match : any_match;
}

NuisanceLayout BuildNuisanceLayout(
    const std::vector<SystematicSpec>& systematics, const EventFileInfo& file) {
  NuisanceLayout layout;
  const std::vector<Variation> variations = Variations(file);
  for (const SystematicSpec& systematic : systematics) {
    MadminerSystematic stored;
    stored.name = systematic.name;
    auto parameter_name = [&](int i) {
      return systematic.name + "_nuisance_param_" + std::to_string(i);
    };
    auto benchmark_name = [&](int i, int side) {
      return parameter_name(i) + "_benchmark_" + std::to_string(side);
    };
    if (systematic.type == SystematicSpec::Type::kNorm) {
      stored.type = "norm";
      std::ostringstream value;
      value << systematic.norm_factor;
      stored.value = value.str();
      layout.parameters.push_back({parameter_name(0),
                                   systematic.name,
                                   benchmark_name(0, 0),
                                   std::nullopt});
      NuisanceSource source;
      source.benchmark = benchmark_name(0, 0);
      source.type = systematic.type;
      source.norm_factor = systematic.norm_factor;
      layout.sources.push_back(source);
    } else if (systematic.type == SystematicSpec::Type::kScale) {
      stored.type = "scale";
      stored.value = Joined(systematic.scale_factors);
      stored.scale = systematic.scale;
      GOLDMINE_REQUIRE(systematic.scale_factors.size() >= 2,
                       "systematics." + systematic.name +
                           ": expected at least two scale factors");
      layout.parameters.push_back({parameter_name(0),
                                   systematic.name,
                                   benchmark_name(0, 0),
                                   benchmark_name(0, 1)});
      for (int side = 0; side < 2; ++side) {
        const double factor = side == 0 ? systematic.scale_factors.back()
                                        : systematic.scale_factors.front();
        NuisanceSource source;
        source.benchmark = benchmark_name(0, side);
        source.type = systematic.type;
        source.mur = systematic.scale == "muf" ? 1.0 : factor;
        source.muf = systematic.scale == "mur" ? 1.0 : factor;
        if (!FindVariationWeight(file, source)) {
          std::ostringstream message;
          message << file.path << ": systematics." << systematic.name
                  << ": no weight with MUR=" << source.mur
                  << " MUF=" << source.muf
                  << " (scale variations need MadGraph systematics weights or "
                     "weights named like MUR2_MUF0.5)";
          throw InvalidInput(message.str());
        }
        layout.sources.push_back(source);
      }
    } else {
      stored.type = "pdf";
      stored.value = systematic.pdf_set;
      int member = 0;
      for (const Variation& variation : variations) {
        if (!variation.pdf || *variation.pdf % 1000 == 0 ||
            variation.dynamic_scale || !Near(variation.mur, 1.0) ||
            !Near(variation.muf, 1.0)) {
          continue;
        }
        if (!systematic.pdf_set.empty() &&
            Lower(variation.group).find(Lower(systematic.pdf_set)) ==
                std::string::npos) {
          continue;
        }
        layout.parameters.push_back({parameter_name(member),
                                     systematic.name,
                                     benchmark_name(member, 0),
                                     std::nullopt});
        NuisanceSource source;
        source.benchmark = benchmark_name(member, 0);
        source.type = systematic.type;
        source.pdf_id = *variation.pdf;
        layout.sources.push_back(source);
        ++member;
      }
      if (member == 0) {
        throw InvalidInput(file.path + ": systematics." + systematic.name +
                           ": no PDF member weights" +
                           (systematic.pdf_set.empty()
                                ? ""
                                : " in a weight group named like \"" +
                                      systematic.pdf_set + "\""));
      }
    }
    layout.systematics.push_back(stored);
  }
  std::sort(layout.sources.begin(),
            layout.sources.end(),
            [](const NuisanceSource& a, const NuisanceSource& b) {
              return a.benchmark < b.benchmark;
            });
  return layout;
}

void AddNuisanceLayout(const NuisanceLayout& layout, MadminerSetup* setup) {
  setup->systematics = layout.systematics;
  setup->nuisance_parameters = layout.parameters;
  MadminerBenchmarks& benchmarks = setup->benchmarks;
  for (const NuisanceSource& source : layout.sources) {
    benchmarks.names.push_back(source.benchmark);
    benchmarks.values.conservativeResize(benchmarks.values.rows() + 1,
                                         setup->num_parameters());
    benchmarks.values.row(benchmarks.values.rows() - 1).setZero();
    benchmarks.is_nuisance.push_back(true);
    benchmarks.is_reference.push_back(false);
  }
}

}  // namespace goldmine::mining

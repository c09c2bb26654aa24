#include "goldmine/mining/smearing.h"

#include <cmath>
#include <map>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::mining {
namespace {

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) joined += separator;
    joined += parts[i];
  }
  return joined;
}

std::string DescribeResolution(const std::optional<Resolution>& resolution) {
  if (!resolution) return "derived";
  if (resolution->custom) return resolution->description;
  std::ostringstream out;
  out << resolution->absolute << " + " << resolution->relative << " X";
  return out.str();
}

std::string DescribeIds(const std::vector<int>& ids) {
  std::string text = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) text += ",";
    text += std::to_string(ids[i]);
  }
  return text + "]";
}

// Delphes ATLAS card, HCal: σ_E for jets.
double AtlasJetEnergySigma(const FourMomentum& p) {
  const double energy = p.e();
  const double abs_eta = std::abs(p.eta());
  if (abs_eta <= 1.7) {
    return std::sqrt(std::pow(0.0302 * energy, 2) + 0.5205 * 0.5205 * energy +
                     1.59 * 1.59);
  }
  if (abs_eta <= 3.2) {
    return std::sqrt(std::pow(0.050 * energy, 2) + 0.706 * 0.706 * energy);
  }
  return 0.0;
}

// Delphes ATLAS card, ECal: σ_E for electrons.
double AtlasElectronEnergySigma(const FourMomentum& p) {
  const double energy = p.e();
  if (std::abs(p.eta()) > 3.2) return 0.0;
  return std::sqrt(std::pow(0.0017 * energy, 2) + 0.101 * 0.101 * energy);
}

// Delphes ATLAS card, muon track momentum: σ_pT.
double AtlasMuonPtSigma(const FourMomentum& p) {
  const double pt = p.pt();
  const double abs_eta = std::abs(p.eta());
  double relative = 0.0;
  if (abs_eta <= 0.5) {
    relative = std::hypot(0.01, 1.0e-4 * pt);
  } else if (abs_eta <= 1.5) {
    relative = std::hypot(0.015, 1.5e-4 * pt);
  } else if (abs_eta <= 2.5) {
    relative = std::hypot(0.025, 3.5e-4 * pt);
  }
  return relative * pt;
}

double AtlasElectronEfficiency(const FourMomentum& p) {
  const double abs_eta = std::abs(p.eta());
  if (p.pt() <= 10.0) return 0.0;
  if (abs_eta <= 1.5) return 0.95;
  if (abs_eta <= 2.5) return 0.85;
  return 0.0;
}

double AtlasMuonEfficiency(const FourMomentum& p) {
  const double abs_eta = std::abs(p.eta());
  if (p.pt() <= 10.0) return 0.0;
  if (abs_eta <= 1.5) return 0.95;
  if (abs_eta <= 2.7) return 0.85;
  return 0.0;
}

DetectorResponse WhPaperPreset() {
  DetectorResponse response;
  response.name = "wh-1908.06980";
  SmearingRule b_quarks;
  b_quarks.pdg_ids = {5, -5};
  b_quarks.energy = Resolution{0.0, 0.10, {}, ""};
  b_quarks.pt = std::nullopt;
  response.smearing.push_back(b_quarks);
  response.met_noise_absolute = 12.5;
  response.b_tagging.b = [](const FourMomentum&) { return 0.7; };
  response.b_tagging.description = "b 0.7";
  response.efficiency_mode = EfficiencyMode::kWeight;
  return response;
}

DetectorResponse AtlasLikePreset() {
  DetectorResponse response;
  response.name = "atlas-like";
  SmearingRule jets;
  jets.pdg_ids = {1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 21};
  jets.energy = Resolution{0.0, 0.0, AtlasJetEnergySigma, "ATLAS HCal"};
  jets.pt = std::nullopt;
  SmearingRule electrons;
  electrons.pdg_ids = {11, -11};
  electrons.energy =
      Resolution{0.0, 0.0, AtlasElectronEnergySigma, "ATLAS ECal"};
  electrons.pt = std::nullopt;
  SmearingRule muons;
  muons.pdg_ids = {13, -13};
  muons.energy = std::nullopt;
  muons.pt = Resolution{0.0, 0.0, AtlasMuonPtSigma, "ATLAS muon track"};
  response.smearing = {jets, electrons, muons};
  response.efficiencies.push_back(
      {{11, -11}, AtlasElectronEfficiency, "ATLAS electron"});
  response.efficiencies.push_back(
      {{13, -13}, AtlasMuonEfficiency, "ATLAS muon"});
  response.b_tagging.b = [](const FourMomentum& p) {
    if (std::abs(p.eta()) >= 2.5) return 0.0;
    const double pt = p.pt();
    return 0.80 * std::tanh(0.003 * pt) * 30.0 / (1.0 + 0.086 * pt);
  };
  response.b_tagging.c = [](const FourMomentum& p) {
    if (std::abs(p.eta()) >= 2.5) return 0.0;
    const double pt = p.pt();
    return 0.20 * std::tanh(0.02 * pt) / (1.0 + 0.0034 * pt);
  };
  response.b_tagging.light = [](const FourMomentum& p) {
    if (std::abs(p.eta()) >= 2.5) return 0.0;
    return 0.002 + 7.3e-6 * p.pt();
  };
  response.b_tagging.description = "ATL-PHYS-PUB-2015-022";
  response.met_noise_absolute = 12.5;
  response.efficiency_mode = EfficiencyMode::kWeight;
  return response;
}

}  // namespace

void DetectorResponse::Validate() const {
  std::vector<std::string> problems;
  std::map<int, int> rule_of_id;
  for (std::size_t i = 0; i < smearing.size(); ++i) {
    const SmearingRule& rule = smearing[i];
    if (!rule.energy && !rule.pt) {
      problems.push_back("smearing rule " + std::to_string(i) + " " +
                         DescribeIds(rule.pdg_ids) +
                         " derives both energy and pT; smear at least one");
    }
    for (int id : rule.pdg_ids) {
      auto [it, inserted] = rule_of_id.emplace(id, static_cast<int>(i));
      if (!inserted) {
        problems.push_back(
            "PDG id " + std::to_string(id) + " is in smearing rules " +
            std::to_string(it->second) + " and " + std::to_string(i));
      }
    }
  }
  std::map<int, int> efficiency_of_id;
  for (std::size_t i = 0; i < efficiencies.size(); ++i) {
    if (!efficiencies[i].efficiency) {
      problems.push_back("efficiency " + std::to_string(i) +
                         " has no function");
    }
    for (int id : efficiencies[i].pdg_ids) {
      auto [it, inserted] = efficiency_of_id.emplace(id, static_cast<int>(i));
      if (!inserted) {
        problems.push_back("PDG id " + std::to_string(id) +
                           " is in efficiencies " + std::to_string(it->second) +
                           " and " + std::to_string(i));
      }
    }
  }
  if (!(met_noise_absolute >= 0.0) || !(met_noise_relative >= 0.0)) {
    problems.push_back("MET noise must be ≥ 0, got absolute " +
                       std::to_string(met_noise_absolute) + ", relative " +
                       std::to_string(met_noise_relative));
  }
  if (!problems.empty()) {
    throw InvalidInput("detector response \"" + name +
                       "\": " + Join(problems, "; "));
  }
}

std::string DetectorResponse::Description() const {
  std::ostringstream out;
  out << "detector " << name << ":";
  for (const SmearingRule& rule : smearing) {
    out << " smear " << DescribeIds(rule.pdg_ids)
        << " E=" << DescribeResolution(rule.energy)
        << " pT=" << DescribeResolution(rule.pt)
        << " eta=" << DescribeResolution(rule.eta)
        << " phi=" << DescribeResolution(rule.phi) << ";";
  }
  out << " MET noise " << met_noise_absolute << " + " << met_noise_relative
      << " HT;";
  for (const ObjectEfficiency& efficiency : efficiencies) {
    out << " efficiency " << DescribeIds(efficiency.pdg_ids) << " "
        << efficiency.description << ";";
  }
  out << " b-tag "
      << (b_tagging.description.empty() ? "truth" : b_tagging.description)
      << "; efficiencies as "
      << (efficiency_mode == EfficiencyMode::kWeight ? "weights" : "random");
  return out.str();
}

const SmearingRule* DetectorResponse::FindRule(int pdg_id) const {
  for (const SmearingRule& rule : smearing) {
    for (int id : rule.pdg_ids) {
      if (id == pdg_id) return &rule;
    }
  }
  return nullptr;
}

std::vector<std::string> DetectorPresetNames() {
  return {"wh-1908.06980", "atlas-like", "perfect"};
}

DetectorResponse DetectorPreset(const std::string& name) {
  if (name == "wh-1908.06980") return WhPaperPreset();
  if (name == "atlas-like") return AtlasLikePreset();
  if (name == "perfect") return DetectorResponse{};
  throw InvalidInput("detector preset \"" + name + "\" is unknown; known: " +
                     Join(DetectorPresetNames(), ", "));
}

}  // namespace goldmine::mining

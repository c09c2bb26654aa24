#include "goldmine/inference/eft_binned_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

#include "eft_components.h"
#include "goldmine/core/errors.h"

namespace goldmine::inference {
namespace {

bool AllFinite(const Eigen::MatrixXd& matrix) { return matrix.allFinite(); }

std::string Shape(const Eigen::MatrixXd& matrix) {
  return std::to_string(matrix.rows()) + " x " + std::to_string(matrix.cols());
}

std::vector<double> ToVector(const Eigen::VectorXd& vector) {
  return std::vector<double>(vector.data(), vector.data() + vector.size());
}

}  // namespace

BinnedEftInput BinnedEftInput::FromBenchmarkSums(
    std::vector<std::string> parameter_names,
    const Eigen::MatrixXi& component_powers,
    const Eigen::MatrixXd& morphing_matrix,
    const Eigen::MatrixXd& benchmark_sums,
    const std::vector<Eigen::MatrixXd>& benchmark_sum_squared_weights,
    const std::vector<EftHistoSys>& benchmark_histosys,
    std::vector<EftNormSys> normsys) {
  const Eigen::Index benchmarks = morphing_matrix.cols();
  if (morphing_matrix.rows() != component_powers.rows()) {
    throw InvalidInput("morphing matrix is " + Shape(morphing_matrix) +
                       "; expected one row per component (" +
                       std::to_string(component_powers.rows()) + ")");
  }
  if (benchmark_sums.cols() != benchmarks) {
    throw InvalidInput("benchmark sums are " + Shape(benchmark_sums) +
                       "; expected bins x " + std::to_string(benchmarks) +
                       " benchmarks (the morphing matrix columns)");
  }
  BinnedEftInput input;
  input.parameter_names = std::move(parameter_names);
  input.component_powers = component_powers;
  input.component_yields = benchmark_sums * morphing_matrix.transpose();
  for (std::size_t b = 0; b < benchmark_sum_squared_weights.size(); ++b) {
    const Eigen::MatrixXd& q = benchmark_sum_squared_weights[b];
    if (q.rows() != benchmarks || q.cols() != benchmarks) {
      throw InvalidInput("sum of squared weights of bin " + std::to_string(b) +
                         " is " + Shape(q) + "; expected " +
                         std::to_string(benchmarks) + " x " +
                         std::to_string(benchmarks));
    }
    input.component_sum_squared_weights.push_back(morphing_matrix * q *
                                                  morphing_matrix.transpose());
  }
  for (const EftHistoSys& histosys : benchmark_histosys) {
    if (histosys.up.cols() != benchmarks ||
        histosys.down.cols() != benchmarks) {
      throw InvalidInput("histosys " + histosys.name + ": templates are " +
                         Shape(histosys.down) + " and " + Shape(histosys.up) +
                         "; expected bins x " + std::to_string(benchmarks));
    }
    input.histosys.push_back({histosys.name,
                              histosys.down * morphing_matrix.transpose(),
                              histosys.up * morphing_matrix.transpose()});
  }
  input.normsys = std::move(normsys);
  input.Validate();
  return input;
}

void BinnedEftInput::Validate() const {
  std::vector<std::string> problems;
  const Eigen::Index bins = component_yields.rows();
  const Eigen::Index components = component_powers.rows();
  if (parameter_names.empty()) problems.push_back("no parameters");
  if (component_powers.cols() !=
      static_cast<Eigen::Index>(parameter_names.size())) {
    problems.push_back("component powers have " +
                       std::to_string(component_powers.cols()) +
                       " columns; expected one per parameter (" +
                       std::to_string(parameter_names.size()) + ")");
  }
  if (components == 0) problems.push_back("no morphing components");
  if ((component_powers.array() < 0).any()) {
    problems.push_back("component powers must be >= 0");
  }
  if (bins == 0) problems.push_back("no bins");
  if (component_yields.cols() != components) {
    problems.push_back("component yields are " + Shape(component_yields) +
                       "; expected bins x " + std::to_string(components) +
                       " components");
  }
  if (!AllFinite(component_yields)) {
    problems.push_back("component yields are not all finite");
  }
  if (!component_sum_squared_weights.empty()) {
    if (static_cast<Eigen::Index>(component_sum_squared_weights.size()) !=
        bins) {
      problems.push_back(std::to_string(component_sum_squared_weights.size()) +
                         " second-moment matrices; expected one per bin (" +
                         std::to_string(bins) + ")");
    }
    for (std::size_t b = 0; b < component_sum_squared_weights.size(); ++b) {
      const Eigen::MatrixXd& q = component_sum_squared_weights[b];
      if (q.rows() != components || q.cols() != components || !AllFinite(q)) {
        problems.push_back("second moments of bin " + std::to_string(b) +
                           " are " + Shape(q) + "; expected finite " +
                           std::to_string(components) + " x " +
                           std::to_string(components));
      }
    }
  }
  std::set<std::string> names;
  const std::set<std::string> reserved = {
      kEftPoiName, "lumi", kEftStatErrorName};
  auto check_name = [&](const std::string& name, const std::string& what) {
    if (name.empty()) {
      problems.push_back(what + " has an empty name");
    } else if (reserved.count(name) != 0) {
      problems.push_back(what + " \"" + name + "\": the name is reserved");
    } else if (!names.insert(name).second) {
      problems.push_back(what + " \"" + name + "\": the name is repeated");
    }
  };
  for (const std::string& name : parameter_names) {
    if (name.empty()) problems.push_back("a parameter has an empty name");
  }
  for (const EftHistoSys& entry : histosys) {
    check_name(entry.name, "histosys");
    if (entry.up.rows() != bins || entry.up.cols() != components ||
        entry.down.rows() != bins || entry.down.cols() != components) {
      problems.push_back("histosys \"" + entry.name + "\": templates are " +
                         Shape(entry.down) + " and " + Shape(entry.up) +
                         "; expected " + Shape(component_yields));
    } else if (!AllFinite(entry.up) || !AllFinite(entry.down)) {
      problems.push_back("histosys \"" + entry.name +
                         "\": templates are not all finite");
    }
  }
  for (const EftNormSys& entry : normsys) {
    check_name(entry.name, "normsys");
    if (!(entry.lo > 0.0 && entry.hi > 0.0) || !std::isfinite(entry.lo) ||
        !std::isfinite(entry.hi)) {
      problems.push_back("normsys \"" + entry.name + "\": lo " +
                         std::to_string(entry.lo) + " and hi " +
                         std::to_string(entry.hi) + " must be finite and > 0");
    }
  }
  if (problems.empty()) return;
  std::string message = "binned EFT input: ";
  for (std::size_t i = 0; i < problems.size(); ++i) {
    message += (i > 0 ? "; " : "") + problems[i];
  }
  throw InvalidInput(message);
}

std::string BinnedEftOptions::Validate() const {
  std::string problems;
  if (!(luminosity > 0.0) || !std::isfinite(luminosity)) {
    problems += "luminosity must be > 0 (pb^-1), got " +
                std::to_string(luminosity) + "; ";
  }
  if (!(lumi_uncertainty >= 0.0) || !(lumi_uncertainty < 0.2)) {
    problems +=
        "lumi uncertainty must be in [0, 0.2) (relative; pyhf bounds are "
        "1 +- 5 sigma), got " +
        std::to_string(lumi_uncertainty) + "; ";
  }
  if (!problems.empty()) problems.resize(problems.size() - 2);
  return problems;
}

std::string BinnedEftOptions::Description() const {
  std::ostringstream text;
  text << "luminosity " << luminosity << " pb^-1";
  if (lumi_uncertainty > 0.0) text << ", lumi uncertainty " << lumi_uncertainty;
  text << ", staterror " << (staterror ? "on" : "off");
  if (staterror && staterror_theta.size() > 0) {
    text << " (widths at theta";
    for (Eigen::Index i = 0; i < staterror_theta.size(); ++i) {
      text << (i == 0 ? " " : ",") << staterror_theta(i);
    }
    text << ")";
  }
  text << ", normsys " << inference::Description(normsys_code) << ", histosys "
       << inference::Description(histosys_code);
  return text.str();
}

BinnedEftModel::BinnedEftModel(BinnedEftInput input, BinnedEftOptions options)
    : input_(std::move(input)), options_(std::move(options)) {
  input_.Validate();
  const std::string problems = options_.Validate();
  if (!problems.empty()) throw InvalidInput(problems);
  const Eigen::VectorXd theta = Eigen::VectorXd::Zero(num_parameters());
  if (options_.staterror_theta.size() == 0) options_.staterror_theta = theta;
  if (options_.staterror_theta.size() != num_parameters() ||
      !options_.staterror_theta.allFinite()) {
    throw InvalidInput("staterror reference theta has " +
                       std::to_string(options_.staterror_theta.size()) +
                       " values; expected " + std::to_string(num_parameters()) +
                       " finite values");
  }
  if (options_.staterror && !input_.component_sum_squared_weights.empty()) {
    const Eigen::VectorXd c =
        EvaluateComponents(input_.component_powers, options_.staterror_theta);
    const Eigen::VectorXd yields = input_.component_yields * c;
    relative_staterror_ = Eigen::VectorXd::Zero(num_bins());
    for (int b = 0; b < num_bins(); ++b) {
      const Eigen::MatrixXd& q =
          input_.component_sum_squared_weights[static_cast<std::size_t>(b)];
      const double sum_w2 = std::max(c.dot(q * c), 0.0);
      if (yields(b) > 0.0)
        relative_staterror_(b) = std::sqrt(sum_w2) / yields(b);
    }
  }
  const Model model = ModelAt(theta, Yields(theta).cwiseAbs());
  nuisance_names_ = model.parameter_names();
  nominal_ = model.inits();
  poi_index_ = model.poi_index();
}

void BinnedEftModel::CheckTheta(const Eigen::VectorXd& theta) const {
  if (theta.size() != num_parameters()) {
    throw InvalidInput("theta has " + std::to_string(theta.size()) +
                       " values; the model has " +
                       std::to_string(num_parameters()) + " parameters");
  }
}

Eigen::VectorXd BinnedEftModel::Yields(const Eigen::VectorXd& theta) const {
  CheckTheta(theta);
  return options_.luminosity * input_.component_yields *
         EvaluateComponents(input_.component_powers, theta);
}

Eigen::MatrixXd BinnedEftModel::YieldGradients(
    const Eigen::VectorXd& theta) const {
  CheckTheta(theta);
  return options_.luminosity * input_.component_yields *
         ComponentGradients(input_.component_powers, theta).transpose();
}

Sample BinnedEftModel::SampleAt(const Eigen::VectorXd& theta) const {
  CheckTheta(theta);
  const Eigen::VectorXd c = EvaluateComponents(input_.component_powers, theta);
  const double lumi = options_.luminosity;
  Sample sample;
  sample.name = kEftSampleName;
  sample.data = ToVector(lumi * input_.component_yields * c);
  Modifier mu;
  mu.name = kEftPoiName;
  mu.type = ModifierType::kNormFactor;
  sample.modifiers.push_back(mu);
  if (options_.lumi_uncertainty > 0.0) {
    Modifier lumi_modifier;
    lumi_modifier.name = "lumi";
    lumi_modifier.type = ModifierType::kLumi;
    sample.modifiers.push_back(lumi_modifier);
  }
  for (const EftNormSys& normsys : input_.normsys) {
    Modifier modifier;
    modifier.name = normsys.name;
    modifier.type = ModifierType::kNormSys;
    modifier.lo = normsys.lo;
    modifier.hi = normsys.hi;
    sample.modifiers.push_back(modifier);
  }
  for (const EftHistoSys& histosys : input_.histosys) {
    Modifier modifier;
    modifier.name = histosys.name;
    modifier.type = ModifierType::kHistoSys;
    modifier.lo_data = ToVector(lumi * histosys.down * c);
    modifier.hi_data = ToVector(lumi * histosys.up * c);
    sample.modifiers.push_back(modifier);
  }
  if (options_.staterror && !input_.component_sum_squared_weights.empty()) {
    Modifier modifier;
    modifier.name = kEftStatErrorName;
    modifier.type = ModifierType::kStatError;
    for (Eigen::Index b = 0; b < relative_staterror_.size(); ++b) {
      modifier.uncertainties.push_back(
          relative_staterror_(b) * sample.data[static_cast<std::size_t>(b)]);
    }
    sample.modifiers.push_back(modifier);
  }
  return sample;
}

Workspace BinnedEftModel::WorkspaceAt(const Eigen::VectorXd& theta,
                                      const Eigen::VectorXd& observed) const {
  if (observed.size() != num_bins()) {
    throw InvalidInput("observed counts: " + std::to_string(observed.size()) +
                       " values; the model has " + std::to_string(num_bins()) +
                       " bins");
  }
  if (!observed.allFinite() || (observed.array() < 0.0).any()) {
    throw InvalidInput("observed counts must be finite and >= 0");
  }
  Workspace workspace;
  workspace.source = "EFT workspace";
  Channel channel;
  channel.name = kEftChannelName;
  channel.samples.push_back(SampleAt(theta));
  workspace.channels.push_back(std::move(channel));
  workspace.observations.emplace_back(kEftChannelName, ToVector(observed));
  Measurement measurement;
  measurement.name = kEftMeasurementName;
  measurement.poi = kEftPoiName;
  measurement.json_path = "measurements[0]";
  ParameterConfig mu;
  mu.name = kEftPoiName;
  mu.inits = std::vector<double>{1.0};
  mu.bounds = std::vector<std::pair<double, double>>{{0.0, 10.0}};
  mu.fixed = true;
  mu.json_path = "measurements[0].config.parameters[0]";
  measurement.parameters.push_back(mu);
  if (options_.lumi_uncertainty > 0.0) {
    const double s = options_.lumi_uncertainty;
    ParameterConfig lumi;
    lumi.name = "lumi";
    lumi.auxdata = std::vector<double>{1.0};
    lumi.sigmas = std::vector<double>{s};
    lumi.inits = std::vector<double>{1.0};
    lumi.bounds =
        std::vector<std::pair<double, double>>{{1.0 - 5.0 * s, 1.0 + 5.0 * s}};
    lumi.json_path = "measurements[0].config.parameters[1]";
    measurement.parameters.push_back(lumi);
  }
  workspace.measurements.push_back(std::move(measurement));
  return workspace;
}

Model BinnedEftModel::ModelAt(const Eigen::VectorXd& theta,
                              const Eigen::VectorXd& observed) const {
  ModelOptions model_options;
  model_options.normsys_code = options_.normsys_code;
  model_options.histosys_code = options_.histosys_code;
  return Model(WorkspaceAt(theta, observed), model_options);
}

double BinnedEftModel::TwiceNll(const Eigen::VectorXd& theta,
                                const Eigen::VectorXd& nuisance,
                                const Eigen::VectorXd& observed) const {
  const Model model = ModelAt(theta, observed);
  if (nuisance.size() != model.num_parameters()) {
    throw InvalidInput(
        "nuisance parameters: " + std::to_string(nuisance.size()) +
        " values; expected " + std::to_string(model.num_parameters()));
  }
  Eigen::VectorXd data(observed.size() + model.num_auxdata());
  data << observed, model.auxdata();
  const Eigen::VectorXd expected = model.ExpectedMainData(nuisance);
  for (Eigen::Index b = 0; b < expected.size(); ++b) {
    if (expected(b) < 0.0 || (expected(b) == 0.0 && observed(b) > 0.0)) {
      return std::numeric_limits<double>::infinity();
    }
  }
  const double value = model.TwiceNll(nuisance, data);
  return std::isnan(value) ? std::numeric_limits<double>::infinity() : value;
}

std::string BinnedEftModel::Description() const {
  std::ostringstream text;
  text << "binned EFT model: " << num_bins() << " bins, "
       << input_.num_components() << " components of " << num_parameters()
       << " parameters, " << input_.histosys.size() << " histosys, "
       << input_.normsys.size() << " normsys, staterror "
       << (options_.staterror && !input_.component_sum_squared_weights.empty()
               ? "on"
               : "off")
       << "; " << options_.Description();
  return text.str();
}

}  // namespace goldmine::inference

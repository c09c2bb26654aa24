#include "goldmine/estimators/training_samples.h"

#include <vector>

#include "goldmine/core/errors.h"

namespace goldmine::estimators {
namespace {

std::string CommaSeparated(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

TrainingData ToTrainingData(const mining::SampleData& samples,
                            Method method,
                            bool double_parameterized,
                            const std::string& path) {
  const std::string name = MethodName(method);
  const auto require = [&](const Eigen::MatrixXd& m,
                           const char* dataset,
                           const char* hint) {
    if (m.size() == 0) {
      throw InvalidInput(path + ": no " + dataset + " (a '" + samples.method +
                         "' sample); " + name + " needs it: " + hint);
    }
  };
  TrainingData data;
  data.x = samples.x;
  data.observable_names = samples.observables;
  if (IsScoreMethod(method)) {
    require(
        samples.t_xz, "t_xz", "draw the samples with `goldmine augment local`");
    data.t_xz = samples.t_xz;
    data.parameter_names = samples.parameters;
    data.parameter_names.insert(data.parameter_names.end(),
                                samples.nuisance_parameters.begin(),
                                samples.nuisance_parameters.end());
    return data;
  }
  const char* ratio_hint = "draw the samples with `goldmine augment ratio`";
  require(samples.theta0, "theta0", ratio_hint);
  require(samples.y, "y", ratio_hint);
  data.theta0 = samples.theta0;
  data.y = samples.y;
  data.parameter_names = samples.parameters;
  if (double_parameterized) {
    require(samples.theta1, "theta1", ratio_hint);
    data.theta1 = samples.theta1;
  }
  if (NeedsJointRatio(method)) {
    require(samples.r_xz, "r_xz", ratio_hint);
    data.r_xz = samples.r_xz;
  }
  if (NeedsJointScore(method)) {
    require(samples.t_xz, "t_xz", ratio_hint);
    if (samples.t_xz.cols() < samples.theta0.cols()) {
      throw InvalidInput(
          path + ": t_xz has " + std::to_string(samples.t_xz.cols()) +
          " columns, theta0 has " + std::to_string(samples.theta0.cols()));
    }
    data.t_xz = samples.t_xz.leftCols(samples.theta0.cols());
    if (double_parameterized) {
      // The θ1 score term (MadMiner's ratio_score_mse) needs t(x,z|θ1).
      require(samples.t_xz1,
              "t_xz1",
              "double-parameterized score-augmented training needs the "
              "score at theta1; draw the samples with `goldmine augment "
              "more-ratios`");
      data.t_xz1 = samples.t_xz1.leftCols(samples.theta0.cols());
    }
  }
  return data;
}

MorphingStructure MorphingStructureOf(const mining::MadminerSetup& setup,
                                      const std::string& setup_path,
                                      const mining::SampleData& samples,
                                      bool double_parameterized,
                                      const std::string& samples_path) {
  if (!setup.morphing) {
    throw InvalidInput(setup_path +
                       ": no morphing/ group; --morphing-aware needs the "
                       "events or setup file of a morphing setup");
  }
  std::vector<std::string> names;
  for (const auto& parameter : setup.parameters)
    names.push_back(parameter.name);
  if (names != samples.parameters) {
    throw InvalidInput(setup_path + ": parameters (" + CommaSeparated(names) +
                       ") differ from those of " + samples_path + " (" +
                       CommaSeparated(samples.parameters) + ")");
  }
  const mining::MadminerMorphing& morphing = *setup.morphing;
  MorphingStructure structure;
  for (Eigen::Index c = 0; c < morphing.components.rows(); ++c) {
    std::vector<int> powers;
    for (Eigen::Index k = 0; k < morphing.components.cols(); ++k)
      powers.push_back(morphing.components(c, k));
    structure.components.push_back(powers);
    std::vector<double> row;
    for (Eigen::Index b = 0; b < morphing.morphing_matrix.cols(); ++b)
      row.push_back(morphing.morphing_matrix(c, b));
    structure.matrix.push_back(row);
  }
  if (!double_parameterized) {
    const Eigen::MatrixXd& theta1 = samples.theta1;
    if (theta1.rows() == 0) {
      throw InvalidInput(samples_path +
                         ": no theta1; a morphing-aware network needs the "
                         "denominator of `goldmine augment ratio`");
    }
    for (Eigen::Index row = 1; row < theta1.rows(); ++row) {
      if (theta1.row(row) != theta1.row(0)) {
        throw InvalidInput(samples_path + ": theta1 row " +
                           std::to_string(row) +
                           " differs from row 0; a single-parameterized "
                           "network has one theta1 (add "
                           "--double-parameterized)");
      }
    }
    for (Eigen::Index k = 0; k < theta1.cols(); ++k)
      structure.reference.push_back(theta1(0, k));
  }
  return structure;
}

}  // namespace goldmine::estimators

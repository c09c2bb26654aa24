#include "goldmine/inference/eft_fisher_information.h"

#include <Eigen/Dense>

#include "goldmine/core/errors.h"
#include "goldmine/inference/interpolation.h"

namespace goldmine::inference {

EftFisherInformation ComputeEftFisherInformation(const BinnedEftModel& model,
                                                 const Eigen::VectorXd& theta) {
  const Eigen::VectorXd yields = model.Yields(theta);
  const Model engine = model.ModelAt(theta, yields.cwiseMax(0.0));
  const Sample sample = model.SampleAt(theta);
  const BinnedEftOptions& options = model.options();
  const int p = model.num_parameters();
  const int bins = model.num_bins();

  // Columns: ∂ν/∂θ, then one per free engine parameter.
  std::vector<Eigen::VectorXd> columns;
  std::vector<double> constraint;  // 1/σ² per column (0 for θ)
  EftFisherInformation result;
  const Eigen::MatrixXd theta_gradient = model.YieldGradients(theta);
  for (int i = 0; i < p; ++i) {
    columns.push_back(theta_gradient.col(i));
    constraint.push_back(0.0);
    result.parameters.push_back(model.input().parameter_names[i]);
  }
  auto find_modifier = [&](const std::string& name, ModifierType type) {
    for (const Modifier& modifier : sample.modifiers) {
      if (modifier.name == name && modifier.type == type) return &modifier;
    }
    throw InvalidInput("internal: no modifier " + name);
  };
  for (const ParameterSet& set : engine.parameter_sets()) {
    for (int j = 0; j < set.size; ++j) {
      const int index = set.offset + j;
      if (engine.fixed()[static_cast<std::size_t>(index)]) continue;
      Eigen::VectorXd derivative = Eigen::VectorXd::Zero(bins);
      switch (set.type) {
        case ModifierType::kHistoSys: {
          const Modifier* modifier = find_modifier(set.name, set.type);
          for (int b = 0; b < bins; ++b) {
            const auto bin = static_cast<std::size_t>(b);
            derivative(b) = InterpolateHistoSys(options.histosys_code,
                                                modifier->lo_data[bin],
                                                sample.data[bin],
                                                modifier->hi_data[bin],
                                                0.0)
                                .derivative;
          }
          break;
        }
        case ModifierType::kNormSys: {
          const Modifier* modifier = find_modifier(set.name, set.type);
          derivative = yields * InterpolateNormSys(options.normsys_code,
                                                   modifier->lo,
                                                   modifier->hi,
                                                   0.0)
                                    .derivative;
          break;
        }
        case ModifierType::kLumi:
          derivative = yields;
          break;
        case ModifierType::kStatError:
          derivative(j) = yields(j);
          break;
        default:
          throw InvalidInput("internal: unexpected free parameter " +
                             engine.parameter_names()[index]);
      }
      columns.push_back(derivative);
      const double width =
          set.constraint == ConstraintType::kGaussian ? set.widths[j] : 0.0;
      constraint.push_back(width > 0.0 ? 1.0 / (width * width) : 0.0);
      result.parameters.push_back(engine.parameter_names()[index]);
    }
  }
  const auto n = static_cast<Eigen::Index>(columns.size());
  Eigen::MatrixXd jacobian(bins, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    jacobian.col(i) = columns[static_cast<std::size_t>(i)];
  }
  Eigen::VectorXd inverse_yields = Eigen::VectorXd::Zero(bins);
  for (int b = 0; b < bins; ++b) {
    if (yields(b) > 0.0) inverse_yields(b) = 1.0 / yields(b);
  }
  result.information =
      jacobian.transpose() * inverse_yields.asDiagonal() * jacobian;
  for (Eigen::Index i = 0; i < n; ++i) {
    result.information(i, i) += constraint[static_cast<std::size_t>(i)];
  }
  std::vector<int> remaining;
  for (int i = 0; i < p; ++i) remaining.push_back(i);
  result.profiled = ProfileFisherInformation(result.information, remaining);
  return result;
}

Eigen::MatrixXd ProfileFisherInformation(const Eigen::MatrixXd& information,
                                         const std::vector<int>& remaining) {
  const Eigen::Index n = information.rows();
  if (information.cols() != n) {
    throw InvalidInput("Fisher information must be square");
  }
  std::vector<bool> keep(static_cast<std::size_t>(n), false);
  for (int index : remaining) {
    if (index < 0 || index >= n || keep[static_cast<std::size_t>(index)]) {
      throw InvalidInput("profiled Fisher information: index " +
                         std::to_string(index) +
                         " is out of range or repeated");
    }
    keep[static_cast<std::size_t>(index)] = true;
  }
  std::vector<int> others;
  for (int i = 0; i < n; ++i) {
    if (!keep[static_cast<std::size_t>(i)]) others.push_back(i);
  }
  const auto r = static_cast<Eigen::Index>(remaining.size());
  const auto o = static_cast<Eigen::Index>(others.size());
  Eigen::MatrixXd rr(r, r), ro(r, o), oo(o, o);
  for (Eigen::Index i = 0; i < r; ++i) {
    for (Eigen::Index j = 0; j < r; ++j) {
      rr(i, j) = information(remaining[i], remaining[j]);
    }
    for (Eigen::Index j = 0; j < o; ++j) {
      ro(i, j) = information(remaining[i], others[j]);
    }
  }
  for (Eigen::Index i = 0; i < o; ++i) {
    for (Eigen::Index j = 0; j < o; ++j) {
      oo(i, j) = information(others[i], others[j]);
    }
  }
  if (o == 0) return rr;
  const Eigen::MatrixXd solved =
      oo.completeOrthogonalDecomposition().solve(ro.transpose());
  return rr - ro * solved;
}

}  // namespace goldmine::inference

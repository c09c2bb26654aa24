#include "goldmine/morphing/morpher.h"

#include <Eigen/SVD>
#include <cmath>
#include <limits>
#include <sstream>
#include <utility>

#include "goldmine/core/errors.h"

namespace goldmine::morphing {

Morpher::Morpher(Components components, Eigen::MatrixXd basis)
    : components_(std::move(components)), basis_(std::move(basis)) {
  const int needed = components_.num_components();
  GOLDMINE_REQUIRE(basis_.cols() == components_.num_parameters(),
                   "basis: expected " +
                       std::to_string(components_.num_parameters()) +
                       " values per benchmark (one per parameter), got " +
                       std::to_string(basis_.cols()));
  GOLDMINE_REQUIRE(basis_.rows() >= needed,
                   "basis: " + std::to_string(basis_.rows()) +
                       " benchmarks cannot determine " +
                       std::to_string(needed) +
                       " morphing components; give at least " +
                       std::to_string(needed) + " benchmarks");
  GOLDMINE_REQUIRE(basis_.allFinite(),
                   "basis: every benchmark value must be a finite number");

  // The SVD gives both the condition number and a pseudo-inverse that is
  // A⁻¹ for a square basis and the minimum-norm solution otherwise.
  const Eigen::MatrixXd basis_matrix = components_.EvaluateBatch(basis_);
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(
      basis_matrix, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const Eigen::VectorXd& singular_values = svd.singularValues();
  const double largest = singular_values(0);
  const double smallest = singular_values(singular_values.size() - 1);
  condition_number_ = smallest > 0.0 ? largest / smallest
                                     : std::numeric_limits<double>::infinity();
  if (!(condition_number_ <= kMaxConditionNumber)) {
    std::ostringstream message;
    message << "basis: the benchmarks do not determine the " << needed
            << " morphing components (the basis matrix is "
            << (smallest > 0.0 ? "numerically singular, condition number "
                               : "singular, condition number ")
            << condition_number_ << " > " << kMaxConditionNumber
            << "); move benchmarks apart or replace repeated ones";
    throw InvalidInput(message.str());
  }
  morphing_matrix_ = svd.matrixV() *
                     singular_values.cwiseInverse().asDiagonal() *
                     svd.matrixU().transpose();
  for (int p = 0; p < components_.num_parameters(); ++p) {
    const std::vector<int>& dependent = components_.components_depending_on(p);
    Eigen::MatrixXd rows(static_cast<Eigen::Index>(dependent.size()),
                         morphing_matrix_.cols());
    for (std::size_t j = 0; j < dependent.size(); ++j) {
      rows.row(static_cast<Eigen::Index>(j)) =
          morphing_matrix_.row(dependent[j]);
    }
    dependent_morphing_rows_.push_back(std::move(rows));
  }
}

void Morpher::RequireBenchmarkCount(Eigen::Index count,
                                    const char* what) const {
  GOLDMINE_REQUIRE(count == num_benchmarks(),
                   std::string(what) + ": expected one value per benchmark (" +
                       std::to_string(num_benchmarks()) + "), got " +
                       std::to_string(count));
}

Eigen::VectorXd Morpher::Weights(const Eigen::VectorXd& theta) const {
  return morphing_matrix_.transpose() * components_.Evaluate(theta);
}

Eigen::MatrixXd Morpher::WeightGradients(const Eigen::VectorXd& theta) const {
  return components_.Gradient(theta) * morphing_matrix_;
}

double Morpher::SumSquaredWeights(const Eigen::VectorXd& theta) const {
  return Weights(theta).squaredNorm();
}

Eigen::MatrixXd Morpher::WeightsBatch(const Eigen::MatrixXd& thetas) const {
  return components_.EvaluateBatch(thetas) * morphing_matrix_;
}

std::vector<Eigen::MatrixXd> Morpher::WeightGradientsBatch(
    const Eigen::MatrixXd& thetas) const {
  std::vector<Eigen::MatrixXd> gradients =
      components_.ReducedGradientBatch(thetas);
  for (std::size_t p = 0; p < gradients.size(); ++p) {
    gradients[p] = gradients[p] * dependent_morphing_rows_[p];
  }
  return gradients;
}

double Morpher::CrossSection(
    const Eigen::VectorXd& theta,
    const Eigen::VectorXd& benchmark_cross_sections) const {
  RequireBenchmarkCount(benchmark_cross_sections.size(),
                        "benchmark cross sections");
  return Weights(theta).dot(benchmark_cross_sections);
}

Eigen::VectorXd Morpher::CrossSectionGradient(
    const Eigen::VectorXd& theta,
    const Eigen::VectorXd& benchmark_cross_sections) const {
  RequireBenchmarkCount(benchmark_cross_sections.size(),
                        "benchmark cross sections");
  return WeightGradients(theta) * benchmark_cross_sections;
}

Eigen::VectorXd Morpher::EventWeights(
    const Eigen::VectorXd& theta,
    const Eigen::MatrixXd& benchmark_weights) const {
  RequireBenchmarkCount(benchmark_weights.cols(), "benchmark weights");
  return benchmark_weights * Weights(theta);
}

std::string Morpher::Description() const {
  std::ostringstream text;
  text << "morphing with " << num_benchmarks() << " benchmarks for "
       << components_.Description() << ", condition number "
       << condition_number_;
  return text.str();
}

}  // namespace goldmine::morphing

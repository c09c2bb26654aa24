#include "goldmine/mem/mem_ratio_model.h"

#include <Eigen/QR>
#include <cmath>
#include <cstring>
#include <limits>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/mem/mem_computation.h"
#include "goldmine/mem/monomials.h"
#include "goldmine/mining/augmenter.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/mem_file.h"

namespace goldmine::mem {
namespace {

std::string RowKey(const Eigen::MatrixXd& x, Eigen::Index row) {
  std::string key(static_cast<std::size_t>(x.cols()) * sizeof(double), '\0');
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double value = x(row, j);
    std::memcpy(&key[static_cast<std::size_t>(j) * sizeof(double)],
                &value,
                sizeof(double));
  }
  return key;
}

}  // namespace

MemRatioModel::MemRatioModel(const std::filesystem::path& events_file,
                             const std::filesystem::path& mem_file)
    : mem_file_(mem_file.string()), density_(Eigen::MatrixXi()) {
  const mining::MemFileReader reader(mem_file);
  const mining::MemHeader& header = reader.header();
  const mining::MadminerEvents events = mining::ReadEvents(events_file);
  for (const auto& parameter : events.setup.parameters)
    parameters_.push_back(parameter.name);
  for (const auto& observable : events.setup.observables)
    observables_.push_back(observable.name);
  RequireMemMatchesEvents(mem_file_,
                          header.parameter_names,
                          header.observables,
                          header.num_events,
                          header.observations_digest,
                          events_file);
  const Eigen::Index n = events.events.observations.rows();
  monomials_ = header.components;
  density_ = ObservableDensity(monomials_);
  coefficients_ = reader.Read(0, n).coefficients;
  for (Eigen::Index e = 0; e < n; ++e)
    rows_.emplace(RowKey(events.events.observations, e), e);

  // σ(θ_b) at the physics benchmarks → the monomial coefficients s_c.
  const mining::Augmenter augmenter(events_file);
  RandomStream unused(0);
  mining::ThetaPoints points;
  points.thetas.resize(0, augmenter.num_parameters());
  points.nus.resize(0, augmenter.num_nuisance_parameters());
  const auto& benchmarks = events.setup.benchmarks;
  for (int b = 0; b < benchmarks.num_physics(); ++b) {
    const mining::ThetaPoints one = augmenter.ParseTheta(
        "benchmark:" + benchmarks.names[static_cast<std::size_t>(b)], unused);
    const Eigen::Index k = points.size();
    points.thetas.conservativeResize(k + 1, Eigen::NoChange);
    points.thetas.row(k) = one.thetas.row(0);
    points.nus.conservativeResize(k + 1, Eigen::NoChange);
    points.nus.row(k) = one.nus.row(0);
    points.benchmarks.push_back(one.benchmarks.at(0));
  }
  const mining::CrossSections xsec =
      augmenter.ComputeCrossSections(points, "all");
  Eigen::MatrixXd design(points.size(), monomials_.rows());
  for (Eigen::Index b = 0; b < points.size(); ++b)
    design.row(b) =
        EvaluateMonomials(monomials_, points.thetas.row(b).transpose())
            .transpose();
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(design);
  if (qr.rank() < monomials_.rows()) {
    throw InvalidInput(events_file.string() + ": its " +
                       std::to_string(points.size()) +
                       " physics benchmarks do not determine the " +
                       std::to_string(monomials_.rows()) +
                       " monomials of sigma(theta) that the MEM needs");
  }
  sigma_coefficients_ = qr.solve(xsec.xsec);
}

double MemRatioModel::CrossSection(const Eigen::VectorXd& theta) const {
  return EvaluateMonomials(monomials_, theta).dot(sigma_coefficients_);
}

Eigen::MatrixXd MemRatioModel::Coefficients(const Eigen::MatrixXd& x) const {
  if (x.cols() != static_cast<Eigen::Index>(observables_.size())) {
    throw InvalidInput("MEM model: observations have " +
                       std::to_string(x.cols()) + " columns, expected " +
                       std::to_string(observables_.size()));
  }
  Eigen::MatrixXd coefficients(x.rows(), coefficients_.cols());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const auto found = rows_.find(RowKey(x, i));
    if (found == rows_.end()) {
      throw InvalidInput(
          mem_file_ + ": observation " + std::to_string(i) +
          " is not an event of its events file; the MEM of other data "
          "needs its own goldmine mem run");
    }
    coefficients.row(i) = coefficients_.row(found->second);
  }
  return coefficients;
}

Eigen::VectorXd MemRatioModel::LogLikelihoodRatio(
    const Eigen::MatrixXd& x, const Eigen::VectorXd& theta0) const {
  const Eigen::MatrixXd coefficients = Coefficients(x);
  const Eigen::VectorXd sm = Eigen::VectorXd::Zero(theta0.size());
  const Eigen::VectorXd at_theta =
      density_.DifferentialCrossSection(coefficients, theta0);
  const Eigen::VectorXd at_sm =
      density_.DifferentialCrossSection(coefficients, sm);
  const double log_sigma_ratio =
      std::log(CrossSection(theta0) / CrossSection(sm));
  Eigen::VectorXd result(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    // A non-positive density at θ0 means θ0 excludes the event outright.
    result(i) = at_theta(i) > 0.0
                    ? std::log(at_theta(i) / at_sm(i)) - log_sigma_ratio
                    : -std::numeric_limits<double>::infinity();
  }
  return result;
}

Eigen::MatrixXd MemRatioModel::Score(const Eigen::MatrixXd& x,
                                     const Eigen::VectorXd& theta0) const {
  const Eigen::MatrixXd log_gradient =
      density_.LogGradient(Coefficients(x), theta0);
  const Eigen::VectorXd rate =
      MonomialGradients(monomials_, theta0).transpose() * sigma_coefficients_ /
      CrossSection(theta0);
  return log_gradient.rowwise() - rate.transpose();
}

}  // namespace goldmine::mem

#include "goldmine/mem/mem_fisher.h"

#include <memory>

#include "goldmine/core/errors.h"
#include "goldmine/mem/mem_computation.h"
#include "goldmine/mem/observable_density.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/mem_file.h"

namespace goldmine::mem {

mining::EventScorer MemEventScorer(const mining::FisherInformation& fisher,
                                   const std::filesystem::path& events_file,
                                   const std::filesystem::path& mem_file,
                                   const Eigen::VectorXd& theta) {
  auto reader = std::make_shared<const mining::MemFileReader>(mem_file);
  const mining::MemHeader& header = reader->header();
  const std::string name = mem_file.string();
  RequireMemMatchesEvents(name,
                          header.parameter_names,
                          header.observables,
                          header.num_events,
                          header.observations_digest,
                          events_file);
  auto density = std::make_shared<const ObservableDensity>(header.components);
  const Eigen::VectorXd rate_score =
      fisher.CrossSectionGradient(theta) / fisher.CrossSection(theta);
  return [reader, density, rate_score, theta, name](
             const Eigen::MatrixXd&, const std::vector<std::int64_t>& rows) {
    Eigen::MatrixXd scores(static_cast<Eigen::Index>(rows.size()),
                           theta.size());
    if (rows.empty()) return scores;
    // Rows come in increasing order within a batch: one read.
    const mining::MemRows block =
        reader->Read(rows.front(), rows.back() - rows.front() + 1);
    Eigen::MatrixXd coefficients(scores.rows(), block.coefficients.cols());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      coefficients.row(static_cast<Eigen::Index>(i)) =
          block.coefficients.row(rows[i] - rows.front());
    }
    const Eigen::VectorXd differential =
        density->DifferentialCrossSection(coefficients, theta);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!(differential(static_cast<Eigen::Index>(i)) > 0.0)) {
        throw InvalidInput(
            name + ": event " + std::to_string(rows[i]) +
            ": dsigma(x|theta)/dx = " +
            std::to_string(differential(static_cast<Eigen::Index>(i))) +
            " is not positive at --theta");
      }
    }
    scores = density->LogGradient(coefficients, theta);
    return Eigen::MatrixXd(scores.rowwise() - rate_score.transpose());
  };
}

mining::FisherResult MemFisherInformation(
    const mining::FisherInformation& fisher,
    const std::filesystem::path& events_file,
    const std::filesystem::path& mem_file,
    const Eigen::VectorXd& theta,
    const std::string& partition,
    bool include_rate) {
  const mining::MemHeader header = mining::MemFileReader(mem_file).header();
  return fisher.EventScores(
      theta,
      header.parameter_names,
      MemEventScorer(fisher, events_file, mem_file, theta),
      partition,
      include_rate);
}

}  // namespace goldmine::mem

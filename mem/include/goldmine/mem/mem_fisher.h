// Fisher information of the Matrix Element Method: the exact
// observable-level score t(x|θ) (observable_density.h) in place of SALLY's
// estimated one, through the same code path (mining::FisherInformation::
// EventScores), so that MEM, SALLY and the truth are compared on the same
// events with the same Monte Carlo uncertainties:
//   I = L σ(θ) E_θ[t tᵀ] (+ the rate term L ∇σ ∇σᵀ/σ).
// Nothing is trained, so every partition is honest; the default is "all".
#pragma once

#include <Eigen/Core>
#include <filesystem>
#include <string>

#include "goldmine/mining/fisher_information.h"

namespace goldmine::mem {

// The exact observable-level score t(x|θ) − ∇σ/σ of the events of
// `events_file` from their MEM file, as a scorer of event rows for
// FisherInformation (it keeps the MEM file open). Throws as below.
mining::EventScorer MemEventScorer(const mining::FisherInformation& fisher,
                                   const std::filesystem::path& events_file,
                                   const std::filesystem::path& mem_file,
                                   const Eigen::VectorXd& theta);

// Throws InvalidInput when the MEM file does not belong to the events file
// (parameters, number of events) or dσ(x|θ)/dx ≤ 0 for a kept event;
// FileFormatError for a corrupt MEM file.
mining::FisherResult MemFisherInformation(
    const mining::FisherInformation& fisher,
    const std::filesystem::path& events_file,
    const std::filesystem::path& mem_file,
    const Eigen::VectorXd& theta,
    const std::string& partition = "all",
    bool include_rate = true);

}  // namespace goldmine::mem

// One `goldmine augment` request as data: the sampling method, its θ
// specifications and seed, drawn by DrawSample. Keeps the seed rules of a
// sample (which stream draws the θ points, which the events) in mining,
// next to the augmenter's other seed rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "goldmine/mining/augmenter.h"
#include "goldmine/mining/sample_file.h"

namespace goldmine::mining {

struct SampleRequest {
  // plain, local, density, test (need theta), ratio (theta0, theta1),
  // more-ratios (theta0, theta1, optional additional_theta).
  std::string method;
  std::optional<std::string> theta;
  std::optional<std::string> theta0;
  std::optional<std::string> theta1;
  std::optional<std::string> additional_theta;
  // Explicit points instead of a specification (the Python module's arrays
  // of several points, which the specification grammar cannot spell). A set
  // field replaces its string; the provenance records "KEY=points:N".
  std::optional<ThetaPoints> theta_points;
  std::optional<ThetaPoints> theta0_points;
  std::optional<ThetaPoints> theta1_points;
  std::optional<ThetaPoints> additional_theta_points;
  std::string nuisance = "nominal";  // Augmenter::ParseTheta
  std::int64_t n_samples = 0;
  std::uint64_t seed = 0;
  std::string partition = "train";
};

// Draws the sample: the θ points of the specifications (random ones from a
// stream of their own, seeded from `seed`, in the order theta0, theta1,
// additional_theta or theta), then the events with `seed`. theta_specs holds
// "theta0=SPEC", ... Throws InvalidInput for an unknown method and, naming
// the option ("--theta0 is required for this method"), a missing
// specification.
SampleData DrawSample(const Augmenter& augmenter, const SampleRequest& request);

// The sample of DrawSample, handed to `sink` in pieces that concatenate into
// it: at most the augmenter's draws_per_piece draws (for more-ratios, draws,
// not rows), so that memory does not grow with the sample. Every piece carries
// the metadata (theta_specs included); returns it, without rows.
SampleData StreamSample(const Augmenter& augmenter,
                        const SampleRequest& request,
                        const Augmenter::SampleSink& sink);

}  // namespace goldmine::mining

#include "goldmine/mining/sample_request.h"

#include <optional>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"

namespace goldmine::mining {
namespace {

// The random θ points get their own stream so that adding a point
// specification does not change the sampling draws of the others.
constexpr std::uint64_t kThetaStreamOffset = 0x9e3779b97f4a7c15ULL;

ThetaPoints Parse(const Augmenter& augmenter,
                  const SampleRequest& request,
                  const std::optional<std::string>& spec,
                  const std::optional<ThetaPoints>& points,
                  const std::string& key,
                  RandomStream& random,
                  std::vector<std::string>* specs) {
  if (points) {
    specs->push_back(key + "=points:" + std::to_string(points->size()));
    return *points;
  }
  if (!spec) throw InvalidInput("--" + key + " is required for this method");
  specs->push_back(key + "=" + *spec);
  return augmenter.ParseTheta(*spec, random, request.nuisance);
}

void RequireKnownMethod(const std::string& method) {
  if (method != "plain" && method != "local" && method != "density" &&
      method != "test" && method != "ratio" && method != "more-ratios") {
    throw InvalidInput("unknown sampling method " + method +
                       "; expected plain, local, density, ratio, "
                       "more-ratios or test");
  }
}

bool IsRatioMethod(const std::string& method) {
  return method == "ratio" || method == "more-ratios";
}

// The θ points of a ratio request, parsed in the order theta0, theta1,
// additional-theta (more-ratios without additional points: none).
struct RatioPoints {
  ThetaPoints theta0;
  ThetaPoints theta1;
  std::optional<ThetaPoints> additional;  // more-ratios only
};

RatioPoints ParseRatioPoints(const Augmenter& augmenter,
                             const SampleRequest& request,
                             RandomStream& random,
                             std::vector<std::string>* specs) {
  RatioPoints points;
  points.theta0 = Parse(augmenter,
                        request,
                        request.theta0,
                        request.theta0_points,
                        "theta0",
                        random,
                        specs);
  points.theta1 = Parse(augmenter,
                        request,
                        request.theta1,
                        request.theta1_points,
                        "theta1",
                        random,
                        specs);
  if (request.method == "more-ratios") {
    if (request.additional_theta || request.additional_theta_points) {
      points.additional = Parse(augmenter,
                                request,
                                request.additional_theta,
                                request.additional_theta_points,
                                "additional-theta",
                                random,
                                specs);
    } else {
      ThetaPoints none;
      none.thetas.resize(0, augmenter.num_parameters());
      none.nus.resize(0, augmenter.num_nuisance_parameters());
      points.additional = none;
    }
  }
  return points;
}

}  // namespace

SampleData DrawSample(const Augmenter& augmenter,
                      const SampleRequest& request) {
  const std::string& method = request.method;
  RequireKnownMethod(method);
  RandomStream theta_random(request.seed ^ kThetaStreamOffset);
  std::vector<std::string> specs;
  SampleData data;
  const std::int64_t n = request.n_samples;
  const std::uint64_t seed = request.seed;
  const std::string& partition = request.partition;
  if (IsRatioMethod(method)) {
    const RatioPoints points =
        ParseRatioPoints(augmenter, request, theta_random, &specs);
    data = points.additional
               ? augmenter.SampleTrainMoreRatios(points.theta0,
                                                 points.theta1,
                                                 *points.additional,
                                                 n,
                                                 seed,
                                                 partition)
               : augmenter.SampleTrainRatio(
                     points.theta0, points.theta1, n, seed, partition);
  } else {
    const ThetaPoints theta = Parse(augmenter,
                                    request,
                                    request.theta,
                                    request.theta_points,
                                    "theta",
                                    theta_random,
                                    &specs);
    if (method == "plain") {
      data = augmenter.SampleTrainPlain(theta, n, seed, partition);
    } else if (method == "local") {
      data = augmenter.SampleTrainLocal(theta, n, seed, partition);
    } else if (method == "density") {
      data = augmenter.SampleTrainDensity(theta, n, seed, partition);
    } else {
      data = augmenter.SampleTest(theta, n, seed, partition);
    }
  }
  data.theta_specs = specs;
  return data;
}

SampleData StreamSample(const Augmenter& augmenter,
                        const SampleRequest& request,
                        const Augmenter::SampleSink& sink) {
  const std::string& method = request.method;
  RequireKnownMethod(method);
  // The same streams and specifications as DrawSample.
  RandomStream theta_random(request.seed ^ kThetaStreamOffset);
  std::vector<std::string> specs;
  const auto named_sink = [&](SampleData& piece) {
    piece.theta_specs = specs;
    sink(piece);
  };
  SampleData header;
  if (IsRatioMethod(method)) {
    const RatioPoints points =
        ParseRatioPoints(augmenter, request, theta_random, &specs);
    header = augmenter.StreamTrainRatio(
        points.theta0,
        points.theta1,
        points.additional ? &*points.additional : nullptr,
        request.n_samples,
        request.seed,
        request.partition,
        named_sink);
  } else {
    const ThetaPoints theta = Parse(augmenter,
                                    request,
                                    request.theta,
                                    request.theta_points,
                                    "theta",
                                    theta_random,
                                    &specs);
    header = augmenter.StreamSingleTheta(method,
                                         theta,
                                         request.n_samples,
                                         request.seed,
                                         request.partition,
                                         named_sink);
  }
  header.theta_specs = specs;
  return header;
}

}  // namespace goldmine::mining

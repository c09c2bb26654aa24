#include "goldmine/mining/sample_request.h"

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
                  const std::string& key,
                  RandomStream& random,
                  std::vector<std::string>* specs) {
  if (!spec) throw InvalidInput("--" + key + " is required for this method");
  specs->push_back(key + "=" + *spec);
  return augmenter.ParseTheta(*spec, random, request.nuisance);
}

}  // namespace

SampleData DrawSample(const Augmenter& augmenter,
                      const SampleRequest& request) {
  const std::string& method = request.method;
  if (method != "plain" && method != "local" && method != "density" &&
      method != "test" && method != "ratio" && method != "more-ratios") {
    throw InvalidInput("unknown sampling method " + method +
                       "; expected plain, local, density, ratio, "
                       "more-ratios or test");
  }
  RandomStream theta_random(request.seed ^ kThetaStreamOffset);
  std::vector<std::string> specs;
  SampleData data;
  const std::int64_t n = request.n_samples;
  const std::uint64_t seed = request.seed;
  const std::string& partition = request.partition;
  if (method == "ratio" || method == "more-ratios") {
    const ThetaPoints theta0 = Parse(
        augmenter, request, request.theta0, "theta0", theta_random, &specs);
    const ThetaPoints theta1 = Parse(
        augmenter, request, request.theta1, "theta1", theta_random, &specs);
    if (method == "ratio") {
      data = augmenter.SampleTrainRatio(theta0, theta1, n, seed, partition);
    } else {
      ThetaPoints additional;
      if (request.additional_theta) {
        additional = Parse(augmenter,
                           request,
                           request.additional_theta,
                           "additional-theta",
                           theta_random,
                           &specs);
      } else {
        additional.thetas.resize(0, augmenter.num_parameters());
        additional.nus.resize(0, augmenter.num_nuisance_parameters());
      }
      data = augmenter.SampleTrainMoreRatios(
          theta0, theta1, additional, n, seed, partition);
    }
  } else {
    const ThetaPoints theta =
        Parse(augmenter, request, request.theta, "theta", theta_random, &specs);
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
  if (method != "plain" && method != "local" && method != "density" &&
      method != "test") {
    SampleData data = DrawSample(augmenter, request);
    sink(data);
    data.x.resize(0, 0);
    for (Eigen::MatrixXd* rows : {&data.theta0,
                                  &data.theta1,
                                  &data.y,
                                  &data.r_xz,
                                  &data.t_xz,
                                  &data.t_xz1}) {
      rows->resize(0, 0);
    }
    return data;
  }
  // The same streams and specification as DrawSample's single-θ branch.
  RandomStream theta_random(request.seed ^ kThetaStreamOffset);
  std::vector<std::string> specs;
  const ThetaPoints theta =
      Parse(augmenter, request, request.theta, "theta", theta_random, &specs);
  SampleData header = augmenter.StreamSingleTheta(method,
                                                  theta,
                                                  request.n_samples,
                                                  request.seed,
                                                  request.partition,
                                                  [&](SampleData& piece) {
                                                    piece.theta_specs = specs;
                                                    sink(piece);
                                                  });
  header.theta_specs = specs;
  return header;
}

}  // namespace goldmine::mining

// What every built-in generator writes around its own events: the run
// attributes that name the parameters and benchmarks (read back by the miner
// and by users), and the cross sections, running per event and final, with
// Monte Carlo uncertainties.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ascii_event_writer.h"
#include "goldmine/generators/benchmarks.h"
#include "goldmine/generators/wh_event_file.h"

namespace goldmine::generators {

// The shortest text that reads back as the same double.
inline std::string Exact(double value) {
  return AsciiEventWriter::Number(value);
}

// One θ vector per benchmark.
std::vector<Eigen::VectorXd> BenchmarkThetas(
    const std::vector<NamedBenchmark>& benchmarks);

// goldmine_generator, goldmine_parameters, goldmine_benchmarks,
// goldmine_benchmark_NAME ("c1=0.5 c2=0"), goldmine_eft_polynomial (the names
// of the per-event polynomial terms: w_sm a_P... b_P_Q...), goldmine_seed and
// goldmine_events.
std::map<std::string, std::string> CommonRunAttributes(
    const std::string& generator_description,
    const std::vector<std::string>& parameter_names,
    const std::vector<NamedBenchmark>& benchmarks,
    std::uint64_t seed,
    std::int64_t num_events);

// "a,b,c".
std::string JoinNames(const std::vector<std::string>& names);

// The weights (pb) of one event of N with polynomial P: w_sm R_P(θ_b) per
// benchmark (w_sm = P.sm / N), then the first benchmark's weight times each
// scale-variation factor. `weights` has room for all of them.
void FillEventWeights(const EftPolynomial& polynomial,
                      double num_events,
                      const std::vector<Eigen::VectorXd>& thetas,
                      const std::vector<double>& variation_factors,
                      std::vector<double>* weights);

// The per-event attribute goldmine_eft_polynomial, "w_sm a_P... b_P_Q..."
// (see CommonRunAttributes); `scratch` is reused between events.
void WriteEftPolynomial(const EftPolynomial& polynomial,
                        double num_events,
                        std::string* scratch,
                        AsciiEventWriter* writer);

// Σ w and Σ w² per weight of a sample whose event weights are already
// divided by the number of events N, so that Σ w estimates σ.
class CrossSectionAccumulator {
 public:
  CrossSectionAccumulator(std::size_t num_weights, std::int64_t num_events);

  void Add(const std::vector<double>& weights);
  // After `done` events: (N/done) Σ w and its standard error, per weight; the
  // exact Σ w at the last event.
  void Running(std::int64_t done,
               std::vector<double>* means,
               std::vector<double>* errors) const;
  // The final cross sections and their Monte Carlo uncertainties.
  EventFileResult Result(std::vector<std::string> weight_names,
                         double seconds) const;

 private:
  std::vector<double> sums_;
  std::vector<double> sums_squared_;
  double num_events_;
};

}  // namespace goldmine::generators

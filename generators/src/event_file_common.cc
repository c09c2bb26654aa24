#include "event_file_common.h"

#include <algorithm>
#include <cmath>

namespace goldmine::generators {

std::vector<Eigen::VectorXd> BenchmarkThetas(
    const std::vector<NamedBenchmark>& benchmarks) {
  std::vector<Eigen::VectorXd> thetas;
  for (const NamedBenchmark& benchmark : benchmarks) {
    thetas.push_back(Eigen::Map<const Eigen::VectorXd>(
        benchmark.values.data(),
        static_cast<Eigen::Index>(benchmark.values.size())));
  }
  return thetas;
}

std::map<std::string, std::string> CommonRunAttributes(
    const std::string& generator_description,
    const std::vector<std::string>& parameter_names,
    const std::vector<NamedBenchmark>& benchmarks,
    std::uint64_t seed,
    std::int64_t num_events) {
  auto joined = [](const std::vector<std::string>& words) {
    std::string text;
    for (const std::string& word : words)
      text += (text.empty() ? "" : ",") + word;
    return text;
  };
  std::map<std::string, std::string> run;
  run["goldmine_generator"] = generator_description;
  run["goldmine_parameters"] = joined(parameter_names);
  std::vector<std::string> names;
  for (const NamedBenchmark& benchmark : benchmarks) {
    names.push_back(benchmark.name);
    std::string values;
    for (std::size_t p = 0; p < parameter_names.size(); ++p) {
      values += (p == 0 ? "" : " ") + parameter_names[p] + "=" +
                Exact(benchmark.values[p]);
    }
    run["goldmine_benchmark_" + benchmark.name] = values;
  }
  run["goldmine_benchmarks"] = joined(names);
  std::string terms = "w_sm";
  for (const std::string& name : parameter_names) terms += " a_" + name;
  for (std::size_t i = 0; i < parameter_names.size(); ++i) {
    for (std::size_t j = i; j < parameter_names.size(); ++j) {
      terms += " b_" + parameter_names[i] + "_" + parameter_names[j];
    }
  }
  run["goldmine_eft_polynomial"] = terms;
  run["goldmine_seed"] = std::to_string(seed);
  run["goldmine_events"] = std::to_string(num_events);
  return run;
}

CrossSectionAccumulator::CrossSectionAccumulator(std::size_t num_weights,
                                                 std::int64_t num_events)
    : sums_(num_weights, 0.0),
      sums_squared_(num_weights, 0.0),
      num_events_(static_cast<double>(num_events)) {}

void CrossSectionAccumulator::Add(const std::vector<double>& weights) {
  for (std::size_t w = 0; w < sums_.size(); ++w) {
    sums_[w] += weights[w];
    sums_squared_[w] += weights[w] * weights[w];
  }
}

void CrossSectionAccumulator::Running(std::int64_t done,
                                      std::vector<double>* means,
                                      std::vector<double>* errors) const {
  const double n = num_events_;
  const double count = static_cast<double>(done);
  means->resize(sums_.size());
  errors->resize(sums_.size());
  for (std::size_t k = 0; k < sums_.size(); ++k) {
    const double mean = sums_[k] * n / count;
    const double variance =
        count > 1.0
            ? std::max(0.0, n * n * sums_squared_[k] / count - mean * mean) /
                  (count - 1.0)
            : 0.0;
    (*means)[k] = mean;
    (*errors)[k] = std::sqrt(variance);
  }
}

EventFileResult CrossSectionAccumulator::Result(
    std::vector<std::string> weight_names, double seconds) const {
  const double n = num_events_;
  EventFileResult result;
  result.num_events = static_cast<std::int64_t>(n);
  result.weight_names = std::move(weight_names);
  result.cross_sections = sums_;
  for (std::size_t k = 0; k < sums_.size(); ++k) {
    const double mean = sums_[k] / n;
    result.cross_section_errors.push_back(
        n > 1 ? std::sqrt(std::max(0.0, sums_squared_[k] - n * mean * mean) *
                          n / (n - 1.0))
              : 0.0);
  }
  result.seconds = seconds;
  return result;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names)
    joined += (joined.empty() ? "" : ",") + name;
  return joined;
}

void FillEventWeights(const EftPolynomial& polynomial,
                      double num_events,
                      const std::vector<Eigen::VectorXd>& thetas,
                      const std::vector<double>& variation_factors,
                      std::vector<double>* weights) {
  const double w_sm = polynomial.sm / num_events;
  for (std::size_t b = 0; b < thetas.size(); ++b)
    (*weights)[b] = w_sm * polynomial.Ratio(thetas[b]);
  for (std::size_t k = 0; k < variation_factors.size(); ++k)
    (*weights)[thetas.size() + k] = (*weights)[0] * variation_factors[k];
}

void WriteEftPolynomial(const EftPolynomial& polynomial,
                        double num_events,
                        std::string* scratch,
                        AsciiEventWriter* writer) {
  scratch->clear();
  AsciiEventWriter::AppendNumber(*scratch, polynomial.sm / num_events);
  for (double a : polynomial.linear) {
    *scratch += ' ';
    AsciiEventWriter::AppendNumber(*scratch, a);
  }
  for (double b : polynomial.quadratic) {
    *scratch += ' ';
    AsciiEventWriter::AppendNumber(*scratch, b);
  }
  writer->StringAttribute("goldmine_eft_polynomial", *scratch);
}

}  // namespace goldmine::generators

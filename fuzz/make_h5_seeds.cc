// Writes the seed inputs of the events_h5 and samples_h5 fuzz targets into
// the folder given as argument: a small events file (2 parameters, 6
// physics benchmarks, 2 observables, 4 events, one nuisance
// benchmark and a systematic) and one small samples file per sampling
// method. They are written by goldmine's own writers, so they are valid
// inputs the fuzzer mutates; the reference files are 1.7 MB and more.
#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>

#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/sample_file.h"

namespace {

using goldmine::mining::MadminerEvents;
using goldmine::mining::SampleData;

MadminerEvents SmallEvents() {
  MadminerEvents file;
  auto& setup = file.setup;
  for (const char* name : {"cwww", "cwb"}) {
    goldmine::mining::MadminerParameter parameter;
    parameter.name = name;
    parameter.lha_block = "dim6";
    parameter.lha_id = static_cast<int>(setup.parameters.size()) + 1;
    parameter.max_power = 2;
    parameter.range = {-1.0, 1.0};
    setup.parameters.push_back(parameter);
  }
  setup.benchmarks.names = {"sm", "b1", "b2", "b3", "b4", "b5", "pdf_up"};
  setup.benchmarks.values.resize(7, 2);
  setup.benchmarks.values << 0, 0, 1, 0, 0, 1, -1, 0, 0, -1, 0.5, 0.5, 0, 0;
  setup.benchmarks.is_nuisance = {
      false, false, false, false, false, false, true};
  setup.benchmarks.is_reference = {
      true, false, false, false, false, false, false};
  setup.systematics.push_back({"pdf", "norm", "1.1", "None"});
  setup.nuisance_parameters.push_back(
      {"syst_nuisance_param_0", "pdf", std::string("pdf_up"), std::nullopt});
  setup.observables = {{"pt_j1", "j[0].pt"}, {"met", "met.pt"}};
  auto& events = file.events;
  events.observations.resize(4, 2);
  events.observations << 50, 10, 80.5, 22, 120, 3.5, 33, 47;
  events.weights = Eigen::MatrixXd::Constant(4, 7, 0.25);
  events.weights(1, 2) = 0.5;
  events.weights(3, 6) = 0.3;
  events.sampling_benchmarks = {0, 1, 0, -1};
  return file;
}

SampleData SmallSamples(const std::string& method) {
  SampleData data;
  data.method = method;
  data.parameters = {"cwww", "cwb"};
  data.observables = {"pt_j1", "met"};
  data.partition = method == "test" ? "test" : "train";
  data.seed = 7;
  data.n_eff = 3.5;
  data.theta_specs = {"benchmark:sm"};
  const int n = 3;
  data.x.resize(n, 2);
  data.x << 50, 10, 80.5, 22, 120, 3.5;
  data.theta0 = Eigen::MatrixXd::Zero(n, 2);
  const bool ratio = method == "ratio" || method == "more-ratios";
  if (method == "local" || method == "density" || ratio)
    data.t_xz = Eigen::MatrixXd::Constant(n, 2, 0.1);
  if (ratio) {
    data.theta1 = Eigen::MatrixXd::Constant(n, 2, 0.5);
    data.y.resize(n, 1);
    data.y << 0, 1, 0;
    data.r_xz = Eigen::MatrixXd::Constant(n, 1, 1.2);
  }
  if (method == "more-ratios")
    data.t_xz1 = Eigen::MatrixXd::Constant(n, 2, -0.2);
  return data;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " EVENTS_DIR SAMPLES_DIR\n";
    return 2;
  }
  const std::filesystem::path events_dir = argv[1];
  const std::filesystem::path samples_dir = argv[2];
  std::filesystem::create_directories(events_dir);
  std::filesystem::create_directories(samples_dir);
  goldmine::mining::WriteEvents(events_dir / "small_events.h5", SmallEvents());
  goldmine::mining::WriteSetup(events_dir / "small_setup.h5",
                               SmallEvents().setup);
  for (const char* method :
       {"plain", "local", "density", "ratio", "more-ratios", "test"}) {
    goldmine::mining::SampleFileOptions options;
    options.chunk_rows = 2;
    options.double_precision = std::string(method) != "plain";
    goldmine::mining::WriteSamples(samples_dir / (std::string(method) + ".h5"),
                                   SmallSamples(method),
                                   options);
  }
  return 0;
}

// HistFactory inference on every public pyhf reference workspace
// (../shared/reference/histfactory), timed as pyhf's `pyhf_default.timing`
// blocks were (docs/benchmarks.md, ../shared/docs/PERFORMANCE.md):
//
//   BM_Cls/<case>         one asymptotic q̃μ hypothesis test at μ = poi_test
//                         (1.0) with the expected band: pyhf's
//                         hypotest(1.0, qtilde, return_expected_set=True),
//                         i.e. all fits of one test, nothing cached between
//                         iterations;
//   BM_UpperLimit/<case>  one 95% CL CLs upper limit (observed + 5 expected)
//                         by bracketing and root finding, relative tolerance
//                         1e-4 as pyhf's timed toms748_scan, on the POI range
//                         the reference used (sbottom_B: widened to [0, 640]).
//
// The workspace is read, patched and turned into a Model once, outside the
// timed loop: pyhf's timings exclude `workspace_and_model_build_s` too.
// Counters: pyhf_s (pyhf's median, or its single wall time for limits),
// speedup (pyhf_s / our time of that iteration), and the result itself so that
// a fast but wrong run is visible.
//
//   build/release/bench/histfactory_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one command line)
//
// The reference folder is $GOLDMINE_SHARED_DIR/reference/histfactory, else the
// compile-time GOLDMINE_SHARED_DIR; absent cases are skipped.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "goldmine/inference/hypotest.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"
#include "goldmine/inference/workspace_json.h"

namespace goldmine::inference {
namespace {

const char* const kCases[] = {
    "val_1bin_shapesys",
    "val_1bin_lumi",
    "val_1bin_normsys",
    "val_2bin_histosys",
    "val_2bin_2channel",
    "val_2bin_2channel_couplednorm",
    "val_2bin_2channel_coupledshapefactor",
    "val_2bin_staterror",
    "docs_2bin_1channel",
    "test_export_integer_data",
    "test_patchset_example",
    "simplemodel_correlated_bkg",
    "combine_outer",
    "sbottom_A_1300_205_60",
    "sbottom_B_1400_550_60",
    "erjr_3L_200p0_100p0",
    "atlastut_sbottom_1200_1150_60",
};

std::filesystem::path ReferenceDir() {
  const char* dir = std::getenv("GOLDMINE_SHARED_DIR");
  const std::filesystem::path shared =
      dir != nullptr ? dir : GOLDMINE_SHARED_DIR;
  return shared / "reference" / "histfactory";
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One reference case, built once.
struct Case {
  std::string id;
  nlohmann::json expected;
  std::unique_ptr<Model> model;
  UpperLimitOptions limit_options;
  double poi_test = 1.0;
  double pyhf_cls_seconds = 0.0;
  double pyhf_limit_seconds = 0.0;
};

// nullptr when the case's files are absent.
std::unique_ptr<Case> LoadCase(const std::string& id) {
  const std::filesystem::path folder = ReferenceDir();
  const std::filesystem::path expected_path =
      folder / "expected" / (id + ".json");
  if (!std::filesystem::exists(expected_path)) return nullptr;
  auto loaded = std::make_unique<Case>();
  loaded->id = id;
  loaded->expected = nlohmann::json::parse(ReadText(expected_path));
  const nlohmann::json& meta = loaded->expected;
  const std::filesystem::path workspace_path =
      folder / meta["workspace"].get<std::string>();
  if (!std::filesystem::exists(workspace_path)) return nullptr;
  std::string text = ReadText(workspace_path);
  const std::string measurement = meta["measurement"].is_null()
                                      ? std::string()
                                      : meta["measurement"].get<std::string>();
  const nlohmann::json& patch = meta["patch"];
  if (!patch.is_null()) {
    const std::filesystem::path patch_path =
        folder / patch["file"].get<std::string>();
    if (!std::filesystem::exists(patch_path)) return nullptr;
    text =
        patch["type"] == "jsonpatch"
            ? ApplyModelPatch(text, ReadText(patch_path), measurement)
            : ApplyPatchSet(
                  text, ReadText(patch_path), patch["name"].get<std::string>());
  }
  ModelOptions options;
  options.measurement = measurement;
  loaded->model =
      std::make_unique<Model>(Workspace::FromJson(text, id), options);
  loaded->poi_test = meta["poi_test"].get<double>();

  const nlohmann::json& timing = meta["pyhf_default"]["timing"];
  loaded->pyhf_cls_seconds = timing["hypotest_qtilde_cls_s"]["median"];
  loaded->pyhf_limit_seconds = timing["upper_limit_toms748_s"]["wall"];
  // What pyhf's timed upper_limit used: rtol 1e-4, and the POI range of the
  // reference when it had to be widened (pyhf cannot widen it itself).
  loaded->limit_options.relative_tolerance = 1e-4;
  const nlohmann::json& limit = meta["reference"]["upper_limit"];
  if (limit["poi_bounds_widened"].get<bool>()) {
    loaded->limit_options.hypotest.poi_bounds =
        std::make_pair(limit["poi_bounds_used"][0].get<double>(),
                       limit["poi_bounds_used"][1].get<double>());
  }
  return loaded;
}

void BM_Cls(benchmark::State& state, const Case* c) {
  const Model& model = *c->model;
  HypotestResult result;
  double total_seconds = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    result = Hypotest(model, model.observed_data(), c->poi_test);
    total_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    benchmark::DoNotOptimize(&result);
  }
  state.counters["pyhf_s"] = c->pyhf_cls_seconds;
  state.counters["speedup"] =
      c->pyhf_cls_seconds / (total_seconds / state.iterations());
  state.counters["CLs_obs"] = result.cls_obs;
  state.counters["converged"] = result.converged ? 1 : 0;
}

void BM_UpperLimit(benchmark::State& state, const Case* c) {
  const Model& model = *c->model;
  UpperLimitResult result;
  double total_seconds = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    result = UpperLimit(model, model.observed_data(), c->limit_options);
    total_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    benchmark::DoNotOptimize(&result);
  }
  state.counters["pyhf_s"] = c->pyhf_limit_seconds;
  state.counters["speedup"] =
      c->pyhf_limit_seconds / (total_seconds / state.iterations());
  state.counters["limit_obs"] = result.observed;
  state.counters["n_hypotests"] = result.num_hypotests;
  state.counters["converged"] = result.converged ? 1 : 0;
}

}  // namespace
}  // namespace goldmine::inference

int main(int argc, char** argv) {
  using goldmine::inference::Case;
  benchmark::Initialize(&argc, argv);
  std::vector<std::unique_ptr<Case>> cases;
  for (const char* id : goldmine::inference::kCases) {
    std::unique_ptr<Case> loaded = goldmine::inference::LoadCase(id);
    if (loaded == nullptr) {
      std::cerr << "skipping " << id << ": reference files not found under "
                << goldmine::inference::ReferenceDir().string() << "\n";
      continue;
    }
    cases.push_back(std::move(loaded));
  }
  for (const auto& c : cases) {
    benchmark::RegisterBenchmark(
        ("BM_Cls/" + c->id).c_str(), goldmine::inference::BM_Cls, c.get())
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  for (const auto& c : cases) {
    benchmark::RegisterBenchmark(("BM_UpperLimit/" + c->id).c_str(),
                                 goldmine::inference::BM_UpperLimit,
                                 c.get())
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// Augmentation and Fisher information on the MadMiner toy (issue 5), in the
// configurations of ../shared/docs/PERFORMANCE.md:
//
//   BM_SampleTrainLocal/N        sample_train_local at sm, n_samples = N
//   BM_LocalToFile/N             the same drawn and written to a samples
//                                file in pieces, as `goldmine augment local`
//                                does, from 10^6 events, N = 10^5, 10^6 and
//                                10^7 samples, against its I/O floor
//   BM_SampleTrainRatio/N/K      sample_train_ratio, 10^5 samples, K random
//                                uniform θ0 points, θ1 = sm
//   BM_TruthFisher/N             truth Fisher information at sm (with its
//                                covariance), luminosity 300000 pb⁻¹
//   BM_CrossSections/N           cross sections (and gradients) on a 25×25
//                                grid over the parameter ranges
//
// N = 10^5 and 10^6 events: toy_events.h5 (20000 events) replicated into a
// temporary events file (weights divided by the number of copies, so σ is
// unchanged), written once per N outside the timed loop and removed at exit.
// The Augmenter / FisherInformation objects (which read only the setup) are
// built outside the loop; every iteration streams the events file, so the
// file is in the page cache as it was for MadMiner (whose datasets are read
// into memory on every call). Counters: madminer_s (PERFORMANCE.md's
// minimum, 0 where it has none) and speedup (madminer_s / our time).
// BM_LocalToFile's floor_s is the I/O floor of issue 20, measured before the
// loop: reading the events file's bytes once (page cache) plus writing as
// many bytes as the samples file has to a file in the same folder (no
// fsync, as goldmine does not sync either); over_floor is our time / floor.
// device_s and over_device are the same against the storage's sequential
// bandwidths: the read with O_DIRECT, the write followed by fdatasync (the
// rate at which the samples reach the disk; bench/augment_floor.sh).
//
//   build/release/bench/augmentation_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one command line)
//
// The reference file is $GOLDMINE_SHARED_DIR/reference/madminer/toy_events.h5,
// else the compile-time GOLDMINE_SHARED_DIR; without it every case is skipped.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "goldmine/core/huge_pages.h"
#include "goldmine/core/malloc_reuse.h"
#include "goldmine/core/random.h"
#include "goldmine/mining/augmenter.h"
#include "goldmine/mining/fisher_information.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/sample_file.h"

namespace goldmine::mining {
namespace {

std::filesystem::path SharedDir() {
  if (const char* dir = std::getenv("GOLDMINE_SHARED_DIR")) return dir;
  return GOLDMINE_SHARED_DIR;
}

std::filesystem::path ToyEvents() {
  return SharedDir() / "reference" / "madminer" / "toy_events.h5";
}

// Replicated events files, created on first use and removed at exit.
class ReplicatedFiles {
 public:
  ~ReplicatedFiles() {
    std::error_code ignored;
    if (!folder_.empty()) std::filesystem::remove_all(folder_, ignored);
  }

  const std::filesystem::path& Get(std::int64_t num_events) {
    auto found = files_.find(num_events);
    if (found != files_.end()) return found->second;
    const MadminerEvents toy = ReadEvents(ToyEvents());
    const std::int64_t n_toy = toy.events.size();
    const auto path = Folder() / ("toy_" + std::to_string(num_events) + ".h5");
    MadminerEventsWriter writer(path, toy.setup);
    const double scale =
        static_cast<double>(n_toy) / static_cast<double>(num_events);
    for (std::int64_t done = 0; done < num_events;) {
      const std::int64_t count = std::min(n_toy, num_events - done);
      MadminerEventBatch batch;
      batch.observations = toy.events.observations.topRows(count);
      batch.weights = toy.events.weights.topRows(count) * scale;
      batch.sampling_benchmarks.assign(
          toy.events.sampling_benchmarks.begin(),
          toy.events.sampling_benchmarks.begin() + count);
      writer.Append(batch);
      done += count;
    }
    writer.Finish();
    return files_.emplace(num_events, path).first->second;
  }

  // The temporary folder of the files (and of BM_LocalToFile's outputs).
  const std::filesystem::path& Folder() {
    if (folder_.empty()) {
      folder_ = std::filesystem::temp_directory_path() /
                ("goldmine_augmentation_bench_" + std::to_string(::getpid()));
      std::filesystem::create_directories(folder_);
    }
    return folder_;
  }

 private:
  std::filesystem::path folder_;
  std::map<std::int64_t, std::filesystem::path> files_;
};

ReplicatedFiles& Files() {
  static ReplicatedFiles files;
  return files;
}

bool Skip(benchmark::State& state) {
  if (std::filesystem::exists(ToyEvents())) return false;
  state.SkipWithError(
      ("reference file absent: " + ToyEvents().string()).c_str());
  return true;
}

void Report(benchmark::State& state, double madminer_seconds) {
  state.counters["madminer_s"] = madminer_seconds;
  // Per-iteration speedup, averaged: madminer_s / our seconds.
  state.counters["speedup"] = benchmark::Counter(
      madminer_seconds * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

double Madminer(std::int64_t num_events, double at_1e5, double at_1e6) {
  return num_events == 100000 ? at_1e5 : num_events == 1000000 ? at_1e6 : 0.0;
}

void BM_SampleTrainLocal(benchmark::State& state) {
  if (Skip(state)) return;
  const std::int64_t n = state.range(0);
  const Augmenter augmenter(Files().Get(n));
  RandomStream random(1);
  const ThetaPoints sm = augmenter.ParseTheta("benchmark:sm", random);
  std::uint64_t seed = 1;
  for (auto _ : state) {
    SampleData data = augmenter.SampleTrainLocal(sm, n, seed++);
    benchmark::DoNotOptimize(data.t_xz.data());
  }
  Report(state, Madminer(n, 0.29, 2.72));
}

// Where the floor's bytes go: through the page cache, or to the device.
enum class Storage { kPageCache, kDevice };

// Seconds to read `path` once into a 1 MB buffer (from the page cache after
// the first call, or with O_DIRECT from the device) or to write `bytes`
// bytes to it (no fsync, or fdatasync before closing): the two halves of the
// I/O floor. Each is the smallest of 3 tries.
double ReadSeconds(const std::filesystem::path& path, Storage storage) {
  constexpr std::size_t kBuffer = std::size_t{1} << 20;
  // O_DIRECT needs a buffer aligned to the device's blocks.
  const std::unique_ptr<char, decltype(&std::free)> buffer(
      static_cast<char*>(std::aligned_alloc(4096, kBuffer)), &std::free);
  const int flags =
      O_RDONLY | O_CLOEXEC | (storage == Storage::kDevice ? O_DIRECT : 0);
  double best = 1e300;
  for (int attempt = 0; attempt < 4; ++attempt) {  // the first warms the cache
    const auto start = std::chrono::steady_clock::now();
    const int file = ::open(path.c_str(), flags);
    if (file < 0) return 0.0;
    while (::read(file, buffer.get(), kBuffer) > 0) {
    }
    ::close(file);
    const std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - start;
    if (attempt > 0) best = std::min(best, took.count());
  }
  return best;
}

double WriteSeconds(const std::filesystem::path& path,
                    std::uintmax_t bytes,
                    Storage storage) {
  const std::vector<char> buffer(std::size_t{1} << 20, '\1');
  double best = 1e300;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::filesystem::remove(path);
    const auto start = std::chrono::steady_clock::now();
    const int file =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (file < 0) return 0.0;
    for (std::uintmax_t done = 0; done < bytes;) {
      const std::size_t size = static_cast<std::size_t>(
          std::min<std::uintmax_t>(buffer.size(), bytes - done));
      const ssize_t wrote = ::write(file, buffer.data(), size);
      if (wrote <= 0) break;
      done += static_cast<std::uintmax_t>(wrote);
    }
    if (storage == Storage::kDevice) ::fdatasync(file);
    ::close(file);
    const std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  std::filesystem::remove(path);
  return best;
}

// `goldmine augment local` in-process: the sample drawn in pieces and
// appended to a samples file (float64), which is then renamed into place.
void WriteLocalSample(const Augmenter& augmenter,
                      const ThetaPoints& theta,
                      std::int64_t n,
                      std::uint64_t seed,
                      const std::filesystem::path& path) {
  std::unique_ptr<SampleFileWriter> writer;
  const SampleData header = augmenter.StreamSingleTheta(
      "local", theta, n, seed, "train", [&](SampleData& piece) {
        if (!writer) writer = std::make_unique<SampleFileWriter>(path, piece);
        writer->Append(piece);
      });
  writer->set_n_eff(header.n_eff);
  writer->Finish();
}

void BM_LocalToFile(benchmark::State& state) {
  if (Skip(state)) return;
  const std::int64_t n = state.range(0);
  const std::filesystem::path& events = Files().Get(1000000);
  const std::filesystem::path output = Files().Folder() / "local.h5";
  const Augmenter augmenter(events);
  RandomStream random(1);
  const ThetaPoints sm = augmenter.ParseTheta("benchmark:sm", random);
  WriteLocalSample(augmenter, sm, n, 1, output);  // its size for the floor
  const auto floor_of = [&](Storage storage) {
    return ReadSeconds(events, storage) +
           WriteSeconds(Files().Folder() / "floor.bin",
                        std::filesystem::file_size(output),
                        storage);
  };
  const double floor = floor_of(Storage::kPageCache);
  const double device = floor_of(Storage::kDevice);
  std::uint64_t seed = 2;
  for (auto _ : state) WriteLocalSample(augmenter, sm, n, seed++, output);
  std::filesystem::remove(output);
  state.counters["floor_s"] = floor;
  // Per-iteration time over the floor: kIsRate divides by the total time,
  // kInvert turns (iterations · floor / time) into time / (iterations · floor).
  state.counters["over_floor"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * floor,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["device_s"] = device;
  state.counters["over_device"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * device,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_SampleTrainRatio(benchmark::State& state) {
  if (Skip(state)) return;
  const std::int64_t n = state.range(0);
  const std::int64_t points = state.range(1);
  const Augmenter augmenter(Files().Get(n));
  RandomStream random(2);
  const ThetaPoints theta0 = augmenter.ParseTheta(
      "random:" + std::to_string(points) + ":uniform", random);
  const ThetaPoints theta1 = augmenter.ParseTheta("benchmark:sm", random);
  std::uint64_t seed = 1;
  for (auto _ : state) {
    SampleData data =
        augmenter.SampleTrainRatio(theta0, theta1, 100000, seed++);
    benchmark::DoNotOptimize(data.r_xz.data());
  }
  Report(state,
         points == 5     ? Madminer(n, 0.93, 4.93)
         : points == 100 ? Madminer(n, 15.6, 76.2)
                         : 0.0);
}

void BM_TruthFisher(benchmark::State& state) {
  if (Skip(state)) return;
  const std::int64_t n = state.range(0);
  FisherOptions options;
  options.luminosity = 300000.0;
  const FisherInformation fisher(Files().Get(n), options);
  const Eigen::VectorXd sm = Eigen::VectorXd::Zero(fisher.num_parameters());
  for (auto _ : state) {
    FisherResult result = fisher.Truth(sm);
    benchmark::DoNotOptimize(result.information.data());
  }
  Report(state, Madminer(n, 1.8, 21.7));
}

void BM_CrossSections(benchmark::State& state) {
  if (Skip(state)) return;
  const std::int64_t n = state.range(0);
  const Augmenter augmenter(Files().Get(n));
  RandomStream random(3);
  const ThetaPoints grid = augmenter.ParseTheta("grid:25,25", random);
  for (auto _ : state) {
    CrossSections xsec = augmenter.ComputeCrossSections(grid);
    benchmark::DoNotOptimize(xsec.xsec.data());
  }
  Report(state, 0.0);
}

BENCHMARK(BM_SampleTrainLocal)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LocalToFile)
    ->Arg(100000)
    ->Arg(1000000)
    ->Arg(10000000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_SampleTrainRatio)
    ->Args({100000, 5})
    ->Args({100000, 100})
    ->Args({1000000, 5})
    ->Args({1000000, 100})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_TruthFisher)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_CrossSections)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace goldmine::mining

// With transparent huge pages and freed memory kept for reuse, as the
// goldmine commands run (core/huge_pages.h, core/malloc_reuse.h;
// GOLDMINE_NO_HUGE_PAGES=1 measures without huge pages).
int main(int argc, char** argv) {
  goldmine::core::ReexecWithHugePages(argv);
  goldmine::core::KeepFreedMemoryForReuse();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

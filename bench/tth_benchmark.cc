// The built-in ttH generator: LO σ(p p → t t̄ H) at 13 TeV with the NNPDF2.3
// LO grid for both scale choices (with MC error, g g fraction and the
// μR = μF variations), the cost of one matrix element, and events/s
// (sampled, and sampled + written as HepMC3). A plain executable that
// prints a table:
//
//   build/release/bench/tth_benchmark [EVENTS=200000]
//
// The grid is found like the tests do (GOLDMINE_SHARED_DIR/data/pdf); the
// built-in PDF fit is used when it is absent.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "goldmine/core/random.h"
#include "goldmine/generators/builtin_pdf.h"
#include "goldmine/generators/lhapdf_grid.h"
#include "goldmine/generators/tth_event_file.h"
#include "goldmine/generators/tth_generator.h"

namespace goldmine::generators {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::shared_ptr<const PartonDensity> Pdf() {
  const char* dir = std::getenv("GOLDMINE_SHARED_DIR");
  const std::filesystem::path path =
      std::filesystem::path(dir != nullptr ? dir : GOLDMINE_SHARED_DIR) /
      "data" / "pdf" / "NNPDF23_lo_as_0130_qed_0000.dat";
  if (std::filesystem::exists(path))
    return std::make_shared<LhapdfGrid>(path.string());
  std::printf("(NNPDF2.3 LO grid not found at %s: built-in fit)\n",
              path.string().c_str());
  return std::make_shared<BuiltinPdf>();
}

void CrossSection(const std::shared_ptr<const PartonDensity>& pdf,
                  TthScale scale,
                  long long n) {
  TthGeneratorSettings settings;
  settings.scale = scale;
  const TthGenerator generator(settings, pdf);
  const double br = settings.BranchingRatio();
  RandomStream random(20261122);
  double sum = 0.0;
  double sum2 = 0.0;
  double gg = 0.0;
  double down = 0.0;
  double up = 0.0;
  const auto start = Clock::now();
  for (long long i = 0; i < n; ++i) {
    const TthEvent e = generator.Sample(random);
    const double w = e.polynomial.sm / br;
    sum += w;
    sum2 += w * w;
    gg += e.gluon_fusion_weight / br;
    down += w * e.scale_variation_factors[0];
    up += w * e.scale_variation_factors[1];
  }
  const double seconds = Seconds(start);
  const double mean = sum / static_cast<double>(n);
  const double error =
      std::sqrt(std::max(0.0, sum2 / static_cast<double>(n) - mean * mean) /
                static_cast<double>(n - 1));
  std::printf(
      "scale %-5s (mu = %s): sigma(pp -> ttH) = %.5f +- %.5f pb "
      "(%.2f %%), gg fraction %.4f, sigma(mu/2)/sigma = %.4f, "
      "sigma(2mu)/sigma = %.4f; %lld events in %.2f s = %.0f events/s\n",
      TthScaleName(scale).c_str(),
      scale == TthScale::kFixed ? "m_t + m_H/2 = 235.26 GeV" : "sum mT/2",
      mean,
      error,
      100.0 * error / mean,
      gg / sum,
      down / sum,
      up / sum,
      n,
      seconds,
      static_cast<double>(n) / seconds);
}

void MatrixElementCost() {
  const TthMatrixElement me(TthParameters{}, DefaultTthOperators());
  RandomStream random(3);
  // Points from the generator itself (realistic kinematics).
  const TthGenerator generator(TthGeneratorSettings{},
                               std::make_shared<BuiltinPdf>());
  std::vector<TthKinematics> points;
  for (int i = 0; i < 2000; ++i) {
    const TthEvent event = generator.Sample(random);
    points.push_back({event.partons[0],
                      event.partons[1],
                      event.top,
                      event.antitop,
                      event.higgs});
  }
  for (const char* name : {"gg -> ttH", "qqbar -> ttH"}) {
    std::vector<double> times;
    double sink = 0.0;
    for (int repeat = 0; repeat < 5; ++repeat) {
      const auto start = Clock::now();
      for (const TthKinematics& k : points)
        sink += name[0] == 'g' ? me.GluonFusion(k, 0.1)
                               : me.QuarkAnnihilation(k, 0.1);
      times.push_back(Seconds(start) / static_cast<double>(points.size()));
    }
    std::printf("|M|^2 %-13s median %.2f us per point (16 helicities)%s\n",
                name,
                1e6 * Median(times),
                sink > 0.0 ? "" : " ?");
  }
}

void WriteFile(const std::shared_ptr<const PartonDensity>& pdf) {
  const TthGenerator generator(TthGeneratorSettings{}, pdf);
  const std::vector<NamedBenchmark> benchmarks = {
      {"sm", {0.0}}, {"plus", {5.0}}, {"minus", {-5.0}}};
  const std::string path =
      (std::filesystem::temp_directory_path() / "goldmine_tth_benchmark.hepmc3")
          .string();
  std::vector<double> rates;
  const long long n = 20000;
  for (int repeat = 0; repeat < 3; ++repeat) {
    const EventFileResult result =
        WriteTthEventFile(path, generator, benchmarks, n, 1 + repeat);
    rates.push_back(static_cast<double>(n) / result.seconds);
  }
  std::printf(
      "sample + write HepMC3 (3 benchmarks + 2 scale weights): median %.0f "
      "events/s (%lld events, %.1f MB)\n",
      Median(rates),
      n,
      static_cast<double>(std::filesystem::file_size(path)) / 1e6);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace goldmine::generators

int main(int argc, char** argv) {
  using namespace goldmine::generators;
  const long long n = argc > 1 ? std::atoll(argv[1]) : 200000;
  const auto pdf = Pdf();
  std::printf("PDF: %s\n", pdf->Description().c_str());
  CrossSection(pdf, TthScale::kFixed, n);
  CrossSection(pdf, TthScale::kHalfTransverse, n);
  MatrixElementCost();
  WriteFile(pdf);
  return 0;
}

// ttH event files: round trip through the miner's reader (weights, names,
// record), benchmark weights against κ_t²(θ_b) w_SM from the stored
// polynomial, scale variations, and byte-identical output for equal seeds.
#include "goldmine/generators/tth_event_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/generators/builtin_pdf.h"
#include "goldmine/mining/event_reader.h"
#include "support/scratch_folder.h"

namespace goldmine::generators {
namespace {

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::vector<double>> ReadPolynomials(
    const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::vector<std::vector<double>> result;
  const std::string tag = "A 0 goldmine_eft_polynomial ";
  while (std::getline(in, line)) {
    if (line.rfind(tag, 0) != 0) continue;
    std::istringstream values(line.substr(tag.size()));
    std::vector<double> row;
    double value = 0.0;
    while (values >> value) row.push_back(value);
    result.push_back(row);
  }
  return result;
}

class TthEventFile : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = goldmine::testing::MakeScratchFolder("tth_event_file");
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

TthGenerator MakeGenerator() {
  TthGeneratorSettings settings;
  settings.operators = {TthOperator::kuH, TthOperator::kHBox};
  return TthGenerator(settings, std::make_shared<BuiltinPdf>());
}

const std::vector<NamedBenchmark> kBenchmarks = {
    {"sm", {0.0, 0.0}},
    {"up", {2.0, 0.0}},
    {"down", {-3.0, 0.5}},
    {"mixed", {1.5, -4.0}},
};

TEST_F(TthEventFile, RoundTripsWithExactBenchmarkWeights) {
  const TthGenerator generator = MakeGenerator();
  const auto path = folder_ / "tth.hepmc3";
  const std::int64_t n = 500;
  const EventFileResult result =
      WriteTthEventFile(path.string(), generator, kBenchmarks, n, 5);
  ASSERT_EQ(result.weight_names.size(), 6u);
  EXPECT_EQ(result.weight_names[4], "MUR0.5_MUF0.5");
  EXPECT_EQ(result.weight_names[5], "MUR2_MUF2");

  const std::string text = ReadAll(path);
  EXPECT_NE(text.find("A goldmine_parameters cuH,cHbox"), std::string::npos);
  EXPECT_NE(text.find("A goldmine_benchmark_down cuH=-3 cHbox=0.5"),
            std::string::npos);
  EXPECT_NE(text.find("A goldmine_renormalisation_scale fixed:235.26"),
            std::string::npos);
  EXPECT_NE(text.find("A goldmine_kappa_t kappa_t = 1 - 0.0610"),
            std::string::npos);

  const std::vector<std::vector<double>> polynomials = ReadPolynomials(path);
  ASSERT_EQ(polynomials.size(), static_cast<std::size_t>(n));
  auto reader = mining::EventReader::Open(path.string());
  EXPECT_EQ(reader->info().weight_names, result.weight_names);
  const std::vector<double>& k =
      generator.matrix_element().kappa_coefficients();
  std::vector<double> sums(6, 0.0);
  RandomStream random(99);
  mining::Event event;
  std::size_t count = 0;
  while (reader->Next(&event)) {
    ASSERT_LT(count, polynomials.size());
    const std::vector<double>& p = polynomials[count];
    ASSERT_EQ(p.size(), 1u + 2u + 3u);
    for (std::size_t b = 0; b < 4; ++b) {
      const std::vector<double>& theta = kBenchmarks[b].values;
      // Direct κ_t(θ)² w_SM versus the stored weight and the polynomial.
      const double kappa = 1.0 + k[0] * theta[0] + k[1] * theta[1];
      const double direct = kappa * kappa * p[0];
      const double from_polynomial =
          p[0] * (1.0 + p[1] * theta[0] + p[2] * theta[1] +
                  p[3] * theta[0] * theta[0] + p[4] * theta[0] * theta[1] +
                  p[5] * theta[1] * theta[1]);
      EXPECT_NEAR(event.weights[b], direct, 1e-14 * direct);
      EXPECT_NEAR(from_polynomial, direct, 1e-14 * direct);
    }
    // Random θ: the polynomial read back from the file vs κ_t(θ)² w_SM.
    for (int t = 0; t < 10; ++t) {
      const double a = random.Uniform(-8.0, 8.0);
      const double b = random.Uniform(-8.0, 8.0);
      const double kappa = 1.0 + k[0] * a + k[1] * b;
      const double direct = kappa * kappa * p[0];
      const double stored = p[0] * (1.0 + p[1] * a + p[2] * b + p[3] * a * a +
                                    p[4] * a * b + p[5] * b * b);
      EXPECT_NEAR(stored, direct, 1e-13 * p[0]);
    }
    for (std::size_t w = 0; w < 6; ++w) sums[w] += event.weights[w];
    // Record: 2 incoming, t t̄ H W+ W− intermediate, 8 final-state.
    ASSERT_EQ(event.particles.size(), 15u);
    std::map<int, int> status;
    double e_in = 0.0;
    double e_out = 0.0;
    double pz_in = 0.0;
    double pz_out = 0.0;
    for (const mining::Particle& particle : event.particles) {
      ++status[particle.status];
      if (particle.status == 4) {
        e_in += particle.energy;
        pz_in += particle.pz;
      } else if (particle.status == 1) {
        e_out += particle.energy;
        pz_out += particle.pz;
      }
    }
    EXPECT_EQ(status[4], 2);
    EXPECT_EQ(status[2], 5);
    EXPECT_EQ(status[1], 8);
    EXPECT_NEAR(e_in, e_out, 1e-9 * e_in);
    EXPECT_NEAR(pz_in, pz_out, 1e-9 * e_in);
    ++count;
  }
  EXPECT_EQ(count, static_cast<std::size_t>(n));
  for (std::size_t w = 0; w < 6; ++w)
    EXPECT_NEAR(
        sums[w], result.cross_sections[w], 1e-12 * result.cross_sections[w]);
  // σ(θ_b)/σ_SM = κ_t(θ_b)² exactly (constant per event).
  const double kappa_up = 1.0 + 2.0 * k[0];
  EXPECT_NEAR(result.cross_sections[1] / result.cross_sections[0],
              kappa_up * kappa_up,
              1e-12);
}

TEST_F(TthEventFile, SameSeedGivesTheSameFile) {
  const TthGenerator generator = MakeGenerator();
  WriteTthEventFile(
      (folder_ / "a.hepmc3").string(), generator, kBenchmarks, 200, 17);
  WriteTthEventFile(
      (folder_ / "b.hepmc3").string(), generator, kBenchmarks, 200, 17);
  WriteTthEventFile(
      (folder_ / "c.hepmc3").string(), generator, kBenchmarks, 200, 18);
  const std::string a = ReadAll(folder_ / "a.hepmc3");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, ReadAll(folder_ / "b.hepmc3"));
  EXPECT_NE(a, ReadAll(folder_ / "c.hepmc3"));
}

TEST_F(TthEventFile, RejectsBadInput) {
  const TthGenerator generator = MakeGenerator();
  const std::string path = (folder_ / "x.hepmc3").string();
  EXPECT_THROW(WriteTthEventFile(path, generator, kBenchmarks, 0, 1),
               InvalidInput);
  EXPECT_THROW(WriteTthEventFile(path, generator, {{"sm", {0.0}}}, 10, 1),
               InvalidInput);
  EXPECT_THROW(
      WriteTthEventFile(path,
                        generator,
                        {{"sm", {0.0, 0.0}}, {"MUR2_MUF2", {1.0, 0.0}}},
                        10,
                        1),
      InvalidInput);
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace goldmine::generators

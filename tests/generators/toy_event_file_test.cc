#include "goldmine/generators/toy_event_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "goldmine/mining/event_reader.h"
#include "goldmine/mining/expression.h"
#include "goldmine/mining/physics_objects.h"
#include "goldmine/morphing/components.h"
#include "goldmine/morphing/morpher.h"
#include "support/scratch_folder.h"

namespace goldmine::generators {
namespace {

using ::testing::HasSubstr;

// The per-event string attribute `name`, parsed as numbers, in file order.
std::vector<std::vector<double>> ReadAttribute(
    const std::filesystem::path& path, const std::string& name) {
  std::ifstream in(path);
  std::string line;
  std::vector<std::vector<double>> result;
  const std::string tag = "A 0 " + name + " ";
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

class ToyEventFile : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = goldmine::testing::MakeScratchFolder("toy_event_file");
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

TEST_F(ToyEventFile, MinerRebuildsTheObservationsAndMorphingIsExact) {
  const ToyModel model(ToyModel::AllParameters());
  const std::vector<NamedBenchmark> benchmarks = OptimisedMorphingBenchmarks(
      model.parameters(), ParameterRanges(2, ParameterRange{-1, 1}), 3);
  ASSERT_EQ(benchmarks.size(), 6u);
  const auto path = folder_ / "toy.hepmc3";
  const std::int64_t n = 2000;
  const EventFileResult result =
      WriteToyEventFile(path.string(), model, benchmarks, n, 8);
  ASSERT_EQ(result.weight_names.size(), 6u);

  // Replay the generator: the file holds exactly these events.
  RandomStream replay(8);
  std::vector<ToyEvent> events;
  for (std::int64_t i = 0; i < n; ++i) events.push_back(model.Sample(replay));

  const std::vector<mining::Expression> observables = {
      mining::Expression("j[0].pt"),
      mining::Expression("j[0].deltaphi(j[1])"),
      mining::Expression("j[0].eta"),
      mining::Expression("j[0].px")};
  auto reader = mining::EventReader::Open(path.string());
  EXPECT_EQ(reader->info().weight_names, result.weight_names);
  Eigen::MatrixXd weights(n, 6);
  mining::Event event;
  std::int64_t count = 0;
  while (reader->Next(&event)) {
    ASSERT_LT(count, n);
    const ToyEvent& truth = events[static_cast<std::size_t>(count)];
    const mining::EventObjects objects =
        mining::BuildTruthObjects(event, mining::ObjectOptions{});
    ASSERT_EQ(objects.j.size(), 2u);
    const ToyObservation& x = truth.observation;
    const double expected[4] = {x.pt, x.dphi, x.eta, x.ptcos()};
    for (int k = 0; k < 4; ++k)
      EXPECT_NEAR(*observables[static_cast<std::size_t>(k)].Evaluate(objects),
                  expected[k],
                  1e-12 * (1.0 + std::abs(expected[k])))
          << "event " << count + 1 << ", observable " << k;
    for (int b = 0; b < 6; ++b)
      weights(count, b) = event.weights[static_cast<std::size_t>(b)];
    ++count;
  }
  ASSERT_EQ(count, n);

  // Latent z and polynomial attributes.
  const auto latent = ReadAttribute(path, "goldmine_latent");
  const auto polynomials = ReadAttribute(path, "goldmine_eft_polynomial");
  ASSERT_EQ(latent.size(), static_cast<std::size_t>(n));
  ASSERT_EQ(polynomials.size(), static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < latent.size(); ++i) {
    EXPECT_EQ(latent[i][0], events[i].latent.pt);
    EXPECT_EQ(latent[i][1], events[i].latent.phi);
    EXPECT_EQ(latent[i][2], events[i].latent.eta);
    ASSERT_EQ(polynomials[i].size(), 6u);
    EXPECT_EQ(polynomials[i][0], 0.002 / static_cast<double>(n));
    EXPECT_EQ(polynomials[i][1], events[i].polynomial.linear[0]);
  }

  // Morphing the stored benchmark weights gives w(z|θ) = (σ_SM/N) R(z;θ)
  // at 15 random θ. R = (1 + c1 a1 + c2 a2)² + c2² b2 is a sum of squares,
  // but it nearly vanishes where 1 + c1 a1 + c2 a2 ≈ 0 and c2 ≈ 0, while
  // the morphing sum Σ_b w_b(θ) w_b(z) adds terms of either sign. Asserted
  // (as for WH, wh_event_file_test.cc): σ(θ) to 1e-10 relative; every event
  // with amplification κ = Σ_b |w_b(θ) w_b(z)| / w(z|θ) ≤ 1e4 to 1e-10
  // relative; every event to 1e-13 of Σ_b |w_b(θ) w_b(z)|.
  Eigen::MatrixXd basis(6, 2);
  for (int b = 0; b < 6; ++b)
    for (int p = 0; p < 2; ++p)
      basis(b, p) = benchmarks[static_cast<std::size_t>(b)]
                        .values[static_cast<std::size_t>(p)];
  const morphing::Morpher morpher(
      morphing::Components::FromMaxPowers({2, 2}, 2), basis);
  RandomStream random(5);
  double worst = 0.0;
  std::int64_t conditioned = 0;
  for (int t = 0; t < 15; ++t) {
    Eigen::VectorXd theta(2);
    theta << random.Uniform(-1.0, 1.0), random.Uniform(-1.0, 1.0);
    const Eigen::VectorXd morphed = morpher.EventWeights(theta, weights);
    const Eigen::VectorXd w_b = morpher.Weights(theta);
    double sigma_morphed = 0.0;
    double sigma_direct = 0.0;
    for (std::int64_t i = 0; i < n; ++i) {
      const ToyEvent& e = events[static_cast<std::size_t>(i)];
      const double direct =
          0.002 / static_cast<double>(n) * e.polynomial.Ratio(theta);
      sigma_morphed += morphed[i];
      sigma_direct += direct;
      const double scale = (w_b.cwiseAbs().transpose() *
                            weights.row(i).transpose().cwiseAbs())(0);
      EXPECT_NEAR(morphed[i], direct, 1e-13 * scale) << "event " << i + 1;
      const double relative = std::abs(morphed[i] / direct - 1.0);
      worst = std::max(worst, relative);
      if (scale <= 1e4 * direct) {
        ++conditioned;
        EXPECT_LE(relative, 1e-10) << "event " << i + 1;
      }
    }
    EXPECT_NEAR(sigma_morphed, sigma_direct, 1e-10 * sigma_direct);
  }
  EXPECT_GE(conditioned, 15 * n * 99 / 100);
  std::cerr << "toy morphing: " << conditioned << "/" << 15 * n
            << " events with kappa <= 1e4; largest relative difference "
            << worst << "\n";
}

TEST_F(ToyEventFile, SameSeedGivesTheSameFileAndRecordsTheSetup) {
  const ToyModel model({"c1"});
  const std::vector<NamedBenchmark> benchmarks = {
      {"sm", {0.0}}, {"up", {0.5}}, {"down", {-0.5}}};
  for (const char* name : {"a.hepmc3", "b.hepmc3"})
    WriteToyEventFile((folder_ / name).string(), model, benchmarks, 100, 4);
  WriteToyEventFile((folder_ / "c.hepmc3").string(), model, benchmarks, 100, 5);
  const std::string a = goldmine::testing::ReadText(folder_ / "a.hepmc3");
  EXPECT_EQ(a, goldmine::testing::ReadText(folder_ / "b.hepmc3"));
  EXPECT_NE(a, goldmine::testing::ReadText(folder_ / "c.hepmc3"));
  EXPECT_THAT(a, HasSubstr("A goldmine_benchmark_up c1=0.5"));
  EXPECT_THAT(a, HasSubstr("A goldmine_parameters c1"));
  EXPECT_THAT(a, HasSubstr("A goldmine_latent pt_true phi_true eta"));
  EXPECT_THAT(a, HasSubstr("A goldmine_eft_polynomial w_sm a_c1 b_c1_c1"));
}

}  // namespace
}  // namespace goldmine::generators

#include "goldmine/mining/augmenter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "goldmine/mining/madminer_file.h"
#include "mining/npy_reader.h"
#include "support/finite_differences.h"
#include "support/reference_data.h"

namespace goldmine::mining {
namespace {

using ::testing::HasSubstr;

std::filesystem::path ToyEvents() {
  return testing::FindReference("madminer/toy_events.h5");
}

#define REQUIRE_REFERENCE(path)                                    \
  if ((path).empty()) {                                            \
    GTEST_SKIP() << "reference data ../shared/reference/madminer " \
                    "absent; skipping";                            \
  }

Eigen::MatrixXd JsonMatrix(const nlohmann::json& rows) {
  Eigen::MatrixXd matrix(rows.size(), rows[0].size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      matrix(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
          rows[r][c].get<double>();
    }
  }
  return matrix;
}

ThetaPoints Points(const Augmenter& augmenter, const Eigen::MatrixXd& thetas) {
  ThetaPoints points;
  points.thetas = thetas;
  points.nus =
      Eigen::MatrixXd::Zero(thetas.rows(), augmenter.num_nuisance_parameters());
  points.benchmarks.assign(static_cast<std::size_t>(thetas.rows()), -1);
  return points;
}

void ExpectRelative(double actual, double expected, double tolerance) {
  EXPECT_NEAR(actual, expected, tolerance * std::abs(expected) + 1e-300)
      << "actual " << actual << " expected " << expected;
}

AugmenterOptions MadminerConventions() {
  AugmenterOptions options;
  options.madminer_partitions = true;
  return options;
}

TEST(Partitions, MatchMadminerWithItsConvention) {
  const AugmenterOptions madminer = MadminerConventions();
  const Partition train = MakePartition("train", 20000, madminer);
  EXPECT_EQ(train.first, 0);
  EXPECT_EQ(train.end, 12000);
  EXPECT_DOUBLE_EQ(train.correction, 1.0 / 0.6);
  const Partition validation = MakePartition("validation", 20000, madminer);
  EXPECT_EQ(validation.first, 12001);
  EXPECT_EQ(validation.end, 16000);
  EXPECT_DOUBLE_EQ(validation.correction, 5.0);
  const Partition test = MakePartition("test", 20000, madminer);
  EXPECT_EQ(test.first, 16001);
  EXPECT_EQ(test.end, 20000);
}

TEST(Partitions, DefaultConventionSkipsNoEvent) {
  const AugmenterOptions options;
  EXPECT_EQ(MakePartition("validation", 20000, options).first, 12000);
  EXPECT_EQ(MakePartition("test", 20000, options).first, 16000);
  EXPECT_EQ(MakePartition("test", 20000, options).end, 20000);
}

TEST(Partitions, EmptyPartitionIsAnError) {
  AugmenterOptions options;
  options.test_split = 0.0;
  EXPECT_THAT([&] { MakePartition("test", 100, options); },
              ::testing::ThrowsMessage<InvalidInput>(
                  HasSubstr("partition test has no events")));
}

TEST(Augmenter, CrossSectionsMatchMadminer) {
  REQUIRE_REFERENCE(ToyEvents());
  const auto reference =
      testing::ReadJson(testing::FindReference("madminer/cross_sections.json"));
  const Augmenter augmenter(ToyEvents(), MadminerConventions());
  RandomStream random(1);
  // Benchmarks by name.
  const auto& names = reference["benchmarks"]["names"];
  for (std::size_t b = 0; b < names.size(); ++b) {
    const ThetaPoints point = augmenter.ParseTheta(
        "benchmark:" + names[b].get<std::string>(), random);
    const CrossSections xsec = augmenter.ComputeCrossSections(point, "all");
    ExpectRelative(
        xsec.xsec(0), reference["benchmarks"]["xsecs"][b].get<double>(), 1e-10);
    ExpectRelative(xsec.uncertainty(0),
                   reference["benchmarks"]["uncertainties"][b].get<double>(),
                   1e-10);
  }
  for (const std::string key :
       {"morphing_points", "random_morphing_points_seed+7"}) {
    const ThetaPoints points =
        Points(augmenter, JsonMatrix(reference[key]["thetas"]));
    const CrossSections xsec = augmenter.ComputeCrossSections(points, "all");
    for (Eigen::Index i = 0; i < points.size(); ++i) {
      ExpectRelative(
          xsec.xsec(i), reference[key]["xsecs"][i].get<double>(), 1e-10);
      const double expected = reference[key]["uncertainties"][i].get<double>();
      if (expected == 0.0) {
        EXPECT_EQ(xsec.uncertainty(i), 0.0);
      } else {
        ExpectRelative(xsec.uncertainty(i), expected, 1e-10);
      }
    }
  }
  const ThetaPoints points = Points(
      augmenter, JsonMatrix(reference["xsec_gradients_all_events"]["thetas"]));
  const CrossSections all = augmenter.ComputeCrossSections(points, "all");
  const Eigen::MatrixXd gradients =
      JsonMatrix(reference["xsec_gradients_all_events"]["gradients"]);
  for (Eigen::Index i = 0; i < gradients.rows(); ++i) {
    for (Eigen::Index j = 0; j < gradients.cols(); ++j) {
      EXPECT_NEAR(
          all.gradient(i, j), gradients(i, j), 1e-10 * gradients.row(i).norm());
    }
  }
  for (const std::string partition : {"train", "validation", "test"}) {
    const auto& expected = reference["xsecs_partition_" + partition];
    const CrossSections xsec = augmenter.ComputeCrossSections(
        Points(augmenter, JsonMatrix(expected["thetas"])), partition);
    for (Eigen::Index i = 0; i < xsec.xsec.size(); ++i) {
      ExpectRelative(xsec.xsec(i), expected["xsecs"][i].get<double>(), 1e-10);
      const double unc = expected["uncertainties"][i].get<double>();
      if (unc > 0) ExpectRelative(xsec.uncertainty(i), unc, 1e-10);
    }
  }
}

TEST(Augmenter, PerEventScoresAndRatiosMatchMadminer) {
  REQUIRE_REFERENCE(ToyEvents());
  const auto npz =
      testing::ReadNpz(testing::FindReference("madminer/event_augmented.npz"));
  const Augmenter augmenter(ToyEvents(), MadminerConventions());
  const Eigen::MatrixXd thetas = npz.at("thetas").Matrix();
  std::vector<std::int64_t> events;
  for (double index : npz.at("event_index").values) {
    events.push_back(static_cast<std::int64_t>(index));
  }
  const EventJointQuantities joint =
      augmenter.EvaluateEvents(events, Points(augmenter, thetas), "train");
  const testing::NpyArray& t_xz = npz.at("t_xz");  // (thetas, events, 2)
  const testing::NpyArray& r_xz = npz.at("r_xz_vs_sm");
  const testing::NpyArray& xsecs = npz.at("xsecs");
  const auto n = static_cast<Eigen::Index>(events.size());
  for (Eigen::Index k = 0; k < thetas.rows(); ++k) {
    ExpectRelative(
        joint.xsecs(k), xsecs.values[static_cast<std::size_t>(k)], 1e-10);
    double worst_t = 0.0;
    double worst_r = 0.0;
    for (Eigen::Index e = 0; e < n; ++e) {
      for (Eigen::Index i = 0; i < 2; ++i) {
        const double expected =
            t_xz.values[static_cast<std::size_t>((k * n + e) * 2 + i)];
        const double actual = joint.scores[static_cast<std::size_t>(k)](e, i);
        worst_t = std::max(
            worst_t,
            std::abs(actual - expected) / std::max(1.0, std::abs(expected)));
      }
      const double r = (joint.weights(e, k) / joint.xsecs(k)) /
                       (joint.weights(e, 0) / joint.xsecs(0));
      const double expected_r =
          r_xz.values[static_cast<std::size_t>(k * n + e)];
      worst_r = std::max(
          worst_r,
          std::abs(r - expected_r) / std::max(1e-300, std::abs(expected_r)));
    }
    EXPECT_LT(worst_t, 1e-6) << "theta " << k;
    EXPECT_LT(worst_r, 1e-6) << "theta " << k;
  }
}

TEST(Augmenter, JointScoreIsTheGradientOfTheLogJointLikelihood) {
  REQUIRE_REFERENCE(ToyEvents());
  const Augmenter augmenter(ToyEvents());
  const std::vector<std::int64_t> events = {3, 17, 4242};
  Eigen::VectorXd theta(2);
  theta << 0.3, -0.2;
  auto log_p = [&](const Eigen::VectorXd& t) {
    const EventJointQuantities q = augmenter.EvaluateEvents(
        events, Points(augmenter, t.transpose()), "train");
    return Eigen::VectorXd(
        (q.weights.col(0).array() / q.xsecs(0)).log().matrix());
  };
  const Eigen::MatrixXd numeric =
      testing::FiniteDifferenceGradient(log_p, theta);
  const EventJointQuantities q = augmenter.EvaluateEvents(
      events, Points(augmenter, theta.transpose()), "train");
  EXPECT_TRUE(testing::AllClose(q.scores[0].transpose(), numeric, 1e-6));
}

TEST(Augmenter, NuisanceMorpherMatchesMadminer) {
  const auto file = testing::FindReference("madminer/toy_nuisance_events.h5");
  REQUIRE_REFERENCE(file);
  const auto npz =
      testing::ReadNpz(testing::FindReference("madminer/nuisance_morpher.npz"));
  const Augmenter augmenter(file);
  ASSERT_EQ(augmenter.num_nuisance_parameters(), 1);
  Eigen::MatrixXd a;
  Eigen::MatrixXd b;
  augmenter.NuisanceCoefficients(&a, &b);
  auto column = [&](const std::string& name) {
    const auto& values = npz.at(name).values;
    return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(
        values.data(), static_cast<Eigen::Index>(values.size())));
  };
  EXPECT_TRUE(testing::AllClose(a, column("a"), 1e-12));
  EXPECT_TRUE(testing::AllClose(b, column("b"), 1e-12));
  const Eigen::ArrayXd factors =
      (0.5 * a.col(0) + 0.25 * b.col(0)).array().exp();
  EXPECT_TRUE(
      testing::AllClose(factors.matrix(), column("factors_nu_0p5"), 1e-12));
  // Cross sections at ν (sampling_summary.json nuisance_sampling).
  const auto summary = testing::ReadJson(
      testing::FindReference("madminer/sampling_summary.json"));
  const auto& expected = summary["nuisance_sampling"]["xsecs_nu"]["xsecs"];
  ThetaPoints points = Points(augmenter, Eigen::MatrixXd::Zero(5, 2));
  points.nus << -1, -0.5, 0, 0.5, 1;
  const CrossSections xsec = augmenter.ComputeCrossSections(points, "all");
  for (int i = 0; i < 5; ++i) {
    ExpectRelative(xsec.xsec(i), expected[static_cast<std::size_t>(i)], 1e-10);
  }
}

TEST(Augmenter, RatioOfAPointWithItselfIsOne) {
  REQUIRE_REFERENCE(ToyEvents());
  const Augmenter augmenter(ToyEvents());
  RandomStream random(3);
  const ThetaPoints theta = augmenter.ParseTheta("0.4,-0.1", random);
  const SampleData data =
      augmenter.SampleTrainRatio(theta, theta, 500, 9, "train");
  EXPECT_TRUE(
      testing::AllClose(data.r_xz, Eigen::MatrixXd::Ones(500, 1), 1e-12));
}

TEST(Augmenter, SameSeedSameSample) {
  REQUIRE_REFERENCE(ToyEvents());
  const Augmenter augmenter(ToyEvents());
  RandomStream random(3);
  const ThetaPoints theta0 = augmenter.ParseTheta("grid:3,3", random);
  const ThetaPoints theta1 = augmenter.ParseTheta("benchmark:sm", random);
  const SampleData first = augmenter.SampleTrainRatio(theta0, theta1, 900, 5);
  const SampleData second = augmenter.SampleTrainRatio(theta0, theta1, 900, 5);
  EXPECT_EQ(first.x, second.x);
  EXPECT_EQ(first.r_xz, second.r_xz);
  const SampleData other = augmenter.SampleTrainRatio(theta0, theta1, 900, 6);
  EXPECT_NE(first.x, other.x);
}

// Mean and variance of a column against MadMiner's sample statistics, within
// 4 Monte Carlo standard errors (of both samples).
void ExpectCompatible(const Eigen::VectorXd& ours,
                      const nlohmann::json& stats,
                      std::size_t column,
                      std::int64_t their_n,
                      const std::string& what) {
  const double n = static_cast<double>(ours.size());
  const double mean = ours.mean();
  const double var = (ours.array() - mean).square().sum() / n;
  const double their_mean = stats["mean"][column].get<double>();
  const double their_var = stats["var"][column].get<double>();
  const double m = static_cast<double>(their_n);
  const double se_mean = std::sqrt(var / n + their_var / m);
  EXPECT_LE(std::abs(mean - their_mean), 4.0 * se_mean + 1e-12)
      << what << " mean " << mean << " vs " << their_mean;
  const double kurtosis_term =
      (ours.array() - mean).pow(4).sum() / n - var * var;
  const double se_var =
      std::sqrt(std::max(kurtosis_term, 0.0) * (1.0 / n + 1.0 / m));
  EXPECT_LE(std::abs(var - their_var), 4.0 * se_var + 1e-12)
      << what << " variance " << var << " vs " << their_var;
}

TEST(Augmenter, SampleStatisticsAgreeWithMadminer) {
  REQUIRE_REFERENCE(ToyEvents());
  const auto summary = testing::ReadJson(
      testing::FindReference("madminer/sampling_summary.json"))["sampling"];
  const Augmenter augmenter(ToyEvents(), MadminerConventions());
  RandomStream random(11);
  const std::int64_t n = 20000;
  {
    const auto& stats = summary["train_local_sm"];
    const SampleData local = augmenter.SampleTrainLocal(
        augmenter.ParseTheta("benchmark:sm", random), n, 1);
    for (std::size_t o = 0; o < 4; ++o) {
      ExpectCompatible(local.x.col(static_cast<Eigen::Index>(o)),
                       stats["x"],
                       o,
                       4000,
                       "local sm x");
    }
    for (std::size_t i = 0; i < 2; ++i) {
      ExpectCompatible(local.t_xz.col(static_cast<Eigen::Index>(i)),
                       stats["t_xz"],
                       i,
                       4000,
                       "local sm t_xz");
    }
    ExpectRelative(local.n_eff, stats["n_effective"].get<double>(), 1e-9);
  }
  {
    const auto& stats = summary["train_local_alt"];
    const SampleData local = augmenter.SampleTrainLocal(
        augmenter.ParseTheta("point:0.5,-0.3", random), n, 2);
    for (std::size_t o = 0; o < 4; ++o) {
      ExpectCompatible(local.x.col(static_cast<Eigen::Index>(o)),
                       stats["x"],
                       o,
                       4000,
                       "local alt x");
    }
    for (std::size_t i = 0; i < 2; ++i) {
      ExpectCompatible(local.t_xz.col(static_cast<Eigen::Index>(i)),
                       stats["t_xz"],
                       i,
                       4000,
                       "local alt t_xz");
    }
    ExpectRelative(local.n_eff, stats["n_effective"].get<double>(), 1e-9);
  }
  {
    const auto& stats = summary["train_ratio_points"];
    ThetaPoints theta0 = augmenter.ParseTheta("0.5,0", random);
    for (const std::string spec : {"0,0.5", "-0.4,0.3", "0.8,-0.8"}) {
      const ThetaPoints more = augmenter.ParseTheta(spec, random);
      theta0.thetas.conservativeResize(theta0.thetas.rows() + 1, 2);
      theta0.thetas.bottomRows(1) = more.thetas;
      theta0.nus.conservativeResize(theta0.nus.rows() + 1, 0);
      theta0.benchmarks.push_back(-1);
    }
    const SampleData ratio = augmenter.SampleTrainRatio(
        theta0, augmenter.ParseTheta("benchmark:sm", random), n, 3);
    for (std::size_t o = 0; o < 4; ++o) {
      ExpectCompatible(ratio.x.col(static_cast<Eigen::Index>(o)),
                       stats["x"],
                       o,
                       4000,
                       "ratio x");
    }
    for (std::size_t i = 0; i < 2; ++i) {
      ExpectCompatible(ratio.t_xz.col(static_cast<Eigen::Index>(i)),
                       stats["t_xz"],
                       i,
                       4000,
                       "ratio t_xz");
    }
    ExpectCompatible(ratio.r_xz.col(0).array().log().matrix(),
                     stats["log_r_xz"],
                     0,
                     4000,
                     "ratio log r_xz");
    ExpectCompatible(
        ratio.theta0.col(0), stats["theta0"], 0, 4000, "ratio theta0");
    ExpectCompatible(ratio.y.col(0), stats["y"], 0, 4000, "ratio y");
  }
  {
    const auto& stats = summary["test_sm"];
    const SampleData test = augmenter.SampleTest(
        augmenter.ParseTheta("benchmark:sm", random), n, 7);
    for (std::size_t o = 0; o < 4; ++o) {
      ExpectCompatible(test.x.col(static_cast<Eigen::Index>(o)),
                       stats["x"],
                       o,
                       400,
                       "test x");
    }
  }
}

// Nuisance columns of t(x,z|θ,ν) from nuisance_morpher.npz. With
// w(z|θ,ν) = w(z|θ) exp(a(z) ν + b(z) ν²) (MADMINER.md §2) and the score
// ∇ ln w(z|θ,ν) − ∇ ln σ(θ,ν) (§5 step 3, σ of the partition sampled from):
//   t_ν(z) = a(z) + 2 b(z) ν − Σ_e w_e f_e (a_e + 2 b_e ν) / Σ_e w_e f_e,
// f_e = exp(a_e ν + b_e ν²), the sums over the train partition (events
// generated at the closest benchmark: all, here). At ν = 0 this is
// a(z) − Σ w a / Σ w = a(z) − ∂ ln σ/∂ν|₀. a, b, f come from MadMiner's
// NuisanceMorpher (the npz), w(z|sm) from the file's sm column.
TEST(Augmenter, NuisanceScoreColumnsMatchTheNuisanceMorpher) {
  const auto file = testing::FindReference("madminer/toy_nuisance_events.h5");
  REQUIRE_REFERENCE(file);
  const auto npz =
      testing::ReadNpz(testing::FindReference("madminer/nuisance_morpher.npz"));
  auto column = [&](const std::string& name) {
    const auto& values = npz.at(name).values;
    return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(
        values.data(), static_cast<Eigen::Index>(values.size())));
  };
  const Eigen::VectorXd a = column("a");
  const Eigen::VectorXd b = column("b");
  const Eigen::VectorXd f_half = column("factors_nu_0p5");
  const Augmenter augmenter(file, MadminerConventions());
  ASSERT_EQ(augmenter.num_nuisance_parameters(), 1);
  ASSERT_EQ(a.size(), augmenter.num_events());
  const MadminerEventsReader reader(file);
  const Eigen::VectorXd w_sm = reader.ReadAll().weights.col(0);  // sm
  const Partition train =
      MakePartition("train", augmenter.num_events(), MadminerConventions());
  const std::vector<std::int64_t> events = {
      0, 1, 17, 999, 5000, 11999, 12000, 15000, 19999};
  RandomStream random(1);
  for (const double nu : {0.0, 0.5}) {
    const Eigen::VectorXd f =
        nu == 0.0 ? Eigen::VectorXd::Ones(a.size()) : f_half;
    const Eigen::VectorXd da = a + 2.0 * nu * b;
    const auto wf = w_sm.segment(train.first, train.size())
                        .cwiseProduct(f.segment(train.first, train.size()));
    const double xsec_term =
        wf.dot(da.segment(train.first, train.size())) / wf.sum();
    if (nu == 0.0) {
      // ∂ ln σ/∂ν at 0 from the nuisance morpher: ~0.0625 (cf. the finite
      // difference of sampling_summary.json's xsecs_nu).
      EXPECT_NEAR(xsec_term, 0.0625, 0.002);
      // The same term from the cross-section gradient (one linear pass).
      const ThetaPoints sm = augmenter.ParseTheta("benchmark:sm", random);
      const CrossSections xsec = augmenter.ComputeCrossSections(sm, "train");
      ExpectRelative(xsec.gradient(0, 2) / xsec.xsec(0), xsec_term, 1e-12);
    }
    ThetaPoints point = augmenter.ParseTheta("benchmark:sm", random);
    point.nus(0, 0) = nu;
    const EventJointQuantities q =
        augmenter.EvaluateEvents(events, point, "train");
    ASSERT_EQ(q.scores[0].cols(), 3);
    for (std::size_t i = 0; i < events.size(); ++i) {
      const auto row = static_cast<Eigen::Index>(i);
      const Eigen::Index e = events[i];
      ExpectRelative(q.scores[0](row, 2), da(e) - xsec_term, 1e-10);
      ExpectRelative(q.weights(row, 0), w_sm(e) * f(e), 1e-12);
    }
  }
}

// sampling_summary.json nuisance_sampling: MadMiner's sample_train_local at
// sm on toy_nuisance_events.h5 (2000 samples, t_xz with the ν column).
TEST(Augmenter, NuisanceSampleStatisticsAgreeWithMadminer) {
  const auto file = testing::FindReference("madminer/toy_nuisance_events.h5");
  REQUIRE_REFERENCE(file);
  const auto stats = testing::ReadJson(testing::FindReference(
      "madminer/sampling_summary.json"))["nuisance_sampling"];
  const Augmenter augmenter(file, MadminerConventions());
  RandomStream random(5);
  const SampleData local = augmenter.SampleTrainLocal(
      augmenter.ParseTheta("benchmark:sm", random), 20000, 8);
  ASSERT_EQ(local.t_xz.cols(), 3);
  const auto their_n = stats["t_xz"]["shape"][0].get<std::int64_t>();
  for (std::size_t i = 0; i < 3; ++i) {
    ExpectCompatible(local.t_xz.col(static_cast<Eigen::Index>(i)),
                     stats["t_xz"],
                     i,
                     their_n,
                     "nuisance local t_xz");
  }
  ExpectRelative(local.n_eff, stats["n_effective"].get<double>(), 1e-9);
}

TEST(Augmenter, MoreRatiosRepeatEventsForAdditionalPoints) {
  REQUIRE_REFERENCE(ToyEvents());
  const Augmenter augmenter(ToyEvents());
  RandomStream random(1);
  ThetaPoints theta0 = augmenter.ParseTheta("0.5,0", random);
  const SampleData data = augmenter.SampleTrainMoreRatios(
      theta0,
      augmenter.ParseTheta("benchmark:sm", random),
      augmenter.ParseTheta("0.5,-0.3", random),
      1000,
      4);
  EXPECT_EQ(data.num_samples(), 2000);
  EXPECT_EQ(data.t_xz1.rows(), 2000);
  EXPECT_NEAR(data.y.mean(), 0.5, 1e-12);
}

TEST(Augmenter, BadSpecificationsNameTheSpecification) {
  REQUIRE_REFERENCE(ToyEvents());
  const Augmenter augmenter(ToyEvents());
  RandomStream random(1);
  EXPECT_THAT([&] { augmenter.ParseTheta("benchmark:nope", random); },
              ::testing::ThrowsMessage<InvalidInput>(
                  HasSubstr("\"benchmark:nope\": unknown benchmark")));
  EXPECT_THAT([&] { augmenter.ParseTheta("point:1,2,3", random); },
              ::testing::ThrowsMessage<InvalidInput>(HasSubstr("expected 2")));
  EXPECT_THAT([&] { augmenter.ParseTheta("random:0:uniform", random); },
              ::testing::ThrowsMessage<InvalidInput>(
                  HasSubstr("not a positive integer")));
  EXPECT_THAT([&] { augmenter.ParseTheta("grid:3", random); },
              ::testing::ThrowsMessage<InvalidInput>(HasSubstr("grid:3")));
  EXPECT_EQ(augmenter.ParseTheta("grid:3,5", random).size(), 15);
  EXPECT_EQ(augmenter.ParseTheta("random:7:gaussian:0,0:1,0.5", random).size(),
            7);
}

// Issue 19: AugmenterOptions::threads splits the joint ratios and scores
// of the drawn rows into chunks; every number is the one-thread number.
TEST(Augmenter, ThreadsGiveTheSameSamples) {
  const auto path = ToyEvents();
  REQUIRE_REFERENCE(path);
  AugmenterOptions one;
  AugmenterOptions three;
  three.threads = 3;
  const Augmenter serial(path, one);
  const Augmenter parallel(path, three);
  RandomStream random(4);
  const ThetaPoints theta0 = serial.ParseTheta("benchmark:sm", random);
  const ThetaPoints theta1 = serial.ParseTheta("random:5:uniform", random);
  // 30000 rows: several chunks of 8192 rows, and a partial one.
  const SampleData a = serial.SampleTrainRatio(theta0, theta1, 30000, 7);
  const SampleData b = parallel.SampleTrainRatio(theta0, theta1, 30000, 7);
  for (const auto member : {&SampleData::x,
                            &SampleData::theta0,
                            &SampleData::theta1,
                            &SampleData::y,
                            &SampleData::r_xz,
                            &SampleData::t_xz}) {
    ASSERT_EQ((a.*member).rows(), 30000);
    EXPECT_TRUE((a.*member) == (b.*member));
  }
  const SampleData c = serial.SampleTrainLocal(theta1, 30000, 8);
  const SampleData d = parallel.SampleTrainLocal(theta1, 30000, 8);
  EXPECT_TRUE(c.x == d.x);
  EXPECT_TRUE(c.t_xz == d.t_xz);
  EXPECT_TRUE(c.theta0 == d.theta0);
}

// Issue 20: StreamSingleTheta and StreamTrainRatio hand the sample over in
// pieces of whole blocks; concatenated they are the sample of the one-call
// method, row for row, for every method, several θ points, and a shard.
TEST(Augmenter, StreamedPiecesConcatenateIntoTheSample) {
  const auto path = ToyEvents();
  REQUIRE_REFERENCE(path);
  for (const int num_shards : {1, 2}) {
    AugmenterOptions whole;
    whole.num_shards = num_shards;
    whole.shard = num_shards - 1;
    AugmenterOptions pieces = whole;
    pieces.draws_per_piece = 2 * kSampleBlockSize + 1;  // two blocks a piece
    const Augmenter one(path, whole);
    const Augmenter streamed(path, pieces);
    RandomStream random(5);
    // 3 points of 15000 draws: 4.5 blocks, points straddling blocks.
    const ThetaPoints theta = one.ParseTheta("random:3:uniform", random);
    for (const std::string method : {"plain", "local", "density", "test"}) {
      SCOPED_TRACE(method + ", shards " + std::to_string(num_shards));
      const std::string partition = method == "test" ? "test" : "train";
      const SampleData expected =
          method == "plain"     ? one.SampleTrainPlain(theta, 45000, 9)
          : method == "local"   ? one.SampleTrainLocal(theta, 45000, 9)
          : method == "density" ? one.SampleTrainDensity(theta, 45000, 9)
                                : one.SampleTest(theta, 45000, 9);
      std::vector<SampleData> got;
      const SampleData header = streamed.StreamSingleTheta(
          method, theta, 45000, 9, partition, [&](SampleData& piece) {
            got.push_back(piece);
          });
      EXPECT_EQ(header.x.rows(), 0);
      EXPECT_DOUBLE_EQ(header.n_eff, expected.n_eff);
      const int num_pieces = num_shards == 1 ? 3 : 2;  // 5 or 3 blocks
      ASSERT_EQ(static_cast<int>(got.size()), num_pieces);
      Eigen::Index row = 0;
      for (const SampleData& piece : got) {
        EXPECT_EQ(piece.method, method);
        EXPECT_DOUBLE_EQ(piece.n_eff, expected.n_eff);
        const Eigen::Index n = piece.x.rows();
        ASSERT_LE(row + n, expected.x.rows());
        EXPECT_TRUE(piece.x == expected.x.middleRows(row, n));
        EXPECT_TRUE(piece.theta0 == expected.theta0.middleRows(row, n));
        EXPECT_EQ(piece.t_xz.size() > 0, expected.t_xz.size() > 0);
        if (piece.t_xz.size() > 0) {
          EXPECT_TRUE(piece.t_xz == expected.t_xz.middleRows(row, n));
        }
        row += n;
      }
      EXPECT_EQ(row, expected.x.rows());
    }
  }
  // Ratio and more-ratios: rows shuffled within blocks, an additional point
  // repeating every draw.
  AugmenterOptions pieces;
  pieces.draws_per_piece = 2 * kSampleBlockSize;
  const Augmenter one(path);
  const Augmenter streamed(path, pieces);
  RandomStream ratio_random(7);
  const ThetaPoints theta0 = one.ParseTheta("random:3:uniform", ratio_random);
  const ThetaPoints theta1 = one.ParseTheta("benchmark:sm", ratio_random);
  const ThetaPoints extra = one.ParseTheta("point:0.5,-0.5", ratio_random);
  for (const ThetaPoints* additional :
       {static_cast<const ThetaPoints*>(nullptr), &extra}) {
    SCOPED_TRACE(additional == nullptr ? "ratio" : "more-ratios");
    const SampleData expected =
        additional == nullptr
            ? one.SampleTrainRatio(theta0, theta1, 45000, 3)
            : one.SampleTrainMoreRatios(theta0, theta1, extra, 45000, 3);
    std::vector<SampleData> got;
    const SampleData header = streamed.StreamTrainRatio(
        theta0, theta1, additional, 45000, 3, "train", [&](SampleData& piece) {
          got.push_back(piece);
        });
    EXPECT_DOUBLE_EQ(header.n_eff, expected.n_eff);
    ASSERT_EQ(got.size(), 3u);  // 4.5 blocks, two a piece
    Eigen::Index row = 0;
    for (const SampleData& piece : got) {
      const Eigen::Index n = piece.x.rows();
      ASSERT_LE(row + n, expected.x.rows());
      for (const auto member : {&SampleData::x,
                                &SampleData::theta0,
                                &SampleData::theta1,
                                &SampleData::y,
                                &SampleData::r_xz,
                                &SampleData::t_xz,
                                &SampleData::t_xz1}) {
        ASSERT_EQ((piece.*member).rows() > 0, (expected.*member).rows() > 0);
        if ((piece.*member).rows() > 0) {
          EXPECT_TRUE((piece.*member) == (expected.*member).middleRows(row, n));
        }
      }
      row += n;
    }
    EXPECT_EQ(row, expected.x.rows());
  }
  const Augmenter augmenter(path);
  RandomStream random(6);
  const ThetaPoints sm = augmenter.ParseTheta("benchmark:sm", random);
  EXPECT_THAT(
      [&] {
        augmenter.StreamSingleTheta(
            "ratio", sm, 100, 1, "train", [](SampleData&) {});
      },
      ::testing::ThrowsMessage<InvalidInput>(
          ::testing::HasSubstr("not a single-theta sampling method")));
}

}  // namespace
}  // namespace goldmine::mining

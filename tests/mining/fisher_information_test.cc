#include "goldmine/mining/fisher_information.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goldmine/core/errors.h"
#include "goldmine/mining/madminer_file.h"
#include "support/finite_differences.h"
#include "support/reference_data.h"

namespace goldmine::mining {
namespace {

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

// Relative to the largest element (MadMiner's tiny off-diagonal elements
// are sums with cancellations).
::testing::AssertionResult Close(const Eigen::MatrixXd& actual,
                                 const Eigen::MatrixXd& expected,
                                 double tolerance) {
  const double scale = expected.cwiseAbs().maxCoeff();
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) {
    return ::testing::AssertionFailure() << "shape mismatch";
  }
  const double error = (actual - expected).cwiseAbs().maxCoeff();
  if (error <= tolerance * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual\n"
                                       << actual << "\nexpected\n"
                                       << expected << "\nmax error " << error;
}

void ExpectCovariance(const FisherResult& result, const nlohmann::json& cov) {
  const Eigen::Index n = result.information.rows();
  double scale = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      scale = std::max(scale, JsonMatrix(cov[i][j]).cwiseAbs().maxCoeff());
    }
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      const Eigen::MatrixXd expected = JsonMatrix(cov[i][j]);
      const Eigen::MatrixXd& actual =
          result.covariance[static_cast<std::size_t>(i * n + j)];
      EXPECT_LE((actual - expected).cwiseAbs().maxCoeff(), 1e-8 * scale)
          << "covariance block " << i << "," << j << "\n"
          << actual << "\nvs\n"
          << expected;
    }
  }
}

class FisherReference : public ::testing::Test {
 protected:
  void SetUp() override {
    events_ = testing::FindReference("madminer/toy_events.h5");
    if (events_.empty()) GTEST_SKIP() << "MadMiner reference data absent";
    reference_ =
        testing::ReadJson(testing::FindReference("madminer/fisher.json"));
  }
  std::filesystem::path events_;
  nlohmann::json reference_;
};

TEST_F(FisherReference, TruthRateAndHistogramsMatchMadminer) {
  const FisherInformation fisher(events_);
  for (const std::string point : {"sm", "alt"}) {
    const auto& ref = reference_[point];
    const Eigen::VectorXd theta =
        JsonMatrix(nlohmann::json::array({ref["theta"]})).row(0).transpose();
    const FisherResult truth = fisher.Truth(theta);
    EXPECT_TRUE(
        Close(truth.information, JsonMatrix(ref["truth"]["info"]), 1e-8))
        << point;
    ExpectCovariance(truth, ref["truth"]["covariance"]);
    const FisherResult rate = fisher.Rate(theta);
    EXPECT_TRUE(Close(rate.information, JsonMatrix(ref["rate"]["info"]), 1e-8));
    ExpectCovariance(rate, ref["rate"]["covariance"]);

    HistogramBinning edges;
    edges.edges = ref["histo_pt_edges"]["bins"].get<std::vector<double>>();
    const FisherResult pt = fisher.Histogram(theta, "pt", edges);
    EXPECT_TRUE(
        Close(pt.information, JsonMatrix(ref["histo_pt_edges"]["info"]), 1e-8));
    ExpectCovariance(pt, ref["histo_pt_edges"]["covariance"]);

    HistogramBinning fixed;
    fixed.num_bins = 10;
    fixed.range = std::make_pair(-3.2, 3.2);
    const FisherResult dphi = fisher.Histogram(theta, "dphi", fixed);
    EXPECT_TRUE(Close(
        dphi.information, JsonMatrix(ref["histo_dphi_fixed10"]["info"]), 1e-8));

    HistogramBinning dynamic;
    dynamic.num_bins = 8;
    const FisherResult ptcos = fisher.Histogram(theta, "ptcos", dynamic);
    EXPECT_TRUE(Close(ptcos.information,
                      JsonMatrix(ref["histo_ptcos_dynamic8"]["info"]),
                      1e-8));

    HistogramBinning second;
    second.edges = ref["histo2d_pt_dphi"]["bins2"].get<std::vector<double>>();
    const FisherResult two =
        fisher.Histogram2D(theta, "pt", edges, "dphi", second);
    EXPECT_TRUE(Close(
        two.information, JsonMatrix(ref["histo2d_pt_dphi"]["info"]), 1e-8));
    ExpectCovariance(two, ref["histo2d_pt_dphi"]["covariance"]);

    EXPECT_TRUE(Close(ProjectInformation(truth.information, {0}),
                      JsonMatrix(ref["project_truth_onto_param0"]),
                      1e-8));
    EXPECT_TRUE(Close(ProfileInformation(truth.information, {0}),
                      JsonMatrix(ref["profile_truth_onto_param0"]),
                      1e-8));
  }
}

// Issue 19: FisherOptions::threads gives the numbers of one thread, bit for
// bit (chunks of events summed in order), and still MadMiner's.
TEST_F(FisherReference, ThreadsGiveTheSameNumbers) {
  FisherOptions three;
  three.threads = 3;
  three.batch_size = 10000;  // several batches, several chunks each
  FisherOptions one = three;
  one.threads = 1;
  const FisherInformation serial(events_, one);
  const FisherInformation parallel(events_, three);
  const auto& ref = reference_["sm"];
  const Eigen::VectorXd theta =
      JsonMatrix(nlohmann::json::array({ref["theta"]})).row(0).transpose();
  const FisherResult a = serial.Truth(theta);
  const FisherResult b = parallel.Truth(theta);
  EXPECT_TRUE(a.information == b.information);
  EXPECT_TRUE(a.information_uncertainty == b.information_uncertainty);
  EXPECT_TRUE(a.information_mc_covariance == b.information_mc_covariance);
  EXPECT_TRUE(a.largest_event_fraction == b.largest_event_fraction);
  EXPECT_TRUE(Close(b.information, JsonMatrix(ref["truth"]["info"]), 1e-8));
  HistogramBinning edges;
  edges.edges = ref["histo_pt_edges"]["bins"].get<std::vector<double>>();
  HistogramBinning second;
  second.edges = ref["histo2d_pt_dphi"]["bins2"].get<std::vector<double>>();
  const FisherResult c = serial.Histogram2D(theta, "pt", edges, "dphi", second);
  const FisherResult d =
      parallel.Histogram2D(theta, "pt", edges, "dphi", second);
  EXPECT_TRUE(c.information == d.information);
  EXPECT_TRUE(c.information_uncertainty == d.information_uncertainty);
  EXPECT_TRUE(c.largest_event_fraction == d.largest_event_fraction);
  EXPECT_TRUE(
      Close(d.information, JsonMatrix(ref["histo2d_pt_dphi"]["info"]), 1e-8));
}

TEST_F(FisherReference, CutsAndEfficienciesMatchMadminer) {
  FisherOptions options;
  options.cuts = {"pt > 40"};
  options.efficiencies = {"0.9"};
  const FisherInformation fisher(events_, options);
  for (const std::string point : {"sm", "alt"}) {
    const auto& ref = reference_[point];
    const Eigen::VectorXd theta =
        JsonMatrix(nlohmann::json::array({ref["theta"]})).row(0).transpose();
    const FisherResult truth = fisher.Truth(theta);
    EXPECT_TRUE(Close(truth.information,
                      JsonMatrix(ref["truth_cut_pt40_eff0.9"]["info"]),
                      1e-8));
    ExpectCovariance(truth, ref["truth_cut_pt40_eff0.9"]["covariance"]);
  }
}

TEST_F(FisherReference, NuisanceParametersMatchMadminer) {
  const auto file = testing::FindReference("madminer/toy_nuisance_events.h5");
  if (file.empty()) GTEST_SKIP() << "toy_nuisance_events.h5 absent";
  const FisherInformation fisher(file);
  const auto& ref = reference_["nuisance_sm"];
  const Eigen::VectorXd theta = Eigen::VectorXd::Zero(2);
  const FisherResult truth = fisher.Truth(theta);
  EXPECT_TRUE(
      Close(truth.information, JsonMatrix(ref["truth_with_nuisance"]), 1e-8));
  const FisherResult rate = fisher.Rate(theta);
  EXPECT_TRUE(
      Close(rate.information, JsonMatrix(ref["rate_with_nuisance"]), 1e-8));
  const Eigen::MatrixXd constraint = NuisanceConstraintInformation(2, 1);
  EXPECT_TRUE(Close(constraint, JsonMatrix(ref["nuisance_constraint"]), 0.0));
  EXPECT_TRUE(Close(ProfileInformation(truth.information + constraint, {0, 1}),
                    JsonMatrix(ref["profiled_physics"]),
                    1e-8));
  EXPECT_TRUE(Close(ProjectInformation(truth.information, {0, 1}),
                    JsonMatrix(ref["projected_physics"]),
                    1e-8));
}

// Score models with a known closed form, on MadMiner's toy events file.
class FixedScoreModel final : public core::ScoreModel {
 public:
  // t̂(x) = offset + x[observable] · slope.
  FixedScoreModel(std::vector<std::string> parameters,
                  std::vector<std::string> observables,
                  Eigen::VectorXd offset,
                  Eigen::VectorXd slope)
      : parameters_(std::move(parameters)),
        observables_(std::move(observables)),
        offset_(std::move(offset)),
        slope_(std::move(slope)) {}
  Eigen::MatrixXd Score(const Eigen::MatrixXd& x) const override {
    return (x.col(0) * slope_.transpose()).rowwise() + offset_.transpose();
  }
  std::vector<std::string> parameter_names() const override {
    return parameters_;
  }
  std::vector<std::string> observable_names() const override {
    return observables_;
  }

 private:
  std::vector<std::string> parameters_;
  std::vector<std::string> observables_;
  Eigen::VectorXd offset_;
  Eigen::VectorXd slope_;
};

class ScoreInformation : public FisherReference {
 protected:
  std::vector<std::string> Parameters() const {
    std::vector<std::string> names;
    for (const auto& parameter : ReadSetup(events_).parameters) {
      names.push_back(parameter.name);
    }
    return names;
  }
};

// A constant score t̂ = c carries I = L σ(θ) c cᵀ whatever the events.
TEST_F(ScoreInformation, ConstantScoreGivesLuminosityTimesXsecTimesOuter) {
  const FisherInformation fisher(events_);
  const Eigen::Vector2d c(0.7, -1.3);
  const FixedScoreModel model(
      Parameters(), {"eta"}, c, Eigen::Vector2d::Zero());
  for (const Eigen::Vector2d& theta :
       {Eigen::Vector2d(0, 0), Eigen::Vector2d(0.4, -0.3)}) {
    const double xsec = fisher.CrossSection(theta);
    const FisherResult kinematic = fisher.Score(theta, model, "test", false);
    EXPECT_TRUE(Close(
        kinematic.information, 300000.0 * xsec * c * c.transpose(), 1e-12));
    const FisherResult with_rate = fisher.Score(theta, model);
    EXPECT_TRUE(Close(with_rate.information,
                      kinematic.information + fisher.Rate(theta).information,
                      1e-12));
    EXPECT_EQ(with_rate.parameters, Parameters());
  }
}

// t̂ = pt · s: I = L σ(θ) s sᵀ Σ w pt² / Σ w over the test partition, with the
// weights at θ computed here from the file's benchmark weights and morphing.
TEST_F(ScoreInformation, LinearScoreAveragesOverTheTestPartition) {
  const FisherInformation fisher(events_);
  const MadminerEvents file = ReadEvents(events_);
  // w_b(θ) = Σ_c Π_p θ_p^k_cp M_cb (DESIGN.md §2), computed here directly.
  const MadminerMorphing& morphing = *file.setup.morphing;
  const Eigen::Vector2d theta(0.3, 0.5);
  Eigen::VectorXd component(morphing.components.rows());
  for (Eigen::Index c = 0; c < component.size(); ++c) {
    component(c) = std::pow(theta(0), morphing.components(c, 0)) *
                   std::pow(theta(1), morphing.components(c, 1));
  }
  const Eigen::VectorXd benchmark_weights =
      morphing.morphing_matrix.transpose() * component;
  const Eigen::VectorXd w_theta =
      file.events.weights.leftCols(benchmark_weights.size()) *
      benchmark_weights;
  const std::int64_t n = file.events.size();
  const auto first = static_cast<Eigen::Index>(std::llround(0.8 * n));
  const auto pt_column = static_cast<Eigen::Index>(
      std::find_if(file.setup.observables.begin(),
                   file.setup.observables.end(),
                   [](const auto& o) { return o.name == "pt"; }) -
      file.setup.observables.begin());
  double sum_w = 0.0;
  double sum_w_pt2 = 0.0;
  for (Eigen::Index e = first; e < n; ++e) {
    const double pt = file.events.observations(e, pt_column);
    sum_w += w_theta(e);
    sum_w_pt2 += w_theta(e) * pt * pt;
  }
  const Eigen::Vector2d s(0.01, 0.02);
  const FixedScoreModel model(Parameters(), {"pt"}, Eigen::Vector2d::Zero(), s);
  const FisherResult result = fisher.Score(theta, model, "test", false);
  const Eigen::MatrixXd expected =
      300000.0 * w_theta.sum() * (sum_w_pt2 / sum_w) * s * s.transpose();
  EXPECT_TRUE(Close(result.information, expected, 1e-10));
}

TEST_F(ScoreInformation, RejectsModelsThatDoNotFitTheFile) {
  const FisherInformation fisher(events_);
  const Eigen::Vector2d theta(0, 0);
  const FixedScoreModel wrong_parameters(
      {"a", "b"}, {"pt"}, Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero());
  EXPECT_THAT([&] { fisher.Score(theta, wrong_parameters); },
              ::testing::ThrowsMessage<InvalidInput>(
                  ::testing::HasSubstr("do not match")));
  const FixedScoreModel unknown_observable(
      Parameters(), {"mbb"}, Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero());
  EXPECT_THAT(
      [&] { fisher.Score(theta, unknown_observable); },
      ::testing::ThrowsMessage<InvalidInput>(::testing::HasSubstr("\"mbb\"")));
  const FixedScoreModel model(
      Parameters(), {"pt"}, Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero());
  EXPECT_THAT([&] { fisher.Score(theta, model, "nonsense"); },
              ::testing::Throws<InvalidInput>());
}

TEST(ScoreFisherInformation, IsLuminosityTimesXsecTimesMeanOuterProduct) {
  Eigen::MatrixXd scores(2, 2);
  scores << 1, 0, 0, 2;
  Eigen::VectorXd weights(2);
  weights << 1, 3;
  const Eigen::MatrixXd info =
      ScoreFisherInformation(scores, weights, 2.0, 10.0);
  Eigen::MatrixXd expected(2, 2);
  expected << 20.0 * 0.25, 0, 0, 20.0 * 0.75 * 4;
  EXPECT_TRUE(testing::AllClose(info, expected, 1e-14));
}

}  // namespace
}  // namespace goldmine::mining

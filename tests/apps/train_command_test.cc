// `goldmine train` and `goldmine evaluate` end to end: synthetic samples
// written through mining::WriteSamples, a tiny SALLY, its predictions; the
// plumbing of --morphing-aware (its accuracy is tested on the analytic toy in
// tests/estimators/morphing_aware_test.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <Eigen/LU>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "goldmine/core/random.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/model_evaluation.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/sample_file.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using testing::RunGoldmine;

// n training samples of one parameter "theta" and one observable "x".
mining::SampleData OneDimensionalSamples(const std::string& method, int n) {
  mining::SampleData data;
  data.method = method;
  data.parameters = {"theta"};
  data.observables = {"x"};
  data.partition = "train";
  data.x.resize(n, 1);
  data.t_xz.resize(n, 1);
  return data;
}

// x = z + ε with z, ε ~ N(0, 1): joint score t(x,z|0) = z, exact score x/2.
mining::SampleData LocalSamples(int n, std::uint64_t seed) {
  RandomStream random(seed);
  mining::SampleData data = OneDimensionalSamples("local", n);
  data.theta0 = Eigen::MatrixXd::Zero(n, 1);
  for (int i = 0; i < n; ++i) {
    const double z = random.Normal();
    data.x(i, 0) = z + random.Normal();
    data.t_xz(i, 0) = z;
  }
  return data;
}

// Ratio samples of one parameter "theta" against θ1 = 0 (plumbing only:
// the joint quantities are those of x ~ N(θ, 1)).
mining::SampleData RatioSamples(int n, std::uint64_t seed) {
  RandomStream random(seed);
  mining::SampleData data = OneDimensionalSamples("ratio", n);
  data.theta0.resize(n, 1);
  data.theta1 = Eigen::MatrixXd::Zero(n, 1);
  data.y.resize(n, 1);
  data.r_xz.resize(n, 1);
  for (int i = 0; i < n; ++i) {
    const double theta = random.Uniform(-1.0, 1.0);
    const bool numerator = i % 2 == 0;
    const double x = (numerator ? theta : 0.0) + random.Normal();
    data.x(i, 0) = x;
    data.theta0(i, 0) = theta;
    data.y(i, 0) = numerator ? 0.0 : 1.0;
    data.r_xz(i, 0) = std::exp(theta * x - 0.5 * theta * theta);
    data.t_xz(i, 0) = x - theta;
  }
  return data;
}

// A setup of "theta" with the quadratic morphing basis θ = 0, 1, −1.
mining::MadminerSetup QuadraticSetup(bool with_morphing) {
  mining::MadminerSetup setup;
  mining::MadminerParameter parameter;
  parameter.name = "theta";
  parameter.lha_block = "test";
  parameter.lha_id = 1;
  parameter.range = {-1.0, 1.0};
  setup.parameters.push_back(parameter);
  setup.benchmarks.names = {"sm", "plus", "minus"};
  setup.benchmarks.values = Eigen::Vector3d(0.0, 1.0, -1.0);
  if (with_morphing) {
    Eigen::Matrix3d a;
    a << 1, 0, 0, 1, 1, 1, 1, -1, 1;
    const Eigen::MatrixXi powers = Eigen::Vector3i(0, 1, 2);
    setup.morphing = mining::MadminerMorphing{powers, a.inverse()};
  }
  return setup;
}

// A float64 dataset of a predictions file, read with the HDF5 C API (the
// file is row-major).
Eigen::MatrixXd ReadPredictions(const std::string& path,
                                const std::string& name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0) << path;
  const hid_t set = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  EXPECT_GE(set, 0) << name;
  const hid_t space = H5Dget_space(set);
  hsize_t dims[2] = {0, 0};
  EXPECT_EQ(H5Sget_simple_extent_ndims(space), 2) << name;
  H5Sget_simple_extent_dims(space, dims, nullptr);
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> values(
      static_cast<Eigen::Index>(dims[0]), static_cast<Eigen::Index>(dims[1]));
  if (values.size() > 0) {
    H5Dread(
        set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  }
  H5Sclose(space);
  H5Dclose(set);
  H5Fclose(file);
  return values;
}

class TrainCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeScratchFolder("train_command");
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::string Path(const std::string& name) const {
    return (folder_ / name).string();
  }
  std::filesystem::path folder_;
};

TEST_F(TrainCommand, TrainsSallyAndEvaluatesIt) {
  mining::WriteSamples(Path("train.h5"), LocalSamples(2000, 1));
  const auto train = RunGoldmine({"train",
                                  "--method",
                                  "sally",
                                  "--samples",
                                  Path("train.h5"),
                                  "--output",
                                  Path("sally"),
                                  "--hidden",
                                  "16",
                                  "--epochs",
                                  "10",
                                  "--batch-size",
                                  "64",
                                  "--lr",
                                  "1e-2",
                                  "--early-stopping",
                                  "--seed",
                                  "3"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_THAT(train.err, HasSubstr("epoch 10/10"));
  EXPECT_THAT(train.out, HasSubstr("\"method\": \"sally\""));
  EXPECT_TRUE(std::filesystem::exists(Path("sally.json")));
  EXPECT_TRUE(std::filesystem::exists(Path("sally.pt")));

  mining::WriteSamples(Path("test.h5"), LocalSamples(500, 2));
  const auto evaluate = RunGoldmine({"evaluate",
                                     "--model",
                                     Path("sally"),
                                     "--samples",
                                     Path("test.h5"),
                                     "--output",
                                     Path("eval.h5")});
  ASSERT_EQ(evaluate.exit_code, 0) << evaluate.err;
  EXPECT_THAT(evaluate.out, HasSubstr("t_hat"));
  EXPECT_TRUE(std::filesystem::exists(Path("eval.h5")));
}

TEST_F(TrainCommand, EvaluateInChunksWritesThePredictionsOfTheWholeFile) {
  mining::WriteSamples(Path("train.h5"), RatioSamples(400, 1));
  const auto train = RunGoldmine({"train",
                                  "--method",
                                  "alices",
                                  "--samples",
                                  Path("train.h5"),
                                  "--output",
                                  Path("alices"),
                                  "--hidden",
                                  "8",
                                  "--epochs",
                                  "1",
                                  "--ensemble",
                                  "2",
                                  "--quiet"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  // 40000 samples in chunks of 16384: two whole chunks and one of 7232.
  const mining::SampleData test = RatioSamples(40000, 2);
  mining::WriteSamples(Path("test.h5"), test);
  const auto evaluate = [&](const std::string& output,
                            const std::string& chunk_rows) {
    const auto result = RunGoldmine({"evaluate",
                                     "--model",
                                     Path("alices"),
                                     "--samples",
                                     Path("test.h5"),
                                     "--output",
                                     Path(output),
                                     "--chunk-rows",
                                     chunk_rows});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result;
  };
  // Progress at each tenth passed; in one chunk, none.
  const auto chunked = evaluate("chunked.h5", "16384");
  EXPECT_EQ(chunked.err,
            "evaluate: 16384 / 40000 samples\n"
            "evaluate: 32768 / 40000 samples\n"
            "evaluate: 40000 / 40000 samples\n");
  EXPECT_THAT(chunked.out, HasSubstr("\"samples\": 40000"));
  const auto whole = evaluate("whole.h5", "65536");
  EXPECT_EQ(whole.err, "");
  EXPECT_THAT(whole.out, HasSubstr("\"samples\": 40000"));

  // Bit for bit the one-shot evaluation of the samples.
  estimators::SetNumThreads(1);
  const estimators::NamedPredictions expected =
      estimators::EvaluateOnSamples(Path("alices"),
                                    estimators::Method::kAlices,
                                    test.x,
                                    test.theta0,
                                    test.theta1,
                                    Path("test.h5"));
  ASSERT_EQ(expected.size(), 4u);
  for (const auto& [name, matrix] : expected) {
    EXPECT_EQ(ReadPredictions(Path("chunked.h5"), name), matrix) << name;
    EXPECT_EQ(ReadPredictions(Path("whole.h5"), name), matrix) << name;
  }
  EXPECT_GT(expected[3].second.maxCoeff(), 0.0);  // an ensemble spread

  for (const std::string chunk_rows : {"0", "1000"}) {
    const auto refused = RunGoldmine({"evaluate",
                                      "--model",
                                      Path("alices"),
                                      "--samples",
                                      Path("test.h5"),
                                      "--output",
                                      Path("refused.h5"),
                                      "--chunk-rows",
                                      chunk_rows});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_THAT(refused.err,
                HasSubstr("--chunk-rows " + chunk_rows +
                          ": expected a positive multiple of 16384"));
    EXPECT_FALSE(std::filesystem::exists(Path("refused.h5")));
  }
}

TEST_F(TrainCommand, SamplesWithoutJointScoreAreBadInputForSally) {
  mining::SampleData data = LocalSamples(100, 3);
  data.method = "plain";
  data.t_xz.resize(0, 0);
  mining::WriteSamples(Path("plain.h5"), data);
  const auto result = RunGoldmine({"train",
                                   "--method",
                                   "sally",
                                   "--samples",
                                   Path("plain.h5"),
                                   "--output",
                                   Path("sally")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("no t_xz"));
}

TEST_F(TrainCommand, MissingModelIsBadInputForEvaluate) {
  std::filesystem::create_directories(folder_);
  const auto result = RunGoldmine({"evaluate",
                                   "--model",
                                   Path("missing"),
                                   "--samples",
                                   Path("none.h5"),
                                   "--output",
                                   Path("eval.h5")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("missing.json"));
}

TEST_F(TrainCommand, MorphingAwareAlicesStoresTheMorphingOfTheSetup) {
  mining::WriteSamples(Path("ratio.h5"), RatioSamples(400, 4));
  mining::WriteSetup(Path("setup.h5"), QuadraticSetup(true));
  const std::vector<std::string> train = {"train",
                                          "--method",
                                          "alices",
                                          "--samples",
                                          Path("ratio.h5"),
                                          "--output",
                                          Path("alices"),
                                          "--hidden",
                                          "8",
                                          "--epochs",
                                          "2",
                                          "--morphing-aware",
                                          Path("setup.h5")};
  const auto result = RunGoldmine(train);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("morphing-aware (quadratic form)"));
  std::ifstream model(Path("alices.json"));
  std::stringstream text;
  text << model.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("\"morphing_matrix\""));
  EXPECT_THAT(text.str(), HasSubstr("\"reference_theta\""));

  // A setup without morphing, and samples with more than one θ1, are bad
  // input naming the file.
  mining::WriteSetup(Path("plain_setup.h5"), QuadraticSetup(false));
  std::vector<std::string> no_morphing = train;
  no_morphing.back() = Path("plain_setup.h5");
  const auto missing = RunGoldmine(no_morphing);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("plain_setup.h5: no morphing/ group"));

  mining::SampleData varying = RatioSamples(400, 4);
  varying.theta1(7, 0) = 0.5;
  mining::WriteSamples(Path("varying.h5"), varying);
  std::vector<std::string> two_thetas = train;
  two_thetas[4] = Path("varying.h5");
  const auto varies = RunGoldmine(two_thetas);
  EXPECT_EQ(varies.exit_code, 2);
  EXPECT_THAT(varies.err, HasSubstr("varying.h5: theta1 row 7 differs"));

  std::vector<std::string> sally = train;
  sally[2] = "sally";
  const auto score = RunGoldmine(sally);
  EXPECT_EQ(score.exit_code, 2);
}

}  // namespace
}  // namespace goldmine

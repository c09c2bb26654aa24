// `goldmine train` and `goldmine evaluate` end to end: synthetic samples
// written through mining::WriteSamples, a tiny SALLY, its predictions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "goldmine/core/random.h"
#include "goldmine/mining/sample_file.h"
#include "support/run_command.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using testing::RunGoldmine;

// x = z + ε with z, ε ~ N(0, 1): joint score t(x,z|0) = z, exact score x/2.
mining::SampleData LocalSamples(int n, std::uint64_t seed) {
  RandomStream random(seed);
  mining::SampleData data;
  data.method = "local";
  data.parameters = {"theta"};
  data.observables = {"x"};
  data.partition = "train";
  data.x.resize(n, 1);
  data.theta0 = Eigen::MatrixXd::Zero(n, 1);
  data.t_xz.resize(n, 1);
  for (int i = 0; i < n; ++i) {
    const double z = random.Normal();
    data.x(i, 0) = z + random.Normal();
    data.t_xz(i, 0) = z;
  }
  return data;
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

}  // namespace
}  // namespace goldmine

// DrawSample (sample_request.h): the seed rules of one `goldmine augment`
// request. Events are drawn with the request's seed itself, random θ points
// from a stream of their own, and missing specifications are named.
#include "goldmine/mining/sample_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goldmine/core/errors.h"
#include "goldmine/core/random.h"
#include "support/reference_data.h"

namespace goldmine::mining {
namespace {

using ::testing::HasSubstr;

class SampleRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    events_ = testing::FindReference("madminer/toy_events.h5");
    if (events_.empty()) {
      GTEST_SKIP() << "reference data ../shared/reference/madminer absent; "
                      "skipping";
    }
  }
  std::filesystem::path events_;
};

// A benchmark point needs no random number: the sample is then exactly the
// augmenter's sample with the request's seed.
TEST_F(SampleRequestTest, EventsAreDrawnWithTheRequestsSeed) {
  const Augmenter augmenter(events_);
  SampleRequest request;
  request.method = "local";
  request.theta = "benchmark:sm";
  request.n_samples = 300;
  request.seed = 17;
  const SampleData data = DrawSample(augmenter, request);
  RandomStream unused(1);
  const SampleData direct = augmenter.SampleTrainLocal(
      augmenter.ParseTheta("benchmark:sm", unused), 300, 17, "train");
  EXPECT_TRUE(data.x == direct.x);
  EXPECT_TRUE(data.t_xz == direct.t_xz);
  ASSERT_EQ(data.theta_specs.size(), 1u);
  EXPECT_EQ(data.theta_specs[0], "theta=benchmark:sm");
}

// Random θ1 points come from their own stream: the same request gives the
// same points, and they do not take numbers from the event draws (the θ0
// rows, drawn at a fixed benchmark, are those of a fixed θ1 request).
TEST_F(SampleRequestTest, RandomThetaPointsHaveAStreamOfTheirOwn) {
  const Augmenter augmenter(events_);
  SampleRequest request;
  request.method = "ratio";
  request.theta0 = "benchmark:sm";
  request.theta1 = "random:4:uniform";
  request.n_samples = 400;
  request.seed = 5;
  const SampleData first = DrawSample(augmenter, request);
  const SampleData again = DrawSample(augmenter, request);
  EXPECT_TRUE(first.theta1 == again.theta1);
  EXPECT_TRUE(first.x == again.x);
  SampleRequest other = request;
  other.seed = 6;
  EXPECT_FALSE(DrawSample(augmenter, other).theta1 == first.theta1);
  ASSERT_EQ(first.theta_specs.size(), 2u);
  EXPECT_EQ(first.theta_specs[1], "theta1=random:4:uniform");
}

TEST_F(SampleRequestTest, MissingSpecificationsAndUnknownMethodsAreNamed) {
  const Augmenter augmenter(events_);
  SampleRequest request;
  request.method = "ratio";
  request.theta0 = "benchmark:sm";
  request.n_samples = 10;
  try {
    DrawSample(augmenter, request);
    ADD_FAILURE() << "theta1 is missing";
  } catch (const InvalidInput& error) {
    EXPECT_THAT(error.what(), HasSubstr("--theta1 is required"));
  }
  request.method = "sally";
  EXPECT_THROW(DrawSample(augmenter, request), InvalidInput);
}

}  // namespace
}  // namespace goldmine::mining

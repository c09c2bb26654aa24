#include "goldmine/core/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(Errors, EveryGoldmineErrorIsARuntimeError) {
  EXPECT_THROW(throw InvalidInput("x"), std::runtime_error);
  EXPECT_THROW(throw FileFormatError("x"), Error);
  EXPECT_THROW(throw InternalError("x"), Error);
}

TEST(Errors, RequireThrowsInvalidInputWithMessageAndSourceLocation) {
  try {
    GOLDMINE_REQUIRE(1 + 1 == 3, std::string("basis[2]: expected 2 numbers"));
    FAIL() << "GOLDMINE_REQUIRE did not throw";
  } catch (const InvalidInput& error) {
    EXPECT_THAT(error.what(), StartsWith("basis[2]: expected 2 numbers"));
    EXPECT_THAT(error.what(), HasSubstr("[errors_test.cc:"));
  }
}

TEST(Errors, RequireEvaluatesTheMessageOnlyOnFailure) {
  int evaluations = 0;
  auto message = [&evaluations] {
    ++evaluations;
    return std::string("never");
  };
  GOLDMINE_REQUIRE(true, message());
  EXPECT_EQ(evaluations, 0);
}

}  // namespace
}  // namespace goldmine

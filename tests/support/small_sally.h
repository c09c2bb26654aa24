// A small trained SALLY model on MadMiner's toy events, for the tests of
// commands that read a model (fisher sally): 2000 augmented SM samples,
// 16 hidden units, 3 epochs, fixed seeds. Needs a torch build (the
// `goldmine train` it runs execs goldmine-torch).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/run_command.h"

namespace goldmine::testing {

// Trains folder/NAME with `members` ensemble members (augmenting
// folder/local.h5 first when absent) and returns the model prefix; a failing
// command is a test failure.
inline std::string TrainSmallSally(const std::string& events,
                                   const std::filesystem::path& folder,
                                   const std::string& name,
                                   int members = 1) {
  const std::string samples = (folder / "local.h5").string();
  if (!std::filesystem::exists(samples)) {
    const auto augment = RunGoldmine({"augment",
                                      "local",
                                      "--events",
                                      events,
                                      "--output",
                                      samples,
                                      "--n-samples",
                                      "2000",
                                      "--seed",
                                      "5",
                                      "--theta",
                                      "benchmark:sm"});
    EXPECT_EQ(augment.exit_code, 0) << augment.err;
  }
  const std::string prefix = (folder / name).string();
  const auto train = RunGoldmine({"train",
                                  "--method",
                                  "sally",
                                  "--samples",
                                  samples,
                                  "--output",
                                  prefix,
                                  "--hidden",
                                  "16",
                                  "--epochs",
                                  "3",
                                  "--seed",
                                  "2",
                                  "--ensemble",
                                  std::to_string(members)});
  EXPECT_EQ(train.exit_code, 0) << train.err;
  return prefix;
}

}  // namespace goldmine::testing

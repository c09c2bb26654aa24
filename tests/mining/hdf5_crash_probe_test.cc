// RefuseFilesThatCrashHdf5 (mining/src/hdf5_crash_probe.h): a read that
// crashes in the child process becomes a FileFormatError naming the file; a
// read that succeeds or throws leaves the decision to the caller's own read.
// The corrupt HDF5 files that made Debian's HDF5 crash or loop are replayed by
// regression_input_tests (tests/regression_inputs/samples_h5).
#include "hdf5_crash_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include "goldmine/core/errors.h"

namespace goldmine::mining::hdf5 {
namespace {

using ::testing::HasSubstr;

std::string MessageOf(const std::function<void()>& read) {
  try {
    RefuseFilesThatCrashHdf5("corrupt.h5", read);
  } catch (const FileFormatError& error) {
    return error.what();
  }
  return "";
}

TEST(Hdf5CrashProbe, ASegfaultInTheChildRefusesTheFile) {
  const std::string message = MessageOf([] { std::raise(SIGSEGV); });
  EXPECT_THAT(message, HasSubstr("corrupt.h5: corrupt HDF5 file"));
  EXPECT_THAT(message, HasSubstr("crashed"));
}

TEST(Hdf5CrashProbe, AnAbortInTheChildRefusesTheFile) {
  EXPECT_THAT(MessageOf([] { std::abort(); }), HasSubstr("corrupt.h5"));
}

TEST(Hdf5CrashProbe, AReadThatSucceedsOrThrowsIsLeftToTheCaller) {
  EXPECT_NO_THROW(RefuseFilesThatCrashHdf5("ok.h5", [] {}));
  EXPECT_NO_THROW(RefuseFilesThatCrashHdf5(
      "bad.h5", [] { throw FileFormatError("bad.h5: not a samples file"); }));
  EXPECT_NO_THROW(RefuseFilesThatCrashHdf5(
      "odd.h5", [] { throw std::runtime_error("anything"); }));
}

TEST(Hdf5CrashProbe, AReadThatLoopsIsKilledAfterTheLimit) {
  setenv("GOLDMINE_HDF5_PROBE_SECONDS", "1", 1);
  const std::string message = MessageOf([] {
    while (true) pause();
  });
  unsetenv("GOLDMINE_HDF5_PROBE_SECONDS");
  EXPECT_THAT(message, HasSubstr("corrupt.h5: corrupt HDF5 file"));
  EXPECT_THAT(message, HasSubstr("did not finish reading its metadata in 1 s"));
}

TEST(Hdf5CrashProbe, AMalformedLimitIsAnInputError) {
  setenv("GOLDMINE_HDF5_PROBE_SECONDS", "1.5", 1);
  EXPECT_THROW(RefuseFilesThatCrashHdf5("ok.h5", [] {}), InvalidInput);
  unsetenv("GOLDMINE_HDF5_PROBE_SECONDS");
}

TEST(Hdf5CrashProbe, TheChildCannotChangeTheCallersState) {
  int value = 1;
  RefuseFilesThatCrashHdf5("ok.h5", [&value] { value = 2; });
  EXPECT_EQ(value, 1);
}

}  // namespace
}  // namespace goldmine::mining::hdf5

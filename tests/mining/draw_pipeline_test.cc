// The two helpers that let sampling use the second core (issue 20), with
// their thread and without (one core): DrawsAhead hands out, for every
// model, exactly the uniforms and slots that AscendingUniforms and
// SlotPermutation give when called inline, whatever the number of models
// and their sizes; BackgroundAppender writes what synchronous appends would
// write, at the offsets it announced, and a failing write surfaces as the
// scratch file's error.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "ascending_uniforms.h"
#include "background_appender.h"
#include "draws_ahead.h"
#include "goldmine/core/errors.h"
#include "scratch_file.h"
#include "slot_permutation.h"

namespace goldmine::mining {
namespace {

// Model m's draws computed inline, as WeightedEvents::Draw did before the
// draws moved to a thread of their own.
struct InlineDraw {
  double value;
  std::int64_t slot;
};
std::vector<InlineDraw> DrawsInline(const DrawsAhead::Model& model) {
  std::vector<InlineDraw> draws;
  if (model.slots.count == 0) return draws;
  AscendingUniforms uniforms(model.slots.count, model.uniform_seed);
  const SlotPermutation permutation(
      static_cast<std::uint64_t>(model.slots.count), model.permutation_seed);
  for (; !uniforms.done(); uniforms.Next()) {
    draws.push_back({uniforms.value(),
                     model.slots.Slot(static_cast<std::int64_t>(permutation(
                         static_cast<std::uint64_t>(uniforms.rank()))))});
  }
  return draws;
}

// With the helper thread, and without it (a process with one core).
class DrawPipeline : public ::testing::TestWithParam<bool> {};
INSTANTIATE_TEST_SUITE_P(Threads,
                         DrawPipeline,
                         ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "OnThreads" : "OneThread";
                         });

TEST_P(DrawPipeline, DrawsAheadHandsOutTheInlineDrawsOfEveryModel) {
  // One model larger than several blocks (8192 draws each) with an uneven
  // last block; then 200 models (blocks of 327 draws, rings of one to three
  // blocks) and 300 (more than the thread takes: made inline) of mixed
  // sizes, some of one draw, some of none, with runs and strides as in a
  // ratio sample; the models are taken in an irregular interleaving, as
  // events reach them.
  std::vector<std::vector<DrawsAhead::Model>> cases(3);
  cases[0].push_back({{40000 + 17, 0, 40017, 0}, 11, 12});
  for (const std::size_t c : {std::size_t{1}, std::size_t{2}}) {
    const std::int64_t models = c == 1 ? 200 : 300;
    for (std::int64_t m = 0; m < models; ++m) {
      const std::int64_t count = m % 7 == 0   ? 0
                                 : m % 5 == 0 ? 1
                                              : 37 * m % 1000;
      cases[c].push_back({{count, m, 3, models * 3},
                          static_cast<std::uint64_t>(100 + m),
                          static_cast<std::uint64_t>(1000 + m)});
    }
  }
  for (const std::vector<DrawsAhead::Model>& models : cases) {
    DrawsAhead ahead(models, GetParam());
    std::vector<std::vector<InlineDraw>> expected;
    for (const DrawsAhead::Model& model : models) {
      expected.push_back(DrawsInline(model));
    }
    std::vector<std::size_t> taken(models.size(), 0);
    bool any = true;
    for (std::size_t round = 0; any; ++round) {
      any = false;
      for (std::size_t m = 0; m < models.size(); ++m) {
        // Take 1 to 13 draws of this model in this round.
        for (std::size_t i = 0; i < 1 + (round * 7 + m * 3) % 13; ++i) {
          if (ahead.done(m)) break;
          any = true;
          ASSERT_LT(taken[m], expected[m].size()) << "model " << m;
          ASSERT_EQ(ahead.value(m), expected[m][taken[m]].value)
              << "model " << m << " draw " << taken[m];
          ASSERT_EQ(ahead.slot(m), expected[m][taken[m]].slot)
              << "model " << m << " draw " << taken[m];
          ahead.Next(m);
          ++taken[m];
        }
      }
    }
    for (std::size_t m = 0; m < models.size(); ++m) {
      EXPECT_EQ(taken[m], expected[m].size()) << "model " << m;
    }
  }
}

TEST_P(DrawPipeline, DrawsAheadStopsCleanlyWhenTheDrawsAreLeftUntaken) {
  // An exception in the drawing loop destroys the DrawsAhead with most
  // draws untaken: the thread must stop, not wait for freed blocks.
  const std::vector<DrawsAhead::Model> models = {
      {{1000000, 0, 1000000, 0}, 1, 2}, {{5, 0, 5, 0}, 3, 4}};
  for (int taken : {0, 1, 9000}) {
    DrawsAhead ahead(models, GetParam());
    for (int i = 0; i < taken; ++i) ahead.Next(0);
  }
  SUCCEED();
}

TEST_P(DrawPipeline, AppenderWritesWhatAppendsWouldAtTheAnnouncedOffsets) {
  ScratchFile file("test appends");
  std::vector<double> buffer;
  std::vector<std::size_t> offsets;
  std::vector<std::vector<double>> written;
  {
    // A short queue: Append waits.
    BackgroundAppender appender(&file, 2, GetParam());
    for (int b = 0; b < 200; ++b) {
      buffer.clear();
      for (int i = 0; i < 1 + (b * 37) % 500; ++i)
        buffer.push_back(b * 1000.0 + i);
      written.push_back(buffer);
      offsets.push_back(appender.Append(&buffer));
      EXPECT_TRUE(buffer.empty());
    }
    appender.Finish();
    EXPECT_THROW(appender.Append(&buffer), InvalidInput);
  }
  file.Flush();
  std::size_t expected_offset = 0;
  for (std::size_t b = 0; b < written.size(); ++b) {
    ASSERT_EQ(offsets[b], expected_offset) << "buffer " << b;
    std::vector<double> back(written[b].size());
    file.ReadAt(back.data(), back.size() * sizeof(double), offsets[b]);
    ASSERT_EQ(back, written[b]) << "buffer " << b;
    expected_offset += written[b].size() * sizeof(double);
  }
  EXPECT_EQ(file.size(), expected_offset);
}

// In a child process: files may not grow beyond 64 kB, so the thread's
// write fails (EFBIG); exits with 3 when Append or Finish rethrows the
// scratch file's InvalidInput (after the appender stopped its thread).
[[noreturn]] void AppendPastTheFileSizeLimit() {
  std::signal(SIGXFSZ, SIG_IGN);
  const rlimit limit{64 << 10, 64 << 10};
  setrlimit(RLIMIT_FSIZE, &limit);
  int code = 5;
  {
    ScratchFile file("test appends");
    BackgroundAppender appender(&file, 4);
    try {
      for (int b = 0; b < 100; ++b) {
        std::vector<double> buffer(4096, 1.0);  // 32 kB
        appender.Append(&buffer);
      }
      appender.Finish();
    } catch (const InvalidInput& error) {
      const std::string what = error.what();
      code = what.find("test appends: cannot write a scratch file") !=
                     std::string::npos
                 ? 3
                 : 4;
    }
  }
  std::exit(code);
}

TEST(BackgroundAppender, AFailedWriteIsTheScratchFilesErrorInTheCallingThread) {
  // The child re-runs the test binary instead of forking a process that
  // has threads.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(AppendPastTheFileSizeLimit(), ::testing::ExitedWithCode(3), "");
}

}  // namespace
}  // namespace goldmine::mining

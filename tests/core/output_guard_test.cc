// RequireOutputIsNotAnInput: the same file under any name is refused; other
// files, including ones that do not exist yet, are not.
#include "goldmine/core/output_guard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "goldmine/core/errors.h"
#include "support/scratch_folder.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
namespace fs = std::filesystem;

TEST(OutputGuard, RefusesTheSameFileUnderAnyName) {
  const fs::path folder = testing::MakeScratchFolder("output_guard");
  const std::string input = (folder / "in.lhe").string();
  std::ofstream(input) << "data";
  fs::create_directory(folder / "sub");
  fs::create_symlink(input, folder / "link.lhe");
  fs::create_hard_link(input, folder / "hard.lhe");
  for (const fs::path& same : {fs::path(input),
                               folder / "sub" / ".." / "in.lhe",
                               folder / "link.lhe",
                               folder / "hard.lhe"}) {
    EXPECT_THAT(
        [&] {
          RequireOutputIsNotAnInput(same.string(), {"other.yaml", input});
        },
        ThrowsMessage<InvalidInput>(HasSubstr("--output " + same.string() +
                                              ": is also an input (" + input)))
        << same;
  }
  EXPECT_THAT(
      [&] { RequireOutputIsNotAnInput(input, {input}, "--events-out"); },
      ThrowsMessage<InvalidInput>(HasSubstr("--events-out ")));
  EXPECT_NO_THROW(
      RequireOutputIsNotAnInput((folder / "new.json").string(), {input}));
  EXPECT_NO_THROW(RequireOutputIsNotAnInput((folder / "absent.json").string(),
                                            {(folder / "absent2").string()}));
  fs::remove_all(folder);
}

}  // namespace
}  // namespace goldmine

// UTF-8 checks of names and of whole YAML files (issue 15: an invalid byte
// in a benchmark name reached nlohmann::json and ended in exit 1).
#include "goldmine/core/utf8.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "goldmine/core/errors.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(Utf8, FindsTheFirstInvalidByte) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("c\xc3\xa9 \xe2\x82\xac"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xe2(\xa1"), 2u);   // broken sequence
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);      // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xed\xa0\x80"), 0u);  // a surrogate
}

TEST(Utf8, AWholeFileIsRefusedWithTheLineOfItsFirstInvalidByte) {
  EXPECT_NO_THROW(RequireUtf8Text("benchmarks:\n  sm: {}\n", "b.yaml", "x"));
  EXPECT_THAT(
      [] {
        RequireUtf8Text(
            "benchmarks:\n  \xe2(\xa1sm: {}\n", "b.yaml", "a benchmarks file");
      },
      ThrowsMessage<FileFormatError>(
          HasSubstr("b.yaml, line 2: invalid UTF-8 (byte 0xe2); a benchmarks "
                    "file must be UTF-8")));
}

}  // namespace
}  // namespace goldmine

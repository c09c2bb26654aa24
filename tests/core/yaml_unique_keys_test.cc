// RequireUniqueYamlKeys: a key repeated in one map is refused with both
// lines; the same key in different maps, aliases and invalid YAML pass.
#include "goldmine/core/yaml_unique_keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "goldmine/core/errors.h"

namespace goldmine {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(YamlUniqueKeys, RepeatedKeyNamesBothLines) {
  EXPECT_THAT(
      [] {
        RequireUniqueYamlKeys("a: 1\nb:\n  c: 2\n  d: [1, {e: 1, e: 2}]\n",
                              "f.yaml");
      },
      ThrowsMessage<InvalidInput>(
          HasSubstr("f.yaml, line 4: duplicate key \"e\" (first on line 4)")));
  EXPECT_THAT([] { RequireUniqueYamlKeys("a: 1\nb: 2\na: 3\n", "g.yaml"); },
              ThrowsMessage<InvalidInput>(HasSubstr(
                  "g.yaml, line 3: duplicate key \"a\" (first on line 1)")));
}

TEST(YamlUniqueKeys, SameKeyInOtherMapsAndValuesPasses) {
  EXPECT_NO_THROW(RequireUniqueYamlKeys(
      "x: {a: 1}\ny: {a: 1}\nz: [a, a]\nw: a\na: {a: a}\n", "ok.yaml"));
  // Aliases are not expanded: a map merged twice is not a repeat.
  EXPECT_NO_THROW(RequireUniqueYamlKeys("base: &b {k: 1}\none: *b\ntwo: *b\n",
                                        "alias.yaml"));
  // Complex keys alternate correctly with their values.
  EXPECT_NO_THROW(RequireUniqueYamlKeys("? [a, b]\n: 1\nc: 2\n", "k.yaml"));
  // Not YAML: left to the caller's parser.
  EXPECT_NO_THROW(RequireUniqueYamlKeys("a: [1, 2\n", "bad.yaml"));
}

// A stray "," made the parser return "one more document" forever without
// reading anything: `goldmine setup` on a file holding "," never ended (found
// by fuzzing). Only the first document is checked, as YAML::Load reads only
// that one; a repeated key in it is still found.
TEST(YamlUniqueKeys, StrayCommaEndsAndOnlyTheFirstDocumentCounts) {
  EXPECT_NO_THROW(RequireUniqueYamlKeys(",", "comma.yaml"));
  EXPECT_NO_THROW(RequireUniqueYamlKeys("a: 1\n,\n", "comma.yaml"));
  EXPECT_NO_THROW(RequireUniqueYamlKeys("a: 1\n---\na: 1\n", "two.yaml"));
  EXPECT_THAT(
      [] { RequireUniqueYamlKeys("a: 1\na: 2\n---\nb: 1\n", "two.yaml"); },
      ThrowsMessage<InvalidInput>(HasSubstr("two.yaml, line 2")));
}

}  // namespace
}  // namespace goldmine

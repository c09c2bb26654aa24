// JsonNode names the file and the key path in every complaint.
#include "goldmine/core/json_node.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "goldmine/core/errors.h"

namespace goldmine::core {
namespace {

using ::testing::ThrowsMessage;

TEST(JsonNode, MessageNamesTheFileAndTheKeyPath) {
  const nlohmann::json document =
      nlohmann::json::parse(R"({"cases": [{}, {"basis": [[1, 2, 3]]}]})");
  const JsonNode root(document, "case.json");
  const JsonNode basis = root.At("cases").Elements()[1].At("basis");
  EXPECT_EQ(basis.Where(), "case.json: cases[1].basis");
  EXPECT_THAT([&] { basis.AsMatrix(2, "benchmark points"); },
              ThrowsMessage<InvalidInput>(
                  "case.json: cases[1].basis[0]: expected a list of 2 numbers "
                  "(one per parameter), got [1,2,3]"));
}

TEST(JsonNode, IntegersMayBeWrittenWithAZeroFraction) {
  const nlohmann::json document = nlohmann::json::parse(R"([2.0, 2.5])");
  const std::vector<JsonNode> numbers =
      JsonNode(document, "case.json").Elements();
  EXPECT_EQ(numbers[0].AsInt(), 2);
  EXPECT_THAT([&] { numbers[1].AsInt(); },
              ThrowsMessage<InvalidInput>(
                  "case.json: [1]: expected an integer, got 2.5"));
}

TEST(JsonNode, UnknownKeyIsNamedWithTheAllowedOnes) {
  const nlohmann::json document = nlohmann::json::parse(R"({"sed": 1})");
  EXPECT_THAT(
      [&] {
        JsonNode(document, "case.json").RequireOnlyKeys({"seed", "name"});
      },
      ThrowsMessage<InvalidInput>(
          "case.json: unknown key \"sed\"; allowed keys: seed, name"));
}

TEST(JsonNode, ParseJsonTextRejectsARepeatedKey) {
  EXPECT_THROW(ParseJsonText(R"({"seed": 1, "seed": 2})", "case.json"),
               FileFormatError);
}

}  // namespace
}  // namespace goldmine::core

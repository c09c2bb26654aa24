#include "goldmine/core/yaml_unique_keys.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <sstream>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"

namespace goldmine {
namespace {

// yaml-cpp keeps every entry of a map whose key is repeated, but node[key]
// finds only the first: a second `benchmarks:` would be ignored without a
// word (issue 15). This handler follows the parser's events (aliases stay
// unexpanded, so a "billion laughs" document costs nothing) and refuses a
// scalar key seen twice in the same map.
class DuplicateKeyFinder : public YAML::EventHandler {
 public:
  explicit DuplicateKeyFinder(std::string path) : path_(std::move(path)) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { NodeDone(); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { NodeDone(); }
  void OnScalar(const YAML::Mark& mark,
                const std::string&,
                YAML::anchor_t,
                const std::string& value) override {
    if (!frames_.empty() && frames_.back().is_map &&
        frames_.back().expect_key) {
      const int line = mark.line + 1;
      const auto [seen, inserted] =
          frames_.back().key_lines.emplace(value, line);
      if (!inserted) {
        throw InvalidInput(path_ + ", line " + std::to_string(line) +
                           ": duplicate key \"" + value + "\" (first on line " +
                           std::to_string(seen->second) +
                           "); each key may appear once in a map");
      }
    }
    NodeDone();
  }
  void OnSequenceStart(const YAML::Mark&,
                       const std::string&,
                       YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    frames_.push_back({false, true, {}});
  }
  void OnSequenceEnd() override { EndCollection(); }
  void OnMapStart(const YAML::Mark&,
                  const std::string&,
                  YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    frames_.push_back({true, true, {}});
  }
  void OnMapEnd() override { EndCollection(); }

 private:
  struct Frame {
    bool is_map;
    bool expect_key;                       // maps: the next node is a key
    std::map<std::string, int> key_lines;  // maps: key → first line
  };

  void EndCollection() {
    frames_.pop_back();
    NodeDone();
  }
  // A whole node (key or value) has been read: a map alternates.
  void NodeDone() {
    if (!frames_.empty() && frames_.back().is_map)
      frames_.back().expect_key = !frames_.back().expect_key;
  }

  std::string path_;
  std::vector<Frame> frames_;
};

}  // namespace

void RequireUniqueYamlKeys(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  DuplicateKeyFinder finder(source);
  try {
    // The first document only, which is all that YAML::Load (every caller)
    // reads. Looping over documents never ends on some invalid input: for a
    // stray "," yaml-cpp 0.7's HandleNextDocument returns true without
    // consuming it (found by fuzzing, tests/regression_inputs/mining_config).
    YAML::Parser parser(in);
    parser.HandleNextDocument(finder);
  } catch (const YAML::Exception&) {
    // Not YAML: the caller's own parser reports it, with its line.
  }
}

}  // namespace goldmine

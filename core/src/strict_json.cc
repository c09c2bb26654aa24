#include "goldmine/core/strict_json.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"

namespace goldmine {
namespace {

// Follows the parser's events to know where it is ("cases[2].basis[1]"), so
// that duplicate keys, too deep nesting and numbers beyond double range are
// reported with their JSON path. nlohmann's parser is iterative (it keeps its
// own stack), and so is the destruction of a parsed value; but dump() and
// copies recurse, so nesting is capped far above any goldmine document.
class StrictParseState {
 public:
  static constexpr int kMaxDepth = kMaxJsonDepth;
  // Levels of the path shown when the nesting is too deep.
  static constexpr std::size_t kShownFrames = 4;

  explicit StrictParseState(std::string file) : file_(std::move(file)) {}

  template <typename Json>
  bool OnEvent(int depth,
               nlohmann::json::parse_event_t event,
               const Json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        if (depth >= kMaxDepth) {
          throw FileFormatError(Where(kShownFrames) +
                                ": JSON nested deeper than " +
                                std::to_string(kMaxDepth) + " levels");
        }
        frames_.push_back({event == Event::object_start, {}, {}, 0});
        break;
      case Event::key: {
        Frame& object = frames_.back();
        object.key = parsed.template get<std::string>();
        if (!object.keys.insert(object.key).second) {
          object.key.clear();
          throw FileFormatError(Where() + ": duplicate key \"" +
                                parsed.template get<std::string>() +
                                "\" (each key may appear once)");
        }
        break;
      }
      case Event::object_end:
      case Event::array_end:
        frames_.pop_back();
        CountValue();
        break;
      case Event::value:
        CountValue();
        break;
    }
    return true;
  }

  // The file and the path of the value being parsed; beyond `max_frames`
  // levels the path is cut short with "...".
  std::string Where(std::size_t max_frames = kMaxDepth) const {
    std::string path;
    for (std::size_t f = 0; f < frames_.size(); ++f) {
      const Frame& frame = frames_[f];
      if (f == max_frames) {
        path += "...";
        break;
      }
      if (!frame.is_object) {
        path += "[" + std::to_string(frame.index) + "]";
      } else if (!frame.key.empty()) {
        path += (path.empty() ? "" : ".") + frame.key;
      }
    }
    return path.empty() ? file_ : file_ + ": " + path;
  }

 private:
  struct Frame {
    bool is_object;
    std::set<std::string> keys;  // objects: the keys seen so far
    std::string key;             // objects: the current key
    std::size_t index;           // arrays: the current element
  };

  void CountValue() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().index;
  }

  std::string file_;
  std::vector<Frame> frames_;
};

// nlohmann's text without its "[json.exception.parse_error.101] " prefix.
std::string WithoutExceptionId(const std::string& message,
                               const std::string& start_word) {
  const std::size_t start = message.find(start_word);
  return start == std::string::npos ? message : message.substr(start);
}

}  // namespace

namespace {

// Both JSON flavours share the parser state; only the value type differs.
template <typename Json>
Json ParseStrict(const std::string& text, const std::string& source) {
  StrictParseState state(source);
  try {
    return Json::parse(
        text,
        [&state](int depth, typename Json::parse_event_t event, Json& parsed) {
          return state.OnEvent(depth, event, parsed);
        });
  } catch (const nlohmann::json::parse_error& error) {
    // "parse error at line 3, column 5: ..."
    throw FileFormatError(source + ": not valid JSON: " +
                          WithoutExceptionId(error.what(), "parse error"));
  } catch (const nlohmann::json::out_of_range& error) {
    // 406: a number such as 1e999 that no double can hold.
    throw FileFormatError(state.Where() + ": " +
                          WithoutExceptionId(error.what(), "number overflow") +
                          " (beyond the range of a double)");
  }
}

}  // namespace

nlohmann::json ParseStrictJson(const std::string& text,
                               const std::string& source) {
  return ParseStrict<nlohmann::json>(text, source);
}

nlohmann::ordered_json ParseStrictOrderedJson(const std::string& text,
                                              const std::string& source) {
  return ParseStrict<nlohmann::ordered_json>(text, source);
}

}  // namespace goldmine

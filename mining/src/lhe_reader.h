// Streaming LHE reader (Les Houches Event files v1 and v3) written for the
// files MadGraph and POWHEG produce; see event_reader.h for the weight names.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "goldmine/mining/event_reader.h"
#include "line_reader.h"

namespace goldmine::mining {

class LheReader final : public EventReader {
 public:
  // Reads the header and <init> block; throws FileFormatError.
  explicit LheReader(const std::string& path);
  bool Next(Event* event) override;
  std::int64_t Skip(std::int64_t count) override;

 private:
  // Next line into lines_.line(); false at the end of the file.
  bool ReadLine() { return lines_.Next(); }
  [[noreturn]] void Fail(const std::string& message) const {
    lines_.Fail(message);
  }
  void ReadHeader();
  void ReadInit();
  // Adds the weights of a <rwgt> or <weights> block that starts in line_.
  void ReadNamedWeights(Event* event, std::vector<bool>* filled);
  void ReadPositionalWeights(Event* event, std::vector<bool>* filled);
  void SetNamedWeight(std::string_view id,
                      double value,
                      Event* event,
                      std::vector<bool>* filled);
  // A strict number (line_reader.h), also in Fortran's 1.0D+00 spelling.
  double ParseNumber(std::string_view token, std::string_view what) const;
  // As ParseNumber, and finite: momenta and weights.
  double ParseFinite(std::string_view token, std::string_view what) const;
  // A weight id or event_norm setting read from the file: valid UTF-8.
  void RequireUtf8(std::string_view text, std::string_view what) const {
    lines_.RequireUtf8(text, what);
  }

  // Fails naming the line of the first invalid byte of a block that starts
  // at `first_line`.
  void RequireUtf8Block(const std::string& text, std::int64_t first_line) const;

  LineReader lines_;
  // Reused for every line and event, so that reading allocates little.
  std::vector<std::string_view> words_;
  std::vector<bool> filled_;
  std::string carried_;  // <rwgt> text not yet parsed
  std::int64_t events_read_ = 0;
  // Weight id → index in info_.weight_names.
  std::map<std::string, int> weight_index_;
  // No <initrwgt> in the header: names are taken from the first event.
  bool names_from_first_event_ = false;
  // Where the next <wgt> id is expected in weight_names: ids come in header
  // order, so the map lookup is rarely needed.
  std::size_t next_named_weight_ = 1;
};

}  // namespace goldmine::mining

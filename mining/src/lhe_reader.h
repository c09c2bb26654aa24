// Streaming LHE reader (Les Houches Event files v1 and v3) written for the
// files MadGraph and POWHEG produce; see event_reader.h for the weight names.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "goldmine/mining/event_reader.h"
#include "gzip_input.h"

namespace goldmine::mining {

class LheReader final : public EventReader {
 public:
  // Reads the header and <init> block; throws FileFormatError.
  explicit LheReader(const std::string& path);
  bool Next(Event* event) override;

 private:
  // Next line into line_; false at the end of the file.
  bool ReadLine();
  std::string Where() const;
  [[noreturn]] void Fail(const std::string& message) const;
  void ReadHeader();
  void ReadInit();
  // Adds the weights of a <rwgt> or <weights> block that starts in line_.
  void ReadNamedWeights(Event* event, std::vector<bool>* filled);
  void ReadPositionalWeights(Event* event, std::vector<bool>* filled);
  void SetNamedWeight(std::string_view id,
                      double value,
                      Event* event,
                      std::vector<bool>* filled);
  // `detail` is appended to `what` in the error message only.
  double ParseNumber(std::string_view token,
                     const char* what,
                     const std::string& detail = "") const;

  std::unique_ptr<GzipInputStream> stream_;
  std::string line_;
  std::int64_t line_number_ = 0;
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

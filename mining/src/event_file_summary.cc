#include "goldmine/mining/event_file_summary.h"

#include <cmath>
#include <memory>

namespace goldmine::mining {
namespace {

// Neumaier's compensated sum: exact to the last digit for 10^7 weights.
class CompensatedSum {
 public:
  void Add(double value) {
    const double total = sum_ + value;
    compensation_ += std::abs(sum_) >= std::abs(value) ? (sum_ - total) + value
                                                       : (value - total) + sum_;
    sum_ = total;
  }
  double value() const { return sum_ + compensation_; }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

}  // namespace

EventFileSummary SummarizeEventFile(
    const std::string& path,
    const std::function<void(std::int64_t)>& progress) {
  const std::unique_ptr<EventReader> reader = EventReader::Open(path);
  EventFileSummary summary;
  std::vector<CompensatedSum> sums;
  Event event;
  while (reader->Next(&event)) {
    if (sums.size() < event.weights.size()) {
      sums.resize(event.weights.size());
      summary.negative_weights.resize(event.weights.size(), 0);
      summary.zero_weights.resize(event.weights.size(), 0);
    }
    for (std::size_t w = 0; w < event.weights.size(); ++w) {
      sums[w].Add(event.weights[w]);
      if (event.weights[w] < 0.0) ++summary.negative_weights[w];
      if (event.weights[w] == 0.0) ++summary.zero_weights[w];
    }
    ++summary.num_events;
    if (progress && summary.num_events % 10000 == 0)
      progress(summary.num_events);
  }
  summary.info = reader->info();
  sums.resize(summary.info.weight_names.size());
  summary.negative_weights.resize(summary.info.weight_names.size(), 0);
  summary.zero_weights.resize(summary.info.weight_names.size(), 0);
  for (const CompensatedSum& sum : sums)
    summary.weight_sums.push_back(sum.value());
  return summary;
}

std::string NominalWeightWarning(const EventFileSummary& summary) {
  if (summary.num_events == 0 || summary.info.unweighted()) return "";
  const std::int64_t zero = summary.zero_weights.at(0);
  const std::int64_t negative = summary.negative_weights.at(0);
  if (zero + negative < summary.num_events) return "";
  const std::string name = summary.info.weight_names.front();
  const std::string events = std::to_string(summary.num_events);
  const std::string what =
      zero == summary.num_events
          ? "is zero in all " + events + " events"
          : "is negative or zero in all " + events + " events (sum " +
                std::to_string(summary.weight_sums.at(0)) + ")";
  return summary.info.path + ": the nominal weight \"" + name + "\" " + what +
         ", so the cross section is not positive; goldmine mine refuses such "
         "a sample";
}

}  // namespace goldmine::mining

#include "mining_report_json.h"

namespace goldmine::cli {

nlohmann::ordered_json MiningReportJson(const mining::MiningReport& report,
                                        const mining::MadminerSetup& setup,
                                        const std::string& output) {
  nlohmann::ordered_json result;
  result["output"] = output;
  result["events_written"] = report.events_written;
  nlohmann::ordered_json samples = nlohmann::ordered_json::array();
  for (const mining::SampleReport& sample : report.samples) {
    nlohmann::ordered_json entry;
    entry["file"] = sample.path;
    entry["events_read"] = sample.events_read;
    entry["events_kept"] = sample.events_kept;
    entry["negative_weight_events"] = sample.negative_weight_events;
    nlohmann::ordered_json cross_sections = nlohmann::ordered_json::object();
    for (int b = 0; b < setup.num_benchmarks(); ++b) {
      cross_sections[setup.benchmarks.names[static_cast<std::size_t>(b)]] =
          b < sample.cross_sections.size() ? sample.cross_sections(b) : 0.0;
    }
    entry["cross_sections"] = std::move(cross_sections);
    samples.push_back(std::move(entry));
  }
  result["samples"] = std::move(samples);
  return result;
}

}  // namespace goldmine::cli

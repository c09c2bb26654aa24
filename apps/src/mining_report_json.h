// The report `goldmine mine` and `goldmine merge` print: events read, kept
// and with negative weights, and the cross section per benchmark, per sample.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/miner.h"

namespace goldmine::cli {

nlohmann::ordered_json MiningReportJson(const mining::MiningReport& report,
                                        const mining::MadminerSetup& setup,
                                        const std::string& output);

}  // namespace goldmine::cli

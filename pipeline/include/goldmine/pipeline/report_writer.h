// The report stage of `goldmine run`: DIR/report.md and a self-contained
// DIR/report.html with the results tables (68%/95% CL intervals per operator
// and method; Fisher information, determinants and ratios to truth) and the
// figures in DIR/report/plots (PNG and SVG).
#pragma once

#include <iosfwd>
#include <vector>

#include "goldmine/pipeline/pipeline_config.h"
#include "goldmine/pipeline/stage_runner.h"
#include "goldmine/pipeline/study_stages.h"

namespace goldmine::pipeline {

// Writes the report from whatever the stages produced; missing results are
// reported as such. `outcomes` are the stages before the report.
void WriteReport(const PipelineConfig& config,
                 const StudyFiles& files,
                 const std::vector<StageOutcome>& outcomes,
                 std::ostream& log);

}  // namespace goldmine::pipeline

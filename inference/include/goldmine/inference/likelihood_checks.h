// Workspaces whose likelihood has no meaning for a fit or a hypothesis test
// (issue 14 item 3; docs/histfactory.md "Degenerate models"). pyhf fails on
// all of them with an optimiser error; goldmine refuses them up front, naming
// the JSON path, so that no command prints a null or a made-up number:
//   - a bin with observed events whose expected rate is zero for every
//     parameter value (every sample's nominal and histosys templates are 0
//     there, e.g. a shapesys on a zero yield that is alone in its bin): the
//     likelihood is 0 everywhere. Zero expected with zero observed is fine.
//   - twice_nll not finite at the suggested initial parameters (an expected
//     rate <= 0 where events are observed, or negative);
//   - a parameter of interest without effect on any expected rate (every
//     sample it scales is zero): μ̂, CLs and limits are undefined.
// Hypothesis tests (CLs, limits) need a parameter of interest (a POI-less
// measurement, "poi": "", defines only fits), and a finite likelihood at
// μ = 0:
//   - a bin with observed events where only samples scaled by the POI
//     contribute.
// Clipped rates (ModelOptions clip_*_data > 0) are never zero; the zero-rate
// checks are skipped then.
#pragma once

#include <string>

#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"

namespace goldmine::inference {

// The first problem that makes every fit of `model` (built from `workspace`)
// to its observed data meaningless, as "JSON path: what is wrong"; empty when
// there is none.
std::string FitLikelihoodProblem(const Workspace& workspace,
                                 const Model& model);

// Same for hypothesis tests and upper limits on the POI (includes the fit
// problems).
std::string HypotestLikelihoodProblem(const Workspace& workspace,
                                      const Model& model);

}  // namespace goldmine::inference

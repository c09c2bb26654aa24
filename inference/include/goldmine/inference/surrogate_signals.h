// The signal points a likelihood surrogate is trained and validated around
// (issue 18, docs/surrogates.md): every patch of a pyhf PatchSet and every
// JSON Patch applied to the workspace, or the workspace's own signal when
// there is no patch, with the yields-only likelihood (yield_likelihood.h) of
// the union of their signal channels.
#pragma once

#include <Eigen/Core>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/inference/yield_likelihood.h"

namespace goldmine::inference {

// A document's text and where it came from (for messages).
struct SourcedText {
  std::string text;
  std::string source;
};

struct SurrogateSignals {
  std::unique_ptr<YieldLikelihood> likelihood;
  std::vector<Eigen::VectorXd> points;  // signal yields, in input order
  std::vector<std::string> sources;     // "ws.json + patch.json", ...
};

// Throws InvalidInput naming the document when a patch does not apply, a
// PatchSet's digest names another workspace, or no sample carries the POI's
// normfactor; FileFormatError when a document is not JSON.
SurrogateSignals LoadSurrogateSignals(
    const SourcedText& workspace,
    const std::optional<SourcedText>& patchset,
    const std::vector<SourcedText>& patches,
    const std::string& measurement = "");

}  // namespace goldmine::inference

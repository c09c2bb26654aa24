// What a published model has to say about the events file its training
// samples came from (issue 18: ONNX metadata): the definitions of the
// observables it takes, the parameters with their ranges and param_card
// entries, the morphing basis and the file's SHA-256, so that a reader
// without goldmine knows what x and θ mean; and which samples file it was
// trained on.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace goldmine::mining {

// key → JSON text entries:
//   goldmine.observable_definitions  {"name": "expression", ...} for
//                                    `observables` (in their order)
//   goldmine.parameter_definitions   [{"name", "range": [lo, hi],
//                                    "lha_block", "lha_id", "max_power"}]
//   goldmine.morphing                {"components", "morphing_matrix",
//                                    "benchmarks": {"name": [θ...]}}
//                                    (absent without a morphing basis)
//   goldmine.events_file             {"name": file name, "sha256": ...}
// Throws FileFormatError for an unreadable file and InvalidInput naming an
// observable that the file does not define.
std::vector<std::pair<std::string, std::string>> EventsProvenance(
    const std::filesystem::path& events,
    const std::vector<std::string>& observables);

// The key → JSON text entry naming the samples file a model was trained on:
//   goldmine.samples_file            {"name": file name, "sha256": ...}
// (the SHA-256 of its bytes survives renames and copies). Throws InvalidInput
// naming the file when it cannot be read.
std::pair<std::string, std::string> SamplesFileProvenance(
    const std::filesystem::path& samples);

}  // namespace goldmine::mining

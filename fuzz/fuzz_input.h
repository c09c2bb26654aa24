// One function per goldmine parser that takes the raw bytes of an input and
// feeds them to the parser's real entry point, as a user's file would reach
// it. Shared by the libFuzzer targets (fuzz_target.cc, one executable per
// parser) and by the regression test that replays every file of
// tests/regression_inputs/<parser>/ (tests/fuzz/regression_inputs_test.cc).
//
// Contract: ParseInput returns normally when the input is valid and throws
// goldmine::InvalidInput or goldmine::FileFormatError when it is not (the
// exit-2 errors, core/errors.h). Anything else (a crash, a sanitizer report,
// an InternalError, another exception type, a hang) is a finding.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace goldmine::fuzz {

// The parser names, which are also the fuzz target names (goldmine_fuzz_NAME)
// and the folders of tests/regression_inputs/: lhe, hepmc2, hepmc3,
// workspace, json_patch, patchset, morphing_case, mining_config, events_h5,
// samples_h5, expression.
const std::vector<std::string>& ParserNames();

// Feeds `bytes` to parser `parser` (one of ParserNames(); anything else
// throws std::invalid_argument). Parsers that read files get the bytes
// through a file in a private scratch folder of this process.
void ParseInput(const std::string& parser, std::string_view bytes);

}  // namespace goldmine::fuzz

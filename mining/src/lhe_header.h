// The parts of an LHE header that name and explain the weights: <initrwgt>
// with its <weightgroup>s and <weight id>s, and MadGraph's reweighting text
// ("set param_card smeft 7 0.1 # orig: 0.0"). See docs/LHE_REWEIGHTING.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "goldmine/mining/event_reader.h"

namespace goldmine::mining {

// Parses the text of an <initrwgt> element (tags included). `where` prefixes
// error messages ("file.lhe, line 608"). Throws FileFormatError for broken
// tags and repeated ids.
std::vector<WeightDefinition> ParseInitRwgt(const std::string& text,
                                            const std::string& where);

// {"smeft 7": 0.1} from the "set param_card BLOCK ID... VALUE" lines of a
// MadGraph reweighting text; other lines are ignored. Throws FileFormatError
// (prefixed with `where`) for a "set param_card" line without a numeric value.
std::map<std::string, double> ParseReweightSettings(const std::string& text,
                                                    const std::string& where);

// Whether a weight is a MadGraph reweighting (rather than a scale, PDF or
// POWHEG variation): it belongs to the 'mg_reweighting' group, or its text
// sets param_card entries.
bool IsReweighting(const WeightDefinition& weight);

}  // namespace goldmine::mining

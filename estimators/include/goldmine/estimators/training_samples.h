// From a samples file (mining/sample_file.h) to what an estimator trains on
// (DESIGN.md §5.5): the columns each method needs, checked to exist, and the
// morphing structure of a morphing-aware network (config.h) taken from the
// morphing setup the samples were drawn from. The missing-column messages
// say which `goldmine augment` mode draws the column. Torch-free, like every
// public header of this module.
#pragma once

#include <string>

#include "goldmine/estimators/config.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/mining/madminer_file.h"
#include "goldmine/mining/sample_file.h"

namespace goldmine::estimators {

// The columns of `samples` that `method` trains on:
//   score methods  x, and every column of t_xz (P physics + K nuisance
//                  parameters, named in that order);
//   ratio methods  x, theta0, y; theta1 when `double_parameterized`; r_xz
//                  when NeedsJointRatio(method); the first P columns of t_xz
//                  (and of t_xz1 when `double_parameterized`) when
//                  NeedsJointScore(method).
// `path` names the samples file in messages. Throws InvalidInput
//   "<path>: no <dataset> (a '<samples.method>' sample); <method> needs it:
//   <how to draw it>"
// for the first missing column, and when t_xz has fewer columns than theta0.
TrainingData ToTrainingData(const mining::SampleData& samples,
                            Method method,
                            bool double_parameterized,
                            const std::string& path);

// The morphing structure of a morphing-aware ratio network (`train
// --morphing-aware`): the components and morphing matrix of `setup`, read
// from the events or setup file `setup_path` (named in messages), whose
// parameters must be those of `samples` (read from `samples_path`), in the
// same order. A single-parameterized network takes its fixed θ1 from the
// samples, so their theta1 must be one row repeated; a double-parameterized
// one gets no reference. Throws InvalidInput when `setup` has no morphing,
// when the parameters differ, or when theta1 is missing or not constant.
MorphingStructure MorphingStructureOf(const mining::MadminerSetup& setup,
                                      const std::string& setup_path,
                                      const mining::SampleData& samples,
                                      bool double_parameterized,
                                      const std::string& samples_path);

}  // namespace goldmine::estimators

// The event processor of `goldmine mine`: an event's physics objects
// (physics_objects.h: jets, leptons, photons, missing energy, smearing), then
// its observables, cuts and efficiencies (event_analysis.h).
#pragma once

#include <Eigen/Core>

#include "goldmine/mining/event_analysis.h"
#include "goldmine/mining/miner.h"
#include "goldmine/mining/physics_objects.h"

namespace goldmine::mining {

class AnalysisProcessor final : public EventProcessor {
 public:
  AnalysisProcessor(ObjectOptions objects, EventAnalysis analysis);

  int num_observables() const override { return analysis_.num_observables(); }

  // False when a cut fails or the efficiency is zero.
  bool Process(
      const Event& event,
      RandomStream* random,
      Eigen::Ref<Eigen::RowVectorXd, 0, Eigen::InnerStride<>> observations,
      double* efficiency) const override;

 private:
  ObjectOptions objects_;
  EventAnalysis analysis_;
};

}  // namespace goldmine::mining

#include "goldmine/mining/analysis_processor.h"

#include <utility>

namespace goldmine::mining {

AnalysisProcessor::AnalysisProcessor(ObjectOptions objects,
                                     EventAnalysis analysis)
    : objects_(std::move(objects)), analysis_(std::move(analysis)) {}

bool AnalysisProcessor::Process(
    const Event& event,
    RandomStream* random,
    Eigen::Ref<Eigen::RowVectorXd, 0, Eigen::InnerStride<>> observations,
    double* efficiency) const {
  const EventObjects objects = BuildObjects(event, objects_, random);
  Eigen::VectorXd values(analysis_.num_observables());
  double factor = 1.0;
  const bool keep = analysis_.Analyse(objects, values, &factor);
  observations = values.transpose();
  *efficiency *= factor * objects.efficiency;
  return keep && *efficiency > 0.0;
}

}  // namespace goldmine::mining

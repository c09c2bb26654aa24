// Binned EFT input (eft_binned_model.h) from a MadMiner events file: events
// are histogrammed in one or two observables and their benchmark weights
// turned into component weights with the file's morphing matrix,
//   W_ec = Σ_b M_cb w_eb,  Y_bc = Σ_{e in bin b} f_e W_ec,
//   Q_b = Σ_{e in bin b} f_e² W_e W_eᵀ   (staterror),
// with f_e MadMiner's sampling factor (events generated at several
// benchmarks are combined; 1 for background, whose weights are the same at
// every benchmark and therefore morph to a constant).
//
// Binning follows MadMiner's HistogramBinning with explicit edges
// (mining/fisher_information.h): bins (−∞, e0], (e0, e1], …, (e_last, ∞),
// event in bin #(edges < x); 2D bin (i, j) → i · n2 + j. Events failing a
// cut, or where a cut is undefined, are dropped; an undefined or NaN
// observable puts the event in the overflow bin (mining/histogram_bins.h,
// MadMiner's rule).
//
// Nuisance parameters (MADMINER.md §2, NuisanceMorpher with its a, b per
// event): the ±1σ templates are the events reweighted by
// exp(±a + b), i.e. w₊/w_ref and w₋/w_ref for a two-sided parameter and
// (w₊/w_ref)^±1 for a one-sided one. A parameter of a "norm" systematic
// becomes a normsys (lo, hi = the weighted mean factors), every other one
// (scale, pdf) a histosys whose templates are morphed like the nominal.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "goldmine/inference/eft_binned_model.h"

namespace goldmine::inference {

struct EftHistogramSpec {
  // One or two expressions over the file's observables (mining/expression.h).
  std::vector<std::string> observables;
  // Interior bin edges per observable, increasing; the histogram has
  // edges.size() + 1 bins per observable including both overflow bins.
  std::vector<std::vector<double>> edges;
  std::vector<std::string> cuts;
  // Read the file's nuisance parameters (false: nominal only).
  bool include_nuisance_parameters = true;
  // Second moments for staterror.
  bool include_sum_squared_weights = true;
};

// Throws FileFormatError for an unreadable file, InvalidInput for a file
// without morphing, an unknown observable or a bad binning (naming it).
BinnedEftInput HistogramEventsFile(const std::string& events_file,
                                   const EftHistogramSpec& spec);

// The same accumulation for bins chosen by the caller (e.g. a histogram of
// SALLY scores in the limits engine): the caller reads batches of the
// events file, computes a bin per event and passes the rows here.
class EftBinAccumulator {
 public:
  // Reads the setup of `events_file` (morphing, nuisance parameters,
  // systematics, sample summary for the sampling factors). Throws
  // FileFormatError, or InvalidInput without morphing or bins < 1.
  EftBinAccumulator(const std::string& events_file,
                    int num_bins,
                    bool include_nuisance_parameters = true,
                    bool include_sum_squared_weights = true);
  ~EftBinAccumulator();
  EftBinAccumulator(EftBinAccumulator&&) noexcept;
  EftBinAccumulator& operator=(EftBinAccumulator&&) noexcept;

  // n events: `weights` n × B (every benchmark column of the file, pb, with
  // any partition correction already applied), their sampling benchmarks
  // (−1 = background) and bins in [0, num_bins) (−1 drops the event).
  // Throws InvalidInput on inconsistent sizes or bins out of range.
  void Add(const Eigen::MatrixXd& weights,
           const std::vector<std::int64_t>& sampling_benchmarks,
           const std::vector<int>& bins);

  // The binned input of everything added so far.
  BinnedEftInput Result() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace goldmine::inference

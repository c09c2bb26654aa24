// A PDF read from an LHAPDF6 grid member file in the `lhagrid1` format, so
// that users can run with any installed LHAPDF set (`--pdf PATH`) without the
// LHAPDF library. Format and reference values: PHYSICS.md §4.2.
//
//   Key: value lines (PdfType, Format: lhagrid1, ...)
//   ---
//   x-knots            (one line, increasing, shared by all blocks)
//   Q-knots in GeV     (one line, increasing; Q, not Q²)
//   parton ids         (one line, PDG; 21 = gluon, 22 = photon)
//   nx*nQ lines of one x f value per id, x-major: line ix*nQ + iQ
//   ---
//   [further blocks with the next Q range, each ending in ---]
//
// Interpolation: x f is interpolated with 4-point Lagrange polynomials in
// ln x and then in ln Q² (equivalently ln Q: the map is affine), using the
// 4 knots around the point (shifted inwards at the edges of a block; fewer
// points when a block has fewer than 4 knots). It is exact for any
// polynomial of degree ≤ 3 in ln x times one of degree ≤ 3 in ln Q within a
// block. Differences to LHAPDF's log-bicubic default are < 0.3 % for
// 1e-3 < x < 0.5 on NNPDF2.3 LO (PHYSICS.md §4.2).
//
// Multi-block files: the block whose Q range contains Q is used; a Q knot
// shared by two blocks belongs to the upper block (PDFs may be discontinuous
// at heavy-quark thresholds, which is why LHAPDF splits grids there).
// Outside the grid: Q is frozen at the first/last Q knot, x below the first
// x knot is frozen at that knot, x f = 0 for x >= 1.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/generators/parton_density.h"

namespace goldmine::generators {

class LhapdfGrid final : public PartonDensity {
 public:
  // Reads the member file at `path` (e.g. .../NNPDF23_lo_as_0130_qed_0000.dat).
  // If the set's info file (NAME.info beside NAME_0000.dat, LHAPDF's layout)
  // exists, its `Key: value` lines are read as metadata too. Throws
  // FileFormatError naming the file and line when the file cannot be read or
  // does not follow the format (missing '---', wrong number of values on a
  // line or of lines in a block, text that is not a number, knots that do not
  // increase, blocks with different parton ids or non-adjacent Q ranges).
  explicit LhapdfGrid(const std::string& path);

  // x f at (x, Q); pdg_id as PartonDensity::Xf, and additionally 22 (photon)
  // when the file has it. An id that the file lacks (e.g. top in a 5-flavour
  // set) gives 0.
  double Xf(int pdg_id, double x, double q) const override;
  PartonValues XfAll(double x, double q) const override;
  // "LHAPDF6 grid NAME (path), N blocks, x in [..], Q in [..] GeV".
  std::string Description() const override;

  const std::string& path() const { return path_; }
  int num_blocks() const { return static_cast<int>(blocks_.size()); }
  double x_min() const { return x_min_; }
  double x_max() const { return x_max_; }
  double q_min() const { return blocks_.front().q_knots.front(); }
  double q_max() const { return blocks_.back().q_knots.back(); }
  // Parton ids in the order of the file's columns.
  const std::vector<int>& parton_ids() const { return parton_ids_; }

  // A `Key: value` entry of the data file's header or, if absent there, of
  // the set's info file; the value is trimmed of blanks.
  std::optional<std::string> Metadata(const std::string& key) const;
  // AlphaS_MZ from the metadata, if present and a number.
  std::optional<double> alpha_s_mz() const;

 private:
  struct Block {
    std::vector<double> log_x;    // ln of the x knots
    std::vector<double> q_knots;  // GeV
    std::vector<double> log_q;    // ln of the Q knots
    // x f, index (ix * nQ + iQ) * num_columns + column, as in the file.
    std::vector<double> values;
  };

  // Knots and Lagrange weights around one (x, Q); x < 1.
  struct Stencil {
    const Block* block = nullptr;
    int x_first = 0;  // first x knot used
    int x_count = 0;  // number of x knots used (≤ 4)
    int q_first = 0;
    int q_count = 0;
    double x_weights[4] = {0.0, 0.0, 0.0, 0.0};
    double q_weights[4] = {0.0, 0.0, 0.0, 0.0};
  };
  Stencil MakeStencil(double x, double q) const;
  double Apply(const Stencil& stencil, int column) const;

  std::string path_;
  std::vector<int> parton_ids_;
  std::vector<Block> blocks_;
  std::map<std::string, std::string> metadata_;
  double x_min_ = 0.0;
  double x_max_ = 0.0;
  int photon_column_ = -1;
  // File column of each PartonValues index; -1 when the file lacks it.
  std::array<int, 13> column_of_index_{};
};

}  // namespace goldmine::generators

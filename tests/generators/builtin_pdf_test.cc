#include "goldmine/generators/builtin_pdf.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "goldmine/core/errors.h"
#include "goldmine/generators/lhapdf_grid.h"
#include "pdf_integrals.h"
#include "support/reference_data.h"

namespace goldmine::generators {
namespace {

TEST(BuiltinPdf, MatchesTheNnpdfGridToTwoPercent) {
  const std::filesystem::path path = goldmine::testing::SharedDir() / "data" /
                                     "pdf" / "NNPDF23_lo_as_0130_qed_0000.dat";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << "PDF grid " << path
                 << " is absent (set GOLDMINE_SHARED_DIR to the folder with "
                    "data/pdf/)";
  }
  const LhapdfGrid grid(path.string());
  const BuiltinPdf builtin;
  const int ids[] = {kUp, kDown, -kUp, -kDown, kStrange, kCharm, kGluon};
  const char* names[] = {"u", "d", "ubar", "dbar", "s", "c", "g"};
  double max_deviation[7] = {0, 0, 0, 0, 0, 0, 0};
  // A lattice that avoids the fit's own points: 1e-3 < x < 0.7,
  // 50 < Q < 1000 GeV.
  for (int iq = 0; iq <= 47; ++iq) {
    const double q = 50.0 * std::pow(20.0, iq / 47.0);
    for (int ix = 0; ix <= 173; ++ix) {
      const double x = 1e-3 * std::pow(700.0, ix / 173.0);
      const PartonValues values = builtin.XfAll(x, q);
      for (int f = 0; f < 7; ++f) {
        const double reference = grid.Xf(ids[f], x, q);
        const double model =
            values[static_cast<std::size_t>(PartonIndex(ids[f]))];
        max_deviation[f] =
            std::max(max_deviation[f], std::abs(model / reference - 1.0));
      }
    }
  }
  for (int f = 0; f < 7; ++f) {
    std::cout << names[f]
              << ": max |builtin/grid - 1| = " << 100.0 * max_deviation[f]
              << " %\n";
    EXPECT_LT(max_deviation[f], 0.02) << names[f];
  }
}

TEST(BuiltinPdf, SatisfiesTheSumRules) {
  const BuiltinPdf pdf;
  // Without the photon (≈ 0.5 % of the momentum in the QED set) and top.
  for (double q : {50.0, 100.0, 1000.0}) {
    EXPECT_NEAR(testing::MomentumSum(pdf, q), 1.0, 0.02) << "Q = " << q;
    EXPECT_NEAR(testing::ValenceNumber(pdf, kUp, q), 2.0, 0.06) << "Q = " << q;
    EXPECT_NEAR(testing::ValenceNumber(pdf, kDown, q), 1.0, 0.03)
        << "Q = " << q;
  }
  std::cout << "momentum sum at Q = 100 GeV: "
            << testing::MomentumSum(pdf, 100.0) << ", valence u "
            << testing::ValenceNumber(pdf, kUp, 100.0) << ", d "
            << testing::ValenceNumber(pdf, kDown, 100.0) << '\n';
}

TEST(BuiltinPdf, ConventionsAndBadInput) {
  const BuiltinPdf pdf;
  EXPECT_EQ(pdf.Xf(kUp, 1.0, 100.0), 0.0);
  EXPECT_EQ(pdf.Xf(kTop, 0.1, 1000.0), 0.0);
  EXPECT_EQ(pdf.Xf(0, 0.1, 100.0), pdf.Xf(kGluon, 0.1, 100.0));
  EXPECT_EQ(pdf.Xf(kCharm, 0.1, 100.0), pdf.Xf(-kCharm, 0.1, 100.0));
  EXPECT_GT(pdf.Xf(kUp, 0.1, 100.0), pdf.Xf(-kUp, 0.1, 100.0));
  EXPECT_EQ(pdf.Xf(kUp, 0.1, 2.0), pdf.Xf(kUp, 0.1, 10.0));  // frozen
  EXPECT_EQ(pdf.Xf(kUp, 0.1, 1e5), pdf.Xf(kUp, 0.1, 1e4));
  EXPECT_DOUBLE_EQ(pdf.F(kDown, 0.2, 91.0), pdf.Xf(kDown, 0.2, 91.0) / 0.2);
  for (double x : {1e-8, 1e-5, 0.3, 0.999}) {
    for (int id = -5; id <= 5; ++id) {
      const double value = pdf.Xf(id, x, 100.0);
      EXPECT_TRUE(std::isfinite(value) && value >= 0.0) << id << ' ' << x;
    }
  }
  EXPECT_THROW(pdf.Xf(22, 0.1, 100.0), InvalidInput);
  EXPECT_THROW(pdf.Xf(kUp, -0.1, 100.0), InvalidInput);
  EXPECT_THROW(pdf.XfAll(0.1, 0.0), InvalidInput);
  EXPECT_THAT(pdf.Description(), ::testing::HasSubstr("NNPDF2.3"));
}

}  // namespace
}  // namespace goldmine::generators

#include "goldmine/generators/lhapdf_grid.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "pdf_integrals.h"
#include "support/reference_data.h"

namespace goldmine::generators {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

std::filesystem::path NnpdfPath() {
  return goldmine::testing::SharedDir() / "data" / "pdf" /
         "NNPDF23_lo_as_0130_qed_0000.dat";
}

#define SKIP_WITHOUT_GRID()                                                   \
  if (!std::filesystem::exists(NnpdfPath())) {                                \
    GTEST_SKIP() << "PDF grid " << NnpdfPath()                                \
                 << " is absent (set GOLDMINE_SHARED_DIR to the folder with " \
                    "data/pdf/)";                                             \
  }

struct ReferenceValue {
  double q;
  double x;
  int id;
  double xf;
};

// PHYSICS.md §4.2, 4-point Lagrange in (ln x, ln Q²), tolerance 0.5 %.
const ReferenceValue kReferenceValues[] = {
    {100, 0.01, 2, 0.747112},      {100, 0.01, 1, 0.657326},
    {100, 0.01, -2, 0.500654},     {100, 0.01, -1, 0.523907},
    {100, 0.01, 3, 0.338722},      {100, 0.01, 21, 7.98013},
    {100, 0.1, 2, 0.587884},       {100, 0.1, 1, 0.357618},
    {100, 0.1, -2, 0.0717466},     {100, 0.1, -1, 0.0972273},
    {100, 0.1, 3, 0.0445254},      {100, 0.1, 21, 0.875583},
    {100, 0.3, 2, 0.328119},       {100, 0.3, 1, 0.134596},
    {100, 0.3, -2, 0.00995258},    {100, 0.3, -1, 0.0121123},
    {205.387, 0.05, 2, 0.622331},  {205.387, 0.05, 1, 0.433043},
    {205.387, 0.05, -2, 0.155714}, {205.387, 0.05, -1, 0.189848},
    {205.387, 0.05, 3, 0.0988747}, {205.387, 0.05, 4, 0.0818327},
};

TEST(LhapdfGrid, ReproducesThePhysicsReferenceValues) {
  SKIP_WITHOUT_GRID();
  const LhapdfGrid grid(NnpdfPath().string());
  EXPECT_EQ(grid.num_blocks(), 1);
  EXPECT_EQ(grid.parton_ids().size(), 14u);
  EXPECT_DOUBLE_EQ(grid.q_min(), 1.0);
  EXPECT_DOUBLE_EQ(grid.q_max(), 10000.0);
  EXPECT_EQ(grid.Metadata("Format").value_or(""), "lhagrid1");
  for (const ReferenceValue& reference : kReferenceValues) {
    const double value = grid.Xf(reference.id, reference.x, reference.q);
    EXPECT_NEAR(value / reference.xf, 1.0, 0.005)
        << "id " << reference.id << ", x " << reference.x << ", Q "
        << reference.q;
    const PartonValues all = grid.XfAll(reference.x, reference.q);
    EXPECT_DOUBLE_EQ(all[static_cast<std::size_t>(PartonIndex(reference.id))],
                     value);
    EXPECT_DOUBLE_EQ(grid.F(reference.id, reference.x, reference.q),
                     value / reference.x);
  }
}

TEST(LhapdfGrid, MomentumSumsMatchTheReference) {
  SKIP_WITHOUT_GRID();
  const LhapdfGrid grid(NnpdfPath().string());
  // PHYSICS.md §4.2: the partons of the file but the top quark (which the
  // grid has above Q ≈ 173 GeV), including the photon.
  const auto photon = [&](double q) {
    return [&grid, q](double x) {
      return grid.Xf(22, x, q) - grid.Xf(kTop, x, q) - grid.Xf(-kTop, x, q);
    };
  };
  EXPECT_NEAR(testing::MomentumSum(grid, 10.0, photon(10.0)), 1.0050, 0.001);
  EXPECT_NEAR(testing::MomentumSum(grid, 100.0, photon(100.0)), 1.0048, 0.001);
  EXPECT_NEAR(
      testing::MomentumSum(grid, 1000.0, photon(1000.0)), 0.9954, 0.001);
  EXPECT_NEAR(testing::ValenceNumber(grid, kUp, 100.0), 2.0, 0.02);
  EXPECT_NEAR(testing::ValenceNumber(grid, kDown, 100.0), 1.0, 0.02);
}

TEST(LhapdfGrid, FreezesOutsideTheGridAndVanishesAtXOne) {
  SKIP_WITHOUT_GRID();
  const LhapdfGrid grid(NnpdfPath().string());
  EXPECT_EQ(grid.Xf(kGluon, 0.1, 0.5), grid.Xf(kGluon, 0.1, 1.0));
  EXPECT_EQ(grid.Xf(kUp, 0.1, 2e4), grid.Xf(kUp, 0.1, 1e4));
  EXPECT_EQ(grid.Xf(kUp, 1.0, 100.0), 0.0);
  EXPECT_EQ(grid.Xf(kUp, 1.5, 100.0), 0.0);
  EXPECT_EQ(grid.Xf(0, 0.2, 100.0), grid.Xf(kGluon, 0.2, 100.0));
  EXPECT_THROW(grid.Xf(7, 0.1, 100.0), InvalidInput);
  EXPECT_THROW(grid.Xf(kUp, 0.0, 100.0), InvalidInput);
  EXPECT_THROW(grid.Xf(kUp, 0.1, -1.0), InvalidInput);
  EXPECT_THROW(grid.XfAll(std::nan(""), 100.0), InvalidInput);
  EXPECT_THAT(grid.Description(), HasSubstr("NNPDF23_lo_as_0130_qed_0000.dat"));
}

// A synthetic two-block grid whose values are cubic polynomials in ln x and
// ln Q, different in each block, so that 4-point Lagrange interpolation is
// exact and the block choice is visible.
class LhapdfSyntheticGrid : public ::testing::Test {
 protected:
  static constexpr double kBoundaryQ = 10.0;

  // x f for parton column `column` (ids 1, 2, 21, -1) in block 0 or 1.
  static double Polynomial(int block, int column, double x, double q) {
    const double a = std::log(x);
    const double b = std::log(q);
    const double scale = 1.0 + column + 10.0 * block;
    return scale * (2.0 + 0.3 * a - 0.05 * a * a + 0.01 * a * a * a) *
           (1.0 + 0.2 * b + (block == 0 ? 0.1 : -0.07) * b * b * b);
  }

  void SetUp() override {
    directory_ =
        std::filesystem::path(::testing::TempDir()) /
        ("goldmine_pdf_" +
         std::string(
             ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  static std::string GridText() {
    std::ostringstream out;
    out.precision(17);
    out << "PdfType: central\nFormat: lhagrid1\n---\n";
    for (int block = 0; block < 2; ++block) {
      for (double x : kX) out << x << ' ';
      out << '\n';
      const std::vector<double>& q_knots = block == 0 ? kQ0 : kQ1;
      for (double q : q_knots) out << q << ' ';
      out << "\n1 2 21 -1\n";
      for (double x : kX) {
        for (double q : q_knots) {
          for (int column = 0; column < 4; ++column) {
            out << ' ' << Polynomial(block, column, x, q);
          }
          out << '\n';
        }
      }
      out << "---\n";
    }
    return out.str();
  }

  std::string Write(const std::string& name, const std::string& text) const {
    const std::filesystem::path path = directory_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  // Irregular knots, as in real grids (log-spaced, then linear).
  static inline const std::vector<double> kX = {
      1e-4, 3e-4, 1e-3, 5e-3, 0.02, 0.1, 0.2, 0.35, 0.5, 0.9};
  static inline const std::vector<double> kQ0 = {
      1.0, 2.0, 3.5, 6.0, kBoundaryQ};
  static inline const std::vector<double> kQ1 = {
      kBoundaryQ, 30.0, 100.0, 1000.0};
  std::filesystem::path directory_;
};

TEST_F(LhapdfSyntheticGrid, LagrangeInterpolationIsExactOnCubics) {
  const LhapdfGrid grid(Write("synthetic_0000.dat", GridText()));
  EXPECT_EQ(grid.num_blocks(), 2);
  EXPECT_DOUBLE_EQ(grid.q_min(), 1.0);
  EXPECT_DOUBLE_EQ(grid.q_max(), 1000.0);
  const double xs[] = {1.2e-4, 7e-4, 0.0123, 0.15, 0.42, 0.77};
  const double q0[] = {1.1, 2.7, 5.0, 9.99};
  const double q1[] = {10.5, 55.0, 420.0, 999.0};
  for (double x : xs) {
    for (double q : q0) {
      EXPECT_NEAR(grid.Xf(kDown, x, q),
                  Polynomial(0, 0, x, q),
                  1e-11 * std::abs(Polynomial(0, 0, x, q)) + 1e-12)
          << x << ' ' << q;
    }
    for (double q : q1) {
      EXPECT_NEAR(grid.Xf(kGluon, x, q),
                  Polynomial(1, 2, x, q),
                  1e-11 * std::abs(Polynomial(1, 2, x, q)) + 1e-12)
          << x << ' ' << q;
      EXPECT_NEAR(grid.Xf(-kDown, x, q),
                  Polynomial(1, 3, x, q),
                  1e-11 * std::abs(Polynomial(1, 3, x, q)) + 1e-12);
    }
  }
}

TEST_F(LhapdfSyntheticGrid, BoundaryQBelongsToTheUpperBlock) {
  const LhapdfGrid grid(Write("synthetic_0000.dat", GridText()));
  const double x = 0.05;
  EXPECT_NEAR(
      grid.Xf(kUp, x, kBoundaryQ), Polynomial(1, 1, x, kBoundaryQ), 1e-11);
  EXPECT_NEAR(grid.Xf(kUp, x, kBoundaryQ * (1 - 1e-9)),
              Polynomial(0, 1, x, kBoundaryQ),
              1e-6);
  EXPECT_GT(std::abs(Polynomial(1, 1, x, kBoundaryQ) -
                     Polynomial(0, 1, x, kBoundaryQ)),
            0.5);
}

TEST_F(LhapdfSyntheticGrid, FreezesOutsideTheKnots) {
  const LhapdfGrid grid(Write("synthetic_0000.dat", GridText()));
  const double x = 0.03;
  EXPECT_DOUBLE_EQ(grid.Xf(kUp, x, 0.2), grid.Xf(kUp, x, 1.0));
  EXPECT_DOUBLE_EQ(grid.Xf(kUp, x, 5e4), grid.Xf(kUp, x, 1000.0));
  EXPECT_NEAR(grid.Xf(kUp, x, 5e4), Polynomial(1, 1, x, 1000.0), 1e-10);
  EXPECT_DOUBLE_EQ(grid.Xf(kUp, 1e-7, 50.0), grid.Xf(kUp, 1e-4, 50.0));
  EXPECT_DOUBLE_EQ(grid.Xf(kUp, 0.95, 50.0), grid.Xf(kUp, 0.9, 50.0));
  EXPECT_EQ(grid.Xf(kUp, 1.0, 50.0), 0.0);
}

TEST_F(LhapdfSyntheticGrid, MissingIdsAreZeroAndZeroIsTheGluon) {
  const LhapdfGrid grid(Write("synthetic_0000.dat", GridText()));
  EXPECT_EQ(grid.Xf(kStrange, 0.1, 50.0), 0.0);
  EXPECT_EQ(grid.Xf(22, 0.1, 50.0), 0.0);
  EXPECT_EQ(grid.Xf(0, 0.1, 50.0), grid.Xf(kGluon, 0.1, 50.0));
  const PartonValues all = grid.XfAll(0.1, 50.0);
  EXPECT_EQ(all[static_cast<std::size_t>(PartonIndex(kUp))],
            grid.Xf(kUp, 0.1, 50.0));
  EXPECT_EQ(all[static_cast<std::size_t>(PartonIndex(-kUp))], 0.0);
  EXPECT_FALSE(grid.alpha_s_mz().has_value());
}

TEST_F(LhapdfSyntheticGrid, ReadsTheSetInfoFile) {
  Write("synthetic.info",
        "SetDesc: \"a test set\"\nAlphaS_MZ: 0.118\nFlavors: [1, 2, 21, -1]\n"
        "Format: lhagrid1\n");
  const LhapdfGrid grid(Write("synthetic_0000.dat", GridText()));
  ASSERT_TRUE(grid.alpha_s_mz().has_value());
  EXPECT_DOUBLE_EQ(*grid.alpha_s_mz(), 0.118);
  EXPECT_EQ(grid.Metadata("PdfType").value_or(""), "central");
  EXPECT_FALSE(grid.Metadata("NoSuchKey").has_value());
}

// Replaces the first occurrence of `from` in the synthetic grid text.
std::string Corrupt(std::string text,
                    const std::string& from,
                    const std::string& to) {
  const auto position = text.find(from);
  if (position != std::string::npos) text.replace(position, from.size(), to);
  return text;
}

TEST_F(LhapdfSyntheticGrid, MalformedFilesNameTheFileAndLine) {
  const std::string good = GridText();
  const auto expect_error = [&](const std::string& text,
                                const std::vector<std::string>& parts) {
    const std::string path = Write("bad_0000.dat", text);
    try {
      const LhapdfGrid grid(path);
      ADD_FAILURE() << "no error for a malformed file; expected " << parts[0];
    } catch (const FileFormatError& error) {
      const std::string message = error.what();
      EXPECT_THAT(message, HasSubstr("bad_0000.dat"));
      for (const std::string& part : parts) {
        EXPECT_THAT(message, HasSubstr(part));
      }
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  };
  // Line 4 is the x knots, 5 the Q knots, 6 the ids, 7 the first values.
  expect_error(Corrupt(good, "1 2 21 -1\n", "1 2 21 -1\nabc 1 2 3\n"),
               {"line 7", "'abc' is not a finite number"});
  std::string short_line = good;
  {
    const auto first_values = short_line.find('\n', short_line.find("21 -1"));
    const auto line_end = short_line.find('\n', first_values + 1);
    const auto last_blank = short_line.rfind(' ', line_end);
    short_line.erase(last_blank, line_end - last_blank);
  }
  expect_error(short_line, {"line 7", "expected 4 x f values", "got 3"});
  expect_error(good.substr(0, good.rfind("---")),
               {"block 2", "not closed by a '---'"});
  expect_error(Corrupt(good,
                       "PdfType: central\nFormat: lhagrid1\n---\n",
                       "PdfType: central\nFormat: lhagrid1\n"),
               {"line 3", "expected a 'Key: value' header line or '---'"});
  expect_error("PdfType: central\nFormat: lhagrid1\n", {"no '---' line"});
  expect_error(Corrupt(good, "0.0001 ", "0.001 "),
               {"line 4", "x knots must increase"});
  expect_error(Corrupt(good, "1 2 21 -1", "1 2 21"),
               {"expected 3 x f values", "got 4"});
  expect_error(Corrupt(good, "Format: lhagrid1", "Format: lhagrid2"),
               {"lhagrid2", "expected lhagrid1"});
  // A block with a value line too few: the '---' arrives early.
  std::string missing_line = good;
  {
    const auto separator = missing_line.find("---\n", 40);
    const auto previous = missing_line.rfind('\n', separator - 2);
    missing_line.erase(previous + 1, separator - previous - 1);
  }
  expect_error(missing_line, {"block 1 has 49 value lines", "expected 50"});
  EXPECT_THROW(LhapdfGrid((directory_ / "absent_0000.dat").string()),
               FileFormatError);
}

}  // namespace
}  // namespace goldmine::generators

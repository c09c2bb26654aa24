// Fits the built-in PDF (builtin_pdf.h) to an LHAPDF6 grid and prints the
// C++ coefficient table (generators/src/builtin_pdf_table.cc) on stdout, and
// the measured accuracy on stderr. Regenerate with
//   build/release/generators/fit_builtin_pdf
//       ../shared/data/pdf/NNPDF23_lo_as_0130_qed_0000.dat
//       > generators/src/builtin_pdf_table.cc
// (one command line).
//
// At each Q knot and for each component, ln(x f) is linear in the
// coefficients, so the least-squares fit of the log (i.e. of the relative
// deviation) is a linear problem: its Gauss–Newton iteration converges in one
// step, solved here by a column-pivoting QR decomposition. Lawson's iteratively
// reweighted least squares then moves the solution towards the minimax one
// (smallest maximum relative deviation) on the target range
// 1e-3 < x < 0.7; points outside it (1e-5 ≤ x ≤ 0.9) keep a small fixed
// weight so that the tails and the sum rules stay sensible. Deterministic.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "builtin_pdf_model.h"
#include "goldmine/generators/lhapdf_grid.h"

namespace gg = goldmine::generators;
namespace gi = goldmine::generators::internal;

namespace {

constexpr double kTargetXMin = 1e-3;
constexpr double kTargetXMax = 0.7;
constexpr double kOutsideWeight = 0.05;
constexpr int kLawsonIterations = 60;

// x f of a component from the grid's partons.
double ComponentValue(const gg::PartonValues& v, int component) {
  auto at = [&v](int id) {
    return v[static_cast<std::size_t>(gg::PartonIndex(id))];
  };
  switch (component) {
    case gi::kUpValence:
      return at(2) - at(-2);
    case gi::kDownValence:
      return at(1) - at(-1);
    case gi::kUpBar:
      return at(-2);
    case gi::kDownBar:
      return at(-1);
    case gi::kStrangeQuark:
      return at(3);
    case gi::kStrangeBar:
      return at(-3);
    case gi::kCharmQuark:
      return 0.5 * (at(4) + at(-4));
    case gi::kBottomQuark:
      return 0.5 * (at(5) + at(-5));
    default:
      return at(21);
  }
}

// x f of the parton `id` built from the components.
double PartonFromComponents(const double c[gi::kBuiltinNumComponents], int id) {
  switch (id) {
    case 2:
      return c[gi::kUpValence] + c[gi::kUpBar];
    case 1:
      return c[gi::kDownValence] + c[gi::kDownBar];
    case -2:
      return c[gi::kUpBar];
    case -1:
      return c[gi::kDownBar];
    case 3:
      return c[gi::kStrangeQuark];
    case -3:
      return c[gi::kStrangeBar];
    case 4:
      return c[gi::kCharmQuark];
    default:
      return c[gi::kGluonComponent];
  }
}

std::vector<double> FitPoints() {
  std::vector<double> xs;
  for (int i = 0; i <= 100; ++i) xs.push_back(1e-5 * std::pow(1e4, i / 100.0));
  for (int i = 1; i <= 80; ++i) xs.push_back(0.1 + 0.8 * i / 80.0);
  return xs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr,
                 "usage: fit_builtin_pdf GRID.dat > builtin_pdf_table.cc\n");
    return 2;
  }
  try {
    const gg::LhapdfGrid grid(argv[1]);
    static gi::BuiltinTable table;
    const std::vector<double> xs = FitPoints();
    double worst_fit = 0.0;
    for (int knot = 0; knot < gi::kBuiltinNumKnots; ++knot) {
      const double q = gi::BuiltinKnotQ(knot);
      for (int component = 0; component < gi::kBuiltinNumComponents;
           ++component) {
        std::vector<double> x_used;
        std::vector<double> targets;
        for (double x : xs) {
          const gg::PartonValues v = grid.XfAll(x, q);
          const double value = ComponentValue(v, component);
          // The log needs positive values; the grid's are, in this range.
          if (value > 0.0) {
            x_used.push_back(x);
            targets.push_back(std::log(value));
          }
        }
        const int n = static_cast<int>(x_used.size());
        Eigen::MatrixXd design(n, gi::kBuiltinNumBasis);
        Eigen::VectorXd rhs(n);
        Eigen::VectorXd importance(n);
        std::vector<bool> in_target(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
          double basis[gi::kBuiltinNumBasis];
          gi::BuiltinBasis(x_used[static_cast<std::size_t>(i)], basis);
          for (int k = 0; k < gi::kBuiltinNumBasis; ++k) {
            design(i, k) = basis[k];
          }
          rhs(i) = targets[static_cast<std::size_t>(i)];
          const double x = x_used[static_cast<std::size_t>(i)];
          in_target[static_cast<std::size_t>(i)] =
              x >= kTargetXMin && x <= kTargetXMax;
          importance(i) = 1.0;
          if (component == gi::kUpValence || component == gi::kDownValence) {
            // The relative error of u_v matters in proportion to its share
            // of the quark (u = u_v + ū), tiny at small x.
            const gg::PartonValues v = grid.XfAll(x, q);
            const double sea = ComponentValue(
                v, component == gi::kUpValence ? gi::kUpBar : gi::kDownBar);
            const double valence = std::exp(rhs(i));
            importance(i) = std::max(valence / (valence + sea), 0.05);
          }
        }
        Eigen::VectorXd lawson = Eigen::VectorXd::Ones(n);
        Eigen::VectorXd best;
        double best_max = 1e300;
        for (int iteration = 0; iteration < kLawsonIterations; ++iteration) {
          Eigen::VectorXd sqrt_weight(n);
          for (int i = 0; i < n; ++i) {
            const double base = in_target[static_cast<std::size_t>(i)]
                                    ? lawson(i)
                                    : kOutsideWeight;
            sqrt_weight(i) = std::sqrt(base) * importance(i);
          }
          const Eigen::VectorXd solution =
              (sqrt_weight.asDiagonal() * design)
                  .colPivHouseholderQr()
                  .solve(sqrt_weight.asDiagonal() * rhs);
          const Eigen::VectorXd residual =
              (design * solution - rhs).cwiseProduct(importance);
          double max_residual = 0.0;
          double sum = 0.0;
          int count = 0;
          for (int i = 0; i < n; ++i) {
            if (!in_target[static_cast<std::size_t>(i)]) continue;
            max_residual = std::max(max_residual, std::abs(residual(i)));
            lawson(i) *= std::abs(residual(i)) + 1e-12;
            sum += lawson(i);
            ++count;
          }
          if (count > 0) lawson *= count / sum;
          if (max_residual < best_max) {
            best_max = max_residual;
            best = solution;
          }
        }
        worst_fit = std::max(worst_fit, best_max);
        for (int k = 0; k < gi::kBuiltinNumBasis; ++k) {
          table[component][knot][k] = best(k);
        }
      }
    }

    // Accuracy of the model (with Q interpolation) on a dense lattice.
    const int ids[] = {2, 1, -2, -1, 3, 4, 21};
    const char* names[] = {"u", "d", "ubar", "dbar", "s", "c", "g"};
    double max_deviation[7] = {0, 0, 0, 0, 0, 0, 0};
    for (int iq = 0; iq <= 60; ++iq) {
      const double q = 50.0 * std::pow(20.0, iq / 60.0);
      for (int ix = 0; ix <= 200; ++ix) {
        const double x = 1e-3 * std::pow(700.0, ix / 200.0);
        double components[gi::kBuiltinNumComponents];
        gi::EvaluateBuiltin(table, x, q, components);
        for (int f = 0; f < 7; ++f) {
          const double reference = grid.Xf(ids[f], x, q);
          const double model = PartonFromComponents(components, ids[f]);
          max_deviation[f] =
              std::max(max_deviation[f], std::abs(model / reference - 1.0));
        }
      }
    }
    std::fprintf(stderr, "worst per-knot fit (log): %.4f\n", worst_fit);
    std::string summary;
    for (int f = 0; f < 7; ++f) {
      char text[64];
      std::snprintf(text,
                    sizeof text,
                    "%s%s %.2f %%",
                    f ? ", " : "",
                    names[f],
                    100.0 * max_deviation[f]);
      summary += text;
    }
    std::fprintf(stderr,
                 "max |model/grid - 1|, 1e-3<x<0.7, 50<Q<1000: %s\n",
                 summary.c_str());

    std::printf(
        "// Generated by generators/tools/fit_builtin_pdf from\n"
        "// %s. Do not edit; rerun the tool (see its\n"
        "// header) after changing builtin_pdf_model.h. Max |model/grid - 1|\n"
        "// for 1e-3 < x < 0.7, 50 < Q < 1000 GeV:\n"
        "// %s.\n"
        "#include \"builtin_pdf_model.h\"\n\n"
        "namespace goldmine::generators::internal {\n\n"
        "// [component][Q knot][basis function]\n"
        "// clang-format off\n"
        "const BuiltinTable kBuiltinCoefficients = {\n",
        std::string(argv[1])
            .substr(std::string(argv[1]).rfind('/') + 1)
            .c_str(),
        summary.c_str());
    for (int c = 0; c < gi::kBuiltinNumComponents; ++c) {
      std::printf("    {\n");
      for (int knot = 0; knot < gi::kBuiltinNumKnots; ++knot) {
        std::printf("        {");
        for (int k = 0; k < gi::kBuiltinNumBasis; ++k) {
          std::printf("%s%.17g", k ? ", " : "", table[c][knot][k]);
        }
        std::printf("},\n");
      }
      std::printf("    },\n");
    }
    std::printf(
        "};\n// clang-format on\n\n"
        "}  // namespace goldmine::generators::internal\n");
  } catch (const std::exception& error) {
    std::fprintf(stderr, "fit_builtin_pdf: %s\n", error.what());
    return 1;
  }
  return 0;
}

// A program outside goldmine's tree, built against an installed goldmine
// with find_package(goldmine) (tests/downstream/CMakeLists.txt). It uses
// goldmine::morphing and goldmine::inference only:
//   1. morphing weights w_b(θ) of a quadratic two-parameter morphing (six
//      components, six benchmarks) at a few θ;
//   2. the asymptotic CLs of a HistFactory workspace at one POI value.
// It prints both as one JSON line; run_downstream_test.sh checks the
// weights against Σ_b w_b(θ) f(θ_b) = f(θ) for random quadratics f and the
// CLs against `goldmine histfactory cls`.
//
// Usage: goldmine_downstream WS.json MU
#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "goldmine/inference/hypotest.h"
#include "goldmine/inference/model.h"
#include "goldmine/inference/workspace.h"
#include "goldmine/morphing/components.h"
#include "goldmine/morphing/morpher.h"

namespace {

// Round-trip precision: the test compares to 1e-12.
void PrintNumber(double value) { std::printf("%.17g", value); }

void PrintRow(const Eigen::MatrixXd& matrix, Eigen::Index row) {
  std::printf("[");
  for (Eigen::Index column = 0; column < matrix.cols(); ++column) {
    if (column > 0) std::printf(",");
    PrintNumber(matrix(row, column));
  }
  std::printf("]");
}

void PrintRows(const char* key, const Eigen::MatrixXd& matrix) {
  std::printf("\"%s\":[", key);
  for (Eigen::Index row = 0; row < matrix.rows(); ++row) {
    if (row > 0) std::printf(",");
    PrintRow(matrix, row);
  }
  std::printf("]");
}

void PrintMorphing() {
  using goldmine::morphing::Components;
  using goldmine::morphing::Morpher;
  // 1, θ_1, θ_1², θ_0, θ_0 θ_1, θ_0²: every power ≤ 2, total power ≤ 2.
  const Components components = Components::FromMaxPowers({2, 2}, 2);
  // Only the last benchmark has θ_0 θ_1 ≠ 0, so the basis is regular.
  Eigen::MatrixXd basis(6, 2);
  basis << 0.0, 0.0, 1.0, 0.0, -1.0, 0.0, 0.0, 1.0, 0.0, -1.0, 0.7, 0.9;
  const Morpher morpher(components, basis);
  Eigen::MatrixXd thetas(4, 2);
  thetas << 0.3, -0.2, 1.5, 0.8, -2.0, 0.5, 0.7, 0.9;
  std::printf("\"morphing\":{");
  PrintRows("powers", components.powers().cast<double>());
  std::printf(",");
  PrintRows("basis", morpher.basis());
  std::printf(",");
  PrintRows("thetas", thetas);
  std::printf(",");
  PrintRows("weights", morpher.WeightsBatch(thetas));
  std::printf("}");
}

void PrintHypotest(const std::string& path, double mu) {
  namespace hf = goldmine::inference;
  std::ifstream file(path);
  if (!file) throw goldmine::InvalidInput(path + ": cannot be read");
  std::stringstream text;
  text << file.rdbuf();
  const hf::Workspace workspace = hf::Workspace::FromJson(text.str(), path);
  const hf::Model model(workspace);
  const hf::HypotestResult result =
      hf::Hypotest(model, model.observed_data(), mu);
  std::printf("\"hypotest\":{\"poi_value\":");
  PrintNumber(mu);
  std::printf(",\"CLs_obs\":");
  PrintNumber(result.cls_obs);
  std::printf(",\"CLs_exp\":[");
  for (std::size_t n = 0; n < result.cls_expected.size(); ++n) {
    if (n > 0) std::printf(",");
    PrintNumber(result.cls_expected[n]);
  }
  std::printf("],\"CLsb_obs\":");
  PrintNumber(result.clsb_obs);
  std::printf(",\"CLb_obs\":");
  PrintNumber(result.clb_obs);
  std::printf(",\"converged\":%s}", result.converged ? "true" : "false");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s WS.json MU\n", argv[0]);
    return 2;
  }
  try {
    const double mu = std::stod(argv[2]);
    std::printf("{");
    PrintMorphing();
    std::printf(",");
    PrintHypotest(argv[1], mu);
    std::printf("}\n");
  } catch (const std::exception& error) {
    std::fprintf(stderr, "goldmine_downstream: %s\n", error.what());
    return 1;
  }
  return 0;
}

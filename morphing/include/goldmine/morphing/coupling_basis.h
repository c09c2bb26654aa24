// The coupling form of a `goldmine morphing` case: MadMiner's coupling
// morphing (PhysicsMorpher.find_components(Np, Nd, Ns) and
// set_basis(basis_p, basis_d, basis_s)). The components are the monomials of
// (Σ g_production + Σ g_shared)² (Σ g_decay + Σ g_shared)², and the basis is
// given as couplings × benchmarks, as in MadMiner's morphing_cases.json.
// Parameters (and so θ) are ordered as MadMiner orders them: decay couplings,
// then production, then shared ones (gd0…, gp0…, gs0…).
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "goldmine/core/json_node.h"
#include "goldmine/morphing/components.h"

namespace goldmine::morphing {

// MadMiner defines at most 15 symbols per kind (sympy.symbols("gp:15")).
inline constexpr int kMaxCouplingsPerKind = 15;

// Keys that select the coupling form; none may be mixed with the power form
// (parameter_max_power, max_overall_power, components, basis, and the basis
// optimisation keys seed, n_trials, fixed_benchmarks).
const std::vector<std::string>& CouplingFormKeys();
bool IsCouplingForm(const core::JsonNode& input);

struct CouplingBasis {
  Components components;
  // Benchmarks × parameters, as the `basis` of the power form.
  Eigen::MatrixXd basis;
  // MadMiner's symbols in parameter order: "gd0", …, "gp0", …, "gs0", ….
  std::vector<std::string> coupling_names;
  // How messages name the basis: "basis_s" or "basis_d/basis_p/basis_s".
  std::string basis_key;
};

// Reads n_production_couplings, n_decay_couplings, n_shared_couplings (absent
// ones are 0; at least one must be given) and the basis: either basis_s
// alone with one row per coupling (all of them, decay, production, shared,
// as MadMiner reads a lone basis_s), or basis_d, basis_p and basis_s with one
// row per coupling of their kind. Every row has one value per benchmark.
// Throws InvalidInput naming the key for anything inconsistent, before the
// (combinatorial) component expansion.
CouplingBasis ReadCouplingBasis(const core::JsonNode& input);

}  // namespace goldmine::morphing

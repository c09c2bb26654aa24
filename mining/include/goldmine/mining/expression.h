// The expression language of observables, cuts and efficiencies: the subset
// of the Python that MadMiner `eval`s (MADMINER.md §3) that analyses use,
// parsed once by a tokenizer and recursive-descent parser into an evaluable
// tree. Nothing is ever executed as code.
//
// Grammar, loosest binding first (Python's precedence):
//   or, ||  <  and, &&  <  not, !  <  comparisons < <= > >= == != (chained
//   like Python: a < b < c is a < b and b < c)  <  + -  <  * /  <  unary - +
//   <  ** and ^ (right-associative; -2**2 = -4, 2**-1 = 0.5)  <  postfix:
//   x[i], x.attribute, x.method(args), f(args).
//
// Values have one of three types, checked while parsing:
//  - numbers: literals (1, 2.5, 1e3), pi, True/False, event scalars
//    (n_particles, ht, n_jets, n_bjets, n_leptons, n_electrons, n_muons,
//    n_taus, n_photons, n_neutrinos), the names of earlier observables, and
//    functions sqrt abs exp log log10 sin cos tan asin acos atan sinh cosh
//    tanh floor ceil (one argument), atan2 pow (two), min max (two or more);
//  - objects: met, visible, all (= visible + met), an element c[i] of a
//    collection (negative i counts from the end), sums and differences of
//    objects, number · object, sum(c) (the summed momentum of a collection);
//  - collections: p, p_truth, e, mu, tau, l, a, j, b, v (physics_objects.h),
//    all sorted by descending pT; pdg(25) or pdg(11, 13), the particles of
//    the record (status 1 and 2, parton level, unsmeared) whose |PDG id| is
//    listed (positive integer literals; particle and antiparticle both
//    match), and the named h, w, z, t = pdg(25), pdg(24), pdg(23), pdg(6);
//    len(c) is a number.
// Object attributes: pt eta phi m (mass) e (energy, also E) px py pz (also
// x y z t) mt (ROOT's sqrt(E² - pz²), four_momentum.h) theta rapidity p
// charge pdgid (pdg_id) b_tag t_tag tau_tag; `met.phi()` is accepted like
// `met.phi`. Functions and methods of two objects: deltaR, deltaphi,
// deltaeta (`deltaR(b[0], b[1])` or `b[0].deltaR(b[1])`). Functions of two
// objects (angular_observables.h has the conventions): deltay (rapidity
// difference), signed_deltaphi (φ of the higher-rapidity object minus φ of
// the other), costheta_cs and phi_cs (Collins–Soper angles), costheta_decay
// and phi_decay (decay angles in the rest frame of the pair, with an optional
// third object whose rest frame defines the pair's flight direction). The
// frame angles are those of the negatively charged object when the charges
// are opposite, else of the first argument.
// Booleans are the numbers 1 and 0; a number is true when it is not 0.
//
// Evaluation is "undefined" (std::nullopt) where Python would raise: an index
// out of range or not an integer, division by zero, sqrt/log/asin/acos
// outside their domain, a non-finite pow. `and`/`or` short-circuit, so
// `len(j) >= 2 and j[1].pt > 30` is defined for every event.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "goldmine/mining/physics_objects.h"

namespace goldmine::mining {

class Expression {
 public:
  // Parses `text`. `observable_names` are the names it may use besides the
  // built-in ones; the name observable_names[i] evaluates to
  // observable_values[i]. `label` starts every error message ("observable
  // pt_W", "cut 2"). Throws InvalidInput like
  //   observable pt_W: column 9: expected ')', got 'met'
  // for a syntax error, an unknown name or a type error.
  Expression(const std::string& text,
             const std::vector<std::string>& observable_names,
             const std::string& label);
  explicit Expression(const std::string& text)
      : Expression(text, {}, "expression") {}

  // The value, or std::nullopt when undefined. `observable_values` has one
  // entry per observable name given to the constructor (may be null when
  // there were none).
  std::optional<double> Evaluate(
      const EventObjects& objects,
      const double* observable_values = nullptr) const;

  const std::string& text() const { return text_; }
  // The parsed tree printed with every operation in parentheses, e.g.
  // "((1 + (2 * 3)) < j[0].pt)": shows how the text was understood.
  std::string Canonical() const;

  struct Node;  // the parsed tree, defined in expression.cc

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;
};

// True for a name that has a meaning of its own in expressions (collections,
// objects, scalars, constants, functions, keywords): observables cannot be
// called like that.
bool IsReservedExpressionName(const std::string& name);

}  // namespace goldmine::mining

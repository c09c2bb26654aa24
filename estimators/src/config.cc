#include "goldmine/estimators/config.h"

#include <cmath>
#include <set>
#include <sstream>

#include "goldmine/core/errors.h"

namespace goldmine::estimators {
namespace {

template <typename Enum, std::size_t N>
Enum ParseName(const std::string& what,
               const std::string& name,
               const std::pair<const char*, Enum> (&table)[N]) {
  std::string allowed;
  for (const auto& [text, value] : table) {
    if (name == text) return value;
    allowed += (allowed.empty() ? "" : ", ") + std::string(text);
  }
  throw InvalidInput("unknown " + what + " \"" + name +
                     "\"; allowed: " + allowed);
}

template <typename Enum, std::size_t N>
std::string NameOf(Enum value, const std::pair<const char*, Enum> (&table)[N]) {
  for (const auto& [text, entry] : table) {
    if (entry == value) return text;
  }
  return "unknown";
}

constexpr std::pair<const char*, Method> kMethods[] = {
    {"sally", Method::kSally},
    {"sallino", Method::kSallino},
    {"rascal", Method::kRascal},
    {"alices", Method::kAlices},
    {"alice", Method::kAlice},
    {"cascal", Method::kCascal},
    {"carl", Method::kCarl},
    {"rolr", Method::kRolr}};
constexpr std::pair<const char*, Activation> kActivations[] = {
    {"tanh", Activation::kTanh},
    {"relu", Activation::kRelu},
    {"sigmoid", Activation::kSigmoid},
    {"softplus", Activation::kSoftplus}};
constexpr std::pair<const char*, Optimizer> kOptimizers[] = {
    {"amsgrad", Optimizer::kAmsgrad},
    {"adam", Optimizer::kAdam},
    {"sgd", Optimizer::kSgd}};

void Check(bool ok, const std::string& message, std::string* problems) {
  if (!ok) *problems += (problems->empty() ? "" : "; ") + message;
}

}  // namespace

std::string MethodName(Method method) { return NameOf(method, kMethods); }
Method ParseMethod(const std::string& name) {
  return ParseName("method", name, kMethods);
}
bool IsScoreMethod(Method method) {
  return method == Method::kSally || method == Method::kSallino;
}
bool NeedsJointScore(Method method) {
  return IsScoreMethod(method) || method == Method::kRascal ||
         method == Method::kCascal || method == Method::kAlices;
}
bool NeedsJointRatio(Method method) {
  return method == Method::kRolr || method == Method::kAlice ||
         method == Method::kRascal || method == Method::kAlices;
}
bool NeedsLabels(Method method) {
  // ALICE's target s(x,z) does not use y, but ROLR-type terms and the score
  // term (1 − y) t do; CARL's target is y itself.
  return !IsScoreMethod(method);
}

std::string ActivationName(Activation activation) {
  return NameOf(activation, kActivations);
}
Activation ParseActivation(const std::string& name) {
  return ParseName("activation", name, kActivations);
}
std::string OptimizerName(Optimizer optimizer) {
  return NameOf(optimizer, kOptimizers);
}
Optimizer ParseOptimizer(const std::string& name) {
  return ParseName("optimizer", name, kOptimizers);
}

bool MorphingStructure::quadratic() const {
  if (!enabled()) return false;
  const std::size_t p = components.front().size();
  if (components.size() != (p + 1) * (p + 2) / 2) return false;
  std::set<std::vector<int>> seen;
  for (const std::vector<int>& powers : components) {
    int degree = 0;
    for (int power : powers) degree += power;
    if (powers.size() != p || degree > 2 || !seen.insert(powers).second)
      return false;
  }
  return true;
}

int MorphingStructure::num_outputs() const {
  // A quadratic morphing has one component per entry of L.
  return uses_quadratic_form() ? static_cast<int>(components.size())
                               : num_benchmarks();
}

void NetworkConfig::Validate() const {
  std::string problems;
  for (std::size_t i = 0; i < hidden.size(); ++i) {
    Check(hidden[i] > 0,
          "hidden layer " + std::to_string(i) + " has width " +
              std::to_string(hidden[i]) + "; widths must be positive",
          &problems);
  }
  Check(dropout >= 0.0 && dropout < 1.0,
        "dropout " + std::to_string(dropout) + " is not in [0, 1)",
        &problems);
  if (morphing.enabled()) {
    const std::size_t parameters = morphing.components.front().size();
    const std::size_t benchmarks =
        morphing.matrix.empty() ? 0 : morphing.matrix.front().size();
    Check(parameters > 0,
          "morphing components have no parameter columns",
          &problems);
    for (std::size_t c = 0; c < morphing.components.size(); ++c) {
      const auto& powers = morphing.components[c];
      Check(powers.size() == parameters,
            "morphing component " + std::to_string(c) + " has " +
                std::to_string(powers.size()) + " powers, expected " +
                std::to_string(parameters),
            &problems);
      for (int power : powers) {
        Check(power >= 0 && power <= 8,
              "morphing component " + std::to_string(c) + " has power " +
                  std::to_string(power) + "; expected 0 to 8",
              &problems);
      }
    }
    Check(
        morphing.matrix.size() == morphing.components.size() && benchmarks > 0,
        "the morphing matrix has " + std::to_string(morphing.matrix.size()) +
            " rows, expected one per component (" +
            std::to_string(morphing.components.size()) + ")",
        &problems);
    for (std::size_t c = 0; c < morphing.matrix.size(); ++c) {
      const auto& row = morphing.matrix[c];
      Check(row.size() == benchmarks,
            "morphing matrix row " + std::to_string(c) + " has " +
                std::to_string(row.size()) + " entries, expected " +
                std::to_string(benchmarks),
            &problems);
      for (double value : row) {
        Check(std::isfinite(value),
              "morphing matrix row " + std::to_string(c) +
                  " has a non-finite entry",
              &problems);
      }
    }
    Check(double_parameterized || morphing.reference.size() == parameters,
          "a single-parameterized morphing-aware network needs the reference "
          "theta1 with " +
              std::to_string(parameters) + " entries, got " +
              std::to_string(morphing.reference.size()),
          &problems);
  }
  if (!problems.empty()) throw InvalidInput("network: " + problems);
}

std::string NetworkConfig::Description() const {
  std::ostringstream text;
  text << "MLP hidden (";
  for (std::size_t i = 0; i < hidden.size(); ++i)
    text << (i ? "," : "") << hidden[i];
  text << ") " << ActivationName(activation);
  if (dropout > 0.0) text << " dropout " << dropout;
  if (double_parameterized) text << " double-parameterized";
  if (morphing.enabled())
    text << " morphing-aware ("
         << (morphing.uses_quadratic_form()
                 ? std::string("quadratic form")
                 : std::to_string(morphing.num_benchmarks()) + " benchmarks")
         << ")";
  text << (double_precision ? " float64" : " float32");
  return text.str();
}

void TrainingConfig::Validate() const {
  std::string problems;
  Check(epochs > 0,
        "epochs must be positive, got " + std::to_string(epochs),
        &problems);
  Check(batch_size > 0,
        "batch size must be positive, got " + std::to_string(batch_size),
        &problems);
  Check(initial_lr > 0.0 && std::isfinite(initial_lr),
        "initial learning rate must be positive",
        &problems);
  Check(final_lr > 0.0 && std::isfinite(final_lr),
        "final learning rate must be positive",
        &problems);
  Check(sgd_momentum >= 0.0 && sgd_momentum < 1.0,
        "SGD momentum must be in [0, 1)",
        &problems);
  Check(weight_decay >= 0.0, "weight decay must be >= 0", &problems);
  Check(clip_gradient >= 0.0, "gradient clipping norm must be >= 0", &problems);
  Check(validation_split >= 0.0 && validation_split < 1.0,
        "validation split " + std::to_string(validation_split) +
            " is not in [0, 1)",
        &problems);
  Check(early_stopping_patience >= 0,
        "early-stopping patience must be >= 0",
        &problems);
  Check(alpha >= 0.0 && std::isfinite(alpha), "alpha must be >= 0", &problems);
  Check(threads > 0,
        "threads must be positive, got " + std::to_string(threads),
        &problems);
  Check(ensemble_size > 0,
        "ensemble size must be positive, got " + std::to_string(ensemble_size),
        &problems);
  Check(first_member >= 0,
        "the first member must be >= 0, got " + std::to_string(first_member),
        &problems);
  if (!problems.empty()) throw InvalidInput("training: " + problems);
}

}  // namespace goldmine::estimators

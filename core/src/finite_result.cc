#include "goldmine/core/finite_result.h"

#include <cmath>
#include <utility>
#include <vector>

#include "goldmine/core/errors.h"

namespace goldmine::core {

void RequireFiniteResult(const nlohmann::ordered_json& result,
                         const std::string& inputs) {
  // Iterative: results are shallow, but nothing here should recurse.
  std::vector<std::pair<const nlohmann::ordered_json*, std::string>> pending = {
      {&result, ""}};
  while (!pending.empty()) {
    const auto [value, path] = pending.back();
    pending.pop_back();
    if (value->is_object()) {
      // Reversed, so that the first key is checked first.
      const auto items = value->items();
      std::vector<std::pair<const nlohmann::ordered_json*, std::string>>
          children;
      for (auto it = items.begin(); it != items.end(); ++it) {
        children.emplace_back(&it.value(),
                              path.empty() ? it.key() : path + "." + it.key());
      }
      pending.insert(pending.end(), children.rbegin(), children.rend());
    } else if (value->is_array()) {
      for (std::size_t i = value->size(); i-- > 0;)
        pending.emplace_back(&(*value)[i],
                             path + "[" + std::to_string(i) + "]");
    } else if (value->is_number_float()) {
      const double number = value->get<double>();
      if (std::isfinite(number)) continue;
      throw InvalidInput(inputs + ": the result is not finite at " + path +
                         " (" + (std::isnan(number) ? "nan" : "inf") +
                         "); expected finite numbers (are θ or the weights too "
                         "large for double precision?)");
    }
  }
}

}  // namespace goldmine::core

// Eigen vectors and matrices as JSON arrays (a matrix as a list of rows), as
// `goldmine fisher` and `goldmine limits` print them and limits' chunk files
// hold them.
#pragma once

#include <Eigen/Core>
#include <nlohmann/json.hpp>
#include <vector>

namespace goldmine::core {

inline nlohmann::ordered_json Rows(const Eigen::MatrixXd& matrix) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (Eigen::Index i = 0; i < matrix.rows(); ++i)
    rows.push_back(
        std::vector<double>(matrix.row(i).begin(), matrix.row(i).end()));
  return rows;
}

inline std::vector<double> Values(const Eigen::VectorXd& vector) {
  return {vector.data(), vector.data() + vector.size()};
}

}  // namespace goldmine::core

#include "output_options.h"

#include <filesystem>

#include "goldmine/core/output_guard.h"

namespace goldmine::cli {
namespace po = boost::program_options;

std::vector<std::string> PathsOfOptions(
    const po::variables_map& values, std::initializer_list<const char*> keys) {
  std::vector<std::string> paths;
  const auto add = [&paths](const std::string& path) {
    if (path != "-") paths.push_back(path);
  };
  for (const char* key : keys) {
    if (values.count(key) == 0) continue;
    const boost::any& value = values[key].value();
    if (const auto* one = boost::any_cast<std::string>(&value)) {
      add(*one);
    } else if (const auto* many =
                   boost::any_cast<std::vector<std::string>>(&value)) {
      for (const std::string& path : *many) add(path);
    }
  }
  return paths;
}

std::vector<std::string> ModelFiles(const std::string& prefix) {
  // A published model (export onnx) is one file.
  if (std::filesystem::path(prefix).extension() == ".onnx") return {prefix};
  return {prefix + ".json", prefix + ".pt"};
}

void RequireOutputOptionIsNotAnInput(const po::variables_map& values,
                                     const char* output_key,
                                     const std::vector<std::string>& inputs) {
  if (values.count(output_key) == 0) return;
  RequireOutputIsNotAnInput(values[output_key].as<std::string>(),
                            inputs,
                            std::string("--") + output_key);
}

}  // namespace goldmine::cli

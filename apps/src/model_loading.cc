#include "model_loading.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>

#include "goldmine/core/errors.h"

namespace goldmine::cli {

namespace {

#ifdef GOLDMINE_WITH_TORCH
// The folder of the running executable (Linux: /proc/self/exe).
std::filesystem::path ExecutableFolder() {
  std::error_code error;
  const std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path(".") : self.parent_path();
}
#endif

}  // namespace

ModelLoaders& Models() {
  static ModelLoaders loaders;
  return loaders;
}

int RunInTorchHelper(const std::string& name,
                     const std::vector<std::string>& arguments,
                     Streams streams) {
#ifndef GOLDMINE_WITH_TORCH
  (void)arguments;
  (void)streams;
  throw InvalidInput("goldmine " + name +
                     ": trained models need a build with LibTorch "
                     "(GOLDMINE_WITH_TORCH=ON)");
#else
  const std::filesystem::path helper = ExecutableFolder() / "goldmine-torch";
  std::vector<std::string> words = {helper.string(), name};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  streams.out.flush();
  streams.err.flush();
  ::execv(helper.c_str(), argv.data());
  // Only reached when the exec failed.
  streams.err << "goldmine " << name << ": internal error: cannot run "
              << helper.string() << " (" << std::strerror(errno)
              << "); it is built with GOLDMINE_WITH_TORCH=ON beside goldmine\n";
  return static_cast<int>(kInternalFailure);
#endif
}

std::unique_ptr<core::ScoreModel> LoadScoreModel(const std::string& prefix) {
  if (!Models().score) {
    throw InvalidInput("model " + prefix +
                       ": this binary cannot load trained models");
  }
  return Models().score(prefix);
}

std::unique_ptr<core::LikelihoodRatioModel> LoadRatioModel(
    const std::string& prefix) {
  if (!Models().ratio) {
    throw InvalidInput("model " + prefix +
                       ": this binary cannot load trained models");
  }
  return Models().ratio(prefix);
}

}  // namespace goldmine::cli

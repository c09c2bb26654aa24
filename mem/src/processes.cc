#include "goldmine/mem/processes.h"

#include "goldmine/core/errors.h"
#include "goldmine/mem/mem_computation.h"
#include "goldmine/mem/toy_process.h"
#include "goldmine/mem/wh_process.h"

namespace goldmine::mem {

std::vector<std::string> ProcessNames() { return {"toy", "wh"}; }

std::unique_ptr<Process> MakeProcess(const std::string& name,
                                     const std::vector<std::string>& parameters,
                                     const ProcessOptions& options) {
  if (name == "toy") {
    if (!options.detector.empty() && options.detector != "none")
      throw InvalidInput("the toy MEM has its own smearing; --detector " +
                         options.detector + " does not apply");
    return std::make_unique<ToyProcess>(parameters);
  }
  if (name == "wh")
    return WhProcess::WithDefaults(parameters,
                                   WhTransfer::ForDetector(options.detector));
  std::string known;
  for (const std::string& process : ProcessNames())
    known += (known.empty() ? "" : ", ") + process;
  throw InvalidInput("MEM process \"" + name + "\" unknown; known: " + known);
}

std::unique_ptr<Process> DetectProcess(const mining::MadminerSetup& setup,
                                       const std::string& events_file,
                                       const ProcessOptions& options) {
  std::vector<std::string> parameters;
  for (const auto& parameter : setup.parameters)
    parameters.push_back(parameter.name);
  std::string reasons;
  for (const std::string& name : ProcessNames()) {
    try {
      std::unique_ptr<Process> process = MakeProcess(name, parameters, options);
      ObservableColumns(*process, setup, events_file);
      return process;
    } catch (const InvalidInput& error) {
      reasons +=
          std::string(reasons.empty() ? "" : "; ") + name + ": " + error.what();
    }
  }
  throw InvalidInput(events_file + ": no MEM process fits this events file (" +
                     reasons + ")");
}

}  // namespace goldmine::mem

// goldmine evaluate --model DIR/NAME --samples S.h5 --output E.h5
//                                                              (DESIGN.md §5.5)
// --model NAME.onnx evaluates a file written by `goldmine export onnx`.
// E.h5 holds one row per sample: score models write t_hat and t_hat_std
// (n × P); ratio models write log_r_hat and log_r_hat_std (n × 1) at each
// row's theta0 (and theta1 for double-parameterized networks) and the score
// t_hat, t_hat_std (n × P) at theta0. *_std is the ensemble standard
// deviation (0 for a single network). Root attributes: model, method.
#include <hdf5.h>

#include "cli.h"
#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/estimators/estimator.h"
#include "goldmine/estimators/onnx_model.h"
#include "goldmine/mining/sample_file.h"
#include "output_options.h"

namespace goldmine::cli {
namespace po = boost::program_options;
namespace est = goldmine::estimators;

namespace {

class Hdf5Output {
 public:
  explicit Hdf5Output(const std::string& path)
      : file_(
            H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)) {
    if (file_ < 0) throw InvalidInput(path + ": cannot create HDF5 file");
  }
  ~Hdf5Output() {
    if (file_ >= 0) H5Fclose(file_);
  }
  Hdf5Output(const Hdf5Output&) = delete;
  Hdf5Output& operator=(const Hdf5Output&) = delete;

  void Write(const std::string& name, const Eigen::MatrixXd& matrix) {
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>
        row_major = matrix;
    const hsize_t dims[2] = {static_cast<hsize_t>(matrix.rows()),
                             static_cast<hsize_t>(matrix.cols())};
    const hid_t space = H5Screate_simple(2, dims, nullptr);
    const hid_t set = H5Dcreate2(file_,
                                 name.c_str(),
                                 H5T_IEEE_F64LE,
                                 space,
                                 H5P_DEFAULT,
                                 H5P_DEFAULT,
                                 H5P_DEFAULT);
    const herr_t status = H5Dwrite(set,
                                   H5T_NATIVE_DOUBLE,
                                   H5S_ALL,
                                   H5S_ALL,
                                   H5P_DEFAULT,
                                   row_major.data());
    H5Dclose(set);
    H5Sclose(space);
    if (set < 0 || status < 0) throw Error("HDF5: cannot write " + name);
  }
  void Attribute(const std::string& name, const std::string& value) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, value.empty() ? 1 : value.size());
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute =
        H5Acreate2(file_, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attribute, type, value.c_str());
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
  }
  void Close() {
    H5Fclose(file_);
    file_ = -1;
  }

 private:
  hid_t file_;
};

}  // namespace

Command EvaluateCommand() {
  Command command;
  command.name = "evaluate";
  command.summary =
      "evaluate a trained estimator (score or log likelihood ratio) on a "
      "samples file";
  command.run = [](const std::vector<std::string>& arguments,
                   Streams streams) -> int {
    po::options_description options("Options");
    options.add_options()("model",
                          po::value<std::string>()->required(),
                          "model prefix DIR/NAME (DIR/NAME.json + .pt), or "
                          "NAME.onnx from `goldmine export onnx`")(
        "samples", po::value<std::string>()->required(), "samples file S.h5")(
        "output", po::value<std::string>()->required(), "HDF5 output E.h5")(
        "threads", po::value<int>()->default_value(1), "LibTorch threads");
    po::variables_map values;
    if (!ParseCommandLine("evaluate",
                          "--model DIR/NAME --samples S.h5 --output E.h5",
                          "Evaluates a trained estimator on every sample and "
                          "writes the predictions to E.h5.",
                          options,
                          arguments,
                          streams,
                          &values)) {
      return kSuccess;
    }
    const std::string model = values["model"].as<std::string>();
    const std::string samples_path = values["samples"].as<std::string>();
    const std::string output = values["output"].as<std::string>();
    std::vector<std::string> inputs = ModelFiles(model);
    inputs.push_back(samples_path);
    RequireOutputOptionIsNotAnInput(values, "output", inputs);
    est::SetNumThreads(values["threads"].as<int>());
    const bool onnx = est::IsOnnxModelPath(model);
    const est::Method method = onnx ? est::ReadOnnxModelInfo(model).method
                                    : est::ReadModelMethod(model);
    const mining::SampleData samples = mining::ReadSamples(samples_path);
    const auto require_columns =
        [&](const Eigen::MatrixXd& m, const char* name, int expected) {
          if (m.cols() != expected) {
            throw InvalidInput(samples_path + ": " + name + " has " +
                               std::to_string(m.cols()) + " columns, model " +
                               model + " expects " + std::to_string(expected));
          }
        };
    // The same evaluation for a LibTorch model and for a published ONNX
    // file (estimators/onnx_model.h): both have these member functions.
    std::vector<std::pair<std::string, Eigen::MatrixXd>> datasets;
    const auto evaluate_score = [&](const auto& estimator) {
      require_columns(samples.x, "x", estimator.num_observables());
      const est::EnsemblePrediction t = estimator.ScoreEnsemble(samples.x);
      datasets = {{"t_hat", t.mean}, {"t_hat_std", t.std}};
    };
    const auto evaluate_ratio = [&](const auto& estimator) {
      require_columns(samples.x, "x", estimator.num_observables());
      if (samples.theta0.size() == 0) {
        throw InvalidInput(samples_path +
                           ": no theta0; a ratio model is "
                           "evaluated at each sample's theta0");
      }
      require_columns(samples.theta0, "theta0", estimator.num_parameters());
      if (estimator.double_parameterized()) {
        if (samples.theta1.size() == 0) {
          throw InvalidInput(samples_path + ": no theta1; model " + model +
                             " is double-parameterized");
        }
        require_columns(samples.theta1, "theta1", estimator.num_parameters());
      }
      const est::EnsemblePrediction log_r =
          estimator.LogLikelihoodRatioEnsemble(
              samples.x, samples.theta0, samples.theta1);
      const est::EnsemblePrediction t =
          estimator.ScoreEnsemble(samples.x, samples.theta0, samples.theta1);
      datasets = {{"log_r_hat", log_r.mean},
                  {"log_r_hat_std", log_r.std},
                  {"t_hat", t.mean},
                  {"t_hat_std", t.std}};
    };
    if (onnx) {
      if (est::IsScoreMethod(method)) {
        evaluate_score(est::OnnxScoreModel::Load(model));
      } else {
        evaluate_ratio(est::OnnxRatioModel::Load(model));
      }
    } else if (est::IsScoreMethod(method)) {
      evaluate_score(est::ScoreEstimator::Load(model));
    } else {
      evaluate_ratio(est::RatioEstimator::Load(model));
    }
    AtomicOutputFile file(output);
    {
      Hdf5Output h5(file.temporary_path().string());
      for (const auto& [name, matrix] : datasets) h5.Write(name, matrix);
      h5.Attribute("model", model);
      h5.Attribute("method", est::MethodName(method));
      h5.Close();
    }
    file.Commit();
    nlohmann::ordered_json result;
    result["model"] = model;
    result["method"] = est::MethodName(method);
    result["samples"] = samples.num_samples();
    result["output"] = output;
    nlohmann::ordered_json names = nlohmann::ordered_json::array();
    for (const auto& entry : datasets) names.push_back(entry.first);
    result["datasets"] = names;
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli

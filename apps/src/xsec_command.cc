// goldmine xsec --events F.h5 --theta V1,V2,... [--theta ...]
//               [--partition all|train|validation|test]      (DESIGN.md §5.4)
#include "cli.h"
#include "goldmine/core/finite_result.h"
#include "goldmine/core/random.h"
#include "goldmine/mining/augmenter.h"
#include "output_options.h"

namespace goldmine::cli {

namespace po = boost::program_options;

Command XsecCommand() {
  Command command;
  command.name = "xsec";
  command.summary =
      "cross sections with MC uncertainties and gradients at parameter points";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    po::options_description options("Options");
    options.add_options()(
        "events", po::value<std::string>()->required(), "events file (HDF5)")(
        "theta",
        po::value<std::vector<std::string>>()->required(),
        "parameter point(s): V1,V2 | point:V1,V2 | benchmark:NAME | "
        "grid:N1,N2 | random:N:uniform | random:N:gaussian:MEANS:STDS "
        "(repeatable)")("partition",
                        po::value<std::string>()->default_value("all"),
                        "all, train, validation or test")(
        "seed",
        po::value<std::uint64_t>()->default_value(0),
        "seed for random theta specifications")(
        "madminer-partitions",
        po::bool_switch(),
        "MadMiner's partition boundaries (skips one event at each)")(
        "output", po::value<std::string>(), "write the JSON here");
    po::variables_map values;
    if (!ParseCommandLine(
            "xsec",
            "--events F.h5 --theta V1,V2,... [--theta ...] [--partition P]",
            "Output: {\"thetas\": [[..]], \"xsec\": [..], "
            "\"xsec_uncertainty\": [..], \"xsec_gradient\": [[..]], "
            "\"xsec_gradient_parameters\": [..]} in pb.\n"
            "The gradient has one column per name in xsec_gradient_parameters: "
            "the parameters, then the nuisance parameters of a file with "
            "systematics (d sigma / d nu at nu = 0).\n"
            "The uncertainty is MadMiner's sqrt(max(sum_b w_b(theta) "
            "sum_events w_eb^2, 0)).",
            options,
            arguments,
            streams,
            &values)) {
      return kSuccess;
    }
    RequireOutputOptionIsNotAnInput(
        values, "output", PathsOfOptions(values, {"events"}));
    mining::AugmenterOptions augmenter_options;
    augmenter_options.madminer_partitions =
        values["madminer-partitions"].as<bool>();
    const mining::Augmenter augmenter(values["events"].as<std::string>(),
                                      augmenter_options);
    RandomStream random(values["seed"].as<std::uint64_t>());
    mining::ThetaPoints points;
    points.thetas.resize(0, augmenter.num_parameters());
    points.nus.resize(0, augmenter.num_nuisance_parameters());
    for (const std::string& spec :
         values["theta"].as<std::vector<std::string>>()) {
      points.Append(augmenter.ParseTheta(spec, random));
    }
    const mining::CrossSections xsec = augmenter.ComputeCrossSections(
        points, values["partition"].as<std::string>());
    nlohmann::ordered_json result;
    result["thetas"] = nlohmann::ordered_json::array();
    result["xsec"] = nlohmann::ordered_json::array();
    result["xsec_uncertainty"] = nlohmann::ordered_json::array();
    result["xsec_gradient"] = nlohmann::ordered_json::array();
    for (Eigen::Index i = 0; i < points.size(); ++i) {
      std::vector<double> theta(points.thetas.row(i).begin(),
                                points.thetas.row(i).end());
      std::vector<double> gradient(xsec.gradient.row(i).begin(),
                                   xsec.gradient.row(i).end());
      result["thetas"].push_back(theta);
      result["xsec"].push_back(xsec.xsec(i));
      result["xsec_uncertainty"].push_back(xsec.uncertainty(i));
      result["xsec_gradient"].push_back(gradient);
    }
    result["parameters"] = augmenter.parameter_names();
    // The gradient's columns: ∂σ/∂θ, then ∂σ/∂ν for a file with systematics.
    std::vector<std::string> gradient_names = augmenter.parameter_names();
    for (const std::string& name : augmenter.nuisance_parameter_names())
      gradient_names.push_back(name);
    result["xsec_gradient_parameters"] = gradient_names;
    result["partition"] = values["partition"].as<std::string>();
    core::RequireFiniteResult(result,
                              "--events " + values["events"].as<std::string>());
    std::optional<std::string> output_path;
    if (values.count("output") != 0) {
      output_path = values["output"].as<std::string>();
    }
    WriteJsonResult(result, output_path, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli

// goldmine augment {plain,local,density,ratio,more-ratios,test} --events F.h5
//   --output S.h5 --n-samples N --seed S [--theta SPEC] [--theta0 SPEC]
//   [--theta1 SPEC] [--partition train|validation|test]      (DESIGN.md §5.4)
//   [--shard I/N]                                              (issue 19)
#include <chrono>
#include <cmath>
#include <optional>
#include <tuple>
#include <utility>

#include "cli.h"
#include "goldmine/core/errors.h"
#include "goldmine/mining/augmenter.h"
#include "goldmine/mining/sample_file.h"
#include "goldmine/mining/sample_request.h"
#include "output_options.h"
#include "shard_option.h"

namespace goldmine::cli {

namespace po = boost::program_options;

Command AugmentCommand() {
  Command command;
  command.name = "augment";
  command.summary =
      "training and test samples with joint likelihood ratio and joint score";
  command.run = [](const std::vector<std::string>& arguments, Streams streams) {
    po::options_description options("Options");
    options.add_options()("method",
                          po::value<std::string>()->required(),
                          "plain, local, density, ratio, more-ratios or test "
                          "(positional)")(
        "events", po::value<std::string>()->required(), "events file (HDF5)")(
        "output", po::value<std::string>()->required(), "samples file (HDF5)")(
        "n-samples",
        po::value<std::int64_t>()->required(),
        "number of samples")(
        "seed", po::value<std::uint64_t>()->required(), "random seed")(
        "theta",
        po::value<std::string>(),
        "SPEC (plain, local, density, test)")(
        "theta0", po::value<std::string>(), "SPEC (ratio, more-ratios)")(
        "theta1", po::value<std::string>(), "SPEC (ratio, more-ratios)")(
        "additional-theta",
        po::value<std::string>(),
        "SPEC of the additional points (more-ratios)")(
        "partition",
        po::value<std::string>(),
        "train, validation or test (default: test for the test method, "
        "train otherwise)")(
        "nuisance",
        po::value<std::string>()->default_value("nominal"),
        "nuisance values per point: nominal (0) or gaussian (iid N(0,1))")(
        "float32", po::bool_switch(), "store float32 instead of float64")(
        "npy-folder",
        po::value<std::string>(),
        "also write MadMiner-named .npy files (x_train.npy, ...) here")(
        "madminer-partitions",
        po::bool_switch(),
        "MadMiner's partition boundaries (skips one event at each)")(
        "all-benchmarks",
        po::bool_switch(),
        "sample from every event, not only those generated at the benchmark "
        "closest to theta")(
        "threads",
        po::value<int>()->default_value(1),
        "threads for the joint ratios and scores of the drawn rows (the "
        "same samples for any count)")(
        "shard",
        po::value<std::string>(),
        "I/N: draw only the I-th (0-based) of N ranges of the sample's "
        "blocks of 10000 draws into a shard file (join the shards with "
        "`goldmine merge`)");
    po::positional_options_description positional;
    positional.add("method", 1);
    po::variables_map values;
    if (!ParseCommandLine(
            "augment",
            "{plain,local,density,ratio,more-ratios,test} --events F.h5 "
            "--output S.h5 --n-samples N --seed S [--theta SPEC] [--theta0 "
            "SPEC] [--theta1 SPEC] [--partition P]",
            "SPEC: benchmark:NAME, point:V1,V2 (or V1,V2), random:N:uniform, "
            "random:N:gaussian:MEAN1,..:STD1,.., grid:N1,N2.\n"
            "Writes the samples file (docs/sample_file_format.md) and prints "
            "a JSON summary.",
            options,
            arguments,
            streams,
            &values,
            &positional)) {
      return kSuccess;
    }
    RequireOutputOptionIsNotAnInput(
        values, "output", PathsOfOptions(values, {"events"}));
    const auto start = std::chrono::steady_clock::now();
    const std::string method = values["method"].as<std::string>();
    if (method != "plain" && method != "local" && method != "density" &&
        method != "ratio" && method != "more-ratios" && method != "test") {
      throw InvalidInput("augment: method \"" + method +
                         "\" unknown; expected plain, local, density, ratio, "
                         "more-ratios or test");
    }
    const std::int64_t n_samples = values["n-samples"].as<std::int64_t>();
    // 10^9 samples asked for more memory than a machine has (std::bad_alloc,
    // exit 1; mutation campaign, issue 15); MadMiner studies use 10^5–10^7.
    constexpr std::int64_t kMaxSamples = 100000000;
    if (n_samples <= 0 || n_samples > kMaxSamples) {
      throw InvalidInput("--n-samples " + std::to_string(n_samples) +
                         ": expected a count from 1 to 10^8");
    }
    const std::uint64_t seed = values["seed"].as<std::uint64_t>();
    const std::string partition =
        values.count("partition") != 0
            ? values["partition"].as<std::string>()
            : std::string(method == "test" ? "test" : "train");
    mining::AugmenterOptions augmenter_options;
    augmenter_options.madminer_partitions =
        values["madminer-partitions"].as<bool>();
    augmenter_options.sample_only_from_closest_benchmark =
        !values["all-benchmarks"].as<bool>();
    augmenter_options.threads = values["threads"].as<int>();
    if (augmenter_options.threads < 1 || augmenter_options.threads > 256) {
      throw InvalidInput("--threads " +
                         std::to_string(augmenter_options.threads) +
                         ": expected a count from 1 to 256");
    }
    if (values.count("shard") != 0) {
      std::tie(augmenter_options.shard, augmenter_options.num_shards) =
          ParseShard(values["shard"].as<std::string>());
    }
    const mining::Augmenter augmenter(values["events"].as<std::string>(),
                                      augmenter_options);
    mining::SampleRequest request;
    request.method = method;
    for (const auto& [key, target] :
         {std::pair<const char*, std::optional<std::string>*>{"theta",
                                                              &request.theta},
          {"theta0", &request.theta0},
          {"theta1", &request.theta1},
          {"additional-theta", &request.additional_theta}}) {
      if (values.count(key) != 0) *target = values[key].as<std::string>();
    }
    request.nuisance = values["nuisance"].as<std::string>();
    request.n_samples = n_samples;
    request.seed = seed;
    request.partition = partition;
    mining::SampleFileOptions file_options;
    file_options.double_precision = !values["float32"].as<bool>();
    const std::string output = values["output"].as<std::string>();
    const bool npy = values.count("npy-folder") != 0;
    // Checked before writing: a sample without an effective size is no
    // sample (issue 15).
    const auto require_finite_n_eff = [&](double n_eff) {
      if (std::isfinite(n_eff)) return;
      throw InvalidInput("--events " + values["events"].as<std::string>() +
                         ": the augmented samples have no finite effective "
                         "size (n_eff " +
                         std::to_string(n_eff) + ")");
    };
    // The .npy export needs the whole sample in memory; otherwise it is
    // written piece by piece as it is drawn (memory O(piece)).
    mining::SampleData data;
    std::int64_t num_samples = 0;
    if (npy) {
      data = mining::DrawSample(augmenter, request);
      require_finite_n_eff(data.n_eff);
      mining::WriteSamples(output, data, file_options);
      num_samples = data.num_samples();
    } else {
      std::optional<mining::SampleFileWriter> writer;
      data = mining::StreamSample(
          augmenter, request, [&](mining::SampleData& piece) {
            piece.Validate();
            if (!writer) {
              require_finite_n_eff(piece.n_eff);
              writer.emplace(output, piece, file_options);
            }
            writer->Append(piece);
          });
      writer->Finish();
      num_samples = writer->num_samples();
    }
    nlohmann::ordered_json result;
    result["method"] = method;
    result["output"] = output;
    result["n_samples"] = num_samples;
    result["n_eff"] = data.n_eff;
    result["partition"] = partition;
    result["seed"] = seed;
    if (data.num_shards > 1) {
      result["shard"] =
          std::to_string(data.shard) + "/" + std::to_string(data.num_shards);
    }
    if (npy) {
      const auto files =
          mining::ExportNpy(data,
                            values["npy-folder"].as<std::string>(),
                            partition,
                            file_options.double_precision);
      result["npy_files"] = nlohmann::ordered_json::array();
      for (const auto& file : files)
        result["npy_files"].push_back(file.string());
    }
    result["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    WriteJsonResult(result, std::nullopt, streams);
    return kSuccess;
  };
  return command;
}

}  // namespace goldmine::cli

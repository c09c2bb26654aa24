// MadMiner's HDF5 layout (MADMINER.md §9). The reference files were written by
// MadMiner itself; expected contents come from README.md and
// sampling_summary.json beside them, and the file structure is walked here
// with the HDF5 C API directly, independently of goldmine::mining.
#include "goldmine/mining/madminer_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "goldmine/core/errors.h"
#include "support/reference_data.h"

namespace goldmine::mining {
namespace {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
namespace fs = std::filesystem;

constexpr int kReferenceEvents = 20000;  // README.md, sampling_summary.json

fs::path Reference(const std::string& name) {
  return testing::FindReference("madminer/" + name);
}

#define SKIP_WITHOUT_REFERENCE(path)                                       \
  if ((path).empty()) {                                                    \
    GTEST_SKIP() << "no ../shared/reference/madminer (MadMiner reference " \
                    "files); skipping";                                    \
  }

// A fresh folder per test, removed afterwards.
class ScratchFolder {
 public:
  ScratchFolder() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("goldmine_madminer_" + std::string(info->name()) + "_" +
             std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

 private:
  fs::path path_;
};

// ------------------------------------------------ independent HDF5 walker

std::string ObjectText(hid_t file, const char* name, const H5O_info_t& info) {
  std::string text = std::string(name) + ":";
  text += " header v" + std::to_string(info.hdr.version) + ", " +
          std::to_string(info.hdr.nmesgs) + " messages, " +
          std::to_string(info.num_attrs) + " attributes, times " +
          std::to_string(info.mtime);
  if (info.type == H5O_TYPE_GROUP) return text + ", group";
  const hid_t dataset = H5Dopen2(file, name, H5P_DEFAULT);
  const hid_t type = H5Dget_type(dataset);
  const hid_t space = H5Dget_space(dataset);
  const hid_t properties = H5Dget_create_plist(dataset);
  hsize_t dims[8] = {};
  const int rank = H5Sget_simple_extent_ndims(space);
  H5Sget_simple_extent_dims(space, dims, nullptr);
  text += ", dataset (";
  for (int i = 0; i < rank; ++i) {
    text += (i > 0 ? ", " : "") + std::to_string(dims[i]);
  }
  text += ")";
  if (H5Sget_simple_extent_type(space) == H5S_SCALAR) text += " scalar";
  const H5T_class_t type_class = H5Tget_class(type);
  text += " size " + std::to_string(H5Tget_size(type));
  if (type_class == H5T_INTEGER) {
    text += std::string(" integer ") +
            (H5Tget_sign(type) == H5T_SGN_2 ? "signed" : "unsigned") +
            (H5Tget_order(type) == H5T_ORDER_LE ? " LE" : " BE");
  } else if (type_class == H5T_FLOAT) {
    text += std::string(" float precision ") +
            std::to_string(H5Tget_precision(type)) +
            (H5Tget_order(type) == H5T_ORDER_LE ? " LE" : " BE");
  } else if (type_class == H5T_STRING) {
    text +=
        std::string(" string") +
        (H5Tis_variable_str(type) > 0 ? " variable" : " fixed") +
        (H5Tget_strpad(type) == H5T_STR_NULLPAD ? " NULLPAD" : " other-pad") +
        (H5Tget_cset(type) == H5T_CSET_ASCII ? " ASCII" : " UTF-8");
  } else {
    text += " class " + std::to_string(static_cast<int>(type_class));
  }
  text += H5Pget_layout(properties) == H5D_CONTIGUOUS ? ", contiguous"
                                                      : ", not contiguous";
  text += ", " + std::to_string(H5Pget_nfilters(properties)) + " filters";
  H5Pclose(properties);
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(dataset);
  return text;
}

// One line per group and dataset, in name order.
std::vector<std::string> WalkLayout(const fs::path& path) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0) << path;
  std::vector<std::string> lines;
  unsigned superblock = 0;
  const hid_t creation = H5Fget_create_plist(file);
  H5Pget_version(creation, &superblock, nullptr, nullptr, nullptr);
  H5Pclose(creation);
  lines.push_back("superblock v" + std::to_string(superblock));
  struct Context {
    hid_t file;
    std::vector<std::string>* lines;
  } context{file, &lines};
  H5Ovisit(
      file,
      H5_INDEX_NAME,
      H5_ITER_INC,
      [](hid_t, const char* name, const H5O_info_t* info, void* data) {
        auto* walk = static_cast<Context*>(data);
        walk->lines->push_back(ObjectText(walk->file, name, *info));
        return herr_t{0};
      },
      &context);
  H5Fclose(file);
  return lines;
}

// Edits a copy of a file with the C API (to build malformed files).
void Edit(const fs::path& path, void (*edit)(hid_t file)) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  edit(file);
  H5Fclose(file);
}

// Replaces `name` by a float64 dataset of shape `dims`, filled with zeros
// unless `write` is false (then HDF5 stores nothing for it).
void ReplaceWithDoubles(hid_t file,
                        const char* name,
                        std::vector<hsize_t> dims,
                        bool write = true) {
  H5Ldelete(file, name, H5P_DEFAULT);
  const hid_t space =
      H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  const hid_t dataset = H5Dcreate2(
      file, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (write) {
    hsize_t count = 1;
    for (const hsize_t extent : dims) count *= extent;
    const std::vector<double> zeros(count, 0.0);
    H5Dwrite(dataset,
             H5T_NATIVE_DOUBLE,
             H5S_ALL,
             H5S_ALL,
             H5P_DEFAULT,
             zeros.data());
  }
  H5Dclose(dataset);
  H5Sclose(space);
}

// ------------------------------------------------ synthetic content

MadminerSetup ToySetup() {
  MadminerSetup setup;
  setup.parameters = {{"c1", "dim6", 2, 2, {-1.0, 1.0}, "_"},
                      {"c2", "dim6", 5, 2, {-1.0, 1.0}, "_"}};
  setup.benchmarks.names = {"sm", "b1", "b2", "nuis_up", "nuis_down"};
  setup.benchmarks.values.resize(5, 2);
  setup.benchmarks.values << 0, 0, 0.9, 0, 0, -0.9, 0, 0, 0, 0;
  setup.benchmarks.is_nuisance = {false, false, false, true, true};
  setup.benchmarks.is_reference = {true, false, false, false, false};
  MadminerMorphing morphing;
  morphing.components.resize(3, 2);
  morphing.components << 0, 0, 1, 0, 0, 1;
  morphing.morphing_matrix = Eigen::MatrixXd::Identity(3, 3);
  setup.morphing = morphing;
  setup.systematics = {{"norm_syst", "norm", "0.1", "None"},
                       {"scale_syst", "scale", "0.5,1.0,2.0", "mu"}};
  setup.finite_differences = MadminerFiniteDifferences{
      {"sm", "b1"}, {{"sm_shift_c1", "sm_shift_c2"}, {"b1_c1", "b1_c2"}}, 0.01};
  setup.nuisance_parameters = {
      {"scale_syst_nuisance_param_0", "scale_syst", "nuis_up", "nuis_down"},
      {"norm_syst_nuisance_param_0", "norm_syst", "nuis_up", std::nullopt}};
  setup.observables = {{"pt", "j[0].pt"}, {"custom", kMadminerNone}};
  return setup;
}

MadminerEventBatch ToyEvents(int count, int offset = 0) {
  MadminerEventBatch batch;
  batch.observations.resize(count, 2);
  batch.weights.resize(count, 5);
  for (int i = 0; i < count; ++i) {
    const double x = offset + i;
    batch.observations.row(i) << x, -0.5 * x;
    batch.weights.row(i) << 1e-7 * x, 2e-7, 3e-7, 4e-7 * x, 5e-7;
    batch.sampling_benchmarks.push_back((offset + i) % 4 - 1);  // -1..2
  }
  return batch;
}

void ExpectSameSetup(const MadminerSetup& a, const MadminerSetup& b) {
  ASSERT_EQ(a.parameters.size(), b.parameters.size());
  for (std::size_t p = 0; p < a.parameters.size(); ++p) {
    EXPECT_EQ(a.parameters[p].name, b.parameters[p].name);
    EXPECT_EQ(a.parameters[p].lha_block, b.parameters[p].lha_block);
    EXPECT_EQ(a.parameters[p].lha_id, b.parameters[p].lha_id);
    EXPECT_EQ(a.parameters[p].max_power, b.parameters[p].max_power);
    EXPECT_EQ(a.parameters[p].range.lower, b.parameters[p].range.lower);
    EXPECT_EQ(a.parameters[p].range.upper, b.parameters[p].range.upper);
    EXPECT_EQ(a.parameters[p].transform, b.parameters[p].transform);
  }
  EXPECT_EQ(a.benchmarks.names, b.benchmarks.names);
  EXPECT_EQ(a.benchmarks.values, b.benchmarks.values);
  EXPECT_EQ(a.benchmarks.is_nuisance, b.benchmarks.is_nuisance);
  EXPECT_EQ(a.benchmarks.is_reference, b.benchmarks.is_reference);
  ASSERT_EQ(a.morphing.has_value(), b.morphing.has_value());
  if (a.morphing) {
    EXPECT_EQ(a.morphing->components, b.morphing->components);
    EXPECT_EQ(a.morphing->morphing_matrix, b.morphing->morphing_matrix);
  }
  ASSERT_EQ(a.systematics.size(), b.systematics.size());
  for (std::size_t s = 0; s < a.systematics.size(); ++s) {
    EXPECT_EQ(a.systematics[s].name, b.systematics[s].name);
    EXPECT_EQ(a.systematics[s].type, b.systematics[s].type);
    EXPECT_EQ(a.systematics[s].value, b.systematics[s].value);
    EXPECT_EQ(a.systematics[s].scale, b.systematics[s].scale);
  }
  ASSERT_EQ(a.finite_differences.has_value(), b.finite_differences.has_value());
  if (a.finite_differences) {
    EXPECT_EQ(a.finite_differences->base_benchmarks,
              b.finite_differences->base_benchmarks);
    EXPECT_EQ(a.finite_differences->shifted_benchmarks,
              b.finite_differences->shifted_benchmarks);
    EXPECT_EQ(a.finite_differences->epsilon, b.finite_differences->epsilon);
  }
  ASSERT_EQ(a.nuisance_parameters.size(), b.nuisance_parameters.size());
  for (std::size_t k = 0; k < a.nuisance_parameters.size(); ++k) {
    EXPECT_EQ(a.nuisance_parameters[k].name, b.nuisance_parameters[k].name);
    EXPECT_EQ(a.nuisance_parameters[k].systematic,
              b.nuisance_parameters[k].systematic);
    EXPECT_EQ(a.nuisance_parameters[k].benchmark_positive,
              b.nuisance_parameters[k].benchmark_positive);
    EXPECT_EQ(a.nuisance_parameters[k].benchmark_negative,
              b.nuisance_parameters[k].benchmark_negative);
  }
  ASSERT_EQ(a.observables.size(), b.observables.size());
  for (std::size_t o = 0; o < a.observables.size(); ++o) {
    EXPECT_EQ(a.observables[o].name, b.observables[o].name);
    EXPECT_EQ(a.observables[o].definition, b.observables[o].definition);
  }
}

void ExpectSameEvents(const MadminerEvents& a, const MadminerEvents& b) {
  ExpectSameSetup(a.setup, b.setup);
  EXPECT_EQ(a.events.observations, b.events.observations);
  EXPECT_EQ(a.events.weights, b.events.weights);
  EXPECT_EQ(a.events.sampling_benchmarks, b.events.sampling_benchmarks);
  ASSERT_EQ(a.sample_summary.has_value(), b.sample_summary.has_value());
  if (a.sample_summary) {
    EXPECT_EQ(a.sample_summary->signal_events, b.sample_summary->signal_events);
    EXPECT_EQ(a.sample_summary->background_events,
              b.sample_summary->background_events);
  }
}

std::string FileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

json Layout(const std::string& key) {
  return testing::ReadJson(Reference("sampling_summary.json")).at(key);
}

// ------------------------------------------------ reference contents

TEST(MadminerFile, ReadsMadminerSetupFile) {
  const fs::path path = Reference("toy_setup.h5");
  SKIP_WITHOUT_REFERENCE(path);
  const json toy = testing::ReadJson(Reference("sampling_summary.json"));
  const MadminerSetup setup = ReadSetup(path);

  ASSERT_EQ(setup.num_parameters(), 2);
  for (int p = 0; p < 2; ++p) {
    const json& expected = toy.at("toy").at("parameters").at(p);
    const MadminerParameter& parameter = setup.parameters[p];
    EXPECT_EQ(parameter.name, expected.at(0).get<std::string>());
    EXPECT_EQ(parameter.lha_block, expected.at(1).get<std::string>());
    EXPECT_EQ(parameter.lha_id, expected.at(2).get<int>());
    EXPECT_EQ(parameter.range.lower, expected.at(3).at(0).get<double>());
    EXPECT_EQ(parameter.range.upper, expected.at(3).at(1).get<double>());
    EXPECT_EQ(parameter.max_power, 2);
    EXPECT_EQ(parameter.transform, "_");
  }
  const std::vector<std::string> names = {"sm", "b1", "b2", "b3", "b4", "b5"};
  EXPECT_EQ(setup.benchmarks.names, names);
  for (int b = 0; b < 6; ++b) {
    const json& theta = toy.at("toy").at("benchmarks").at(names[b]);
    EXPECT_EQ(setup.benchmarks.values(b, 0), theta.at(0).get<double>());
    EXPECT_EQ(setup.benchmarks.values(b, 1), theta.at(1).get<double>());
  }
  EXPECT_EQ(setup.benchmarks.is_nuisance, std::vector<bool>(6, false));
  ASSERT_TRUE(setup.morphing.has_value());
  EXPECT_EQ(setup.morphing->components.rows(), 6);
  EXPECT_EQ(setup.morphing->morphing_matrix.rows(), 6);
  EXPECT_EQ(setup.morphing->morphing_matrix.cols(), 6);
  EXPECT_TRUE(setup.observables.empty());
  EXPECT_TRUE(setup.systematics.empty());
  EXPECT_TRUE(setup.nuisance_parameters.empty());
  EXPECT_FALSE(setup.finite_differences.has_value());
}

TEST(MadminerFile, ReadsMadminerEventsFile) {
  const fs::path path = Reference("toy_events.h5");
  SKIP_WITHOUT_REFERENCE(path);
  const json layout = Layout("hdf5_layout_toy_events");
  const MadminerEvents file = ReadEvents(path);

  const auto strings = [&](const char* key) {
    return layout.at(key).at("value").get<std::vector<std::string>>();
  };
  EXPECT_EQ(file.setup.benchmarks.names, strings("benchmarks/names"));
  std::vector<std::string> observable_names, definitions;
  for (const MadminerObservable& observable : file.setup.observables) {
    observable_names.push_back(observable.name);
    definitions.push_back(observable.definition);
  }
  EXPECT_EQ(observable_names, strings("observables/names"));
  EXPECT_EQ(definitions, strings("observables/definitions"));

  const json& morphing = layout.at("morphing/morphing_matrix").at("value");
  ASSERT_TRUE(file.setup.morphing.has_value());
  for (int c = 0; c < 6; ++c) {
    for (int b = 0; b < 6; ++b) {
      EXPECT_EQ(file.setup.morphing->morphing_matrix(c, b),
                morphing.at(c).at(b).get<double>());
      EXPECT_EQ(file.setup.morphing->components(c, b % 2),
                layout.at("morphing/components")
                    .at("value")
                    .at(c)
                    .at(b % 2)
                    .get<int>());
    }
  }
  EXPECT_EQ(file.setup.benchmarks.is_reference,
            std::vector<bool>({true, false, false, false, false, false}));

  ASSERT_EQ(file.events.size(), kReferenceEvents);
  EXPECT_EQ(file.events.observations.cols(), 4);
  EXPECT_EQ(file.events.weights.cols(), 6);
  // All events generated at the SM (README), each with weight
  // w_sm = sigma_SM / N = 0.002 pb / 20000.
  EXPECT_EQ(file.events.sampling_benchmarks,
            std::vector<std::int64_t>(kReferenceEvents, 0));
  const double sigma_sm = Layout("toy").at("sigma_sm_pb").get<double>();
  for (int i = 0; i < kReferenceEvents; ++i) {
    EXPECT_NEAR(file.events.weights(i, 0), sigma_sm / kReferenceEvents, 1e-20);
  }
  ASSERT_TRUE(file.sample_summary.has_value());
  EXPECT_EQ(file.sample_summary->signal_events,
            std::vector<std::int64_t>({kReferenceEvents, 0, 0, 0, 0, 0}));
  EXPECT_EQ(file.sample_summary->background_events, 0);
}

TEST(MadminerFile, ReadsMadminerNuisanceEventsFile) {
  const fs::path path = Reference("toy_nuisance_events.h5");
  SKIP_WITHOUT_REFERENCE(path);
  const json layout = Layout("hdf5_layout_toy_nuisance_events");
  const MadminerEventsReader reader(path);
  const MadminerSetup& setup = reader.setup();

  EXPECT_EQ(setup.benchmarks.names,
            layout.at("benchmarks/names")
                .at("value")
                .get<std::vector<std::string>>());
  EXPECT_EQ(setup.benchmarks.is_nuisance,
            std::vector<bool>(
                {false, false, false, false, false, false, true, true}));
  EXPECT_EQ(setup.benchmarks.num_physics(), 6);
  ASSERT_EQ(setup.nuisance_parameters.size(), 1u);
  EXPECT_EQ(setup.nuisance_parameters[0].name, "syst_nuisance_param_0");
  EXPECT_EQ(setup.nuisance_parameters[0].systematic, "syst");
  EXPECT_EQ(setup.nuisance_parameters[0].benchmark_positive,
            "syst_nuisance_param_0_benchmark_0");
  EXPECT_EQ(setup.nuisance_parameters[0].benchmark_negative,
            "syst_nuisance_param_0_benchmark_1");
  EXPECT_EQ(reader.num_events(), kReferenceEvents);
  EXPECT_EQ(reader.Read(0, 3).weights.cols(), 8);
  ASSERT_TRUE(reader.sample_summary().has_value());
  EXPECT_EQ(reader.sample_summary()->signal_events.size(), 6u);
}

// ------------------------------------------------ structure

// The walker itself agrees with the machine-readable layout that was
// recorded with h5py (shapes, dtypes, string size, padding, character set).
TEST(MadminerFile, ReferenceFilesMatchTheRecordedLayout) {
  for (const auto& [file, key] :
       {std::pair{"toy_events.h5", "hdf5_layout_toy_events"},
        std::pair{"toy_nuisance_events.h5",
                  "hdf5_layout_toy_nuisance_events"}}) {
    const fs::path path = Reference(file);
    SKIP_WITHOUT_REFERENCE(path);
    const std::vector<std::string> walk = WalkLayout(path);
    int datasets = 0;
    for (const std::string& line : walk) {
      if (line.find(", dataset") != std::string::npos) ++datasets;
    }
    const json layout = Layout(key);
    EXPECT_EQ(datasets, static_cast<int>(layout.size())) << file;
    for (const auto& [name, entry] : layout.items()) {
      std::string shape = "(";
      for (std::size_t i = 0; i < entry.at("shape").size(); ++i) {
        shape += (i > 0 ? ", " : "") +
                 std::to_string(entry.at("shape")[i].get<int>());
      }
      shape += ")";
      const std::string dtype = entry.at("dtype").get<std::string>();
      const std::string type = dtype == "int64" ? "size 8 integer signed LE"
                               : dtype == "float64"
                                   ? "size 8 float precision 64 LE"
                                   : "size 256 string fixed NULLPAD ASCII";
      bool found = false;
      for (const std::string& line : walk) {
        if (line.rfind(name + ":", 0) != 0) continue;
        found = true;
        EXPECT_THAT(line,
                    AllOf(HasSubstr("dataset " + shape),
                          HasSubstr(type),
                          HasSubstr("contiguous"),
                          HasSubstr("0 filters"),
                          HasSubstr("0 attributes")))
            << file;
      }
      EXPECT_TRUE(found) << file << ": " << name;
    }
  }
}

TEST(MadminerFile, RewrittenFilesHaveTheReferenceLayout) {
  ScratchFolder folder;
  for (const char* name :
       {"toy_setup.h5", "toy_events.h5", "toy_nuisance_events.h5"}) {
    const fs::path path = Reference(name);
    SKIP_WITHOUT_REFERENCE(path);
    const fs::path copy = folder / name;
    if (std::string(name) == "toy_setup.h5") {
      WriteSetup(copy, ReadSetup(path));
    } else {
      WriteEvents(copy, ReadEvents(path));
    }
    EXPECT_EQ(WalkLayout(copy), WalkLayout(path)) << name;
  }
}

TEST(MadminerFile, RoundTripPreservesEveryValue) {
  ScratchFolder folder;
  for (const char* name : {"toy_events.h5", "toy_nuisance_events.h5"}) {
    const fs::path path = Reference(name);
    SKIP_WITHOUT_REFERENCE(path);
    const MadminerEvents original = ReadEvents(path);
    WriteEvents(folder / name, original);
    ExpectSameEvents(ReadEvents(folder / name), original);
  }
  const fs::path setup_path = Reference("toy_setup.h5");
  const MadminerSetup setup = ReadSetup(setup_path);
  WriteSetup(folder / "setup.h5", setup);
  ExpectSameSetup(ReadSetup(folder / "setup.h5"), setup);
}

TEST(MadminerFile, SetupWithEveryOptionalGroupRoundTrips) {
  ScratchFolder folder;
  const MadminerSetup setup = ToySetup();
  WriteSetup(folder / "setup.h5", setup);
  ExpectSameSetup(ReadSetup(folder / "setup.h5"), setup);

  const std::vector<std::string> walk = WalkLayout(folder / "setup.h5");
  const auto line = [&](const std::string& name) {
    for (const std::string& entry : walk) {
      if (entry.rfind(name + ":", 0) == 0) return entry;
    }
    return std::string("missing");
  };
  EXPECT_THAT(line("systematics/values"),
              HasSubstr("(2) size 256 string fixed NULLPAD ASCII"));
  EXPECT_THAT(line("nuisance_parameters/benchmark_negative"),
              HasSubstr("(2) size 256 string"));
  // finite_differences strings are as long as the longest name (numpy "S").
  EXPECT_THAT(line("finite_differences/base_benchmarks"),
              HasSubstr("(2) size 2 string fixed NULLPAD"));
  EXPECT_THAT(line("finite_differences/shifted_benchmarks"),
              HasSubstr("(2, 2) size 11 string fixed NULLPAD"));
  EXPECT_THAT(line("finite_differences/epsilon"),
              HasSubstr("() scalar size 8 float"));
  EXPECT_THAT(line("observables/definitions"), HasSubstr("(2) size 256"));
  EXPECT_EQ(line("samples"), "missing");
}

TEST(MadminerFile, StringsOfExactly256BytesRoundTrip) {
  ScratchFolder folder;
  MadminerSetup setup = ToySetup();
  setup.observables[0].definition = std::string(256, 'x');
  WriteSetup(folder / "setup.h5", setup);
  EXPECT_EQ(ReadSetup(folder / "setup.h5").observables[0].definition,
            std::string(256, 'x'));
}

// ------------------------------------------------ events in pieces

TEST(MadminerFile, ChunkedWritingEqualsOneShotWriting) {
  ScratchFolder folder;
  constexpr int kEvents = 25000;
  WriteEvents(folder / "one_shot.h5", {ToySetup(), ToyEvents(kEvents), {}});
  {
    MadminerEventsWriter writer(folder / "chunked.h5", ToySetup());
    for (int first = 0; first < kEvents; first += 777) {
      writer.Append(ToyEvents(std::min(777, kEvents - first), first));
    }
    writer.Append(ToyEvents(0));
    EXPECT_EQ(writer.num_events(), kEvents);
    writer.Finish();
  }
  EXPECT_EQ(folder.Entries().size(), 2u);  // no scratch files left
  const MadminerEvents one_shot = ReadEvents(folder / "one_shot.h5");
  ExpectSameEvents(ReadEvents(folder / "chunked.h5"), one_shot);
  EXPECT_EQ(FileBytes(folder / "chunked.h5"),
            FileBytes(folder / "one_shot.h5"));
  // The default summary counts the sampling benchmarks (−1 = background).
  ASSERT_TRUE(one_shot.sample_summary.has_value());
  EXPECT_EQ(one_shot.sample_summary->background_events, kEvents / 4);
  EXPECT_EQ(one_shot.sample_summary->signal_events,
            std::vector<std::int64_t>(3, kEvents / 4));
}

TEST(MadminerFile, BatchedReadingMatchesTheWholeFile) {
  ScratchFolder folder;
  WriteEvents(folder / "events.h5", {ToySetup(), ToyEvents(1000), {}});
  const MadminerEventsReader reader(folder / "events.h5");
  const MadminerEventBatch all = reader.ReadAll();
  for (std::int64_t first = 0; first < 1000; first += 300) {
    const std::int64_t count = std::min<std::int64_t>(300, 1000 - first);
    const MadminerEventBatch batch = reader.Read(first, count);
    EXPECT_EQ(batch.observations, all.observations.middleRows(first, count));
    EXPECT_EQ(batch.weights, all.weights.middleRows(first, count));
    EXPECT_EQ(batch.sampling_benchmarks,
              std::vector<std::int64_t>(
                  all.sampling_benchmarks.begin() + first,
                  all.sampling_benchmarks.begin() + first + count));
  }
  EXPECT_EQ(reader.Read(1000, 0).size(), 0);
  EXPECT_THAT([&] { reader.Read(990, 20); },
              ThrowsMessage<InvalidInput>(HasSubstr("the file has 1000")));
}

// ------------------------------------------------ errors

TEST(MadminerFile, MissingDatasetNamesFileAndDataset) {
  ScratchFolder folder;
  const fs::path path = folder / "events.h5";
  WriteEvents(path, {ToySetup(), ToyEvents(10), {}});
  Edit(path, [](hid_t file) {
    H5Ldelete(file, "parameters/val_ranges", H5P_DEFAULT);
  });
  EXPECT_THAT(
      [&] { ReadSetup(path); },
      ThrowsMessage<FileFormatError>(AllOf(HasSubstr(path.string()),
                                           HasSubstr("parameters/val_ranges"),
                                           HasSubstr("missing"),
                                           HasSubstr("float64 (2, 2)"))));
}

TEST(MadminerFile, WrongElementTypeIsRejected) {
  ScratchFolder folder;
  const fs::path path = folder / "events.h5";
  WriteEvents(path, {ToySetup(), ToyEvents(10), {}});
  Edit(path,
       [](hid_t file) { ReplaceWithDoubles(file, "benchmarks/names", {5}); });
  EXPECT_THAT([&] { ReadEvents(path); },
              ThrowsMessage<FileFormatError>(
                  AllOf(HasSubstr(path.string()),
                        HasSubstr("benchmarks/names"),
                        HasSubstr("element type float64, expected string"))));
}

TEST(MadminerFile, WrongShapeIsRejected) {
  ScratchFolder folder;
  const fs::path path = folder / "events.h5";
  WriteEvents(path, {ToySetup(), ToyEvents(10), {}});
  Edit(path, [](hid_t file) {
    ReplaceWithDoubles(file, "samples/weights", {10, 4});
  });
  EXPECT_THAT([&] { MadminerEventsReader reader(path); },
              ThrowsMessage<FileFormatError>(
                  AllOf(HasSubstr("samples/weights"),
                        HasSubstr("shape (10, 4)"),
                        HasSubstr("expected float64 (10, 5)"))));
}

// Values HDF5 would serve as fill values were never written: a corrupt or
// truncated file, not ten events of weight zero.
TEST(MadminerFile, ValuesTheFileDoesNotStoreAreRefused) {
  ScratchFolder folder;
  const fs::path path = folder / "events.h5";
  WriteEvents(path, {ToySetup(), ToyEvents(10), {}});
  Edit(path, [](hid_t file) {
    ReplaceWithDoubles(file, "samples/weights", {10, 5}, false);
  });
  EXPECT_THAT([&] { MadminerEventsReader reader(path); },
              ThrowsMessage<FileFormatError>(
                  AllOf(HasSubstr("samples/weights: claims 50 values"),
                        HasSubstr("stores 0 bytes"))));
}

TEST(MadminerFile, SetupFileIsNotAnEventsFile) {
  ScratchFolder folder;
  WriteSetup(folder / "setup.h5", ToySetup());
  EXPECT_THAT([&] { MadminerEventsReader reader(folder / "setup.h5"); },
              ThrowsMessage<FileFormatError>(
                  AllOf(HasSubstr("samples"), HasSubstr("setup file"))));
}

TEST(MadminerFile, NonHdf5AndTruncatedFilesAreRejected) {
  ScratchFolder folder;
  std::ofstream(folder / "text.h5") << "not hdf5\n";
  EXPECT_THAT([&] { ReadSetup(folder / "text.h5"); },
              ThrowsMessage<FileFormatError>(HasSubstr("not an HDF5 file")));
  EXPECT_THAT([&] { ReadSetup(folder / "absent.h5"); },
              ThrowsMessage<FileFormatError>(HasSubstr("no such file")));

  WriteEvents(folder / "events.h5", {ToySetup(), ToyEvents(5000), {}});
  const std::string bytes = FileBytes(folder / "events.h5");
  std::ofstream(folder / "truncated.h5", std::ios::binary)
      << bytes.substr(0, bytes.size() / 2);
  EXPECT_THROW(ReadEvents(folder / "truncated.h5"), FileFormatError);
}

// ------------------------------------------------ failed writes

TEST(MadminerFile, FailedWritesLeaveNoFile) {
  ScratchFolder folder;
  MadminerSetup bad = ToySetup();
  bad.benchmarks.values.resize(2, 2);
  EXPECT_THAT([&] { WriteSetup(folder / "setup.h5", bad); },
              ThrowsMessage<InvalidInput>(
                  HasSubstr("benchmarks.values is 2x2, expected 5x2")));
  {
    MadminerEventsWriter abandoned(folder / "abandoned.h5", ToySetup());
    abandoned.Append(ToyEvents(100));
  }
  {
    MadminerEventsWriter writer(folder / "bad_summary.h5", ToySetup());
    writer.Append(ToyEvents(100));
    EXPECT_THAT(
        [&] {
          writer.Finish(MadminerSampleSummary{{1, 2}, 0});
        },
        ThrowsMessage<InvalidInput>(HasSubstr("expected 3")));
    MadminerEventBatch wrong = ToyEvents(3);
    wrong.sampling_benchmarks[1] = 3;  // a nuisance benchmark
    EXPECT_THAT([&] { writer.Append(wrong); },
                ThrowsMessage<InvalidInput>(
                    HasSubstr("physics benchmark index below 3")));
  }
  EXPECT_TRUE(folder.Entries().empty())
      << ::testing::PrintToString(folder.Entries());
  EXPECT_THROW(WriteSetup(folder / "no_such_folder" / "setup.h5", ToySetup()),
               InvalidInput);
}

TEST(MadminerFile, RejectsStringsThatMadminerCannotStore) {
  MadminerSetup setup = ToySetup();
  setup.parameters[0].name = std::string(300, 'c');
  setup.observables[1].name = "pt";
  setup.systematics[0].type = "lumi";
  EXPECT_THAT([&] { setup.Validate(); },
              ThrowsMessage<InvalidInput>(
                  AllOf(HasSubstr("300 characters, at most 256"),
                        HasSubstr("observable \"pt\" appears twice"),
                        HasSubstr("\"lumi\" not among [norm, scale, pdf]"))));
}

}  // namespace
}  // namespace goldmine::mining

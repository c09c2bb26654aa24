#include "goldmine/mining/sample_file.h"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "goldmine/core/version.h"
#include "hdf5_crash_probe.h"
#include "hdf5_io.h"

namespace goldmine::mining {
namespace {

using hdf5::Id;

const std::set<std::string>& Methods() {
  static const std::set<std::string> methods = {
      "plain", "local", "density", "ratio", "more-ratios", "test"};
  return methods;
}

// Dataset names in file order with a pointer to the matching member.
struct Field {
  const char* name;
  Eigen::MatrixXd SampleData::*member;
};

// The score at θ0 is stored as t_xz0 for more-ratios (MadMiner's name).
std::vector<Field> Fields(const std::string& method) {
  const bool more = method == "more-ratios";
  return {{"x", &SampleData::x},
          {"theta0", &SampleData::theta0},
          {"theta1", &SampleData::theta1},
          {"y", &SampleData::y},
          {"r_xz", &SampleData::r_xz},
          {more ? "t_xz0" : "t_xz", &SampleData::t_xz},
          {"t_xz1", &SampleData::t_xz1}};
}

// Which members a method requires.
std::vector<std::string> Required(const std::string& method) {
  if (method == "plain" || method == "test") return {"x", "theta0"};
  if (method == "local" || method == "density") {
    return {"x", "theta0", "t_xz"};
  }
  if (method == "ratio") return {"x", "theta0", "theta1", "y", "r_xz"};
  return {"x", "theta0", "theta1", "y", "r_xz", "t_xz0", "t_xz1"};
}

std::string Join(const std::vector<std::string>& values) {
  std::string text;
  for (const std::string& value : values) {
    if (!text.empty()) text += ", ";
    text += value;
  }
  return text;
}

// ------------------------------------------------------------ attributes

Id VariableString() {
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

void WriteStringsAttribute(hid_t object,
                           const char* name,
                           const std::vector<std::string>& values,
                           bool scalar) {
  const Id type = VariableString();
  const hsize_t size = values.size();
  Id space = scalar ? Id(H5Screate(H5S_SCALAR), H5Sclose)
                    : Id(H5Screate_simple(1, &size, nullptr), H5Sclose);
  Id attribute(
      H5Acreate2(
          object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  std::vector<const char*> pointers;
  for (const std::string& value : values) pointers.push_back(value.c_str());
  if (!attribute.valid() ||
      (!(values.empty() && !scalar) &&
       H5Awrite(attribute.get(), type.get(), pointers.data()) < 0)) {
    throw InvalidInput(std::string("cannot write attribute ") + name);
  }
}

void WriteNumberAttribute(hid_t object,
                          const char* name,
                          hid_t file_type,
                          hid_t memory_type,
                          const void* value) {
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  Id attribute(
      H5Acreate2(
          object, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  if (!attribute.valid() || H5Awrite(attribute.get(), memory_type, value) < 0) {
    throw InvalidInput(std::string("cannot write attribute ") + name);
  }
}

std::optional<std::vector<std::string>> ReadStringsAttribute(
    hid_t object, const std::string& file, const char* name) {
  if (H5Aexists(object, name) <= 0) return std::nullopt;
  Id attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  Id file_type(H5Aget_type(attribute.get()), H5Tclose);
  if (H5Tget_class(file_type.get()) != H5T_STRING) {
    throw FileFormatError(file + ": attribute " + name + " is not a string");
  }
  Id space(H5Aget_space(attribute.get()), H5Sclose);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  std::vector<std::string> values;
  if (count <= 0) return values;
  const bool variable = H5Tis_variable_str(file_type.get()) > 0;
  hdf5::RequirePlausibleStringList(
      static_cast<unsigned long long>(count),
      variable ? sizeof(char*) : H5Tget_size(file_type.get()),
      file + ": attribute " + name);
  if (variable) {
    const Id type = VariableString();
    std::vector<char*> pointers(static_cast<std::size_t>(count), nullptr);
    if (H5Aread(attribute.get(), type.get(), pointers.data()) < 0) {
      throw FileFormatError(file + ": cannot read attribute " + name);
    }
    for (char* pointer : pointers) {
      values.emplace_back(pointer == nullptr ? "" : pointer);
    }
    H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, pointers.data());
  } else {
    const std::size_t size = H5Tget_size(file_type.get());
    std::vector<char> buffer(size * static_cast<std::size_t>(count) + 1, 0);
    if (H5Aread(attribute.get(), file_type.get(), buffer.data()) < 0) {
      throw FileFormatError(file + ": cannot read attribute " + name);
    }
    for (hssize_t i = 0; i < count; ++i) {
      const char* start = buffer.data() + static_cast<std::size_t>(i) * size;
      values.emplace_back(start, strnlen(start, size));
    }
  }
  hdf5::RequireUtf8Strings(values, file + ": attribute " + name);
  return values;
}

template <typename T>
std::optional<T> ReadNumberAttribute(hid_t object,
                                     const std::string& file,
                                     const char* name,
                                     hid_t memory_type) {
  if (H5Aexists(object, name) <= 0) return std::nullopt;
  Id attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  T value{};
  if (H5Aread(attribute.get(), memory_type, &value) < 0) {
    throw FileFormatError(file + ": cannot read attribute " + name);
  }
  return value;
}

void WriteHeaderAttributes(hid_t file, const SampleData& header) {
  const std::string version =
      header.goldmine_version.empty() ? VersionLine() : header.goldmine_version;
  WriteStringsAttribute(file, "method", {header.method}, true);
  WriteStringsAttribute(file, "parameters", header.parameters, false);
  WriteStringsAttribute(
      file, "nuisance_parameters", header.nuisance_parameters, false);
  WriteStringsAttribute(file, "observables", header.observables, false);
  WriteStringsAttribute(file, "partition", {header.partition}, true);
  WriteStringsAttribute(file, "theta_specs", header.theta_specs, false);
  WriteStringsAttribute(file, "goldmine_version", {version}, true);
  WriteNumberAttribute(
      file, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &header.seed);
  WriteNumberAttribute(
      file, "n_eff", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &header.n_eff);
  if (header.num_shards > 1) {
    WriteStringsAttribute(file,
                          "shard",
                          {std::to_string(header.shard) + "/" +
                           std::to_string(header.num_shards)},
                          true);
  }
}

// "I/N" with 0 <= I < N (`augment --shard I/N`), of attribute shard.
void ParseShard(const std::string& text,
                const std::string& name,
                SampleData* header) {
  const auto slash = text.find('/');
  auto digits = [](const std::string& part) {
    return !part.empty() && part.size() <= 6 &&
           part.find_first_not_of("0123456789") == std::string::npos;
  };
  const std::string index = text.substr(0, slash);
  const std::string count =
      slash == std::string::npos ? "" : text.substr(slash + 1);
  if (!digits(index) || !digits(count) ||
      std::stoi(index) >= std::stoi(count)) {
    throw FileFormatError(name + ": attribute shard is \"" + text +
                          "\"; expected I/N with 0 <= I < N");
  }
  header->shard = std::stoi(index);
  header->num_shards = std::stoi(count);
}

SampleData ReadHeaderAttributes(hid_t file, const std::string& name) {
  SampleData header;
  const auto method = ReadStringsAttribute(file, name, "method");
  if (!method || method->size() != 1) {
    throw FileFormatError(name +
                          ": attribute method missing; not a goldmine "
                          "samples file (see docs/sample_file_format.md)");
  }
  header.method = method->front();
  if (Methods().count(header.method) == 0) {
    throw FileFormatError(name + ": attribute method is \"" + header.method +
                          "\"; expected plain, local, density, ratio, "
                          "more-ratios or test");
  }
  auto strings = [&](const char* key) {
    return ReadStringsAttribute(file, name, key)
        .value_or(std::vector<std::string>{});
  };
  header.parameters = strings("parameters");
  header.nuisance_parameters = strings("nuisance_parameters");
  header.observables = strings("observables");
  header.theta_specs = strings("theta_specs");
  const auto partition = strings("partition");
  if (!partition.empty()) header.partition = partition.front();
  const auto version = strings("goldmine_version");
  if (!version.empty()) header.goldmine_version = version.front();
  const auto shard = strings("shard");
  if (!shard.empty()) ParseShard(shard.front(), name, &header);
  header.seed =
      ReadNumberAttribute<std::uint64_t>(file, name, "seed", H5T_NATIVE_UINT64)
          .value_or(0);
  header.n_eff =
      ReadNumberAttribute<double>(file, name, "n_eff", H5T_NATIVE_DOUBLE)
          .value_or(0.0);
  return header;
}

void CopyHeader(const SampleData& from, SampleData& to) {
  to.method = from.method;
  to.parameters = from.parameters;
  to.nuisance_parameters = from.nuisance_parameters;
  to.observables = from.observables;
  to.partition = from.partition;
  to.seed = from.seed;
  to.shard = from.shard;
  to.num_shards = from.num_shards;
  to.n_eff = from.n_eff;
  to.theta_specs = from.theta_specs;
  to.goldmine_version = from.goldmine_version;
}

// Row-major copy of an Eigen (column-major) matrix.
std::vector<double> RowMajor(const Eigen::Ref<const Eigen::MatrixXd>& matrix) {
  std::vector<double> values(static_cast<std::size_t>(matrix.size()));
  Eigen::Map<
      Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      values.data(), matrix.rows(), matrix.cols()) = matrix;
  return values;
}

}  // namespace

// ------------------------------------------------------------ SampleData

void SampleData::Validate() const {
  std::vector<std::string> problems;
  if (Methods().count(method) == 0) {
    problems.push_back("method \"" + method +
                       "\" is not one of plain, local, density, ratio, "
                       "more-ratios, test");
  }
  const Eigen::Index n = x.rows();
  const Eigen::Index num_parameters =
      static_cast<Eigen::Index>(parameters.size());
  const Eigen::Index num_score =
      num_parameters + static_cast<Eigen::Index>(nuisance_parameters.size());
  auto check = [&](const char* name,
                   const Eigen::MatrixXd& matrix,
                   Eigen::Index columns) {
    if (matrix.size() == 0 && matrix.rows() == 0) return;
    if (matrix.rows() != n) {
      problems.push_back(std::string(name) + " has " +
                         std::to_string(matrix.rows()) + " rows, x has " +
                         std::to_string(n));
    }
    if (matrix.cols() != columns) {
      problems.push_back(std::string(name) + " has " +
                         std::to_string(matrix.cols()) + " columns, expected " +
                         std::to_string(columns));
    }
  };
  if (!observables.empty()) {
    check("x", x, static_cast<Eigen::Index>(observables.size()));
  }
  check("theta0", theta0, num_parameters);
  check("theta1", theta1, num_parameters);
  check("y", y, 1);
  check("r_xz", r_xz, 1);
  check("t_xz", t_xz, num_score);
  check("t_xz1", t_xz1, num_score);
  if (Methods().count(method) != 0) {
    for (const Field& field : Fields(method)) {
      const std::vector<std::string> required = Required(method);
      const bool needed =
          std::find(required.begin(), required.end(), field.name) !=
          required.end();
      if (needed && (this->*field.member).rows() != n) {
        problems.push_back(std::string("method ") + method + " needs " +
                           field.name);
      }
    }
  }
  if (!problems.empty()) {
    throw InvalidInput("samples: " + Join(problems));
  }
}

// ------------------------------------------------------------ writer

struct SampleFileWriter::Impl {
  std::filesystem::path path;
  SampleData header;
  SampleFileOptions options;
  std::optional<AtomicOutputFile> output;
  Id file;
  struct Open {
    std::string name;
    Eigen::MatrixXd SampleData::*member;
    Eigen::Index columns;
    Id dataset;
  };
  std::vector<Open> datasets;
  bool started = false;
  std::int64_t rows = 0;

  void Fail(const std::string& what) const {
    throw InvalidInput(path.string() + ": " + what);
  }

  void Start(const SampleData& batch) {
    for (const Field& field : Fields(header.method)) {
      const Eigen::MatrixXd& matrix = batch.*field.member;
      if (matrix.rows() == 0 && matrix.cols() == 0) continue;
      const hsize_t columns = static_cast<hsize_t>(matrix.cols());
      const hsize_t dims[2] = {0, columns};
      const hsize_t max_dims[2] = {H5S_UNLIMITED, columns};
      const hsize_t chunk[2] = {
          static_cast<hsize_t>(std::max<std::int64_t>(1, options.chunk_rows)),
          std::max<hsize_t>(1, columns)};
      Id space(H5Screate_simple(2, dims, max_dims), H5Sclose);
      Id properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
      H5Pset_chunk(properties.get(), 2, chunk);
      Id dataset(
          H5Dcreate2(file.get(),
                     field.name,
                     options.double_precision ? H5T_IEEE_F64LE : H5T_IEEE_F32LE,
                     space.get(),
                     H5P_DEFAULT,
                     properties.get(),
                     H5P_DEFAULT),
          H5Dclose);
      if (!dataset.valid()) Fail(std::string("cannot create ") + field.name);
      datasets.push_back(
          {field.name, field.member, matrix.cols(), std::move(dataset)});
    }
    started = true;
  }
};

SampleFileWriter::SampleFileWriter(std::filesystem::path path,
                                   const SampleData& header,
                                   SampleFileOptions options)
    : impl_(std::make_unique<Impl>()) {
  hdf5::SilenceErrorPrinting();
  impl_->path = std::move(path);
  CopyHeader(header, impl_->header);
  impl_->options = options;
  if (Methods().count(header.method) == 0) {
    impl_->Fail("method \"" + header.method +
                "\" is not one of plain, local, density, ratio, "
                "more-ratios, test");
  }
  impl_->output.emplace(impl_->path);
  impl_->file = Id(H5Fcreate(impl_->output->temporary_path().c_str(),
                             H5F_ACC_TRUNC,
                             H5P_DEFAULT,
                             H5P_DEFAULT),
                   H5Fclose);
  if (!impl_->file.valid()) impl_->Fail("cannot create HDF5 file");
}

SampleFileWriter::~SampleFileWriter() = default;

std::int64_t SampleFileWriter::num_samples() const { return impl_->rows; }

void SampleFileWriter::set_n_eff(double n_eff) { impl_->header.n_eff = n_eff; }

void SampleFileWriter::Append(const SampleData& batch) {
  Impl& impl = *impl_;
  if (!impl.file.valid()) impl.Fail("Append() after Finish()");
  SampleData checked;
  CopyHeader(impl.header, checked);
  const Eigen::Index n = batch.x.rows();
  if (!impl.started) impl.Start(batch);
  for (const Impl::Open& open : impl.datasets) {
    const Eigen::MatrixXd& matrix = batch.*open.member;
    if (matrix.rows() != n || matrix.cols() != open.columns) {
      impl.Fail("batch " + open.name + " has shape (" +
                std::to_string(matrix.rows()) + ", " +
                std::to_string(matrix.cols()) + "), expected (" +
                std::to_string(n) + ", " + std::to_string(open.columns) + ")");
    }
  }
  if (n == 0) return;
  // Row-major copies of at most kWriteRows rows at a time: a whole-batch
  // copy doubled the memory of a sample (and its page faults) just to write
  // it.
  constexpr Eigen::Index kWriteRows = 65536;
  for (Impl::Open& open : impl.datasets) {
    const Eigen::MatrixXd& matrix = batch.*open.member;
    const hsize_t new_dims[2] = {static_cast<hsize_t>(impl.rows + n),
                                 static_cast<hsize_t>(open.columns)};
    if (H5Dset_extent(open.dataset.get(), new_dims) < 0) {
      impl.Fail("cannot extend " + open.name);
    }
    if (open.columns == 0) continue;
    Id file_space(H5Dget_space(open.dataset.get()), H5Sclose);
    for (Eigen::Index first = 0; first < n; first += kWriteRows) {
      const Eigen::Index rows = std::min(kWriteRows, n - first);
      const std::vector<double> values =
          RowMajor(matrix.middleRows(first, rows));
      const hsize_t start[2] = {static_cast<hsize_t>(impl.rows + first), 0};
      const hsize_t count[2] = {static_cast<hsize_t>(rows),
                                static_cast<hsize_t>(open.columns)};
      H5Sselect_hyperslab(
          file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr);
      Id memory_space(H5Screate_simple(2, count, nullptr), H5Sclose);
      if (H5Dwrite(open.dataset.get(),
                   H5T_NATIVE_DOUBLE,
                   memory_space.get(),
                   file_space.get(),
                   H5P_DEFAULT,
                   values.data()) < 0) {
        impl.Fail("cannot write " + open.name);
      }
    }
  }
  impl.rows += n;
}

void SampleFileWriter::Finish() {
  Impl& impl = *impl_;
  if (!impl.file.valid()) impl.Fail("Finish() called twice");
  if (!impl.started) {
    impl.Fail("no samples were appended");
  }
  const std::vector<std::string> required = Required(impl.header.method);
  for (const std::string& name : required) {
    const bool present =
        std::any_of(impl.datasets.begin(),
                    impl.datasets.end(),
                    [&](const Impl::Open& open) { return open.name == name; });
    if (!present) {
      impl.Fail("method " + impl.header.method + " needs dataset " + name);
    }
  }
  WriteHeaderAttributes(impl.file.get(), impl.header);
  impl.datasets.clear();
  if (H5Fflush(impl.file.get(), H5F_SCOPE_GLOBAL) < 0) {
    impl.Fail("cannot flush");
  }
  impl.file.Reset();
  impl.output->Commit();
}

void WriteSamples(const std::filesystem::path& path,
                  const SampleData& data,
                  const SampleFileOptions& options) {
  data.Validate();
  SampleFileWriter writer(path, data, options);
  writer.Append(data);
  writer.Finish();
}

// ------------------------------------------------------------ reader

struct SampleFileReader::Impl {
  std::string name;
  Id file;
  SampleData header;
  std::int64_t rows = 0;
  bool double_precision = true;
  struct Open {
    std::string name;
    Eigen::MatrixXd SampleData::*member;
    Eigen::Index columns;
    Id dataset;
  };
  std::vector<Open> datasets;
};

SampleFileReader::SampleFileReader(const std::filesystem::path& path)
    : impl_(std::make_unique<Impl>()) {
  hdf5::SilenceErrorPrinting();
  // Opens `path` into `impl`: the header attributes and every dataset of its
  // method, with their shapes checked.
  const auto open_into = [&path](Impl& impl) {
    impl.name = path.string();
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      throw FileFormatError(impl.name + ": no such file");
    }
    if (H5Fis_hdf5(impl.name.c_str()) <= 0) {
      throw FileFormatError(impl.name +
                            ": not an HDF5 file (expected a goldmine "
                            "samples file)");
    }
    impl.file =
        Id(H5Fopen(impl.name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!impl.file.valid()) {
      throw FileFormatError(impl.name + ": cannot open HDF5 file");
    }
    impl.header = ReadHeaderAttributes(impl.file.get(), impl.name);
    bool first = true;
    for (const Field& field : Fields(impl.header.method)) {
      if (H5Lexists(impl.file.get(), field.name, H5P_DEFAULT) <= 0) continue;
      Id dataset(H5Dopen2(impl.file.get(), field.name, H5P_DEFAULT), H5Dclose);
      Id space(H5Dget_space(dataset.get()), H5Sclose);
      Id type(H5Dget_type(dataset.get()), H5Tclose);
      hsize_t dims[2] = {0, 0};
      if (!dataset.valid() || H5Sget_simple_extent_ndims(space.get()) != 2 ||
          H5Tget_class(type.get()) != H5T_FLOAT) {
        throw FileFormatError(impl.name + ": " + field.name +
                              ": expected a 2-D float32/float64 dataset");
      }
      H5Sget_simple_extent_dims(space.get(), dims, nullptr);
      hdf5::RequireStoredValues(dataset.get(), impl.name + ": " + field.name);
      const auto rows = static_cast<std::int64_t>(dims[0]);
      if (first) {
        impl.rows = rows;
        impl.double_precision = H5Tget_size(type.get()) == 8;
        first = false;
      } else if (rows != impl.rows) {
        throw FileFormatError(impl.name + ": " + field.name + " has " +
                              std::to_string(rows) + " rows, x has " +
                              std::to_string(impl.rows));
      }
      impl.datasets.push_back({field.name,
                               field.member,
                               static_cast<Eigen::Index>(dims[1]),
                               std::move(dataset)});
    }
    for (const std::string& required : Required(impl.header.method)) {
      const bool present = std::any_of(
          impl.datasets.begin(),
          impl.datasets.end(),
          [&](const Impl::Open& open) { return open.name == required; });
      if (!present) {
        throw FileFormatError(impl.name + ": dataset " + required +
                              " missing; method " + impl.header.method +
                              " needs it");
      }
    }
  };
  hdf5::RefuseFilesThatCrashHdf5(path.string(), [&] {
    Impl probe;
    open_into(probe);
  });
  open_into(*impl_);
}

SampleFileReader::~SampleFileReader() = default;
SampleFileReader::SampleFileReader(SampleFileReader&&) noexcept = default;
SampleFileReader& SampleFileReader::operator=(SampleFileReader&&) noexcept =
    default;

const SampleData& SampleFileReader::header() const { return impl_->header; }

std::int64_t SampleFileReader::num_samples() const { return impl_->rows; }

bool SampleFileReader::double_precision() const {
  return impl_->double_precision;
}

SampleData SampleFileReader::Read(std::int64_t first,
                                  std::int64_t count) const {
  const Impl& impl = *impl_;
  if (first < 0 || count < 0 || first + count > impl.rows) {
    throw InvalidInput(impl.name + ": rows [" + std::to_string(first) + ", " +
                       std::to_string(first + count) + ") outside [0, " +
                       std::to_string(impl.rows) + ")");
  }
  SampleData data;
  CopyHeader(impl.header, data);
  for (const Impl::Open& open : impl.datasets) {
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>
        values(count, open.columns);
    if (count > 0 && open.columns > 0) {
      Id file_space(H5Dget_space(open.dataset.get()), H5Sclose);
      const hsize_t start[2] = {static_cast<hsize_t>(first), 0};
      const hsize_t block[2] = {static_cast<hsize_t>(count),
                                static_cast<hsize_t>(open.columns)};
      H5Sselect_hyperslab(
          file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr);
      Id memory_space(H5Screate_simple(2, block, nullptr), H5Sclose);
      if (H5Dread(open.dataset.get(),
                  H5T_NATIVE_DOUBLE,
                  memory_space.get(),
                  file_space.get(),
                  H5P_DEFAULT,
                  values.data()) < 0) {
        throw FileFormatError(impl.name + ": cannot read " + open.name);
      }
    }
    data.*open.member = values;
  }
  return data;
}

SampleData ReadSamples(const std::filesystem::path& path) {
  return SampleFileReader(path).ReadAll();
}

// ------------------------------------------------------------ .npy export

void WriteNpy(const std::filesystem::path& path,
              const Eigen::MatrixXd& matrix,
              bool double_precision,
              bool as_vector) {
  std::string shape = "(" + std::to_string(matrix.rows()) + ",";
  if (!as_vector) shape += " " + std::to_string(matrix.cols());
  shape += ")";
  std::string header = std::string("{'descr': '") +
                       (double_precision ? "<f8" : "<f4") +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  const auto length = static_cast<std::uint16_t>(header.size());
  bytes += static_cast<char>(length & 0xff);
  bytes += static_cast<char>(length >> 8);
  bytes += header;
  const std::vector<double> values = RowMajor(matrix);
  if (double_precision) {
    bytes.append(reinterpret_cast<const char*>(values.data()),
                 values.size() * sizeof(double));
  } else {
    std::vector<float> floats(values.begin(), values.end());
    bytes.append(reinterpret_cast<const char*>(floats.data()),
                 floats.size() * sizeof(float));
  }
  WriteTextFileAtomically(path, bytes);
}

std::vector<std::filesystem::path> ExportNpy(
    const SampleData& data,
    const std::filesystem::path& folder,
    const std::string& suffix,
    bool double_precision) {
  data.Validate();
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    throw InvalidInput(folder.string() +
                       ": cannot create folder: " + error.message());
  }
  const bool single_theta = data.method == "plain" || data.method == "local" ||
                            data.method == "density" || data.method == "test";
  const bool more = data.method == "more-ratios";
  std::vector<std::pair<std::string, const Eigen::MatrixXd*>> arrays = {
      {"x", &data.x}, {single_theta ? "theta" : "theta0", &data.theta0}};
  if (!single_theta) {
    arrays.push_back({"theta1", &data.theta1});
    arrays.push_back({"y", &data.y});
    arrays.push_back({"r_xz", &data.r_xz});
  }
  arrays.push_back({more ? "t_xz0" : "t_xz", &data.t_xz});
  if (more) arrays.push_back({"t_xz1", &data.t_xz1});
  std::vector<std::filesystem::path> written;
  for (const auto& [name, matrix] : arrays) {
    if (matrix->rows() == 0 && matrix->cols() == 0) continue;
    const std::filesystem::path path = folder / (name + "_" + suffix + ".npy");
    WriteNpy(path, *matrix, double_precision);
    written.push_back(path);
  }
  return written;
}

}  // namespace goldmine::mining

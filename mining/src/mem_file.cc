#include "goldmine/mining/mem_file.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "goldmine/core/atomic_file.h"
#include "goldmine/core/errors.h"
#include "hdf5_crash_probe.h"
#include "hdf5_io.h"

namespace goldmine::mining {
namespace {

constexpr const char* kCoefficients = "mem/coefficients";
constexpr const char* kErrors = "mem/coefficient_errors";
constexpr const char* kCalls = "mem/calls";
constexpr const char* kConverged = "mem/converged";
constexpr const char* kComponents = "mem/components";
constexpr const char* kParameters = "mem/parameter_names";
constexpr const char* kObservables = "mem/observables";
constexpr const char* kInfo = "mem/info";

std::size_t LongestString(const std::vector<std::string>& values) {
  std::size_t longest = 1;
  for (const std::string& value : values)
    longest = std::max(longest, value.size());
  return longest;
}

std::vector<double> RowMajor(const Eigen::MatrixXd& matrix) {
  std::vector<double> values(static_cast<std::size_t>(matrix.size()));
  for (Eigen::Index i = 0; i < matrix.rows(); ++i)
    for (Eigen::Index j = 0; j < matrix.cols(); ++j)
      values[static_cast<std::size_t>(i * matrix.cols() + j)] = matrix(i, j);
  return values;
}

}  // namespace

void MemHeader::Validate() const {
  auto fail = [](const std::string& what) {
    throw InvalidInput("MEM file header: " + what);
  };
  if (components.rows() < 1) fail("no components");
  if (static_cast<std::size_t>(components.cols()) != parameter_names.size())
    fail("components have " + std::to_string(components.cols()) +
         " columns for " + std::to_string(parameter_names.size()) +
         " parameters");
  if ((components.array() < 0).any()) fail("negative exponent");
  if (observables.empty()) fail("no observables");
  if (process.empty()) fail("no process name");
  if (num_events < 1) fail("no events");
}

// ------------------------------------------------------------ writer

struct MemFileWriter::Impl {
  std::filesystem::path path;
  MemHeader header;
  std::optional<AtomicOutputFile> output;
  std::optional<hdf5::OutputFile> file;
  hdf5::Id coefficients;
  hdf5::Id errors;
  hdf5::Id calls;
  hdf5::Id converged;
  std::vector<bool> written;

  void Fail(const std::string& what) const {
    throw InvalidInput(path.string() + ": " + what);
  }
};

MemFileWriter::MemFileWriter(const std::filesystem::path& path,
                             const MemHeader& header)
    : impl_(std::make_unique<Impl>()) {
  header.Validate();
  Impl& impl = *impl_;
  impl.path = path;
  impl.header = header;
  impl.output.emplace(path);
  impl.file.emplace(impl.output->temporary_path(), path.string());
  const auto n = static_cast<hsize_t>(header.num_events);
  const auto c = static_cast<hsize_t>(header.components.rows());
  const auto p = static_cast<hsize_t>(header.components.cols());
  impl.coefficients =
      impl.file->CreateDataset(kCoefficients, hdf5::Kind::kReal, {n, c});
  impl.errors = impl.file->CreateDataset(kErrors, hdf5::Kind::kReal, {n, c});
  impl.calls = impl.file->CreateDataset(kCalls, hdf5::Kind::kInteger, {n});
  impl.converged =
      impl.file->CreateDataset(kConverged, hdf5::Kind::kInteger, {n});
  std::vector<std::int64_t> exponents;
  for (Eigen::Index i = 0; i < header.components.rows(); ++i)
    for (Eigen::Index j = 0; j < header.components.cols(); ++j)
      exponents.push_back(header.components(i, j));
  impl.file->WriteIntegers(kComponents, exponents.data(), {c, p});
  impl.file->WriteStrings(kParameters,
                          header.parameter_names,
                          {p},
                          LongestString(header.parameter_names));
  impl.file->WriteStrings(kObservables,
                          header.observables,
                          {header.observables.size()},
                          LongestString(header.observables));
  const std::vector<std::string> info = {header.process,
                                         header.description,
                                         header.events_file,
                                         header.settings,
                                         header.observations_digest};
  impl.file->WriteStrings(kInfo, info, {info.size()}, LongestString(info));
  impl.written.assign(static_cast<std::size_t>(header.num_events), false);
}

MemFileWriter::~MemFileWriter() = default;

void MemFileWriter::Write(std::int64_t first, const MemRows& rows) {
  Impl& impl = *impl_;
  if (!impl.file) impl.Fail("Write() after Finish()");
  const auto count = static_cast<std::int64_t>(rows.coefficients.rows());
  const Eigen::Index c = impl.header.components.rows();
  if (first < 0 || first + count > impl.header.num_events)
    impl.Fail("rows outside the events");
  if (rows.coefficients.cols() != c || rows.errors.rows() != count ||
      rows.errors.cols() != c ||
      rows.calls.size() != static_cast<std::size_t>(count) ||
      rows.converged.size() != static_cast<std::size_t>(count)) {
    impl.Fail("inconsistent row block");
  }
  const std::vector<double> values = RowMajor(rows.coefficients);
  const std::vector<double> errors = RowMajor(rows.errors);
  impl.file->WriteRows(impl.coefficients,
                       kCoefficients,
                       hdf5::Kind::kReal,
                       first,
                       count,
                       values.data());
  impl.file->WriteRows(
      impl.errors, kErrors, hdf5::Kind::kReal, first, count, errors.data());
  impl.file->WriteRows(impl.calls,
                       kCalls,
                       hdf5::Kind::kInteger,
                       first,
                       count,
                       rows.calls.data());
  impl.file->WriteRows(impl.converged,
                       kConverged,
                       hdf5::Kind::kInteger,
                       first,
                       count,
                       rows.converged.data());
  for (std::int64_t e = first; e < first + count; ++e)
    impl.written[static_cast<std::size_t>(e)] = true;
}

void MemFileWriter::Finish() {
  Impl& impl = *impl_;
  if (!impl.file) impl.Fail("Finish() called twice");
  const auto missing =
      std::find(impl.written.begin(), impl.written.end(), false);
  if (missing != impl.written.end()) {
    impl.Fail("event " + std::to_string(missing - impl.written.begin()) +
              " was not written");
  }
  impl.coefficients.Reset();
  impl.errors.Reset();
  impl.calls.Reset();
  impl.converged.Reset();
  impl.file->Close();
  impl.file.reset();
  impl.output->Commit();
}

// ------------------------------------------------------------ reader

struct MemFileReader::Impl {
  std::optional<hdf5::InputFile> file;
  MemHeader header;
  hdf5::Dataset coefficients;
  hdf5::Dataset errors;
  hdf5::Dataset calls;
  hdf5::Dataset converged;

  explicit Impl(const std::filesystem::path& path) {
    file.emplace(path);
    const hdf5::InputFile& in = *file;
    const hdf5::Dataset components =
        in.Open(kComponents, hdf5::Kind::kInteger, 2, "int64 (C, P)");
    const hdf5::Dataset parameters =
        in.Open(kParameters, hdf5::Kind::kString, 1, "string (P,)");
    const hdf5::Dataset observables =
        in.Open(kObservables, hdf5::Kind::kString, 1, "string (O,)");
    const hdf5::Dataset info =
        in.Open(kInfo, hdf5::Kind::kString, 1, "string (5,)");
    coefficients =
        in.Open(kCoefficients, hdf5::Kind::kReal, 2, "float64 (N, C)");
    errors = in.Open(kErrors, hdf5::Kind::kReal, 2, "float64 (N, C)");
    calls = in.Open(kCalls, hdf5::Kind::kInteger, 1, "int64 (N,)");
    converged = in.Open(kConverged, hdf5::Kind::kInteger, 1, "int64 (N,)");

    const std::int64_t c = components.rows();
    const std::int64_t p = components.columns();
    if (c < 1 || c > 100000) in.ThrowShape(components, "int64 (C, P), C >= 1");
    if (p < 1 || p > 1000) in.ThrowShape(components, "int64 (C, P), P >= 1");
    if (parameters.rows() != p)
      in.ThrowShape(parameters, "string (" + std::to_string(p) + ",)");
    if (info.rows() != 5) in.ThrowShape(info, "string (5,)");
    const std::int64_t n = coefficients.rows();
    if (n < 1 || coefficients.columns() != c)
      in.ThrowShape(coefficients,
                    "float64 (N, " + std::to_string(c) + "), N >= 1");
    if (errors.rows() != n || errors.columns() != c)
      in.ThrowShape(
          errors,
          "float64 (" + std::to_string(n) + ", " + std::to_string(c) + ")");
    if (calls.rows() != n)
      in.ThrowShape(calls, "int64 (" + std::to_string(n) + ",)");
    if (converged.rows() != n)
      in.ThrowShape(converged, "int64 (" + std::to_string(n) + ",)");

    const std::vector<std::int64_t> exponents = in.ReadIntegers(components);
    header.components.resize(c, p);
    for (std::int64_t i = 0; i < c; ++i) {
      for (std::int64_t j = 0; j < p; ++j) {
        const std::int64_t k = exponents[static_cast<std::size_t>(i * p + j)];
        if (k < 0 || k > 64) {
          in.Fail(kComponents,
                  "exponent " + std::to_string(k) + " at (" +
                      std::to_string(i) + ", " + std::to_string(j) +
                      "); expected 0 to 64");
        }
        header.components(i, j) = static_cast<int>(k);
      }
    }
    header.parameter_names = in.ReadStrings(parameters);
    header.observables = in.ReadStrings(observables);
    const std::vector<std::string> texts = in.ReadStrings(info);
    header.process = texts[0];
    header.description = texts[1];
    header.events_file = texts[2];
    header.settings = texts[3];
    header.observations_digest = texts[4];
    header.num_events = n;
    if (header.process.empty()) in.Fail(kInfo, "the process name is empty");
  }
};

MemFileReader::MemFileReader(const std::filesystem::path& path) {
  hdf5::RefuseFilesThatCrashHdf5(path.string(), [&] { Impl probe(path); });
  impl_ = std::make_unique<Impl>(path);
}

MemFileReader::~MemFileReader() = default;
MemFileReader::MemFileReader(MemFileReader&&) noexcept = default;
MemFileReader& MemFileReader::operator=(MemFileReader&&) noexcept = default;

const MemHeader& MemFileReader::header() const { return impl_->header; }

MemRows MemFileReader::Read(std::int64_t first, std::int64_t count) const {
  const Impl& impl = *impl_;
  const hdf5::InputFile& in = *impl.file;
  const auto c = static_cast<Eigen::Index>(impl.header.components.rows());
  GOLDMINE_REQUIRE(
      first >= 0 && count >= 0 && first + count <= impl.header.num_events,
      "MEM rows outside the file");
  MemRows rows;
  rows.coefficients.resize(count, c);
  rows.errors.resize(count, c);
  const std::vector<double> values =
      in.ReadRealRows(impl.coefficients, first, count);
  const std::vector<double> errors = in.ReadRealRows(impl.errors, first, count);
  rows.calls = in.ReadIntegerRows(impl.calls, first, count);
  rows.converged = in.ReadIntegerRows(impl.converged, first, count);
  for (std::int64_t i = 0; i < count; ++i) {
    for (Eigen::Index j = 0; j < c; ++j) {
      const auto at = static_cast<std::size_t>(i * c + j);
      if (!std::isfinite(values[at]) || !std::isfinite(errors[at]) ||
          errors[at] < 0.0) {
        in.Fail(std::isfinite(values[at]) ? kErrors : kCoefficients,
                "event " + std::to_string(first + i) + ", component " +
                    std::to_string(j) +
                    ": expected a finite value (errors >= 0)");
      }
      rows.coefficients(i, j) = values[at];
      rows.errors(i, j) = errors[at];
    }
    const auto k = static_cast<std::size_t>(i);
    if (rows.calls[k] < 0)
      in.Fail(kCalls,
              "event " + std::to_string(first + i) + ": negative call count");
    if (rows.converged[k] != 0 && rows.converged[k] != 1)
      in.Fail(kConverged,
              "event " + std::to_string(first + i) + ": expected 0 or 1");
  }
  return rows;
}

}  // namespace goldmine::mining

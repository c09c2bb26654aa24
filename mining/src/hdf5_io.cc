#include "hdf5_io.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <mutex>

#include "goldmine/core/errors.h"
#include "goldmine/core/utf8.h"

namespace goldmine::mining::hdf5 {
namespace {

// The description of the innermost HDF5 error, e.g. "unable to open file";
// empty when the stack is empty.
std::string LastError() {
  std::string description;
  auto walker = [](unsigned, const H5E_error2_t* error, void* data) -> herr_t {
    auto* text = static_cast<std::string*>(data);
    if (text->empty() && error->desc != nullptr) *text = error->desc;
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walker, &description);
  return description;
}

std::string WithDetail(const std::string& message) {
  const std::string detail = LastError();
  return detail.empty() ? message : message + " (HDF5: " + detail + ")";
}

std::string TypeText(hid_t type) {
  const H5T_class_t type_class = H5Tget_class(type);
  const std::size_t size = H5Tget_size(type);
  switch (type_class) {
    case H5T_INTEGER:
      return std::string(H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") +
             std::to_string(8 * size);
    case H5T_FLOAT:
      return "float" + std::to_string(8 * size);
    case H5T_STRING:
      return H5Tis_variable_str(type) > 0
                 ? std::string("variable-length string")
                 : "string of " + std::to_string(size) + " bytes";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ENUM:
      return "enum (h5py bool?)";
    default:
      return "HDF5 type class " + std::to_string(static_cast<int>(type_class));
  }
}

bool KindMatches(Kind kind, H5T_class_t type_class) {
  switch (kind) {
    case Kind::kInteger:
      return type_class == H5T_INTEGER;
    case Kind::kReal:
      return type_class == H5T_FLOAT || type_class == H5T_INTEGER;
    case Kind::kString:
      return type_class == H5T_STRING;
  }
  return false;
}

// The number of elements, saturated at the largest hsize_t: a corrupt
// dataspace must not wrap around to a small count.
hsize_t Product(const std::vector<hsize_t>& dims) {
  hsize_t total = 1;
  for (hsize_t dim : dims) {
    if (dim != 0 && total > std::numeric_limits<hsize_t>::max() / dim) {
      return std::numeric_limits<hsize_t>::max();
    }
    total *= dim;
  }
  return total;
}

Id Space(const std::vector<hsize_t>& dims) {
  if (dims.empty()) return Id(H5Screate(H5S_SCALAR), H5Sclose);
  return Id(
      H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
      H5Sclose);
}

// Selects rows [first, first + count) of `file_space` and returns the
// matching memory space.
Id SelectRows(hid_t file_space,
              const std::vector<hsize_t>& dims,
              std::int64_t first,
              std::int64_t count) {
  std::vector<hsize_t> start(dims.size(), 0);
  std::vector<hsize_t> block = dims;
  start[0] = static_cast<hsize_t>(first);
  block[0] = static_cast<hsize_t>(count);
  if (H5Sselect_hyperslab(file_space,
                          H5S_SELECT_SET,
                          start.data(),
                          nullptr,
                          block.data(),
                          nullptr) < 0) {
    return Id();
  }
  return Space(block);
}

}  // namespace

void SilenceErrorPrinting() {
  static std::once_flag once;
  std::call_once(once, [] {
    H5::Exception::dontPrint();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  });
}

Id& Id::operator=(Id&& other) noexcept {
  if (this != &other) {
    Reset();
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = -1;
  }
  return *this;
}

void Id::Reset() {
  if (id_ >= 0 && closer_ != nullptr) closer_(id_);
  id_ = -1;
}

std::string ShapeText(const std::vector<hsize_t>& dims) {
  std::string text = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(dims[i]);
  }
  if (dims.size() == 1) text += ",";
  return text + ")";
}

// ---------------------------------------------------------------- reading

InputFile::InputFile(const std::filesystem::path& path) : name_(path.string()) {
  SilenceErrorPrinting();
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw FileFormatError(name_ + ": no such file");
  }
  if (H5Fis_hdf5(name_.c_str()) <= 0) {
    throw FileFormatError(name_ + ": not an HDF5 file (expected a MadMiner " +
                          "setup or events file)");
  }
  file_ = Id(H5Fopen(name_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file_.valid()) {
    throw FileFormatError(WithDetail(name_ + ": cannot open HDF5 file"));
  }
}

bool InputFile::Has(const std::string& object_path) const {
  std::size_t end = 0;
  while (end != std::string::npos) {
    end = object_path.find('/', end + 1);
    const std::string prefix = object_path.substr(0, end);
    if (H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return true;
}

void InputFile::Fail(const std::string& object_path,
                     const std::string& problem) const {
  throw FileFormatError(name_ + ": " + object_path + ": " + problem);
}

void InputFile::ThrowShape(const Dataset& dataset,
                           const std::string& expected) const {
  Fail(dataset.name,
       "shape " + ShapeText(dataset.dims) + ", expected " + expected);
}

Dataset InputFile::Open(const std::string& object_path,
                        Kind kind,
                        int rank,
                        const std::string& expected) const {
  if (!Has(object_path)) Fail(object_path, "missing; expected " + expected);
  H5O_info_t info;
  if (H5Oget_info_by_name(
          file_.get(), object_path.c_str(), &info, H5P_DEFAULT) < 0 ||
      info.type != H5O_TYPE_DATASET) {
    Fail(object_path, "not a dataset; expected " + expected);
  }
  Dataset dataset;
  dataset.name = object_path;
  dataset.id =
      Id(H5Dopen2(file_.get(), object_path.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.id.valid()) {
    Fail(object_path, WithDetail("cannot open dataset"));
  }
  const Id type(H5Dget_type(dataset.id.get()), H5Tclose);
  const H5T_class_t type_class = H5Tget_class(type.get());
  if (!KindMatches(kind, type_class)) {
    Fail(object_path,
         "element type " + TypeText(type.get()) + ", expected " + expected);
  }
  const Id space(H5Dget_space(dataset.id.get()), H5Sclose);
  const int found_rank = H5Sget_simple_extent_ndims(space.get());
  if (found_rank < 0) Fail(object_path, WithDetail("unreadable dataspace"));
  dataset.dims.resize(static_cast<std::size_t>(found_rank));
  H5Sget_simple_extent_dims(space.get(), dataset.dims.data(), nullptr);
  if (found_rank != rank) ThrowShape(dataset, expected);
  if (kind != Kind::kString) {
    RequireStoredValues(dataset.id.get(), name_ + ": " + object_path);
  }
  return dataset;
}

std::vector<std::string> InputFile::ReadStrings(const Dataset& dataset) const {
  const Id file_type(H5Dget_type(dataset.id.get()), H5Tclose);
  const bool variable = H5Tis_variable_str(file_type.get()) > 0;
  const hsize_t claimed = Product(dataset.dims);
  RequirePlausibleStringList(
      claimed,
      variable ? sizeof(char*) : H5Tget_size(file_type.get()),
      name_ + ": " + dataset.name);
  const auto count = static_cast<std::size_t>(claimed);
  std::vector<std::string> values;
  values.reserve(count);
  if (variable) {
    const Id memory_type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory_type.get(), H5T_VARIABLE);
    std::vector<char*> pointers(count, nullptr);
    if (H5Dread(dataset.id.get(),
                memory_type.get(),
                H5S_ALL,
                H5S_ALL,
                H5P_DEFAULT,
                pointers.data()) < 0) {
      Fail(dataset.name, WithDetail("cannot read strings"));
    }
    for (char* pointer : pointers) {
      values.emplace_back(pointer == nullptr ? "" : pointer);
    }
    const Id space(H5Dget_space(dataset.id.get()), H5Sclose);
    H5Dvlen_reclaim(
        memory_type.get(), space.get(), H5P_DEFAULT, pointers.data());
    RequireUtf8(dataset, values);
    return values;
  }
  const std::size_t size = H5Tget_size(file_type.get());
  std::vector<char> buffer(count * size + 1, '\0');
  if (count > 0 && H5Dread(dataset.id.get(),
                           file_type.get(),
                           H5S_ALL,
                           H5S_ALL,
                           H5P_DEFAULT,
                           buffer.data()) < 0) {
    Fail(dataset.name, WithDetail("cannot read strings"));
  }
  const bool space_padded = H5Tget_strpad(file_type.get()) == H5T_STR_SPACEPAD;
  for (std::size_t i = 0; i < count; ++i) {
    const char* begin = buffer.data() + i * size;
    std::size_t length = 0;
    while (length < size && begin[length] != '\0') ++length;
    if (space_padded) {
      while (length > 0 && begin[length - 1] == ' ') --length;
    }
    values.emplace_back(begin, length);
  }
  RequireUtf8(dataset, values);
  return values;
}

void RequirePlausibleStringList(unsigned long long count,
                                unsigned long long element_bytes,
                                const std::string& where) {
  const bool overflows =
      element_bytes != 0 &&
      count > std::numeric_limits<unsigned long long>::max() / element_bytes;
  if (count <= kMaxStringCount && !overflows &&
      count * element_bytes <= kMaxStringListBytes) {
    return;
  }
  throw FileFormatError(where + ": claims " + std::to_string(count) +
                        " strings of " + std::to_string(element_bytes) +
                        " bytes; expected a name list of at most " +
                        std::to_string(kMaxStringCount) + " strings and " +
                        std::to_string(kMaxStringListBytes >> 20) +
                        " MiB (corrupt file?)");
}

void RequireStoredValues(hid_t dataset, const std::string& where) {
  const Id space(H5Dget_space(dataset), H5Sclose);
  const Id type(H5Dget_type(dataset), H5Tclose);
  const Id creation(H5Dget_create_plist(dataset), H5Pclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  const std::size_t element_bytes = H5Tget_size(type.get());
  if (rank < 0 || element_bytes == 0 || !creation.valid()) {
    throw FileFormatError(where + ": unreadable dataspace, type or layout " +
                          "(corrupt file?)");
  }
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  constexpr auto kMax = std::numeric_limits<unsigned long long>::max();
  unsigned long long values = 1;
  bool overflows = false;
  for (const hsize_t extent : dims) {
    if (extent != 0 && values > kMax / extent) overflows = true;
    values *= extent;
  }
  if (values == 0 && !overflows) return;
  overflows = overflows || values > kMax / element_bytes;
  const unsigned long long bytes = overflows ? kMax : values * element_bytes;
  const unsigned long long stored = H5Dget_storage_size(dataset);
  const bool filtered = H5Pget_nfilters(creation.get()) > 0;
  const unsigned long long needed =
      filtered ? bytes / kMaxCompressionRatio + 1 : bytes;
  if (!overflows && stored >= needed) return;
  throw FileFormatError(
      where + ": claims " +
      (overflows ? std::string("more than 2^64 bytes of values")
                 : std::to_string(values) + " values (" +
                       std::to_string(bytes) + " bytes)") +
      " but the file stores " + std::to_string(stored) +
      " bytes for it; expected every value written" +
      (filtered ? " (at most " + std::to_string(kMaxCompressionRatio) +
                      "x compressed)"
                : std::string()) +
      " (corrupt or truncated file?)");
}

void InputFile::RequireUtf8(const Dataset& dataset,
                            const std::vector<std::string>& values) const {
  RequireUtf8Strings(values, name_ + ": " + dataset.name);
}

// Names and definitions end up in JSON output, which refuses invalid UTF-8
// only when it is written (exit 1 after all the work, issue 15).
void RequireUtf8Strings(const std::vector<std::string>& values,
                        const std::string& where) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t offset = FindInvalidUtf8(values[i]);
    if (offset == std::string::npos) continue;
    throw FileFormatError(where + ": string " + std::to_string(i) +
                          " is not valid UTF-8 (byte " +
                          std::to_string(offset) + "); expected UTF-8 text");
  }
}

void InputFile::ReadRows(const Dataset& dataset,
                         hid_t memory_type,
                         std::int64_t first,
                         std::int64_t count,
                         void* buffer) const {
  if (count == 0 || (dataset.dims.size() == 2 && dataset.dims[1] == 0)) return;
  if (dataset.dims.empty()) {
    if (H5Dread(dataset.id.get(),
                memory_type,
                H5S_ALL,
                H5S_ALL,
                H5P_DEFAULT,
                buffer) < 0) {
      Fail(dataset.name, WithDetail("cannot read"));
    }
    return;
  }
  const Id file_space(H5Dget_space(dataset.id.get()), H5Sclose);
  const Id memory_space =
      SelectRows(file_space.get(), dataset.dims, first, count);
  if (!memory_space.valid() || H5Dread(dataset.id.get(),
                                       memory_type,
                                       memory_space.get(),
                                       file_space.get(),
                                       H5P_DEFAULT,
                                       buffer) < 0) {
    Fail(dataset.name,
         WithDetail("cannot read rows " + std::to_string(first) + " to " +
                    std::to_string(first + count)));
  }
}

std::vector<double> InputFile::ReadRealRows(const Dataset& dataset,
                                            std::int64_t first,
                                            std::int64_t count) const {
  std::vector<double> values(static_cast<std::size_t>(
      count * (dataset.dims.empty() ? 1 : dataset.columns())));
  ReadRows(dataset, H5T_NATIVE_DOUBLE, first, count, values.data());
  return values;
}

std::vector<std::int64_t> InputFile::ReadIntegerRows(const Dataset& dataset,
                                                     std::int64_t first,
                                                     std::int64_t count) const {
  std::vector<std::int64_t> values(static_cast<std::size_t>(
      count * (dataset.dims.empty() ? 1 : dataset.columns())));
  ReadRows(dataset, H5T_NATIVE_INT64, first, count, values.data());
  return values;
}

std::vector<double> InputFile::ReadReals(const Dataset& dataset) const {
  return ReadRealRows(dataset, 0, dataset.rows());
}

std::vector<std::int64_t> InputFile::ReadIntegers(
    const Dataset& dataset) const {
  return ReadIntegerRows(dataset, 0, dataset.rows());
}

// ---------------------------------------------------------------- writing

OutputFile::OutputFile(const std::filesystem::path& path, std::string label)
    : label_(std::move(label)) {
  SilenceErrorPrinting();
  // Default creation and access properties: superblock version 0 and the
  // earliest object formats, as h5py writes them.
  file_ = Id(
      H5Fcreate(path.string().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
      H5Fclose);
  if (!file_.valid()) {
    throw InvalidInput(WithDetail(label_ + ": cannot create HDF5 file"));
  }
  // h5py's defaults: no object timestamps (track_times=False), contiguous
  // layout with late allocation and no fill value.
  group_properties_ = Id(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
  H5Pset_obj_track_times(group_properties_.get(), 0);
  dataset_properties_ = Id(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_obj_track_times(dataset_properties_.get(), 0);
}

void OutputFile::EnsureParentGroup(const std::string& object_path) {
  const std::size_t slash = object_path.rfind('/');
  if (slash == std::string::npos) return;
  const std::string group = object_path.substr(0, slash);
  if (H5Lexists(file_.get(), group.c_str(), H5P_DEFAULT) > 0) return;
  EnsureParentGroup(group);
  const Id created(H5Gcreate2(file_.get(),
                              group.c_str(),
                              H5P_DEFAULT,
                              group_properties_.get(),
                              H5P_DEFAULT),
                   H5Gclose);
  if (!created.valid()) Fail(group, "cannot create group");
}

void OutputFile::Fail(const std::string& object_path,
                      const std::string& what) const {
  throw InvalidInput(
      WithDetail(label_ + ": cannot write " + object_path + ": " + what));
}

void OutputFile::Write(const std::string& object_path,
                       hid_t file_type,
                       hid_t memory_type,
                       const std::vector<hsize_t>& dims,
                       const void* values) {
  EnsureParentGroup(object_path);
  const Id space = Space(dims);
  const Id dataset(H5Dcreate2(file_.get(),
                              object_path.c_str(),
                              file_type,
                              space.get(),
                              H5P_DEFAULT,
                              dataset_properties_.get(),
                              H5P_DEFAULT),
                   H5Dclose);
  if (!dataset.valid()) Fail(object_path, "cannot create dataset");
  if (Product(dims) > 0 &&
      H5Dwrite(
          dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) <
          0) {
    Fail(object_path, "cannot write data");
  }
}

void OutputFile::WriteStrings(const std::string& object_path,
                              const std::vector<std::string>& values,
                              const std::vector<hsize_t>& dims,
                              std::size_t string_size) {
  const Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), string_size);
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  H5Tset_cset(type.get(), H5T_CSET_ASCII);
  std::vector<char> buffer(values.size() * string_size + 1, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::memcpy(buffer.data() + i * string_size,
                values[i].data(),
                std::min(values[i].size(), string_size));
  }
  Write(object_path, type.get(), type.get(), dims, buffer.data());
}

void OutputFile::WriteIntegers(const std::string& object_path,
                               const std::int64_t* values,
                               const std::vector<hsize_t>& dims) {
  Write(object_path, H5T_STD_I64LE, H5T_NATIVE_INT64, dims, values);
}

void OutputFile::WriteReals(const std::string& object_path,
                            const double* values,
                            const std::vector<hsize_t>& dims) {
  Write(object_path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, values);
}

Id OutputFile::CreateDataset(const std::string& object_path,
                             Kind kind,
                             const std::vector<hsize_t>& dims) {
  EnsureParentGroup(object_path);
  const Id space = Space(dims);
  const hid_t file_type =
      kind == Kind::kInteger ? H5T_STD_I64LE : H5T_IEEE_F64LE;
  Id dataset(H5Dcreate2(file_.get(),
                        object_path.c_str(),
                        file_type,
                        space.get(),
                        H5P_DEFAULT,
                        dataset_properties_.get(),
                        H5P_DEFAULT),
             H5Dclose);
  if (!dataset.valid()) Fail(object_path, "cannot create dataset");
  return dataset;
}

void OutputFile::WriteRows(const Id& dataset,
                           const std::string& object_path,
                           Kind kind,
                           std::int64_t first,
                           std::int64_t count,
                           const void* values) {
  if (count == 0) return;
  const Id file_space(H5Dget_space(dataset.get()), H5Sclose);
  std::vector<hsize_t> dims(
      static_cast<std::size_t>(H5Sget_simple_extent_ndims(file_space.get())));
  H5Sget_simple_extent_dims(file_space.get(), dims.data(), nullptr);
  if (Product(dims) == 0) return;
  const Id memory_space = SelectRows(file_space.get(), dims, first, count);
  const hid_t memory_type =
      kind == Kind::kInteger ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
  if (!memory_space.valid() || H5Dwrite(dataset.get(),
                                        memory_type,
                                        memory_space.get(),
                                        file_space.get(),
                                        H5P_DEFAULT,
                                        values) < 0) {
    Fail(object_path,
         "rows " + std::to_string(first) + " to " +
             std::to_string(first + count));
  }
}

void OutputFile::Close() {
  if (!file_.valid()) return;
  group_properties_.Reset();
  dataset_properties_.Reset();
  const hid_t id = file_.Release();
  const bool flushed = H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0;
  const bool closed = H5Fclose(id) >= 0;
  if (!flushed || !closed) {
    throw InvalidInput(WithDetail(label_ + ": cannot write HDF5 file"));
  }
}

}  // namespace goldmine::mining::hdf5

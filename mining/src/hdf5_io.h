// Thin checked wrappers around the HDF5 C API for madminer_file.cc: owning
// ids, datasets opened with their kind and rank checked, whole-dataset and
// row-range reads, and writes with MadMiner's element types (int64 and
// float64 little-endian, fixed-length NULL-padded ASCII strings). Every
// failure becomes a FileFormatError (reading) or InvalidInput (writing) whose
// message names the file and the dataset.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace goldmine::mining::hdf5 {

// Turns off HDF5's printing of error stacks to stderr (the library never
// prints). Idempotent.
void SilenceErrorPrinting();

// An owning hid_t, closed with the matching H5?close function.
class Id {
 public:
  using Closer = herr_t (*)(hid_t);
  Id() = default;
  Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  ~Id() { Reset(); }
  Id(Id&& other) noexcept : id_(other.id_), closer_(other.closer_) {
    other.id_ = -1;
  }
  Id& operator=(Id&& other) noexcept;
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void Reset();
  // Gives up ownership; the caller closes the id.
  hid_t Release() {
    const hid_t id = id_;
    id_ = -1;
    return id;
  }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

enum class Kind {
  kInteger,  // any integer type, read as int64
  kReal,     // float, or integer converted, read as double
  kString,   // fixed- or variable-length string
};

struct Dataset {
  std::string name;  // path inside the file, e.g. "samples/weights"
  Id id;
  std::vector<hsize_t> dims;  // empty for a scalar
  std::int64_t rows() const {
    return dims.empty() ? 1 : static_cast<std::int64_t>(dims[0]);
  }
  std::int64_t columns() const {
    return dims.size() < 2 ? 1 : static_cast<std::int64_t>(dims[1]);
  }
};

// "(20000, 4)", "()" for a scalar.
std::string ShapeText(const std::vector<hsize_t>& dims);

class InputFile {
 public:
  // Throws FileFormatError when the file is missing or not HDF5.
  explicit InputFile(const std::filesystem::path& path);

  const std::string& name() const { return name_; }
  // True when every component of `object_path` exists.
  bool Has(const std::string& object_path) const;
  // Opens a dataset and checks its element kind and rank. `expected` is the
  // human description of what the layout wants, e.g. "float64 (N, B)".
  Dataset Open(const std::string& object_path,
               Kind kind,
               int rank,
               const std::string& expected) const;
  // Throws FileFormatError "<file>: dataset X has shape ..., expected ...".
  [[noreturn]] void ThrowShape(const Dataset& dataset,
                               const std::string& expected) const;
  [[noreturn]] void Fail(const std::string& object_path,
                         const std::string& problem) const;

  // Whole dataset, flattened row-major. Strings must be valid UTF-8.
  std::vector<std::string> ReadStrings(const Dataset& dataset) const;
  std::vector<std::int64_t> ReadIntegers(const Dataset& dataset) const;
  std::vector<double> ReadReals(const Dataset& dataset) const;
  // Rows [first, first + count) of a 1-D or 2-D dataset, row-major.
  std::vector<double> ReadRealRows(const Dataset& dataset,
                                   std::int64_t first,
                                   std::int64_t count) const;
  std::vector<std::int64_t> ReadIntegerRows(const Dataset& dataset,
                                            std::int64_t first,
                                            std::int64_t count) const;
  // The same into a caller's buffer of count × columns values.
  void ReadRealRows(const Dataset& dataset,
                    std::int64_t first,
                    std::int64_t count,
                    double* buffer) const {
    ReadRows(dataset, H5T_NATIVE_DOUBLE, first, count, buffer);
  }
  void ReadIntegerRows(const Dataset& dataset,
                       std::int64_t first,
                       std::int64_t count,
                       std::int64_t* buffer) const {
    ReadRows(dataset, H5T_NATIVE_INT64, first, count, buffer);
  }

 private:
  void RequireUtf8(const Dataset& dataset,
                   const std::vector<std::string>& values) const;
  void ReadRows(const Dataset& dataset,
                hid_t memory_type,
                std::int64_t first,
                std::int64_t count,
                void* buffer) const;

  std::string name_;
  Id file_;
};

// A string list in a MadMiner or samples file names benchmarks, observables,
// parameters or systematics: thousands of entries at most. A corrupt
// dataspace or string type can claim 2^37 strings or gigabytes per string;
// trusting it cost 4 GB and minutes before HDF5 failed, or std::bad_alloc
// (fuzz findings, issue 15). Throws FileFormatError "<where>: claims N
// strings of S bytes; expected at most ..." beyond these bounds, or when
// count * element_bytes overflows.
inline constexpr unsigned long long kMaxStringCount = 1ULL << 20;
inline constexpr unsigned long long kMaxStringListBytes = 1ULL << 26;
void RequirePlausibleStringList(unsigned long long count,
                                unsigned long long element_bytes,
                                const std::string& where);

// A numeric dataset can hold no more values than the file stores for it.
// A corrupt dataspace (or a chunked dataset extended without writing) can
// claim 2^40 rows that HDF5 would serve as fill values: reading them costs
// terabytes or std::bad_alloc (a samples file read whole
// by ReadSamples).
// goldmine and h5py write every value, so an unfiltered dataset must store
// at least rows × columns × element bytes; a filtered (deflate) one at
// least 1/kMaxCompressionRatio of it, deflate's ratio being bounded by 1032.
// Throws FileFormatError "<where>: claims N values (B bytes) but the file
// stores S bytes for it; expected ... (corrupt or truncated file?)".
inline constexpr unsigned long long kMaxCompressionRatio = 2048;
void RequireStoredValues(hid_t dataset, const std::string& where);

// Throws FileFormatError "<where>: string I is not valid UTF-8 (byte K)..."
// for the first of `values` that is not UTF-8 (core/utf8.h).
void RequireUtf8Strings(const std::vector<std::string>& values,
                        const std::string& where);

class OutputFile {
 public:
  // Creates (truncates) `path`; messages name `label` (the final path).
  OutputFile(const std::filesystem::path& path, std::string label);

  // Fixed-length NULL-padded ASCII strings of `string_size` bytes; values
  // must fit (checked by the caller).
  void WriteStrings(const std::string& object_path,
                    const std::vector<std::string>& values,
                    const std::vector<hsize_t>& dims,
                    std::size_t string_size);
  void WriteIntegers(const std::string& object_path,
                     const std::int64_t* values,
                     const std::vector<hsize_t>& dims);
  void WriteReals(const std::string& object_path,
                  const double* values,
                  const std::vector<hsize_t>& dims);

  // A contiguous dataset filled later with WriteRows().
  Id CreateDataset(const std::string& object_path,
                   Kind kind,
                   const std::vector<hsize_t>& dims);
  // Rows [first, first + count) of a 1-D or 2-D dataset from a row-major
  // buffer of int64 (kInteger) or double (kReal).
  void WriteRows(const Id& dataset,
                 const std::string& object_path,
                 Kind kind,
                 std::int64_t first,
                 std::int64_t count,
                 const void* values);

  // Flushes and closes; throws InvalidInput on failure.
  void Close();

 private:
  [[noreturn]] void Fail(const std::string& object_path,
                         const std::string& what) const;
  void Write(const std::string& object_path,
             hid_t file_type,
             hid_t memory_type,
             const std::vector<hsize_t>& dims,
             const void* values);

  // Creates the group holding `object_path` unless it exists.
  void EnsureParentGroup(const std::string& object_path);

  std::string label_;
  Id file_;
  Id group_properties_;
  Id dataset_properties_;
};

}  // namespace goldmine::mining::hdf5

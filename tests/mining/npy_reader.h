// Test-only readers for NumPy files: .npy (format 1.x/2.x, C order,
// little-endian float32/float64/int64/int32) and .npz (zip archive, stored or
// deflated members, read through the central directory).
#pragma once

#include <zlib.h>

#include <Eigen/Core>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace goldmine::testing {

struct NpyArray {
  std::vector<std::size_t> shape;
  std::vector<double> values;  // row-major, converted to double

  std::size_t dim(std::size_t i) const {
    return i < shape.size() ? shape[i] : 1;
  }
  // Rows = shape[0], columns = product of the others (row-major flattening).
  Eigen::MatrixXd Matrix() const {
    const std::size_t rows = shape.empty() ? 1 : shape[0];
    const std::size_t columns = rows == 0 ? 0 : values.size() / rows;
    Eigen::MatrixXd matrix(rows, columns);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < columns; ++c) {
        matrix(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
            values[r * columns + c];
      }
    }
    return matrix;
  }
};

inline NpyArray ParseNpy(const std::string& bytes) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    throw std::runtime_error("not an .npy file");
  }
  const int major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_length = 0;
  std::size_t offset = 0;
  if (major == 1) {
    header_length =
        static_cast<unsigned char>(bytes[8]) |
        (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else {
    header_length = 0;
    for (int i = 3; i >= 0; --i) {
      header_length =
          (header_length << 8) | static_cast<unsigned char>(bytes[8 + i]);
    }
    offset = 12;
  }
  const std::string header = bytes.substr(offset, header_length);
  const std::size_t descr = header.find("'descr': '");
  const std::string type = header.substr(descr + 10, 3);
  if (header.find("'fortran_order': False") == std::string::npos) {
    throw std::runtime_error("Fortran-order .npy not supported");
  }
  NpyArray array;
  const std::size_t open = header.find('(', header.find("'shape'"));
  const std::size_t close = header.find(')', open);
  std::stringstream shape(header.substr(open + 1, close - open - 1));
  std::string item;
  std::size_t count = 1;
  while (std::getline(shape, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos) continue;
    array.shape.push_back(std::stoul(item));
    count *= array.shape.back();
  }
  const char* data = bytes.data() + offset + header_length;
  array.values.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (type == "<f8") {
      double v;
      std::memcpy(&v, data + 8 * i, 8);
      array.values[i] = v;
    } else if (type == "<f4") {
      float v;
      std::memcpy(&v, data + 4 * i, 4);
      array.values[i] = v;
    } else if (type == "<i8") {
      std::int64_t v;
      std::memcpy(&v, data + 8 * i, 8);
      array.values[i] = static_cast<double>(v);
    } else if (type == "<i4") {
      std::int32_t v;
      std::memcpy(&v, data + 4 * i, 4);
      array.values[i] = v;
    } else {
      throw std::runtime_error("unsupported .npy dtype " + type);
    }
  }
  return array;
}

inline std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline NpyArray ReadNpy(const std::filesystem::path& path) {
  return ParseNpy(ReadBytes(path));
}

inline std::uint32_t Little(const std::string& bytes,
                            std::size_t at,
                            int size) {
  std::uint32_t value = 0;
  for (int i = size - 1; i >= 0; --i) {
    value = (value << 8) |
            static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  }
  return value;
}

// Members by name without ".npy".
inline std::map<std::string, NpyArray> ReadNpz(
    const std::filesystem::path& path) {
  const std::string bytes = ReadBytes(path);
  const std::size_t end = bytes.rfind(std::string("PK\x05\x06", 4));
  if (end == std::string::npos) throw std::runtime_error("not a zip file");
  const std::uint32_t entries = Little(bytes, end + 10, 2);
  std::size_t at = Little(bytes, end + 16, 4);
  std::map<std::string, NpyArray> arrays;
  for (std::uint32_t e = 0; e < entries; ++e) {
    const std::uint32_t method = Little(bytes, at + 10, 2);
    const std::uint32_t compressed = Little(bytes, at + 20, 4);
    const std::uint32_t uncompressed = Little(bytes, at + 24, 4);
    const std::uint32_t name_length = Little(bytes, at + 28, 2);
    const std::uint32_t extra_length = Little(bytes, at + 30, 2);
    const std::uint32_t comment_length = Little(bytes, at + 32, 2);
    const std::uint32_t local = Little(bytes, at + 42, 4);
    std::string name = bytes.substr(at + 46, name_length);
    at += 46 + name_length + extra_length + comment_length;
    const std::size_t data = local + 30 + Little(bytes, local + 26, 2) +
                             Little(bytes, local + 28, 2);
    std::string member;
    if (method == 0) {
      member = bytes.substr(data, uncompressed);
    } else if (method == 8) {
      member.resize(uncompressed);
      z_stream stream{};
      inflateInit2(&stream, -MAX_WBITS);
      stream.next_in =
          reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + data));
      stream.avail_in = compressed;
      stream.next_out = reinterpret_cast<Bytef*>(member.data());
      stream.avail_out = uncompressed;
      const int status = inflate(&stream, Z_FINISH);
      inflateEnd(&stream);
      if (status != Z_STREAM_END) throw std::runtime_error("inflate failed");
    } else {
      throw std::runtime_error("unsupported zip method");
    }
    if (name.size() > 4 && name.substr(name.size() - 4) == ".npy") {
      name.resize(name.size() - 4);
    }
    arrays[name] = ParseNpy(member);
  }
  return arrays;
}

}  // namespace goldmine::testing

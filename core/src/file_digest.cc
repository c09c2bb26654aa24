#include "goldmine/core/file_digest.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>

#include "goldmine/core/errors.h"

namespace goldmine {

std::string Sha256OfFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidInput(path.string() + ": cannot open to hash");
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
    throw InternalError("SHA-256: cannot initialise OpenSSL's digest");
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    const std::streamsize count = in.gcount();
    if (count > 0 &&
        EVP_DigestUpdate(
            context.get(), buffer.data(), static_cast<std::size_t>(count)) != 1)
      throw InternalError("SHA-256: OpenSSL's digest failed");
  }
  if (in.bad())
    throw InvalidInput(path.string() + ": read error while hashing");
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(context.get(), digest.data(), &size) != 1)
    throw InternalError("SHA-256: OpenSSL's digest failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

}  // namespace goldmine

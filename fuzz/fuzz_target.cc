// The libFuzzer entry point of one parser; fuzz/CMakeLists.txt compiles it
// once per parser with GOLDMINE_FUZZ_PARSER set to the parser's name.
//
// The exit-2 errors (InvalidInput, FileFormatError) are the correct answer to
// a bad input and are swallowed. Everything else is a finding: an escaping
// exception (InternalError, std::bad_alloc, nlohmann or HDF5 exceptions)
// ends in std::terminate, which libFuzzer reports as a crash with the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_input.h"
#include "goldmine/core/errors.h"

#ifndef GOLDMINE_FUZZ_PARSER
#error "GOLDMINE_FUZZ_PARSER must name the parser (fuzz/CMakeLists.txt)"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    goldmine::fuzz::ParseInput(GOLDMINE_FUZZ_PARSER, bytes);
  } catch (const goldmine::InvalidInput&) {
  } catch (const goldmine::FileFormatError&) {
  }
  return 0;
}

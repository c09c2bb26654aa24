# libFuzzer builds (the `fuzz` preset, docs/fuzzing.md). Every library is
# compiled with coverage instrumentation (-fsanitize=fuzzer-no-link) on top
# of ASan + UBSan (Sanitizers.cmake), so that the fuzz targets in fuzz/ see
# the code they exercise; only the targets themselves link libFuzzer's main
# (-fsanitize=fuzzer, fuzz/CMakeLists.txt). Needs clang and Debian's
# libclang-rt-14-dev (scripts/setup.sh); GCC has no libFuzzer.
if(GOLDMINE_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "GOLDMINE_BUILD_FUZZERS needs clang (libFuzzer); "
                        "configure with the `fuzz` preset")
  endif()
  if(NOT GOLDMINE_SANITIZERS)
    message(FATAL_ERROR "GOLDMINE_BUILD_FUZZERS needs GOLDMINE_SANITIZERS=ON "
                        "(a finding is an ASan/UBSan report)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
endif()

# goldmine_add_library(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
#   Creates target goldmine_NAME with alias goldmine::NAME. Public headers live in
#   NAME/include/goldmine/NAME/, everything else in NAME/src/. The library and
#   its headers are installed, and exported as goldmine::NAME (the same name as
#   the alias) in the goldmineTargets export set (docs/cmake_package.md).
# goldmine_add_test(NAME SOURCES ... DEPS ...)
#   A GoogleTest executable registered with CTest, one CTest test per TEST().

include(GNUInstallDirs)

function(goldmine_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wnon-virtual-dtor -Wold-style-cast)
  if(GOLDMINE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(goldmine_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(goldmine_${name} STATIC ${ARG_SOURCES})
  add_library(goldmine::${name} ALIAS goldmine_${name})
  set_target_properties(goldmine_${name} PROPERTIES EXPORT_NAME ${name})
  target_include_directories(goldmine_${name}
    PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(goldmine_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  goldmine_set_warnings(goldmine_${name})
  # PRIVATE_DEPS stay out of the installed headers' include paths, but a
  # static library still needs them at link time: the export lists them as
  # $<LINK_ONLY:...>, and goldmineConfig.cmake finds them.
  install(TARGETS goldmine_${name} EXPORT goldmineTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT goldmine_development)
  install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/goldmine/${name}
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/goldmine COMPONENT goldmine_development
    FILES_MATCHING PATTERN "*.h")
endfunction()

# SHARED_FIXTURES: test suites whose SetUpTestSuite does the expensive work
# (generating, mining, integrating, training) that all their tests check. ctest
# runs each discovered test in a process of its own, which would repeat that
# work per test; these suites run as one ctest test each instead, so that it
# is done once (the same checks, 2-4x less time, most of all under ASan).
function(goldmine_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;SHARED_FIXTURES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    GOLDMINE_SHARED_DIR="${GOLDMINE_SHARED_DIR}"
    GOLDMINE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  goldmine_set_warnings(${name})
  if(ARG_SHARED_FIXTURES)
    list(TRANSFORM ARG_SHARED_FIXTURES APPEND ".*" OUTPUT_VARIABLE patterns)
    list(JOIN patterns ":" filter)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 600
      TEST_FILTER "-${filter}")
    foreach(suite IN LISTS ARG_SHARED_FIXTURES)
      add_test(NAME ${suite}.all COMMAND ${name} --gtest_filter=${suite}.*)
      set_tests_properties(${suite}.all PROPERTIES TIMEOUT 1200)
    endforeach()
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 600)
  endif()
endfunction()

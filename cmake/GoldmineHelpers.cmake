# goldmine_add_library(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
#   Creates target goldmine_NAME with alias goldmine::NAME. Public headers live in
#   NAME/include/goldmine/NAME/, everything else in NAME/src/.
# goldmine_add_test(NAME SOURCES ... DEPS ...)
#   A GoogleTest executable registered with CTest, one CTest test per TEST().

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
  target_include_directories(goldmine_${name}
    PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(goldmine_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  goldmine_set_warnings(goldmine_${name})
endfunction()

function(goldmine_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    GOLDMINE_SHARED_DIR="${GOLDMINE_SHARED_DIR}"
    GOLDMINE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  goldmine_set_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 600)
endfunction()

# Writes version.cc with the checkout's git revision, at build time: a
# revision read when CMake configured the tree would go stale with the next
# commit, and every output's provenance would name a revision that did not
# build it. "-dirty" marks a tree with uncommitted changes to tracked files.
# configure_file rewrites the file only when its text changes, so an
# unchanged revision rebuilds nothing.
#
# cmake -DSOURCE_DIR=... -DINPUT=version.cc.in -DOUTPUT=version.cc
#       -DPROJECT_VERSION=... -P WriteVersion.cmake
execute_process(
  COMMAND git rev-parse --short HEAD
  WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE GOLDMINE_GIT_REVISION
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(NOT GOLDMINE_GIT_REVISION)
  set(GOLDMINE_GIT_REVISION "unknown")
else()
  execute_process(
    COMMAND git status --porcelain --untracked-files=no
    WORKING_DIRECTORY ${SOURCE_DIR}
    OUTPUT_VARIABLE changes
    OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_QUIET)
  if(changes)
    string(APPEND GOLDMINE_GIT_REVISION "-dirty")
  endif()
endif()
configure_file(${INPUT} ${OUTPUT} @ONLY)

# nuri_add_catch_tests(<target> [LABELS <label>...] [TIMEOUT <seconds>])
#
# Registers every Catch2 test case of <target> as its own CTest test, named "<target>: <case>",
# labelled with the case's tags (smoke / full / nightly, golden, rtl, ...) plus LABELS. Discovery
# runs the executable with --nuri-list after each build (see tb/common/catch_main.cpp), so the
# list always matches the binary. Per-case tests let `ctest -j` spread a suite over the cores.
include_guard(GLOBAL)

function(nuri_add_catch_tests target)
  cmake_parse_arguments(NC "" "TIMEOUT" "LABELS" ${ARGN})
  if(NC_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "nuri_add_catch_tests(${target}): unknown arguments: ${NC_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT NC_TIMEOUT)
    set(NC_TIMEOUT 1500)
  endif()
  set(list_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_ctest.cmake")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND "${CMAKE_COMMAND}"
            -D "EXE=$<TARGET_FILE:${target}>"
            -D "TARGET=${target}"
            -D "OUT=${list_file}"
            -D "LABELS=${NC_LABELS}"
            -D "TIMEOUT=${NC_TIMEOUT}"
            -D "WORKDIR=${CMAKE_CURRENT_BINARY_DIR}"
            -P "${PROJECT_SOURCE_DIR}/scripts/cmake/NuriCatchList.cmake"
    VERBATIM)
  set(guard_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_ctest_include.cmake")
  file(WRITE "${guard_file}"
    "if(EXISTS \"${list_file}\")\n"
    "  include(\"${list_file}\")\n"
    "else()\n"
    "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${guard_file}")
endfunction()

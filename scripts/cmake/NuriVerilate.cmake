# nuri_verilate(): the one way Nuri turns RTL into C++ inside a test or tool executable.
#
#   nuri_verilate(<target>
#     PREFIX  <Vname>            # unique C++ class name; one per parameter set (e.g. Vnpu_array_4x4)
#     TOP     <module>           # top module
#     SOURCES <file>...          # SystemVerilog sources (packages first)
#     [PARAMS <Name>=<value>...] # top-level parameter overrides (-G); also exported to C++ as
#                                #   NURI_<PREFIX>_<Name>=<value> compile definitions
#     [INCLUDE_DIRS <dir>...]    # `include search path (rtl/ is always on it)
#     [ARGS <verilator-arg>...]  # extra Verilator arguments (rarely needed; reviewed like code)
#   )
#
# Wraps Verilator's own verilate(): assertions on (--assert), FST tracing compiled in (opened
# only when a test asks, see tb/common/include/nuri/tb/dut.hpp), coverage when NURI_COVERAGE is
# ON. Unknown keywords and reused prefixes are errors, so a typo cannot silently drop an option.
include_guard(GLOBAL)

set(NURI_RTL_DIR "${PROJECT_SOURCE_DIR}/rtl")

function(nuri_verilate target)
  cmake_parse_arguments(NV "" "PREFIX;TOP" "SOURCES;PARAMS;INCLUDE_DIRS;ARGS" ${ARGN})
  if(NV_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "nuri_verilate(${target}): unknown arguments: ${NV_UNPARSED_ARGUMENTS}")
  endif()
  if(NV_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "nuri_verilate(${target}): keywords without values: ${NV_KEYWORDS_MISSING_VALUES}")
  endif()
  # cmake_parse_arguments() files a misspelt keyword that follows a list keyword under that list;
  # catch it there: no list entry may look like a keyword.
  foreach(lst SOURCES PARAMS INCLUDE_DIRS ARGS)
    foreach(v IN LISTS NV_${lst})
      if(v MATCHES "^[A-Z][A-Z0-9_]+$")
        message(FATAL_ERROR "nuri_verilate(${target}): unknown arguments: ${v} (after ${lst})")
      endif()
    endforeach()
  endforeach()
  foreach(src IN LISTS NV_SOURCES)
    if(NOT src MATCHES "\\.(sv|v|vlt)$")
      message(FATAL_ERROR "nuri_verilate(${target}): SOURCES entry '${src}' is not a .sv, .v or .vlt file")
    endif()
  endforeach()
  foreach(req PREFIX TOP SOURCES)
    if(NOT NV_${req})
      message(FATAL_ERROR "nuri_verilate(${target}): ${req} is required")
    endif()
  endforeach()
  if(NOT NV_PREFIX MATCHES "^V[A-Za-z0-9_]+$")
    message(FATAL_ERROR "nuri_verilate(${target}): PREFIX '${NV_PREFIX}' must look like Vname")
  endif()
  get_property(used GLOBAL PROPERTY NURI_VERILATOR_PREFIXES)
  list(FIND used "${NV_PREFIX}" prefix_index)
  if(NOT prefix_index EQUAL -1)
    message(FATAL_ERROR "nuri_verilate(${target}): PREFIX ${NV_PREFIX} is already used; give each parameter set its own prefix")
  endif()
  set_property(GLOBAL APPEND PROPERTY NURI_VERILATOR_PREFIXES ${NV_PREFIX})
  if(NOT TARGET ${target})
    message(FATAL_ERROR "nuri_verilate(${target}): no such target; create the executable first")
  endif()

  set(vargs --assert -Wno-fatal -Wno-lint -Wno-style --x-assign unique --x-initial unique
            -O3 --output-split 20000)
  # Lint warnings are checked by the lint tests with -Wall; the build itself must not stop on
  # them, so lint and build stay independent. Everything else (errors) still fails the build.
  string(REGEX REPLACE "^V" "" pname "${NV_PREFIX}")
  foreach(p IN LISTS NV_PARAMS)
    if(NOT p MATCHES "^([A-Za-z_][A-Za-z0-9_]*)=(.+)$")
      message(FATAL_ERROR "nuri_verilate(${target}): PARAMS entry '${p}' is not Name=value")
    endif()
    list(APPEND vargs "-G${p}")
    target_compile_definitions(${target} PRIVATE "NURI_${pname}_${CMAKE_MATCH_1}=${CMAKE_MATCH_2}")
  endforeach()
  list(APPEND vargs ${NV_ARGS})

  set(opts TRACE_FST)
  if(NURI_COVERAGE)
    list(APPEND opts COVERAGE)
    list(APPEND vargs --coverage-line --coverage-toggle --coverage-user)
  endif()

  # The model is compiled into its own static library, so the project's -Werror never applies to
  # Verilator's generated code and its headers reach the test as system headers.
  set(lib "${target}__${NV_PREFIX}")
  add_library(${lib} STATIC)
  verilate(${lib} ${opts}
    PREFIX ${NV_PREFIX}
    TOP_MODULE ${NV_TOP}
    SOURCES ${NV_SOURCES}
    INCLUDE_DIRS ${NURI_RTL_DIR} ${NV_INCLUDE_DIRS}
    DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/${NV_PREFIX}.dir"
    VERILATOR_ARGS ${vargs}
    OPT_FAST -O2)
  get_target_property(incs ${lib} INTERFACE_INCLUDE_DIRECTORIES)
  set_property(TARGET ${lib} PROPERTY INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${incs})
  target_link_libraries(${lib} PUBLIC Threads::Threads)
  target_link_libraries(${target} PRIVATE ${lib})
  # The same switches the model was built with, for code that includes Verilator headers.
  if(NURI_COVERAGE)
    set(cov 1)
  else()
    set(cov 0)
  endif()
  target_compile_definitions(${target} PRIVATE VM_TRACE=1 VM_TRACE_FST=1 VM_TRACE_VCD=0
                                               VM_COVERAGE=${cov} VM_SC=0)
endfunction()

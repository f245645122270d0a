# cmake -D "CMD=<program;args>" -D RC=<expected exit code> -D "RE=<regex>" [-D "CMP=a;b"] -P expect_run.cmake
# Runs CMD, fails unless its exit code is RC and its stdout + stderr match RE; with CMP, also
# requires the two files to be identical.
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc STREQUAL RC)
  message(FATAL_ERROR "exit code ${rc}, expected ${RC}")
endif()
if(NOT "${out}${err}" MATCHES "${RE}")
  message(FATAL_ERROR "output does not match '${RE}'")
endif()
if(CMP)
  list(GET CMP 0 a)
  list(GET CMP 1 b)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${a} ${b} RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "${a} differs from ${b}")
  endif()
endif()

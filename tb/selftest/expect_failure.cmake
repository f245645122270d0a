# cmake -D EXE=<tb> -D CASE=<test case> -D EXPECT=<regex> -P expect_failure.cmake
# Runs one test case that must FAIL: non-zero exit status and EXPECT in its output. Used to show
# that a deliberately broken RTL assertion fails a run (tb/selftest/CMakeLists.txt).
execute_process(COMMAND "${EXE}" "${CASE}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE out)
message("${out}")
if(rc EQUAL 0)
  message(FATAL_ERROR "expected '${CASE}' to fail, but it exited with status 0")
endif()
if(NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "'${CASE}' failed (status ${rc}) but its output lacks /${EXPECT}/")
endif()
message("ok: '${CASE}' failed as expected (status ${rc})")

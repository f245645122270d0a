// A post-synthesis netlist of npu_top as a firmware HAL backend: the same RtlHalImpl as the RTL
// builds (AXI4 memory model as DRAM, AXI4-Lite CSR master, interrupt line), over a Verilated
// netlist instead of the RTL. tb_fpga_netlist links it with the generic-gate netlist
// (netlist_model.cmake), tb_fpga_netlist_ecp5 with the ECP5-cell netlist (netlist_ecp5.cmake);
// both models are classes named Vnpu_top_netlist, each in its own folder. Their *_rtl twins link
// rtl_ref_hal.cpp instead, which puts the RTL at the same configuration behind the same factory
// (same test cases, with waves).
#pragma once

#include <cstdint>
#include <memory>

#include "nuri/rtl/rtl_hal.hpp"

namespace nuri::fpga {

// The configuration the netlist was synthesized with (NURI_NETLIST_* from the .cmake file).
struct NetlistConfig {
  unsigned rows, cols;
  std::uint32_t spad_bytes, acc_bytes, param_entries, queue_depth;
};
inline NetlistConfig netlist_config() {
  return {NURI_NETLIST_Rows,     NURI_NETLIST_Cols,         NURI_NETLIST_SpadBytes,
          NURI_NETLIST_AccBytes, NURI_NETLIST_ParamEntries, NURI_NETLIST_QueueDepth};
}

// Builds and resets the model; options.array must be netlist_config().rows (or 0). The netlist
// model has no tracing or coverage: a waves_path or coverage_path is an error there.
std::unique_ptr<nuri::rtl::RtlHal> make_netlist_hal(const nuri::rtl::RtlOptions& options);

}  // namespace nuri::fpga

// The Verilated npu_top netlist behind the HAL (see netlist_hal.hpp).
#include "netlist_hal.hpp"

#include <stdexcept>
#include <string>

#include "Vnpu_top_netlist.h"
#include "nuri/rtl/rtl_hal_model.hpp"

namespace nuri::fpga {

std::unique_ptr<nuri::rtl::RtlHal> make_netlist_hal(const nuri::rtl::RtlOptions& options) {
  if (options.array != 0 && options.array != netlist_config().rows) {
    throw std::invalid_argument(
        "netlist: the netlist is the " + std::to_string(netlist_config().rows) + "x" +
        std::to_string(netlist_config().cols) + " build, not " + std::to_string(options.array) +
        "x" + std::to_string(options.array));
  }
  if (!options.waves_path.empty() || !options.coverage_path.empty()) {
    throw std::invalid_argument(
        "netlist: the netlist model has no tracing or coverage; for waves run the same case "
        "in " NURI_NETLIST_RTL_REF " (the RTL at the netlist's configuration)");
  }
  return std::make_unique<nuri::rtl::detail::RtlHalImpl<Vnpu_top_netlist>>(options);
}

}  // namespace nuri::fpga

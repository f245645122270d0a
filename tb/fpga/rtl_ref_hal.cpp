// The RTL of npu_top at the netlist's configuration behind the netlist's factory (see
// netlist_hal.hpp): tb_fpga_netlist_rtl runs the netlist's test cases on it, to tell a netlist
// problem from an RTL or firmware one, and records waves (--waves).
#include <memory>

#include "Vnpu_top_netlist_rtl.h"
#include "netlist_hal.hpp"
#include "nuri/rtl/rtl_hal_model.hpp"

namespace nuri::fpga {

std::unique_ptr<nuri::rtl::RtlHal> make_netlist_hal(const nuri::rtl::RtlOptions& options) {
  return std::make_unique<nuri::rtl::detail::RtlHalImpl<Vnpu_top_netlist_rtl>>(options);
}

}  // namespace nuri::fpga

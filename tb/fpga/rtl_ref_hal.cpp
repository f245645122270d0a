// The RTL of npu_top at the netlist's configuration behind the netlist's factory (see
// netlist_hal.hpp): tb_fpga_netlist_rtl runs the netlist's test cases on it, to tell a netlist
// problem from an RTL or firmware one, and records waves (--waves).
#include <memory>

#include NURI_RTL_REF_HEADER  // the model of this executable (V<target>, tb/fpga/CMakeLists.txt)
#include "netlist_hal.hpp"
#include "nuri/rtl/rtl_hal_model.hpp"

namespace nuri::fpga {

std::unique_ptr<nuri::rtl::RtlHal> make_netlist_hal(const nuri::rtl::RtlOptions& options) {
  return std::make_unique<nuri::rtl::detail::RtlHalImpl<NURI_RTL_REF_MODEL>>(options);
}

}  // namespace nuri::fpga

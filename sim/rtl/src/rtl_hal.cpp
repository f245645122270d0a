// The Verilated npu_top as a HAL backend (see rtl_hal.hpp): the factory over the builds of this
// library; the HAL class itself is RtlHalImpl in rtl_hal_model.hpp (tb/fpga uses it too).
#include "nuri/rtl/rtl_hal.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

// NURI_RTL_HAS_<N>: the builds this library has (NURI_RTL_ARRAYS, sim/rtl/CMakeLists.txt).
#if NURI_RTL_HAS_16
#include "Vnpu_top_16x16.h"
#endif
#if NURI_RTL_HAS_4
#include "Vnpu_top_4x4.h"
#endif
#if NURI_RTL_HAS_8
#include "Vnpu_top_8x8.h"
#endif
#include "nuri/rtl/rtl_hal_model.hpp"

namespace nuri::rtl {

using detail::RtlHalImpl;

std::vector<unsigned> available_arrays() {
  std::vector<unsigned> a;
#if NURI_RTL_HAS_4
  a.push_back(4);
#endif
#if NURI_RTL_HAS_8
  a.push_back(8);
#endif
#if NURI_RTL_HAS_16
  a.push_back(16);
#endif
  return a;
}

bool has_array(unsigned array) {
  const auto a = available_arrays();
  return std::find(a.begin(), a.end(), array) != a.end();
}

std::unique_ptr<RtlHal> make_rtl_hal(const RtlOptions& options) {
  switch (options.array) {
#if NURI_RTL_HAS_4
    case 4:
      return std::make_unique<RtlHalImpl<Vnpu_top_4x4>>(options);
#endif
#if NURI_RTL_HAS_8
    case 8:
      return std::make_unique<RtlHalImpl<Vnpu_top_8x8>>(options);
#endif
#if NURI_RTL_HAS_16
    case 16:
      return std::make_unique<RtlHalImpl<Vnpu_top_16x16>>(options);
#endif
    default: {
      std::string built;
      for (unsigned a : available_arrays())
        built += (built.empty() ? "" : ", ") + std::to_string(a) + "x" + std::to_string(a);
      throw std::invalid_argument(
          "rtl: no " + std::to_string(options.array) + "x" + std::to_string(options.array) +
          " build of the NPU in this binary (built: " + built + "; NURI_RTL_ARRAYS selects them)");
    }
  }
}

}  // namespace nuri::rtl

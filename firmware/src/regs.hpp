// The one include for CSR offsets inside the firmware: the generated map (scripts/gen_regs.py)
// plus short aliases the firmware uses.
#pragma once

#include "nuri/fw/npu_regs.hpp"

namespace nuri::fw::regs {

inline constexpr std::uint32_t kIrqDone = kIrqStatusDone;  // same bit in IRQ_ENABLE
inline constexpr std::uint32_t kIrqError = kIrqStatusError;
static_assert(kIrqEnableDone == kIrqStatusDone && kIrqEnableError == kIrqStatusError);
inline constexpr std::uint32_t kVersionMajor = kVersionMajorValue;

}  // namespace nuri::fw::regs

// CSR byte offsets and fields of /work/plan/regmap.md, private to the firmware until the generated
// header nuri/fw/npu_regs.hpp lands (then src/regs.hpp switches to it). One place only.
#pragma once

#include <cstdint>

namespace nuri::fw::regs {

inline constexpr std::uint32_t kId = 0x000;
inline constexpr std::uint32_t kVersion = 0x004;
inline constexpr std::uint32_t kHwArray = 0x008;
inline constexpr std::uint32_t kHwSpadBytes = 0x00C;
inline constexpr std::uint32_t kHwAccBytes = 0x010;
inline constexpr std::uint32_t kHwParams = 0x014;
inline constexpr std::uint32_t kHwFeatures = 0x018;
inline constexpr std::uint32_t kCtrl = 0x020;
inline constexpr std::uint32_t kIrqEnable = 0x024;
inline constexpr std::uint32_t kIrqStatus = 0x028;
inline constexpr std::uint32_t kStatus = 0x02C;
inline constexpr std::uint32_t kErrIndex = 0x030;
inline constexpr std::uint32_t kRingBaseLo = 0x040;
inline constexpr std::uint32_t kRingBaseHi = 0x044;
inline constexpr std::uint32_t kRingSize = 0x048;
inline constexpr std::uint32_t kRingHead = 0x04C;
inline constexpr std::uint32_t kRingTail = 0x050;
inline constexpr std::uint32_t kDramBaseLo = 0x054;
inline constexpr std::uint32_t kDramBaseHi = 0x058;
inline constexpr std::uint32_t kDramLimitLo = 0x05C;
inline constexpr std::uint32_t kDramLimitHi = 0x060;
inline constexpr std::uint32_t kPerfBase = 0x080;  // counter i: LO at kPerfBase + 8*i, HI at +4
inline constexpr unsigned kNumPerf = 9;

inline constexpr std::uint32_t kIdValue = 0x4E555249;  // "NURI"
inline constexpr std::uint32_t kVersionMajor = 1;

inline constexpr std::uint32_t kCtrlStart = 1u << 0;
inline constexpr std::uint32_t kCtrlSoftReset = 1u << 1;
inline constexpr std::uint32_t kCtrlPerfClear = 1u << 2;

inline constexpr std::uint32_t kIrqDone = 1u << 0;
inline constexpr std::uint32_t kIrqError = 1u << 1;

inline constexpr std::uint32_t kStatusBusy = 1u << 0;
inline constexpr std::uint32_t kStatusDone = 1u << 1;
inline constexpr std::uint32_t kStatusError = 1u << 2;
inline constexpr unsigned kStatusErrCodeShift = 8;
inline constexpr std::uint32_t kStatusErrCodeMask = 0xFFu << kStatusErrCodeShift;

inline constexpr std::uint32_t kFeatureVector = 1u << 0;

// Perf counter indices.
enum PerfIndex : unsigned {
  kPerfCycles = 0,
  kPerfArray = 1,
  kPerfDmaRdBytes = 2,
  kPerfDmaWrBytes = 3,
  kPerfStallLoad = 4,
  kPerfStallCompute = 5,
  kPerfStallStore = 6,
  kPerfStallDispatch = 7,
  kPerfFetched = 8,
};

inline constexpr std::uint32_t perf_lo(unsigned i) { return kPerfBase + 8 * i; }
inline constexpr std::uint32_t perf_hi(unsigned i) { return kPerfBase + 8 * i + 4; }

}  // namespace nuri::fw::regs

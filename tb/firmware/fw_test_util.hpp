// Helpers of the firmware tests: CSR offsets written from the CSR map (independently of the
// firmware's own constants), NPU configurations and HAL wrappers that inject faults.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "nuri/fw/golden_device.hpp"
#include "nuri/fw/hal.hpp"
#include "nuri/isa/isa.hpp"
#include "nuri/isa/isa_sim.hpp"

namespace fwtest {

// CSR map offsets.
inline constexpr std::uint32_t kId = 0x000, kVersion = 0x004, kHwArray = 0x008, kHwSpad = 0x00C,
                               kHwAcc = 0x010, kHwParams = 0x014, kHwFeatures = 0x018,
                               kCtrl = 0x020, kIrqEnable = 0x024, kIrqStatus = 0x028,
                               kStatus = 0x02C, kErrIndex = 0x030, kRingBaseLo = 0x040,
                               kRingBaseHi = 0x044, kRingSize = 0x048, kRingHead = 0x04C,
                               kRingTail = 0x050, kDramBaseLo = 0x054, kDramBaseHi = 0x058,
                               kDramLimitLo = 0x05C, kDramLimitHi = 0x060;
inline constexpr std::uint32_t perf_lo(unsigned i) { return 0x080 + 8 * i; }
inline constexpr std::uint32_t perf_hi(unsigned i) { return 0x084 + 8 * i; }
inline constexpr std::uint64_t kDramBase = 0x8000'0000ull;

// Rows x Cols array with the given memories (bytes) and parameter records.
inline nuri::isa::IsaConfig config(std::uint32_t array, std::uint64_t spad = 32768,
                                   std::uint64_t acc = 8192, std::uint32_t params = 256) {
  return nuri::isa::IsaConfig::make(array, array, spad, acc, params);
}

// Forwards to another Hal; tests override single registers or behaviours.
class HalProxy : public nuri::fw::Hal {
 public:
  explicit HalProxy(nuri::fw::Hal& inner) : in_(inner) {}
  std::uint32_t read_reg(std::uint32_t o) override { return in_.read_reg(o); }
  void write_reg(std::uint32_t o, std::uint32_t v) override { in_.write_reg(o, v); }
  void write_mem(std::uint64_t a, const void* d, std::size_t n) override { in_.write_mem(a, d, n); }
  void read_mem(std::uint64_t a, void* d, std::size_t n) override { in_.read_mem(a, d, n); }
  bool wait_irq(std::uint64_t c) override { return in_.wait_irq(c); }
  std::uint64_t cycles() const override { return in_.cycles(); }
  std::uint64_t dram_base() const override { return in_.dram_base(); }
  std::uint64_t dram_bytes() const override { return in_.dram_bytes(); }

 protected:
  nuri::fw::Hal& in_;
};

// Little-endian bytes of a program.
inline std::vector<std::uint8_t> program_bytes(const std::vector<std::uint32_t>& words) {
  std::vector<std::uint8_t> b;
  for (std::uint32_t w : words) {
    for (unsigned i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(w >> (8 * i)));
  }
  return b;
}

}  // namespace fwtest

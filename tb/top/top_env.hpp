// Shared pieces of the npu_top tests: a system (Verilated NPU + DRAM model, through the
// firmware HAL) that runs raw command programs the way a driver does, the same program on the
// golden ISA simulator, and a generator of random legal programs.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "nuri/isa/isa.hpp"
#include "nuri/isa/isa_sim.hpp"
#include "nuri/rtl/rtl_hal.hpp"

namespace nuri::tb::top {

// Memory map of the test programs (inside one DRAM image both models share).
struct Layout {
  static constexpr std::uint64_t kBase = 0x8000'0000;
  static constexpr std::uint64_t kBytes = 0x10'0000;      // 1 MiB image
  static constexpr std::uint64_t kRing = kBase;           // 64 KiB: 1024 commands
  static constexpr std::uint64_t kIn = kBase + 0x1'0000;  // 256 KiB of source data
  static constexpr std::uint64_t kInBytes = 0x4'0000;
  static constexpr std::uint64_t kParams = kBase + 0x5'0000;  // 64 KiB of parameter records
  static constexpr std::uint64_t kOut = kBase + 0x6'0000;     // 256 KiB for STOREs
  static constexpr std::uint64_t kOutBytes = 0x4'0000;
  static constexpr std::uint64_t kDump = kBase + 0xA'0000;  // local memories at the end
};

// Geometry of each RTL build (sim/rtl/CMakeLists.txt).
nuri::isa::IsaConfig config_for(unsigned array);

struct Outcome {
  unsigned code = 0;
  std::uint32_t index = 0;
  std::uint64_t cycles = 0;
  std::vector<std::uint8_t> dram;  // the whole image after the run
};

// Writes `image` and `program` (at RING_HEAD of the ring at Layout::kRing), programs the ring
// and the DRAM window (= the image) and starts it; returns without waiting. `ring_base_low` goes
// into RING_BASE bits [5:0], which the command fetch must ignore.
void start_rtl(nuri::rtl::RtlHal& hal, const std::vector<std::uint8_t>& image,
               const std::vector<std::uint32_t>& program, std::uint32_t ring_base_low = 0);

// Runs `program` on the RTL through the CSRs: ring at Layout::kRing, window = the image.
// `image` is the initial DRAM image (Layout::kBytes bytes). Throws if no interrupt comes.
Outcome run_rtl(nuri::rtl::RtlHal& hal, const std::vector<std::uint8_t>& image,
                const std::vector<std::uint32_t>& program, std::uint64_t max_cycles,
                std::uint32_t ring_base_low = 0);

// The same on the golden ISA simulator.
Outcome run_isa(const nuri::isa::IsaConfig& cfg, const std::vector<std::uint8_t>& image,
                const std::vector<std::uint32_t>& program,
                const std::vector<nuri::rtl::BusError>& bus_errors = {});

// Random initial image: source data, valid parameter records (multiplier >= 0, shift -31..30),
// random output area.
std::vector<std::uint8_t> random_image(std::mt19937_64& rng, std::uint32_t param_entries);

// Random legal program: initialises every local memory, then `n` random commands (LOAD / STORE
// of all three spaces, MATMUL, PPU, NOP, FENCE) chained through tokens 0-2 so that it is race free,
// then STOREs of every local memory to Layout::kDump, then END.
std::vector<nuri::isa::Command> random_program(std::mt19937_64& rng,
                                               const nuri::isa::IsaConfig& cfg, unsigned n);

}  // namespace nuri::tb::top

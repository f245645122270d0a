// The Verilated Nuri NPU (npu_top) as a firmware HAL backend: the RTL of the 4x4, 8x8 or 16x16
// build, the AXI4 memory model (latency, random stalls, error regions, protocol checker) as its
// DRAM, and an AXI4-Lite master for its CSRs. Used by npusim (--engine rtl) and the tests.
//
// Every call that advances the clock checks the RTL assertions and the AXI protocol checker and
// throws std::runtime_error naming the first problem, so a broken run never goes unnoticed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nuri/fw/hal.hpp"

namespace nuri::tb::axi {
class AxiMemory;
}

namespace nuri::rtl {

// A DRAM range on which the memory answers with an error (SLVERR or DECERR).
struct BusError {
  std::uint64_t lo = 0, hi = 0;  // [lo, hi)
  bool decerr = false;
};

struct RtlOptions {
  std::uint64_t dram_base = 0x8000'0000;
  std::uint64_t dram_bytes = 64ull << 20;
  unsigned array = 16;                // 4, 8 or 16: which Verilated build (see available_arrays())
  std::string waves_path;             // FST waveform of the whole run; empty: none
  std::string coverage_path;          // Verilator coverage data written at the end; empty: none
  unsigned mem_latency = 20;          // cycles from AR / last W to the first R beat / B
  double stall_prob = 0.0;            // probability of a stalled cycle on every AXI channel
  double read_bytes_per_cycle = 0.0;  // bandwidth limit of reads (0: one beat per cycle)
  std::uint64_t seed = 1;
  std::vector<BusError> bus_errors;
};

class RtlHal : public nuri::fw::Hal {
 public:
  // Last AXI4-Lite response code (0 OKAY, 2 SLVERR).
  virtual unsigned last_csr_resp() const = 0;
  // Runs n clock cycles.
  virtual void run_cycles(std::uint64_t n) = 0;
  // The interrupt line now.
  virtual bool irq() const = 0;
  virtual nuri::tb::axi::AxiMemory& memory() = 0;
  // Where the waveform goes (empty when none).
  virtual const std::string& waves_path() const = 0;
  // Expect RTL assertion failures (tests that break a rule on purpose); returns the count so far.
  virtual void expect_assertion_errors(bool on) = 0;
  virtual unsigned assertion_errors() const = 0;
};

// The array sizes this binary was built with (all of 4, 8, 16 unless NURI_RTL_ARRAYS narrowed
// them, as scripts/coverage --config does).
std::vector<unsigned> available_arrays();
bool has_array(unsigned array);
// Builds and resets the model; throws std::invalid_argument for an array size not built.
std::unique_ptr<RtlHal> make_rtl_hal(const RtlOptions& options);

}  // namespace nuri::rtl

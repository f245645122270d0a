// GoldenDevice: the Nuri NPU modelled at CSR level around the golden ISA simulator
// (nuri::isa::IsaSim). Registers follow the CSR map (docs/programmers-guide.md); DRAM is the
// simulator's image. A program runs to completion inside the write of CTRL.START, so wait_irq()
// returns the interrupt state at once. This is npusim's `--engine golden` backend and the
// reference the driver tests run against.
#pragma once

#include <array>
#include <cstdint>

#include "nuri/fw/hal.hpp"
#include "nuri/isa/isa_sim.hpp"

namespace nuri::fw {

class GoldenDevice final : public Hal {
 public:
  static constexpr std::uint64_t kDefaultDramBase = 0x8000'0000ull;
  static constexpr std::uint64_t kDefaultDramBytes = 64ull << 20;

  explicit GoldenDevice(const isa::IsaConfig& config, std::uint64_t dram_base = kDefaultDramBase,
                        std::uint64_t dram_bytes = kDefaultDramBytes);

  std::uint32_t read_reg(std::uint32_t offset) override;
  void write_reg(std::uint32_t offset, std::uint32_t value) override;
  void write_mem(std::uint64_t addr, const void* data, std::size_t bytes) override;
  void read_mem(std::uint64_t addr, void* data, std::size_t bytes) override;
  bool wait_irq(std::uint64_t max_cycles) override;
  std::uint64_t cycles() const override { return 0; }  // the ISA model has no clock
  std::uint64_t dram_base() const override { return sim_.dram_base(); }
  std::uint64_t dram_bytes() const override { return sim_.dram().size(); }

  // The simulator underneath: tests inject bus errors (add_bus_error) or inspect local memories.
  isa::IsaSim& sim() { return sim_; }
  // Interleaving of the three queues for the following programs (default: round robin).
  void set_run_options(const isa::RunOptions& opt) { run_opts_ = opt; }
  // Number of programs started (CTRL.START accepted).
  std::uint64_t programs_started() const { return starts_; }

 private:
  void start();
  void soft_reset();

  isa::IsaSim sim_;
  isa::RunOptions run_opts_;
  std::uint32_t irq_enable_ = 0, irq_status_ = 0, status_ = 0, err_index_ = 0;
  std::uint64_t ring_base_ = 0;
  std::uint32_t ring_size_ = 1, ring_head_ = 0, ring_tail_ = 0;  // reset values of the map
  std::uint64_t dram_lo_ = 0, dram_hi_ = 0;                      // DMA window [lo, hi)
  static constexpr unsigned kNumPerfCounters = 9;
  std::array<std::uint64_t, kNumPerfCounters> perf_{};
  std::uint64_t starts_ = 0;
};

}  // namespace nuri::fw

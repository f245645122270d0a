// MmioHal: the HAL of a board where the NPU's CSRs and the DRAM it reaches are mapped into the
// CPU's address space (bare metal, or /dev/mem / UIO mappings on Linux). No interrupt controller
// is assumed: wait_irq() polls IRQ_STATUS & IRQ_ENABLE.
#pragma once

#include <cstdint>

#include "nuri/fw/hal.hpp"

namespace nuri::fw {

class MmioHal final : public Hal {
 public:
  // csr: the NPU's 4 KiB register block. dram: CPU mapping of the device DRAM region that starts
  // at device (bus) address dram_base and is dram_bytes long.
  MmioHal(volatile std::uint32_t* csr, volatile std::uint8_t* dram, std::uint64_t dram_base,
          std::uint64_t dram_bytes);

  std::uint32_t read_reg(std::uint32_t offset) override;
  void write_reg(std::uint32_t offset, std::uint32_t value) override;
  void write_mem(std::uint64_t addr, const void* data, std::size_t bytes) override;
  void read_mem(std::uint64_t addr, void* data, std::size_t bytes) override;
  // Polls the interrupt state up to max_cycles times (a poll stands in for a device cycle).
  bool wait_irq(std::uint64_t max_cycles) override;
  std::uint64_t cycles() const override { return 0; }  // use PERF_CYCLES on a board
  std::uint64_t dram_base() const override { return dram_base_; }
  std::uint64_t dram_bytes() const override { return dram_bytes_; }

 private:
  volatile std::uint32_t* csr_;
  volatile std::uint8_t* dram_;
  std::uint64_t dram_base_, dram_bytes_;
};

}  // namespace nuri::fw

// Hardware abstraction layer: everything the Nuri driver needs from a platform. One backend per
// platform: the golden device model (firmware/src/golden_device.cpp), the Verilated RTL
// (tb/top, library nuri_rtl_hal) and memory-mapped registers on a board
// (firmware/src/mmio_hal.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace nuri::fw {

class Hal {
 public:
  virtual ~Hal() = default;

  // 32-bit CSR access; offset is the byte offset of the register (docs/registers.md).
  virtual std::uint32_t read_reg(std::uint32_t offset) = 0;
  virtual void write_reg(std::uint32_t offset, std::uint32_t value) = 0;

  // Device-visible memory (DRAM) access by physical address.
  virtual void write_mem(std::uint64_t addr, const void* data, std::size_t bytes) = 0;
  virtual void read_mem(std::uint64_t addr, void* data, std::size_t bytes) = 0;

  // Lets the device run until its interrupt line is high or max_cycles device clock cycles have
  // passed. Returns true when the interrupt is pending. Callers loop in chunks to show progress.
  virtual bool wait_irq(std::uint64_t max_cycles) = 0;

  // Device clock cycles elapsed since the backend was created (0 where unknown).
  virtual std::uint64_t cycles() const = 0;

  // The DRAM region the device reaches and firmware may allocate from: [dram_base, +dram_bytes).
  virtual std::uint64_t dram_base() const = 0;
  virtual std::uint64_t dram_bytes() const = 0;
};

}  // namespace nuri::fw

// MmioHal: volatile accesses to memory-mapped CSRs and device DRAM (for a board).
#include "nuri/fw/mmio_hal.hpp"

#include "regs.hpp"

namespace nuri::fw {

MmioHal::MmioHal(volatile std::uint32_t* csr, volatile std::uint8_t* dram, std::uint64_t dram_base,
                 std::uint64_t dram_bytes)
    : csr_(csr), dram_(dram), dram_base_(dram_base), dram_bytes_(dram_bytes) {}

std::uint32_t MmioHal::read_reg(std::uint32_t offset) { return csr_[offset / 4]; }

void MmioHal::write_reg(std::uint32_t offset, std::uint32_t value) { csr_[offset / 4] = value; }

void MmioHal::write_mem(std::uint64_t addr, const void* data, std::size_t bytes) {
  const auto* src = static_cast<const std::uint8_t*>(data);
  volatile std::uint8_t* dst = dram_ + (addr - dram_base_);
  for (std::size_t i = 0; i < bytes; ++i) dst[i] = src[i];
}

void MmioHal::read_mem(std::uint64_t addr, void* data, std::size_t bytes) {
  auto* dst = static_cast<std::uint8_t*>(data);
  const volatile std::uint8_t* src = dram_ + (addr - dram_base_);
  for (std::size_t i = 0; i < bytes; ++i) dst[i] = src[i];
}

bool MmioHal::wait_irq(std::uint64_t max_cycles) {
  for (std::uint64_t i = 0; i <= max_cycles; ++i) {
    if ((read_reg(regs::kIrqStatus) & read_reg(regs::kIrqEnable)) != 0) return true;
  }
  return false;
}

}  // namespace nuri::fw

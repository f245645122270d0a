// GoldenDevice at CSR level: the register map and the ring protocol of the CSR map, without the
// driver (expected values from the CSR map and docs/isa.md).
#include <catch2/catch.hpp>

#include "fw_test_util.hpp"
#include "nuri/fw/golden_device.hpp"
#include "nuri/isa/isa.hpp"

using namespace fwtest;
using nuri::fw::GoldenDevice;
namespace isa = nuri::isa;

namespace {

isa::DmaDesc linear(std::uint64_t dram, std::uint32_t lcl, std::uint32_t n) {
  isa::DmaDesc d;
  d.dram_addr = dram;
  d.lcl_addr = lcl;
  d.size = {n, 1, 1};
  d.len = {n, 1, 1};
  return d;
}

// Copies 16 bytes src -> dst through the scratchpad.
std::vector<isa::Command> copy_program(std::uint64_t src, std::uint64_t dst) {
  isa::Load l;
  l.desc = linear(src, 0, 16);
  l.tok = {0, 1};
  isa::Store s;
  s.desc = linear(dst, 0, 16);
  s.tok = {1, 0};
  return {l, s, isa::End{}};
}

struct Bench {
  GoldenDevice dev{config(4), kDramBase, 1 << 16};
  std::uint64_t ring = kDramBase + 0x8000;
  explicit Bench(std::uint32_t slots = 8) {
    dev.write_reg(kRingBaseLo, static_cast<std::uint32_t>(ring));
    dev.write_reg(kRingBaseHi, 0);
    dev.write_reg(kRingSize, slots);
    dev.write_reg(kDramBaseLo, static_cast<std::uint32_t>(kDramBase));
    dev.write_reg(kDramLimitLo, static_cast<std::uint32_t>(kDramBase + 0x8000));
    dev.write_reg(kIrqEnable, 3);
  }
  void put(std::uint32_t slot, const isa::Command& c) {
    const auto b = program_bytes(isa::encode_program({c}));
    dev.write_mem(ring + 64ull * slot, b.data(), b.size());
  }
  std::uint32_t status() { return dev.read_reg(kStatus); }
};

}  // namespace

TEST_CASE("golden device identifies itself and reports its configuration", "[golden][smoke]") {
  GoldenDevice dev(isa::IsaConfig::make(8, 16, 65536, 16384, 300), kDramBase, 4096);
  CHECK(dev.read_reg(kId) == 0x4E555249u);
  CHECK(dev.read_reg(kVersion) == 0x00010000u);
  CHECK(dev.read_reg(kHwArray) == (8u | (16u << 16)));
  CHECK(dev.read_reg(kHwSpad) == 65536u);
  CHECK(dev.read_reg(kHwAcc) == 16384u);
  CHECK((dev.read_reg(kHwParams) & 0xFFFFu) == 300u);
  CHECK(((dev.read_reg(kHwParams) >> 16) & 0xFFu) == 8u);  // IsaConfig default queue depth
  CHECK((dev.read_reg(kHwParams) >> 24) == 16u);           // 128-bit AXI
  CHECK(dev.read_reg(kHwFeatures) == 0u);                  // no vector unit
  CHECK(dev.read_reg(0x100) == 0u);                        // unmapped
  CHECK(dev.read_reg(kCtrl) == 0u);                        // write-only
  dev.write_reg(kId, 0);                                   // read-only: ignored
  dev.write_reg(kRingHead, 5);
  CHECK(dev.read_reg(kId) == 0x4E555249u);
  CHECK(dev.read_reg(kRingHead) == 0u);
  CHECK(dev.read_reg(kRingSize) == 1u);      // reset value
  CHECK(dev.read_reg(kDramLimitLo) == 0u);   // DMA window closed until firmware opens it
  dev.write_reg(kRingBaseLo, 0x1234'5678u);  // bits [5:0] read back, ignored by the fetch
  CHECK(dev.read_reg(kRingBaseLo) == 0x1234'5678u);
  CHECK(dev.dram_base() == kDramBase);
  CHECK(dev.dram_bytes() == 4096u);
}

TEST_CASE("golden device runs a ring program to END and stops fetching there", "[golden][smoke]") {
  Bench b;
  const std::vector<std::uint8_t> data = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  b.dev.write_mem(kDramBase + 0x100, data.data(), data.size());
  const auto prog = copy_program(kDramBase + 0x100, kDramBase + 0x200);
  for (std::uint32_t i = 0; i < prog.size(); ++i) b.put(i, prog[i]);
  b.put(3, isa::Nop{});  // after END: must not run (and a zeroed slot 4 would be illegal)
  b.dev.write_reg(kRingTail, 5);
  CHECK_FALSE(b.dev.wait_irq(100));
  b.dev.write_reg(kCtrl, 1);
  CHECK(b.dev.wait_irq(100));
  CHECK(b.status() == 0x2u);  // DONE, code 0
  CHECK(b.dev.read_reg(kIrqStatus) == 1u);
  CHECK(b.dev.read_reg(kRingHead) == 3u);   // slot after END
  CHECK(b.dev.read_reg(perf_lo(8)) == 3u);  // FETCHED
  CHECK(b.dev.read_reg(perf_hi(8)) == 0u);
  CHECK(b.dev.read_reg(perf_lo(0)) == 0u);  // CYCLES: unknown to the ISA model
  std::vector<std::uint8_t> got(16);
  b.dev.read_mem(kDramBase + 0x200, got.data(), got.size());
  CHECK(got == data);
  b.dev.write_reg(kIrqStatus, 1);  // W1C
  CHECK(b.dev.read_reg(kIrqStatus) == 0u);
  CHECK_FALSE(b.dev.wait_irq(100));
  b.dev.write_reg(kCtrl, 4);  // PERF_CLEAR
  CHECK(b.dev.read_reg(perf_lo(8)) == 0u);
}

TEST_CASE("golden device masks the interrupt line with IRQ_ENABLE", "[golden][smoke]") {
  Bench b;
  b.dev.write_reg(kIrqEnable, 2);  // ERROR only
  b.put(0, isa::End{});
  b.dev.write_reg(kRingTail, 1);
  b.dev.write_reg(kCtrl, 1);
  CHECK(b.dev.read_reg(kIrqStatus) == 1u);
  CHECK_FALSE(b.dev.wait_irq(10));
  b.dev.write_reg(kIrqEnable, 1);
  CHECK(b.dev.wait_irq(10));
}

TEST_CASE("golden device wraps the ring and reports NoEnd with the command count",
          "[golden][smoke]") {
  Bench b(4);
  b.dev.write_reg(kRingTail, 3);
  b.dev.write_reg(kCtrl, 2);  // soft reset: RING_HEAD := RING_TAIL = 3
  CHECK(b.dev.read_reg(kRingHead) == 3u);
  // Program at slots 3, 0, 1 (wrapping), without END.
  b.put(3, isa::Nop{{0, 0}, isa::Queue::Load});
  b.put(0, isa::Nop{{0, 0}, isa::Queue::Store});
  b.put(1, isa::Nop{{0, 0}, isa::Queue::Compute});
  b.dev.write_reg(kRingTail, 2);
  b.dev.write_reg(kCtrl, 1);
  CHECK(b.dev.wait_irq(1));
  CHECK((b.status() & 0x4u) != 0);
  CHECK(((b.status() >> 8) & 0xFFu) == 8u);  // NoEnd
  CHECK(b.dev.read_reg(kErrIndex) == 3u);    // number of commands
  CHECK(b.dev.read_reg(kIrqStatus) == 2u);
  // Soft reset clears STATUS and IRQ_STATUS and resynchronises head and tail; the next program
  // runs.
  b.dev.write_reg(kCtrl, 2);
  CHECK(b.status() == 0u);
  CHECK(b.dev.read_reg(kIrqStatus) == 0u);
  CHECK_FALSE(b.dev.wait_irq(1));
  CHECK(b.dev.read_reg(kRingHead) == 2u);
  b.put(2, isa::End{});
  b.dev.write_reg(kRingTail, 3);
  b.dev.write_reg(kCtrl, 1);
  CHECK(b.status() == 0x2u);
  CHECK(b.dev.read_reg(kRingHead) == 3u);
}

TEST_CASE("golden device reports decode and DMA window errors with their index",
          "[golden][smoke]") {
  Bench b;
  SECTION("illegal opcode") {
    b.put(0, isa::Nop{{0, 0}, isa::Queue::Load});
    // slot 1 stays zero: opcode 0x00 is illegal
    b.put(2, isa::End{});
    b.dev.write_reg(kRingTail, 3);
    b.dev.write_reg(kCtrl, 1);
    CHECK(b.status() == (0x4u | (1u << 8)));
    CHECK(b.dev.read_reg(kErrIndex) == 1u);
  }
  SECTION("LOAD outside DRAM_BASE / DRAM_LIMIT") {
    const auto prog = copy_program(kDramBase + 0x9000, kDramBase + 0x200);  // source above limit
    for (std::uint32_t i = 0; i < prog.size(); ++i) b.put(i, prog[i]);
    b.dev.write_reg(kRingTail, 3);
    b.dev.write_reg(kCtrl, 1);
    CHECK(b.status() == (0x4u | (9u << 8)));
    CHECK(b.dev.read_reg(kErrIndex) == 0u);
  }
  SECTION("ring outside the DRAM image: DECERR on fetch") {
    b.dev.write_reg(kRingBaseLo, 0x1000);  // nothing there
    b.dev.write_reg(kRingTail, 2);
    b.dev.write_reg(kCtrl, 1);
    CHECK(b.status() == (0x4u | (11u << 8)));
    CHECK(b.dev.read_reg(kErrIndex) == 0u);
  }
}

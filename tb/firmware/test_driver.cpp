// The driver (nuri::fw::Npu) on the golden device: probing, the ring protocol across several
// programs and wrap-around, and every error path the driver can see.
#include <catch2/catch.hpp>

#include "fw_test_util.hpp"
#include "nuri/fw/driver.hpp"
#include "nuri/fw/golden_device.hpp"
#include "nuri/fw/layers.hpp"
#include "nuri/fw_tb/layer_tests.hpp"
#include "nuri/isa/isa.hpp"
#include "nuri/tb/options.hpp"

using namespace fwtest;
using namespace nuri::fw;
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

// A program of `n` commands (n >= 3) that copies 16 bytes src -> dst, padded with NOPs.
std::vector<std::uint32_t> copy_program(std::uint64_t src, std::uint64_t dst, unsigned n) {
  std::vector<isa::Command> p;
  for (unsigned i = 0; i + 3 < n; ++i) p.emplace_back(isa::Nop{{0, 0}, isa::Queue::Compute});
  isa::Load l;
  l.desc = linear(src, 0, 16);
  l.tok = {0, 1};
  isa::Store s;
  s.desc = linear(dst, 0, 16);
  s.tok = {1, 0};
  p.emplace_back(l);
  p.emplace_back(s);
  p.emplace_back(isa::End{});
  return isa::encode_program(p);
}

class BadIdHal : public HalProxy {
 public:
  using HalProxy::HalProxy;
  std::uint32_t read_reg(std::uint32_t o) override {
    return o == kId ? 0xDEADBEEF : in_.read_reg(o);
  }
};
class BadVersionHal : public HalProxy {
 public:
  using HalProxy::HalProxy;
  std::uint32_t read_reg(std::uint32_t o) override {
    return o == kVersion ? 0x00020000u : in_.read_reg(o);
  }
};
class NoArrayHal : public HalProxy {
 public:
  using HalProxy::HalProxy;
  std::uint32_t read_reg(std::uint32_t o) override { return o == kHwArray ? 0u : in_.read_reg(o); }
};
// A device that never finishes: START is swallowed and no interrupt ever comes.
class HungHal : public HalProxy {
 public:
  using HalProxy::HalProxy;
  void write_reg(std::uint32_t o, std::uint32_t v) override {
    if (o == kCtrl && (v & 2u)) ++soft_resets;
    if (o == kCtrl) v &= ~1u;
    in_.write_reg(o, v);
  }
  bool wait_irq(std::uint64_t c) override {
    ++waits;
    fake_cycles += c;
    return false;
  }
  std::uint64_t cycles() const override { return fake_cycles; }
  unsigned soft_resets = 0;
  std::uint64_t waits = 0, fake_cycles = 0;
};

}  // namespace

TEST_CASE("driver probes the NPU and adapts to its geometry", "[golden][smoke]") {
  for (std::uint32_t a : {4u, 8u, 16u}) {
    GoldenDevice dev(isa::IsaConfig::make(a, a, a * 2048, a * 512, 64 + a), kDramBase, 1 << 20);
    Npu npu(dev);
    REQUIRE(npu.probe() == Status::Ok);
    CHECK(npu.info().rows == a);
    CHECK(npu.info().cols == a);
    CHECK(npu.info().spad_bytes == a * 2048);
    CHECK(npu.info().acc_bytes == a * 512);
    CHECK(npu.info().param_entries == 64 + a);
    CHECK(npu.info().queue_depth == 8u);
    CHECK_FALSE(npu.info().has_vector());
    // Ring and DMA window are programmed; the ring lives inside the HAL's DRAM region.
    CHECK(dev.read_reg(kRingSize) == npu.ring_slots());
    CHECK(dev.read_reg(kRingBaseLo) == static_cast<std::uint32_t>(npu.ring_addr()));
    CHECK(dev.read_reg(kDramBaseLo) == static_cast<std::uint32_t>(kDramBase));
    CHECK(dev.read_reg(kDramLimitLo) == static_cast<std::uint32_t>(kDramBase + (1 << 20)));
    CHECK(dev.read_reg(kIrqEnable) == 3u);
    CHECK(npu.ring_addr() >= kDramBase);
    CHECK(npu.ring_addr() % 64 == 0);
  }
}

TEST_CASE("driver refuses a device that is not a Nuri NPU with a clear message",
          "[golden][smoke]") {
  GoldenDevice dev(config(4), kDramBase, 1 << 20);
  {
    BadIdHal hal(dev);
    Npu npu(hal);
    CHECK(npu.probe() == Status::BadId);
    CHECK(npu.last_error().find("0xdeadbeef") != std::string::npos);
    CHECK(npu.last_error().find("NURI") != std::string::npos);
    CHECK_FALSE(npu.probed());
    const auto w = copy_program(kDramBase, kDramBase + 64, 3);
    CHECK(npu.run_program(w).status == Status::NotProbed);
  }
  {
    BadVersionHal hal(dev);
    Npu npu(hal);
    CHECK(npu.probe() == Status::BadVersion);
    CHECK(npu.last_error().find("2.0") != std::string::npos);
  }
  {
    NoArrayHal hal(dev);
    Npu npu(hal);
    CHECK(npu.probe() == Status::BadConfig);
  }
  {
    GoldenDevice tiny(config(4), kDramBase, 1024);  // smaller than the ring
    Npu npu(tiny);
    CHECK(npu.probe() == Status::NoMemory);
  }
}

TEST_CASE("programs wrap around the ring across many runs", "[golden][smoke]") {
  GoldenDevice dev(config(4), kDramBase, 1 << 20);
  NpuOptions opt;
  opt.ring_slots = 16;
  Npu npu(dev, opt);
  REQUIRE(npu.probe() == Status::Ok);
  REQUIRE(npu.ring_slots() == 16u);
  std::uint32_t expect_head = 0;
  std::uint64_t fetched = 0;
  for (unsigned i = 0; i < 12; ++i) {
    const unsigned n = 3 + (i * 5) % 13;  // 3..15 commands: the program often straddles the end
    const std::uint64_t src = kDramBase + 0x10000 + 16 * i, dst = kDramBase + 0x20000 + 16 * i;
    std::vector<std::uint8_t> data(16);
    for (unsigned j = 0; j < 16; ++j) data[j] = static_cast<std::uint8_t>(i * 16 + j);
    dev.write_mem(src, data.data(), 16);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
    const RunResult r =
        npu.run_program(copy_program(src, dst, n),
                        [&](std::uint64_t d, std::uint64_t t) { progress.emplace_back(d, t); });
    INFO("program " << i << " of " << n << " commands");
    REQUIRE(r.ok());
    CHECK(r.commands == n);
    fetched += n;
    CHECK(r.perf[PerfCounters::kFetched] == fetched);
    expect_head = (expect_head + n) % 16;
    CHECK(dev.read_reg(kRingHead) == expect_head);
    CHECK(dev.read_reg(kRingTail) == expect_head);
    CHECK(dev.read_reg(kIrqStatus) == 0u);  // cleared by the driver
    std::vector<std::uint8_t> got(16);
    dev.read_mem(dst, got.data(), 16);
    CHECK(got == data);
    REQUIRE_FALSE(progress.empty());
    CHECK(progress.back() == std::make_pair<std::uint64_t, std::uint64_t>(n, n));
  }
  CHECK(dev.programs_started() == 12u);
  const auto too_big = copy_program(kDramBase, kDramBase + 64, 16);
  CHECK(npu.run_program(too_big).status == Status::TooLarge);
  CHECK(dev.programs_started() == 12u);
  npu.clear_perf();
  CHECK(npu.read_perf()[PerfCounters::kFetched] == 0u);
}

TEST_CASE("device errors are reported with code and index and a soft reset recovers",
          "[golden][smoke]") {
  GoldenDevice dev(config(4), kDramBase, 1 << 20);
  NpuOptions opt;
  opt.ring_slots = 32;
  Npu npu(dev, opt);
  REQUIRE(npu.probe() == Status::Ok);
  const std::uint64_t src = kDramBase + 0x10000, dst = kDramBase + 0x20000;
  auto good = [&] { return copy_program(src, dst, 5); };

  SECTION("illegal opcode") {
    auto w = good();
    for (unsigned i = 0; i < 16; ++i) w[2 * 16 + i] = 0;  // command 2: all zero
    const RunResult r = npu.run_program(w);
    CHECK(r.status == Status::DeviceError);
    CHECK(r.error_code == 1u);
    CHECK(r.error_index == 2u);
    CHECK(npu.last_error().find("error 1 at command 2") != std::string::npos);
  }
  SECTION("program without END") {
    auto w = good();
    w.resize(4 * 16);  // drop END
    const RunResult r = npu.run_program(w);
    CHECK(r.status == Status::DeviceError);
    CHECK(r.error_code == 8u);
    CHECK(r.error_index == 4u);
  }
  SECTION("DMA outside the window") {
    const RunResult r = npu.run_program(copy_program(kDramBase + (1 << 20), dst, 4));
    CHECK(r.status == Status::DeviceError);
    CHECK(r.error_code == 9u);
    CHECK(r.error_index == 1u);
  }
  SECTION("bus error") {
    dev.sim().add_bus_error({src, src + 16, false});
    const RunResult r = npu.run_program(good());
    CHECK(r.status == Status::DeviceError);
    CHECK(r.error_code == 10u);
    CHECK(r.error_index == 2u);
  }
  // The driver soft-reset the NPU after the error: STATUS clear, head == tail, next run works.
  CHECK(dev.read_reg(kStatus) == 0u);
  CHECK(dev.read_reg(kIrqStatus) == 0u);
  CHECK(dev.read_reg(kRingHead) == dev.read_reg(kRingTail));
  const std::uint64_t src2 = kDramBase + 0x30000;
  std::vector<std::uint8_t> data(16, 0x77);
  dev.write_mem(src2, data.data(), 16);
  const RunResult r = npu.run_program(copy_program(src2, dst, 6));
  CHECK(r.ok());
  std::vector<std::uint8_t> got(16);
  dev.read_mem(dst, got.data(), 16);
  CHECK(got == data);
}

TEST_CASE("a device that never answers times out and is soft-reset", "[golden][smoke]") {
  GoldenDevice dev(config(4), kDramBase, 1 << 20);
  HungHal hal(dev);
  NpuOptions opt;
  opt.wait_chunk_cycles = 1000;
  opt.timeout_cycles = 50'000;
  Npu npu(hal, opt);
  REQUIRE(npu.probe() == Status::Ok);
  const unsigned resets = hal.soft_resets;
  unsigned calls = 0;
  const RunResult r = npu.run_program(copy_program(kDramBase, kDramBase + 64, 3),
                                      [&](std::uint64_t, std::uint64_t t) {
                                        ++calls;
                                        CHECK(t == 3u);
                                      });
  CHECK(r.status == Status::Timeout);
  CHECK(hal.waits == 50u);
  CHECK(calls == 50u);
  CHECK(r.cycles == 50'000u);
  CHECK(hal.soft_resets == resets + 1);
  CHECK(npu.last_error().find("no interrupt") != std::string::npos);
}

TEST_CASE("a device error inside a layer names the program and the layer recovers",
          "[golden][smoke]") {
  GoldenDevice dev(config(4), kDramBase, 1 << 20);
  Npu npu(dev);
  REQUIRE(npu.probe() == Status::Ok);
  const tb::TestLayer L = tb::random_layer(7);
  // The allocator places the layer's tensors right after the ring: make that region fail.
  const std::uint64_t bad = npu.ring_addr() + npu.ring_slots() * 64ull;
  REQUIRE(npu.dram().mark() == bad);
  dev.sim().add_bus_error({bad, bad + 4096, true});
  tb::LayerOutcome o = tb::run_and_compare(npu, L);
  CHECK(o.status == Status::DeviceError);
  CHECK(o.stats.last.error_code == 11u);
  CHECK(o.error.find("program 1/") != std::string::npos);
  CHECK(npu.dram().mark() == bad);  // layer buffers released
  CHECK(dev.read_reg(kStatus) == 0u);
  // Same device, after the driver's soft reset: with the tensors placed elsewhere the layer runs.
  std::uint64_t skip = 0;
  REQUIRE(npu.dram().alloc(4096, 64, &skip));
  o = tb::run_and_compare(npu, L);
  CHECK(o.ok());
}

TEST_CASE("the DRAM allocator aligns and runs out cleanly and releases to a mark",
          "[golden][smoke]") {
  DramAllocator a;
  a.init(0x1000, 0x100);
  std::uint64_t x = 0, y = 0, z = 0;
  REQUIRE(a.alloc(10, 1, &x));
  CHECK(x == 0x1000);
  const std::uint64_t m = a.mark();
  REQUIRE(a.alloc(16, 64, &y));
  CHECK(y == 0x1040);
  CHECK_FALSE(a.alloc(0x100, 1, &z));
  a.release(m);
  REQUIRE(a.alloc(0xF0, 16, &z));
  CHECK(z == 0x1010);
  CHECK(a.available() == 0u);
}

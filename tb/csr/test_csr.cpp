// npu_csr against the CSR map (/work/plan/regmap.md, docs/registers.md). Every expected value
// below is written from the map, not taken from the generated header or RTL.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "csr_env.hpp"
#include "nuri/tb/options.hpp"

namespace {

using nuri::tb::csr::CsrEnv;
using nuri::tb::csr::kNumPerf;
using nuri::tb::csr::kOkay;
using nuri::tb::csr::kSlvErr;
using nuri::tb::csr::ReadResult;
using nuri::tb::csr::Sample;
using nuri::tb::csr::Timing;
using nuri::tb::csr::Write;

// Offsets of the CSR map.
constexpr std::uint32_t kId = 0x000, kVersion = 0x004, kHwArray = 0x008, kHwSpadBytes = 0x00C,
                        kHwAccBytes = 0x010, kHwParams = 0x014, kHwFeatures = 0x018, kCtrl = 0x020,
                        kIrqEnable = 0x024, kIrqStatus = 0x028, kStatus = 0x02C, kErrIndex = 0x030,
                        kRingBaseLo = 0x040, kRingBaseHi = 0x044, kRingSize = 0x048,
                        kRingHead = 0x04C, kRingTail = 0x050, kDramBaseLo = 0x054,
                        kDramBaseHi = 0x058, kDramLimitLo = 0x05C, kDramLimitHi = 0x060,
                        kPerf = 0x080;

// RW registers: offset, implemented bits, reset value (CSR map).
struct RwReg {
  std::uint32_t off, mask, reset;
};
const std::vector<RwReg> kRwRegs = {
    {kIrqEnable, 0x3, 0},    {kRingBaseLo, 0xFFFFFFFF, 0},  {kRingBaseHi, 0xFF, 0},
    {kRingSize, 0x1FFFF, 1}, {kRingTail, 0xFFFF, 0},        {kDramBaseLo, 0xFFFFFFFF, 0},
    {kDramBaseHi, 0xFF, 0},  {kDramLimitLo, 0xFFFFFFFF, 0}, {kDramLimitHi, 0xFF, 0},
};

// Read-only registers of the map (perf counters included).
std::vector<std::uint32_t> ro_regs() {
  std::vector<std::uint32_t> v = {kId,       kVersion,    kHwArray, kHwSpadBytes, kHwAccBytes,
                                  kHwParams, kHwFeatures, kStatus,  kErrIndex,    kRingHead};
  for (unsigned i = 0; i < 2 * kNumPerf; ++i) v.push_back(kPerf + 4 * i);
  return v;
}

// Every word address of the 4 KiB window that the map does not define.
std::vector<std::uint32_t> unmapped() {
  std::map<std::uint32_t, bool> mapped;
  for (std::uint32_t a : ro_regs()) mapped[a] = true;
  for (const RwReg& r : kRwRegs) mapped[r.off] = true;
  mapped[kCtrl] = true;
  mapped[kIrqStatus] = true;
  std::vector<std::uint32_t> v;
  for (std::uint32_t a = 0; a < 0x1000; a += 4) {
    if (!mapped.count(a)) v.push_back(a);
  }
  return v;
}

std::uint32_t strb_mask(unsigned strb) {
  std::uint32_t m = 0;
  for (unsigned b = 0; b < 4; ++b) {
    if (strb & (1u << b)) m |= 0xFFu << (8 * b);
  }
  return m;
}

const Timing& pick_timing() {
  static const Timing kAll[] = {nuri::tb::csr::kEager, nuri::tb::csr::kRandom,
                                nuri::tb::csr::kSlow};
  const int i = GENERATE(0, 1, 2);
  return kAll[i];
}

// Checks the RW-register outputs against a map of register values.
void check_outputs(CsrEnv& env, const std::map<std::uint32_t, std::uint32_t>& v) {
  auto& m = env.model();
  CHECK(m.ring_base_o == ((std::uint64_t{v.at(kRingBaseHi)} << 32) | v.at(kRingBaseLo)));
  CHECK(m.ring_size_o == v.at(kRingSize));
  CHECK(m.ring_tail_o == v.at(kRingTail));
  CHECK(m.dram_base_o == ((std::uint64_t{v.at(kDramBaseHi)} << 32) | v.at(kDramBaseLo)));
  CHECK(m.dram_limit_o == ((std::uint64_t{v.at(kDramLimitHi)} << 32) | v.at(kDramLimitLo)));
}

std::map<std::uint32_t, std::uint32_t> read_rw(CsrEnv& env) {
  std::map<std::uint32_t, std::uint32_t> v;
  for (const RwReg& r : kRwRegs) v[r.off] = env.rd(r.off);
  v[kIrqStatus] = env.rd(kIrqStatus);
  return v;
}

}  // namespace

TEST_CASE("csr ID VERSION HW and status registers read the constants and the inputs",
          "[rtl][smoke]") {
  const Timing& t = pick_timing();
  CsrEnv env(t, nuri::tb::seed(), t.name);
  std::mt19937 rng(nuri::tb::seed() + 7);
  for (int round = 0; round < 4; ++round) {
    auto& in = env.in;
    in.hw_array = rng();
    in.hw_spad_bytes = rng();
    in.hw_acc_bytes = rng();
    in.hw_params = rng();
    in.hw_features = rng();
    in.busy = rng() & 1;
    in.done = rng() & 1;
    in.error = rng() & 1;
    in.err_code = static_cast<std::uint8_t>(rng());
    in.err_index = rng();
    in.ring_head = static_cast<std::uint16_t>(rng());
    CHECK(env.rd(kId) == 0x4E555249u);       // "NURI"
    CHECK(env.rd(kVersion) == 0x00010000u);  // major 1, minor 0
    CHECK(env.rd(kHwArray) == in.hw_array);
    CHECK(env.rd(kHwSpadBytes) == in.hw_spad_bytes);
    CHECK(env.rd(kHwAccBytes) == in.hw_acc_bytes);
    CHECK(env.rd(kHwParams) == in.hw_params);
    CHECK(env.rd(kHwFeatures) == in.hw_features);
    const std::uint32_t status = (in.busy ? 1u : 0u) | (in.done ? 2u : 0u) | (in.error ? 4u : 0u) |
                                 (std::uint32_t{in.err_code} << 8);
    CHECK(env.rd(kStatus) == status);
    CHECK(env.rd(kErrIndex) == in.err_index);
    CHECK(env.rd(kRingHead) == in.ring_head);
  }
}

TEST_CASE("csr RW registers reset to 0 except RING_SIZE = 1 and drive their outputs",
          "[rtl][smoke]") {
  CsrEnv env(nuri::tb::csr::kRandom, nuri::tb::seed());
  std::map<std::uint32_t, std::uint32_t> want;
  for (const RwReg& r : kRwRegs) {
    INFO("register 0x" << std::hex << r.off);
    CHECK(env.rd(r.off) == r.reset);
    want[r.off] = r.reset;
  }
  CHECK(env.rd(kIrqStatus) == 0);
  CHECK(env.rd(kCtrl) == 0);
  check_outputs(env, want);
  CHECK(env.model().irq_o == 0);
}

TEST_CASE("csr RW registers write only the strobed bytes and keep only their implemented bits",
          "[rtl][smoke]") {
  const Timing& t = pick_timing();
  CsrEnv env(t, nuri::tb::seed(), t.name);
  std::mt19937 rng(nuri::tb::seed() + 11);
  std::map<std::uint32_t, std::uint32_t> model;
  for (const RwReg& r : kRwRegs) model[r.off] = r.reset;
  for (int i = 0; i < 60; ++i) {
    const RwReg& r = kRwRegs[rng() % kRwRegs.size()];
    const std::uint32_t data = rng();
    const unsigned strb = i < 9 ? 0xF : rng() % 16;  // full words first, then any strobes
    INFO("write 0x" << std::hex << data << " strb 0x" << strb << " to 0x" << r.off);
    REQUIRE(env.write(r.off, data, strb) == kOkay);
    const std::uint32_t m = strb_mask(strb) & r.mask;
    model[r.off] = (model[r.off] & ~m) | (data & m);
    CHECK(env.rd(r.off) == model[r.off]);
  }
  for (const RwReg& r : kRwRegs) CHECK(env.rd(r.off) == model[r.off]);
  check_outputs(env, model);
  // IRQ_ENABLE is not an output; it shows on irq_o (tested with IRQ_STATUS).
}

TEST_CASE("csr read-only registers ignore writes and answer OKAY", "[rtl][smoke]") {
  const Timing& t = pick_timing();
  CsrEnv env(t, nuri::tb::seed(), t.name);
  std::mt19937 rng(nuri::tb::seed() + 13);
  env.in.hw_array = 0x00100010;
  env.in.err_index = 5;
  env.in.ring_head = 3;
  for (unsigned i = 0; i < kNumPerf; ++i) env.in.perf[i] = 0x1111111100000000ull * i + i;
  std::map<std::uint32_t, std::uint32_t> before;
  for (std::uint32_t a : ro_regs()) before[a] = env.rd(a);
  const auto rw_before = read_rw(env);
  for (std::uint32_t a : ro_regs()) {
    INFO("register 0x" << std::hex << a);
    CHECK(env.write(a, rng(), rng() % 16) == kOkay);
    CHECK(env.rd(a) == before[a]);
  }
  CHECK(read_rw(env) == rw_before);
  CHECK(env.count([](const Sample& s) { return s.start || s.soft_reset || s.perf_clear; }) == 0);
}

TEST_CASE("csr CTRL bits become pulses of exactly one cycle and CTRL reads 0", "[rtl][smoke]") {
  const Timing& t = pick_timing();
  CsrEnv env(t, nuri::tb::seed(), t.name);
  for (std::uint32_t v = 0; v < 8; ++v) {
    for (unsigned strb : {0xFu, 0x1u, 0xEu}) {
      INFO("CTRL write 0x" << v << " strb 0x" << std::hex << strb);
      env.trace.clear();
      REQUIRE(env.write(kCtrl, v | 0xFFFFFFF8u * (v & 1), strb) == kOkay);
      env.idle(3);
      const bool on = (strb & 1) != 0;
      // Each pulse is high in exactly one cycle, and never two cycles in a row.
      CHECK(env.count([](const Sample& s) { return s.start; }) == (on && (v & 1) ? 1u : 0u));
      CHECK(env.count([](const Sample& s) { return s.soft_reset; }) == (on && (v & 2) ? 1u : 0u));
      CHECK(env.count([](const Sample& s) { return s.perf_clear; }) == (on && (v & 4) ? 1u : 0u));
      // Bits written together pulse in the same cycle.
      for (const Sample& s : env.trace) {
        if (on && v == 7) CHECK((s.start == s.soft_reset && s.start == s.perf_clear));
      }
      CHECK(env.rd(kCtrl) == 0);
    }
  }
}

TEST_CASE("csr IRQ_STATUS is set by events and cleared by writing 1 and irq_o follows IRQ_ENABLE",
          "[rtl][smoke]") {
  const Timing& t = pick_timing();
  CsrEnv env(t, nuri::tb::seed(), t.name);
  auto irq = [&] { return env.model().irq_o != 0; };
  CHECK(env.rd(kIrqStatus) == 0);
  env.idle(1, /*done=*/true, /*error=*/false);
  env.idle(2);
  CHECK(env.rd(kIrqStatus) == 1);
  CHECK_FALSE(irq());                          // IRQ_ENABLE = 0
  REQUIRE(env.write(kIrqEnable, 2) == kOkay);  // only ERROR enabled
  CHECK_FALSE(irq());
  REQUIRE(env.write(kIrqEnable, 1) == kOkay);  // DONE enabled
  CHECK(irq());
  REQUIRE(env.write(kIrqStatus, 0) == kOkay);  // writing 0 clears nothing
  CHECK(env.rd(kIrqStatus) == 1);
  REQUIRE(env.write(kIrqStatus, 2) == kOkay);  // clears ERROR only (not set)
  CHECK(env.rd(kIrqStatus) == 1);
  REQUIRE(env.write(kIrqStatus, 1, 0xE) == kOkay);  // byte 0 not strobed: no clear
  CHECK(env.rd(kIrqStatus) == 1);
  REQUIRE(env.write(kIrqStatus, 1) == kOkay);
  CHECK(env.rd(kIrqStatus) == 0);
  CHECK_FALSE(irq());

  env.idle(1, false, true);  // ERROR event
  env.idle(1);
  CHECK(env.rd(kIrqStatus) == 2);
  CHECK_FALSE(irq());  // ERROR not enabled
  REQUIRE(env.write(kIrqEnable, 3) == kOkay);
  CHECK(irq());
  env.idle(1, true, false);  // DONE too
  env.idle(1);
  CHECK(env.rd(kIrqStatus) == 3);
  REQUIRE(env.write(kIrqStatus, 2) == kOkay);
  CHECK(env.rd(kIrqStatus) == 1);
  CHECK(irq());
  REQUIRE(env.write(kIrqEnable, 2) == kOkay);
  CHECK_FALSE(irq());  // the pending DONE is masked
  REQUIRE(env.write(kIrqEnable, 3) == kOkay);
  CHECK(irq());
  REQUIRE(env.write(kIrqStatus, 0xFFFFFFFF) == kOkay);
  CHECK(env.rd(kIrqStatus) == 0);
  CHECK_FALSE(irq());
  // irq_o is a level: it stays high over many cycles until cleared.
  env.idle(1, false, true);
  env.trace.clear();
  env.idle(20);
  CHECK(env.count([](const Sample& s) { return s.irq; }) == 20);
}

TEST_CASE("csr soft reset clears IRQ_STATUS and keeps the configuration registers",
          "[rtl][smoke]") {
  const Timing& t = pick_timing();
  CsrEnv env(t, nuri::tb::seed(), t.name);
  std::mt19937 rng(nuri::tb::seed() + 17);
  std::map<std::uint32_t, std::uint32_t> model;
  for (const RwReg& r : kRwRegs) {
    const std::uint32_t v = r.off == kIrqEnable ? 3 : rng() & r.mask;
    REQUIRE(env.write(r.off, v) == kOkay);
    model[r.off] = v;
  }
  env.idle(1, true, true);
  env.idle(1);
  CHECK(env.rd(kIrqStatus) == 3);
  CHECK(env.model().irq_o);
  REQUIRE(env.write(kCtrl, 2) == kOkay);  // SOFT_RESET
  env.idle(2);
  CHECK(env.rd(kIrqStatus) == 0);
  CHECK_FALSE(env.model().irq_o);
  for (const RwReg& r : kRwRegs) CHECK(env.rd(r.off) == model[r.off]);
  check_outputs(env, model);
  // START and PERF_CLEAR do not touch IRQ_STATUS.
  env.idle(1, true, false);
  env.idle(1);
  REQUIRE(env.write(kCtrl, 5) == kOkay);
  env.idle(2);
  CHECK(env.rd(kIrqStatus) == 1);
}

TEST_CASE("csr perf counters read LO and HI of each 64-bit counter", "[rtl][smoke]") {
  const Timing& t = pick_timing();
  CsrEnv env(t, nuri::tb::seed(), t.name);
  std::mt19937_64 rng(nuri::tb::seed() + 19);
  for (int round = 0; round < 2; ++round) {
    for (unsigned i = 0; i < kNumPerf; ++i) env.in.perf[i] = rng();
    for (unsigned i = 0; i < kNumPerf; ++i) {
      INFO("counter " << i);
      CHECK(env.rd(0x080 + 8 * i) == static_cast<std::uint32_t>(env.in.perf[i]));
      CHECK(env.rd(0x084 + 8 * i) == static_cast<std::uint32_t>(env.in.perf[i] >> 32));
    }
  }
  // One past the last counter is unmapped.
  const ReadResult r = env.read(0x080 + 8 * kNumPerf);
  CHECK(r.resp == kSlvErr);
  CHECK(r.data == 0);
}

TEST_CASE("csr unmapped addresses answer SLVERR on read and write without side effects",
          "[rtl][smoke]") {
  const Timing& t = pick_timing();
  CsrEnv env(t, nuri::tb::seed(), t.name);
  std::mt19937 rng(nuri::tb::seed() + 23);
  for (const RwReg& r : kRwRegs) REQUIRE(env.write(r.off, rng() & r.mask) == kOkay);
  env.idle(1, true, false);
  env.idle(1);
  const auto before = read_rw(env);
  env.trace.clear();
  const std::vector<std::uint32_t> holes = unmapped();
  // The holes inside the map, then a random sample of the rest of the window.
  std::vector<std::uint32_t> addrs = {0x01C, 0x034, 0x038, 0x03C, 0x064, 0x068, 0x07C, 0x0C8};
  for (int i = 0; i < 24; ++i) addrs.push_back(holes[rng() % holes.size()]);
  for (std::uint32_t a : addrs) {
    INFO("address 0x" << std::hex << a);
    const ReadResult r = env.read(a);
    CHECK(r.resp == kSlvErr);
    CHECK(r.data == 0);
    CHECK(env.write(a, 0xFFFFFFFF, 0xF) == kSlvErr);
  }
  CHECK(read_rw(env) == before);
  CHECK(env.count([](const Sample& s) { return s.start || s.soft_reset || s.perf_clear; }) == 0);
}

TEST_CASE("csr accepts AW before W or W before AW or both together", "[rtl][smoke]") {
  CsrEnv env(nuri::tb::csr::kRandom, nuri::tb::seed());
  const std::vector<std::pair<int, int>> orders = {{0, 0}, {0, 3}, {3, 0}, {1, 2}, {5, 1}, {0, 7}};
  std::uint32_t v = 0x1000;
  for (auto [aw, w] : orders) {
    INFO("aw delay " << aw << ", w delay " << w);
    ++v;
    REQUIRE(env.write(Write{kRingTail, v, 0xF, aw, w}) == kOkay);
    CHECK(env.rd(kRingTail) == (v & 0xFFFF));
    REQUIRE(env.write(Write{0x034, v, 0xF, aw, w}) == kSlvErr);
  }
}

TEST_CASE("csr serves a read while a write is in flight", "[rtl][smoke]") {
  CsrEnv env(nuri::tb::csr::kRandom, nuri::tb::seed());
  std::mt19937 rng(nuri::tb::seed() + 29);
  env.in.hw_spad_bytes = 0x40000;
  std::uint32_t tail = 0;
  for (int i = 0; i < 40; ++i) {
    const std::uint32_t v = rng();
    unsigned b = 99;
    ReadResult r{};
    const bool read_tail = (i & 1) != 0;
    env.write_and_read(Write{kDramLimitLo, v}, read_tail ? kRingTail : kHwSpadBytes, &b, &r);
    CHECK(b == kOkay);
    CHECK(r.resp == kOkay);
    CHECK(r.data == (read_tail ? tail : 0x40000u));
    CHECK(env.rd(kDramLimitLo) == v);
    tail = rng() & 0xFFFF;
    REQUIRE(env.write(kRingTail, tail) == kOkay);
  }
}

TEST_CASE("csr random traffic matches a register model under all timings", "[rtl][full]") {
  const Timing& t = pick_timing();
  CsrEnv env(t, nuri::tb::seed(), t.name);
  std::mt19937 rng(nuri::tb::seed() + 31);
  std::map<std::uint32_t, std::uint32_t> model;
  for (const RwReg& r : kRwRegs) model[r.off] = r.reset;
  std::uint32_t irq_status = 0;
  const std::vector<std::uint32_t> holes = unmapped();
  for (int i = 0; i < 400; ++i) {
    const unsigned op = rng() % 6;
    if (op <= 1) {
      const RwReg& r = kRwRegs[rng() % kRwRegs.size()];
      const std::uint32_t d = rng();
      const unsigned s = rng() % 16;
      REQUIRE(env.write(r.off, d, s) == kOkay);
      const std::uint32_t m = strb_mask(s) & r.mask;
      model[r.off] = (model[r.off] & ~m) | (d & m);
    } else if (op == 2) {
      const RwReg& r = kRwRegs[rng() % kRwRegs.size()];
      CHECK(env.rd(r.off) == model[r.off]);
    } else if (op == 3) {
      const bool dn = rng() & 1, er = rng() & 1;
      env.idle(1 + rng() % 3, dn, er);
      irq_status |= (dn ? 1u : 0u) | (er ? 2u : 0u);
      env.idle(1);
    } else if (op == 4) {
      const std::uint32_t d = rng();
      const unsigned s = rng() % 16;
      REQUIRE(env.write(kIrqStatus, d, s) == kOkay);
      irq_status &= ~(d & strb_mask(s) & 3u);
      CHECK(env.rd(kIrqStatus) == irq_status);
      CHECK((env.model().irq_o != 0) == ((irq_status & model[kIrqEnable]) != 0));
    } else {
      const std::uint32_t a = holes[rng() % holes.size()];
      CHECK(env.read(a).resp == kSlvErr);
      CHECK(env.write(a, rng()) == kSlvErr);
    }
  }
  for (const RwReg& r : kRwRegs) CHECK(env.rd(r.off) == model[r.off]);
  CHECK(env.rd(kIrqStatus) == irq_status);
  check_outputs(env, model);
}

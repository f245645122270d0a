// Every error code on the RTL, against the ISA simulator: the failing command sits in the middle
// of a program (commands 0 and 1 before it, command 3 ordered behind it by a token); the RTL
// must report the same code and program index, leave DRAM exactly as the ISA simulator does
// (command 1's output written, command 3's not), raise the interrupt, and run a good program
// after a soft reset.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

#include "isa_tb.hpp"  // the ISA tests' command builders (linear, load, store)
#include "nuri/fw/npu_regs.hpp"
#include "nuri/tb/options.hpp"
#include "top_env.hpp"

namespace {

namespace isa = nuri::isa;
namespace regs = nuri::fw::regs;
namespace top = nuri::tb::top;
using top::Layout;
using Words = isa::Words;
using isa::tb::linear;
using isa::tb::load;

isa::Store store(const isa::DmaDesc& d, isa::Tokens t) {
  return isa::tb::store(d, isa::Space::Spad, t);
}

constexpr std::uint64_t kR1 = Layout::kOut;          // written by command 1
constexpr std::uint64_t kR2 = Layout::kOut + 0x100;  // written by command 3 (after the failure)
constexpr std::uint64_t kSlverr = Layout::kIn + 0x3'0000;
constexpr std::uint64_t kDecerr = Layout::kIn + 0x3'1000;
constexpr std::uint64_t kBadParams = Layout::kIn + 0x3'2000;  // records with mult < 0

// Command 2 waits for token 2 (given by command 1) and gives token 1 (command 3 waits for it).
Words with_tokens(isa::Command c) {
  Words w = isa::encode(c);
  w[0] |= (0x04u << 8) | (0x02u << 16);
  return w;
}

std::vector<std::uint32_t> program_around(const std::vector<Words>& bad, bool end = true) {
  isa::Load l0 = load(linear(Layout::kIn, 0, 64));
  l0.tok = {0, 0x01};
  std::vector<isa::Command> head = {l0, store(linear(kR1, 0, 64), {0x01, 0x04})};
  std::vector<std::uint32_t> prog = isa::encode_program(head);
  for (const Words& w : bad) prog.insert(prog.end(), w.begin(), w.end());
  std::vector<isa::Command> tail = {store(linear(kR2, 0, 64), {0x02, 0})};
  if (end) tail.push_back(isa::End{});
  const auto t = isa::encode_program(tail);
  prog.insert(prog.end(), t.begin(), t.end());
  return prog;
}

struct Case {
  const char* name;
  unsigned code;
  std::vector<Words> bad;
  bool end = true;
};

std::vector<Case> cases(const isa::IsaConfig& cfg) {
  const auto& g = cfg.geometry;
  std::vector<Case> c;
  c.push_back({"illegal opcode 0x00", 1, {Words{}}});
  {
    isa::Nop n;
    Words w = with_tokens(n);
    w[0] = (w[0] & ~0xFFu) | 0x13u;  // POOL: no vector unit in this build
    c.push_back({"POOL without a vector unit", 1, {w}});
  }
  {
    Words w = with_tokens(isa::Matmul{});
    w[9] = 1;  // MATMUL defines words 0..8 only
    c.push_back({"reserved bit", 2, {w}});
  }
  {
    isa::Matmul m;
    m.k = g.rows + 1;
    c.push_back({"K larger than the array", 3, {with_tokens(m)}});
  }
  {
    isa::Ppu p;
    p.act_min = 10;
    p.act_max = 9;
    c.push_back({"act_min above act_max", 4, {with_tokens(p)}});
  }
  c.push_back(
      {"scratchpad extent",
       5,
       {with_tokens(load(linear(Layout::kIn, static_cast<std::uint32_t>(g.spad_bytes) - 8, 16)))}});
  {
    isa::Matmul m;
    m.m = 2;
    m.acc_addr = static_cast<std::uint32_t>(g.acc_rows()) - 1;
    c.push_back({"accumulator row", 6, {with_tokens(m)}});
  }
  {
    isa::Ppu p;
    p.n = 2;
    p.param_addr = g.param_entries - 1;
    c.push_back({"parameter record", 7, {with_tokens(p)}});
  }
  c.push_back({"no END", 8, {}, false});
  c.push_back({"DRAM window",
               9,
               {with_tokens(load(linear(Layout::kBase + Layout::kBytes + 0x1000, 0, 16)))}});
  c.push_back({"SLVERR", 10, {with_tokens(load(linear(kSlverr, 0, 64)))}});
  c.push_back({"DECERR", 11, {with_tokens(load(linear(kDecerr, 0, 64)))}});
  {
    isa::Load pl = load(linear(kBadParams, 0, 64), isa::Space::Param);
    isa::Ppu p;
    p.n = 4;
    p.param_addr = 0;
    Words w0 = isa::encode(pl);
    w0[0] |= 0x04u << 8;  // waits for command 1; the PPU after it in program order is ordered by
    Words w1 = isa::encode(p);  // the LOAD's signal
    w0[0] |= 0x08u << 16;
    w1[0] |= (0x08u << 8) | (0x02u << 16);
    c.push_back({"parameter value", 12, {w0, w1}});
  }
  {
    // 256 NOPs in the compute queue signalling token 5: the 256th overflows.
    std::vector<Words> nops;
    for (int i = 0; i < 256; ++i) {
      isa::Nop n;
      n.queue = isa::Queue::Compute;
      n.tok.signal = 0x20;
      if (i == 255) n.tok.signal |= 0x02;  // command 3 would run after it
      nops.push_back(isa::encode(n));
    }
    nops.front()[0] |= 0x04u << 8;
    c.push_back({"token overflow", 13, nops});
  }
  {
    isa::Nop n;
    n.tok.wait = 0x80;  // nobody gives token 7
    c.push_back({"deadlock", 14, {isa::encode(n)}});
  }
  return c;
}

std::vector<std::uint8_t> image_with_bad_params(std::mt19937_64& rng) {
  auto img = top::random_image(rng, 1024);
  for (int r = 0; r < 4; ++r) {  // record 2 has a negative multiplier
    const std::size_t off = kBadParams - Layout::kBase + 16 * r;
    const std::uint32_t mult = r == 2 ? 0x8000'0000u : 0x4000'0000u;
    for (int i = 0; i < 4; ++i) img[off + 4 + i] = static_cast<std::uint8_t>(mult >> (8 * i));
    img[off + 8] = static_cast<std::uint8_t>(-3);
  }
  return img;
}

// The test image's DRAM window on the `array` build, seeded from the test's seed.
nuri::rtl::RtlOptions window_options(unsigned array) {
  nuri::rtl::RtlOptions o;
  o.array = array;
  o.dram_base = Layout::kBase;
  o.dram_bytes = Layout::kBytes;
  o.seed = nuri::tb::seed();
  return o;
}

}  // namespace

TEST_CASE("top: every error code stops the program like the ISA simulator and soft reset recovers",
          "[rtl][smoke]") {
  for (unsigned array : {4u, 16u}) {
    if (!nuri::rtl::has_array(array)) {
      WARN(array << "x" << array << " is not built into this binary (NURI_RTL_ARRAYS): skipped");
      continue;
    }
    const isa::IsaConfig cfg = top::config_for(array);
    nuri::rtl::RtlOptions o = window_options(array);
    o.bus_errors = {{kSlverr, kSlverr + 0x100, false}, {kDecerr, kDecerr + 0x100, true}};
    auto hal = nuri::rtl::make_rtl_hal(o);
    std::mt19937_64 rng(nuri::tb::seed());
    for (const Case& c : cases(cfg)) {
      INFO(array << "x" << array << ": " << c.name);
      const auto image = image_with_bad_params(rng);
      const auto prog = program_around(c.bad, c.end);
      const top::Outcome gold = top::run_isa(cfg, image, prog, o.bus_errors);
      REQUIRE(gold.code == c.code);  // the case provokes what it says
      const top::Outcome rtl = top::run_rtl(*hal, image, prog, 1'000'000);
      CHECK(rtl.code == gold.code);
      CHECK(rtl.index == gold.index);
      CHECK((hal->read_reg(regs::kStatus) & regs::kStatusError) != 0);
      // command 1 wrote its output, command 3 never ran (same bytes as the ISA simulator)
      CHECK(std::equal(rtl.dram.begin() + (kR1 - Layout::kBase),
                       rtl.dram.begin() + (kR2 + 64 - Layout::kBase),
                       gold.dram.begin() + (kR1 - Layout::kBase)));
      // soft reset, then a good program runs to the end
      hal->write_reg(regs::kCtrl, regs::kCtrlSoftReset);
      CHECK(hal->read_reg(regs::kStatus) == 0u);
      CHECK_FALSE(hal->irq());
      const auto good = program_around({with_tokens(isa::Nop{})});
      const top::Outcome ok = top::run_rtl(*hal, image, good, 1'000'000);
      CHECK(ok.code == 0u);
    }
  }
}

TEST_CASE("top: a bad ring configuration and a bus error on command fetch are reported",
          "[rtl][smoke]") {
  nuri::rtl::RtlOptions o = window_options(4);
  // command slot 2 of the ring answers SLVERR
  o.bus_errors = {{Layout::kRing + 2 * 64, Layout::kRing + 3 * 64, false}};
  auto hal = nuri::rtl::make_rtl_hal(o);
  std::mt19937_64 rng(nuri::tb::seed());
  const auto image = top::random_image(rng, 1024);
  // RING_SIZE 0: error 15 at START, nothing fetched
  hal->write_reg(regs::kRingSize, 0);
  hal->write_reg(regs::kIrqEnable, 3);
  hal->write_reg(regs::kCtrl, regs::kCtrlStart);
  REQUIRE(hal->wait_irq(100));
  std::uint32_t st = hal->read_reg(regs::kStatus);
  CHECK(((st & regs::kStatusErrCodeMask) >> regs::kStatusErrCodeShift) == 15u);
  CHECK(hal->read_reg(regs::kPerfFetchedLo) == 0u);
  hal->write_reg(regs::kCtrl, regs::kCtrlSoftReset);
  // fetch error at command 2: commands 0 and 1 complete, error 10 with index 2
  const auto prog = program_around({isa::encode(isa::Nop{})});
  const top::Outcome r = top::run_rtl(*hal, image, prog, 100'000);
  CHECK(r.code == 10u);
  CHECK(r.index == 2u);
  CHECK(std::equal(r.dram.begin() + (kR1 - Layout::kBase),
                   r.dram.begin() + (kR1 + 64 - Layout::kBase),
                   image.begin() + (Layout::kIn - Layout::kBase)));
}

TEST_CASE("top: a soft reset in the middle of a program aborts it and the next program is exact",
          "[rtl][smoke]") {
  // SOFT_RESET while the command processor runs (fetching, queues full, DMA bursts in flight):
  // the NPU drains its AXI traffic, goes idle with STATUS and IRQ_STATUS clear and RING_HEAD at
  // RING_TAIL, and the next program's whole DRAM image equals the ISA simulator's (a late write of
  // the aborted program would show up there).
  const unsigned array = 4;
  const isa::IsaConfig cfg = top::config_for(array);
  nuri::rtl::RtlOptions o = window_options(array);
  o.mem_latency = 30;
  o.stall_prob = 0.1;
  auto hal = nuri::rtl::make_rtl_hal(o);
  std::mt19937_64 rng(nuri::tb::seed() * 7919u);
  for (const std::uint64_t after : {10u, 150u, 600u, 2500u}) {
    INFO("SOFT_RESET " << after << " cycles after START");
    const auto image = top::random_image(rng, cfg.geometry.param_entries);
    const auto aborted = isa::encode_program(top::random_program(rng, cfg, 80));
    top::start_rtl(*hal, image, aborted);
    hal->run_cycles(after);
    REQUIRE((hal->read_reg(regs::kStatus) & regs::kStatusBusy) != 0u);  // still running
    hal->write_reg(regs::kCtrl, regs::kCtrlSoftReset);
    std::uint64_t waited = 0;
    while ((hal->read_reg(regs::kStatus) & regs::kStatusBusy) != 0u && waited < 20'000) {
      hal->run_cycles(16);
      waited += 16;
    }
    CHECK(hal->read_reg(regs::kStatus) == 0u);
    CHECK(hal->read_reg(regs::kIrqStatus) == 0u);
    CHECK_FALSE(hal->irq());
    CHECK(hal->read_reg(regs::kRingHead) == hal->read_reg(regs::kRingTail));
    const auto image2 = top::random_image(rng, cfg.geometry.param_entries);
    const auto next = isa::encode_program(top::random_program(rng, cfg, 40));
    const top::Outcome gold = top::run_isa(cfg, image2, next);
    REQUIRE(gold.code == 0);
    const top::Outcome rtl = top::run_rtl(*hal, image2, next, 5'000'000);
    CHECK(rtl.code == 0);
    // everything after the ring (which holds different commands in the two runs)
    const std::size_t from = Layout::kIn - Layout::kBase;
    const auto diff =
        std::mismatch(rtl.dram.begin() + from, rtl.dram.end(), gold.dram.begin() + from);
    const std::size_t at = static_cast<std::size_t>(diff.first - rtl.dram.begin());
    INFO("first difference at DRAM offset 0x" << std::hex << at);
    CHECK(diff.first == rtl.dram.end());
  }
}

// npu_top against the golden ISA simulator: identification registers, random legal command
// programs (all of DRAM compared afterwards, including dumps of every local memory), error codes
// and recovery. Firmware-driven layers are in tb/firmware.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <utility>

#include "isa_tb.hpp"  // the ISA tests' command builders (linear, load, store)
#include "nuri/fw/npu_regs.hpp"
#include "nuri/tb/options.hpp"
#include "top_env.hpp"

namespace {

namespace isa = nuri::isa;
namespace regs = nuri::fw::regs;
namespace top = nuri::tb::top;
using top::Layout;

nuri::rtl::RtlOptions options_for(unsigned array, const std::string& tag) {
  nuri::rtl::RtlOptions o;
  o.array = array;
  o.dram_base = Layout::kBase;
  o.dram_bytes = Layout::kBytes;
  o.seed = nuri::tb::seed();
  if (nuri::tb::options().waves) {
    o.waves_path = "waves/top_" + tag + "_" + std::to_string(array) + "x" + std::to_string(array) +
                   "_seed" + std::to_string(nuri::tb::seed()) + ".fst";
  }
  if (const char* d = std::getenv("NURI_COVERAGE_DIR"); d != nullptr && *d != '\0') {
    o.coverage_path = std::string(d) + "/top_" + tag + "_" + std::to_string(array) + "_seed" +
                      std::to_string(nuri::tb::seed()) + ".dat";
  }
  return o;
}

// First differing byte of two images, as a message (empty when equal).
std::string first_difference(const std::vector<std::uint8_t>& rtl,
                             const std::vector<std::uint8_t>& gold, std::uint64_t from) {
  std::size_t count = 0, first = 0;
  for (std::size_t i = from; i < rtl.size(); ++i) {
    if (rtl[i] != gold[i]) {
      if (count++ == 0) first = i;
    }
  }
  if (count == 0) return "";
  std::ostringstream s;
  s << count << " bytes differ; first at DRAM 0x" << std::hex << (Layout::kBase + first)
    << ": RTL 0x" << int(rtl[first]) << ", ISA simulator 0x" << int(gold[first]);
  return s.str();
}

}  // namespace

TEST_CASE("top: identification and configuration registers describe the build", "[rtl][smoke]") {
  for (unsigned a : {4u, 8u, 16u}) {
    if (!nuri::rtl::has_array(a)) {
      WARN(a << "x" << a << " is not built into this binary (NURI_RTL_ARRAYS): skipped");
      continue;
    }
    auto hal = nuri::rtl::make_rtl_hal(options_for(a, "id"));
    const isa::IsaConfig cfg = top::config_for(a);
    INFO(a << "x" << a);
    CHECK(hal->read_reg(regs::kId) == 0x4E555249u);
    CHECK(hal->read_reg(regs::kHwArray) == (a | (a << 16)));
    CHECK(hal->read_reg(regs::kHwSpadBytes) == cfg.geometry.spad_bytes);
    CHECK(hal->read_reg(regs::kHwAccBytes) == cfg.geometry.acc_bytes);
    CHECK((hal->read_reg(regs::kHwParams) & 0xFFFFu) == cfg.geometry.param_entries);
    CHECK(hal->read_reg(regs::kHwFeatures) == 0u);  // no vector unit in this build
    CHECK(hal->read_reg(regs::kStatus) == 0u);
    CHECK_FALSE(hal->irq());
  }
}

namespace {

void random_programs(unsigned array, unsigned programs, unsigned length, double stall,
                     unsigned latency) {
  std::mt19937_64 rng(nuri::tb::seed() * 1000003ull + array);
  const isa::IsaConfig cfg = top::config_for(array);
  auto opt = options_for(array, "random");
  opt.stall_prob = stall;
  opt.mem_latency = latency;
  auto hal = nuri::rtl::make_rtl_hal(opt);
  // NURI_TOP_LEN (debugging aid): commands per random program, to shrink a failing case.
  if (const char* l = std::getenv("NURI_TOP_LEN"); l != nullptr && *l != '\0') {
    length = static_cast<unsigned>(std::stoul(l));
  }
  for (unsigned i = 0; i < programs; ++i) {
    const auto image = top::random_image(rng, cfg.geometry.param_entries);
    const auto prog = top::random_program(rng, cfg, length);
    const auto words = isa::encode_program(prog);
    INFO(array << "x" << array << " program " << i << " of " << prog.size() << " commands");
    const top::Outcome gold = top::run_isa(cfg, image, words);
    REQUIRE(gold.code == 0);  // the generator makes legal programs
    const top::Outcome rtl = top::run_rtl(*hal, image, words, 20'000'000);
    CHECK(rtl.code == 0);
    const std::string diff = first_difference(rtl.dram, gold.dram, Layout::kIn - Layout::kBase);
    if (!diff.empty()) {
      // name the commands so the failure can be read without a waveform
      std::ostringstream s;
      for (std::size_t c = 0; c < prog.size(); ++c)
        s << c << ": " << isa::to_string(prog[c]) << "\n";
      FAIL(diff << "\nprogram:\n" << s.str());
    }
  }
}

}  // namespace

TEST_CASE("top: random command programs match the ISA simulator (4x4)", "[rtl][smoke]") {
  random_programs(4, 2, 30, 0.0, 10);
}

TEST_CASE("top: random command programs match the ISA simulator (16x16)", "[rtl][smoke]") {
  random_programs(16, 1, 30, 0.0, 10);
}

TEST_CASE("top: random programs under memory stalls and latency (4x4)", "[rtl][full]") {
  random_programs(4, 10, 60, 0.3, 50);
}

TEST_CASE("top: random programs under memory stalls and latency (8x8)", "[rtl][full]") {
  random_programs(8, 10, 60, 0.3, 50);
}

TEST_CASE("top: random programs under memory stalls and latency (16x16)", "[rtl][full]") {
  random_programs(16, 6, 60, 0.2, 100);
}

TEST_CASE("top: the command fetch ignores RING_BASE bits 5 to 0", "[rtl][smoke]") {
  // docs/registers.md: RING_BASE bits [5:0] are stored and read back, and the fetch ignores
  // them (commands are 64-byte aligned). Three programs back to back, so later ones start at a
  // RING_HEAD other than 0 and the fetch crosses 4 KiB boundaries, each with other low bits.
  const unsigned a = 4;
  const isa::IsaConfig cfg = top::config_for(a);
  auto hal = nuri::rtl::make_rtl_hal(options_for(a, "ring_base_low"));
  std::mt19937_64 rng(nuri::tb::seed() * 7919ull + 1);
  for (const std::uint32_t low : {0x3Fu, 0x01u, 0x2Au}) {
    INFO("RING_BASE bits [5:0] = 0x" << std::hex << low);
    const auto image = top::random_image(rng, cfg.geometry.param_entries);
    const auto words = isa::encode_program(top::random_program(rng, cfg, 30));
    const top::Outcome gold = top::run_isa(cfg, image, words);
    REQUIRE(gold.code == 0);
    const top::Outcome rtl = top::run_rtl(*hal, image, words, 20'000'000, low);
    CHECK(hal->read_reg(regs::kRingBaseLo) == (static_cast<std::uint32_t>(Layout::kRing) | low));
    CHECK(rtl.code == 0);
    CHECK(first_difference(rtl.dram, gold.dram, Layout::kIn - Layout::kBase).empty());
  }
}

namespace {

// A MATMUL of `rows` activation rows at scratchpad row 0 by the a x a weights at scratchpad row
// 2 * rows, into accumulator rows 0 .. rows - 1.
isa::Matmul rows_matmul(unsigned a, std::uint32_t rows) {
  isa::Matmul m;
  m.act_addr = 0;
  m.m = rows;
  m.w_addr = 2 * rows;
  m.k = a;
  m.n = a;
  m.acc_addr = 0;
  return m;
}

// Runs a program on the a x a RTL at memory latencies 1, 8 and 30 (the last with random
// stalls), each time on a fresh random DRAM image, and checks that it ends without error and
// leaves the ISA simulator's DRAM image.
void check_at_three_latencies(unsigned a, const std::vector<std::uint32_t>& words,
                              const std::string& tag) {
  const isa::IsaConfig cfg = top::config_for(a);
  std::mt19937_64 rng(nuri::tb::seed());
  for (const auto& [latency, stall] :
       {std::pair{1u, 0.0}, std::pair{8u, 0.0}, std::pair{30u, 0.2}}) {
    INFO("memory latency " << latency << ", stalls " << stall);
    auto opt = options_for(a, tag);
    opt.mem_latency = latency;
    opt.stall_prob = stall;
    auto hal = nuri::rtl::make_rtl_hal(opt);
    const auto image = top::random_image(rng, cfg.geometry.param_entries);
    const top::Outcome gold = top::run_isa(cfg, image, words);
    REQUIRE(gold.code == 0);
    const top::Outcome rtl = top::run_rtl(*hal, image, words, 2'000'000);
    CHECK(rtl.code == 0);
    CHECK(first_difference(rtl.dram, gold.dram, Layout::kIn - Layout::kBase).empty());
  }
}

}  // namespace

TEST_CASE("top: a STORE of accumulator rows runs while a MATMUL writes other rows",
          "[rtl][smoke]") {
  // Race free (disjoint accumulator rows, no token between them), so the store unit's
  // accumulator reads meet the array's result writes at the accumulator memory's port
  // (npu_matmul_unit:c_result_read_conflict); the result must still be the ISA simulator's.
  const unsigned a = 4;
  const std::uint32_t acc_row = a * 4;  // bytes per accumulator row
  const std::uint32_t rows = 256;       // MATMUL rows 0..255; stored rows 256..511
  const isa::Matmul mm = rows_matmul(a, rows);
  const std::vector<isa::Command> prog = {
      isa::tb::load(isa::tb::linear(Layout::kIn, 0, 4 * rows * a)),
      isa::tb::load(isa::tb::linear(Layout::kIn + 0x8000, rows * acc_row, rows * acc_row),
                    isa::Space::Acc),
      isa::Fence{},
      mm,
      isa::tb::store(isa::tb::linear(Layout::kOut, rows * acc_row, rows * acc_row),
                     isa::Space::Acc),
      isa::Fence{},
      isa::tb::store(isa::tb::linear(Layout::kOut + 0x8000, 0, rows * acc_row), isa::Space::Acc),
      isa::End{}};
  check_at_three_latencies(a, isa::encode_program(prog), "store_during_matmul");
}

TEST_CASE("top: a LOAD into accumulator rows runs while a MATMUL writes other rows",
          "[rtl][smoke]") {
  // Race free (disjoint accumulator rows, no token between them), so the load unit's masked
  // accumulator writes wait at the accumulator memory's port while the array's results take
  // it: the unit's request slice still holds writes when the DMA is done, and the LOAD finishes
  // only once they are taken (npu_xfer_unit:c_drain). Both ranges must be the ISA simulator's.
  const unsigned a = 4;
  const std::uint32_t acc_row = a * 4;  // bytes per accumulator row
  const std::uint32_t rows = 256;       // MATMUL rows 0..255
  const std::uint32_t loaded = 32;      // loaded rows 256..287, while the MATMUL still writes
  const isa::Matmul mm = rows_matmul(a, rows);
  const std::vector<isa::Command> prog = {
      isa::tb::load(isa::tb::linear(Layout::kIn, 0, 4 * rows * a)),
      isa::Fence{},
      mm,
      isa::tb::load(isa::tb::linear(Layout::kIn + 0x8000, rows * acc_row, loaded * acc_row),
                    isa::Space::Acc),
      isa::Fence{},
      isa::tb::store(isa::tb::linear(Layout::kOut, rows * acc_row, loaded * acc_row),
                     isa::Space::Acc),
      isa::tb::store(isa::tb::linear(Layout::kOut + 0x8000, 0, rows * acc_row), isa::Space::Acc),
      isa::End{}};
  check_at_three_latencies(a, isa::encode_program(prog), "load_during_matmul");
}

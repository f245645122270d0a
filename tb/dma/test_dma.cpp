// npu_dma against the descriptor model of docs/dma.md, through the AXI4 memory model
// (nuri_tb_axi) with its protocol checker, under stall patterns on every channel.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "Vnpu_dma.h"
#include "dma_env.hpp"
#include "nuri/tb/axi.hpp"
#include "nuri/tb/options.hpp"

namespace {

using nuri::tb::axi::AxiMemoryConfig;
using nuri::tb::axi::ErrorRange;
using nuri::tb::axi::SparseMemory;
using nuri::tb::axi::Stall;
using nuri::tb::dma::Desc;
using nuri::tb::dma::LocalPortConfig;
using nuri::tb::dma::Range;
using Env = nuri::tb::dma::DmaEnv<Vnpu_dma>;
namespace dma = nuri::tb::dma;

constexpr std::uint64_t kGuard = 96;  // guard band on each side of every target region

// ------------------------------------------------------------------------------------------------
// Random descriptors
// ------------------------------------------------------------------------------------------------
struct Gen {
  std::mt19937_64 rng;
  explicit Gen(std::uint64_t seed) : rng(seed) {}
  std::int64_t uni(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  }
  bool chance(int percent) { return uni(0, 99) < percent; }

  enum class Shape { Contiguous, Rows, Volume, Tiny, Large };

  // A random descriptor; `padding` allows windows that leave the tensor on any side.
  // overlap: rows may overlap in DRAM (stride1 < size0), e.g. sliding windows; later rows win.
  Desc desc(Shape shape, bool padding, bool overlap = false) {
    Desc d;
    switch (shape) {
      case Shape::Tiny:
        d.size[0] = static_cast<std::uint32_t>(uni(1, 20));
        d.size[1] = static_cast<std::uint32_t>(uni(1, 3));
        d.size[2] = static_cast<std::uint32_t>(uni(1, 2));
        break;
      case Shape::Contiguous:
        d.size[0] = static_cast<std::uint32_t>(uni(1, 6000));
        break;
      case Shape::Rows:
        d.size[0] = static_cast<std::uint32_t>(uni(1, 300));
        d.size[1] = static_cast<std::uint32_t>(uni(1, 24));
        break;
      case Shape::Volume:
        d.size[0] = static_cast<std::uint32_t>(uni(1, 100));
        d.size[1] = static_cast<std::uint32_t>(uni(1, 10));
        d.size[2] = static_cast<std::uint32_t>(uni(1, 6));
        break;
      case Shape::Large:
        d.size[0] = static_cast<std::uint32_t>(uni(4096, 20000));
        d.size[1] = static_cast<std::uint32_t>(uni(1, 6));
        d.size[2] = static_cast<std::uint32_t>(uni(1, 3));
        break;
    }
    d.dram_stride1 = d.size[0] + static_cast<std::uint64_t>(chance(50) ? 0 : uni(1, 77));
    if (overlap && chance(30)) d.dram_stride1 = static_cast<std::uint64_t>(uni(0, d.size[0]));
    d.dram_stride2 =
        d.dram_stride1 * d.size[1] + static_cast<std::uint64_t>(chance(50) ? 0 : uni(1, 333));
    for (int k = 0; k < 3; ++k) {
      if (padding && chance(60)) {
        const std::int64_t s = d.size[k];
        d.start[k] = static_cast<std::int32_t>(uni(-std::min<std::int64_t>(s, 20), s - 1));
        if (chance(10)) d.start[k] = static_cast<std::int32_t>(uni(-25, s + 5));  // all pad
        const std::int64_t room = s - d.start[k];
        d.len[k] = static_cast<std::uint32_t>(
            std::max<std::int64_t>(1, uni(1, std::max<std::int64_t>(1, room + uni(0, 20)))));
      } else {
        d.start[k] = 0;
        d.len[k] = d.size[k];
        if (chance(30) && d.size[k] > 1) {  // a window inside the tensor
          d.start[k] = static_cast<std::int32_t>(uni(0, d.size[k] - 1));
          d.len[k] = static_cast<std::uint32_t>(uni(1, d.size[k] - d.start[k]));
        }
      }
    }
    // All alignments, addresses above 4 GiB, sometimes just below a 4 KiB boundary.
    d.dram_addr = 0x12'3400'0000ULL + static_cast<std::uint64_t>(uni(0, 1 << 16));
    if (chance(20)) d.dram_addr = (d.dram_addr | 0xFFF) - static_cast<std::uint64_t>(uni(0, 40));
    d.lcl_addr = 0x10000 + static_cast<std::uint32_t>(uni(0, 4096));
    d.lcl_stride1 = d.len[0] + static_cast<std::uint32_t>(chance(50) ? 0 : uni(1, 37));
    d.lcl_stride2 =
        d.lcl_stride1 * d.len[1] + static_cast<std::uint32_t>(chance(50) ? 0 : uni(1, 100));
    d.pad = static_cast<std::uint8_t>(uni(0, 255));
    return d;
  }

  Shape shape() { return static_cast<Shape>(uni(0, 3)); }

  Stall stall() {
    switch (uni(0, 2)) {
      case 0:
        return Stall::none();
      case 1: {
        const auto p = static_cast<unsigned>(uni(2, 9));
        return Stall::periodic(p, static_cast<unsigned>(uni(1, p - 1)));
      }
      default:
        return Stall::random(static_cast<unsigned>(uni(10, 70)));
    }
  }
};

// Randomizes [r.lo - kGuard, r.hi + kGuard).
void randomize(SparseMemory& m, Range r, std::mt19937_64& rng) {
  m.randomize(r.lo - kGuard, static_cast<std::size_t>(r.hi - r.lo + 2 * kGuard), rng);
}

// Byte-for-byte comparison of [r.lo - kGuard, r.hi + kGuard); returns the first mismatch text.
std::string compare(const SparseMemory& got, const SparseMemory& want, Range r, const char* what) {
  for (std::uint64_t a = r.lo - kGuard; a < r.hi + kGuard; ++a) {
    if (got.read(a) != want.read(a)) {
      char b[160];
      std::snprintf(b, sizeof b, "%s byte 0x%llx: got 0x%02x want 0x%02x (%s)", what,
                    static_cast<unsigned long long>(a), got.read(a), want.read(a),
                    a < r.lo || a >= r.hi ? "guard band" : "target");
      return b;
    }
  }
  return "";
}

SparseMemory copy_of(const SparseMemory& m, Range r) {
  SparseMemory c;
  for (std::uint64_t a = r.lo - kGuard; a < r.hi + kGuard; ++a) c.write(a, m.read(a));
  return c;
}

// One load, checked against the model: local window and guard bands byte for byte, DRAM and
// AXI write channels untouched.
void check_load(Env& env, const Desc& d, std::mt19937_64& rng) {
  INFO("load " << d.str());
  const Range lr = dma::local_footprint(d);
  const Range dr = dma::tensor_footprint(d);
  randomize(env.dram(), dr, rng);
  randomize(env.lcl(), lr, rng);
  SparseMemory want_l = copy_of(env.lcl(), lr);
  const SparseMemory want_d = copy_of(env.dram(), dr);
  dma::model_load(d, env.dram(), want_l);
  const std::size_t aw_before = env.axi().log().size();
  const auto res = env.transfer(false, d);
  REQUIRE(res.done);
  CHECK(res.err == dma::kOk);
  CHECK(compare(env.lcl(), want_l, lr, "local") == "");
  CHECK(compare(env.dram(), want_d, dr, "dram") == "");
  for (std::size_t i = aw_before; i < env.axi().log().size(); ++i) {
    REQUIRE_FALSE(env.axi().log()[i].write);
  }
}

void check_store(Env& env, const Desc& d, std::mt19937_64& rng) {
  INFO("store " << d.str());
  const Range lr = dma::local_footprint(d);
  const Range dr = dma::tensor_footprint(d);
  randomize(env.dram(), dr, rng);
  randomize(env.lcl(), lr, rng);
  SparseMemory want_d = copy_of(env.dram(), dr);
  const SparseMemory want_l = copy_of(env.lcl(), lr);
  dma::model_store(d, env.lcl(), want_d);
  const auto res = env.transfer(true, d);
  REQUIRE(res.done);
  CHECK(res.err == dma::kOk);
  env.idle(4);
  CHECK(compare(env.dram(), want_d, dr, "dram") == "");
  CHECK(compare(env.lcl(), want_l, lr, "local") == "");
}

void require_clean(Env& env) {
  INFO("AXI violations: " << (env.axi().violations().empty() ? "" : env.axi().violations()[0]));
  REQUIRE(env.axi().violations().empty());
  REQUIRE(env.errors().empty());
  REQUIRE(env.dut().context().gotError() == false);
}

Desc contiguous(std::uint64_t dram, std::uint32_t lcl, std::uint32_t bytes) {
  Desc d;
  d.dram_addr = dram;
  d.size[0] = d.len[0] = bytes;
  d.dram_stride1 = d.dram_stride2 = bytes;
  d.lcl_addr = lcl;
  d.lcl_stride1 = d.lcl_stride2 = bytes;
  return d;
}

AxiMemoryConfig config_with(Gen& g, unsigned latency) {
  AxiMemoryConfig c;
  c.read_latency = latency;
  c.write_latency = latency;
  c.aw = g.stall();
  c.w = g.stall();
  c.b = g.stall();
  c.ar = g.stall();
  c.r = g.stall();
  c.allowed_ids = {0};
  c.seed = g.rng();
  if (g.chance(30)) {  // bandwidth limits and a small acceptance window
    c.read_bytes_per_cycle = static_cast<double>(g.uni(20, 160)) / 10.0;
    c.write_bytes_per_cycle = static_cast<double>(g.uni(20, 160)) / 10.0;
  }
  if (g.chance(30)) {
    c.max_reads = static_cast<unsigned>(g.uni(1, 4));
    c.max_writes = static_cast<unsigned>(g.uni(1, 4));
  }
  return c;
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// Smoke
// ------------------------------------------------------------------------------------------------
TEST_CASE("dma loads contiguous blocks of every alignment", "[rtl][smoke]") {
  Gen g(nuri::tb::seed());
  AxiMemoryConfig c;
  c.allowed_ids = {0};
  c.read_latency = 20;
  Env env(c, {}, g.rng());
  for (std::uint32_t bytes : {1U, 2U, 15U, 16U, 17U, 31U, 33U, 255U, 4096U, 4097U, 9000U}) {
    for (int rep = 0; rep < 2; ++rep) {
      Desc d = contiguous(0x80'0000'0000ULL + static_cast<std::uint64_t>(g.uni(0, 8191)),
                          0x4000 + static_cast<std::uint32_t>(g.uni(0, 63)), bytes);
      check_load(env, d, g.rng);
    }
  }
  require_clean(env);
}

TEST_CASE("dma stores contiguous blocks of every alignment", "[rtl][smoke]") {
  Gen g(nuri::tb::seed());
  AxiMemoryConfig c;
  c.allowed_ids = {0};
  c.write_latency = 20;
  Env env(c, {}, g.rng());
  for (std::uint32_t bytes : {1U, 2U, 15U, 16U, 17U, 31U, 33U, 255U, 4096U, 4097U, 9000U}) {
    for (int rep = 0; rep < 2; ++rep) {
      Desc d = contiguous(0x80'0000'0000ULL + static_cast<std::uint64_t>(g.uni(0, 8191)),
                          0x4000 + static_cast<std::uint32_t>(g.uni(0, 63)), bytes);
      check_store(env, d, g.rng);
    }
  }
  require_clean(env);
}

TEST_CASE("dma bursts stop at 4 KiB boundaries and fill up to 256 beats", "[rtl][smoke]") {
  Gen g(nuri::tb::seed());
  AxiMemoryConfig c;
  c.allowed_ids = {0};
  Env env(c, {}, g.rng());
  // 3 bytes before a 4 KiB boundary up to 2 pages later: bursts of 1, 256, 256, ... beats.
  Desc d = contiguous(0x1'0000'0FFDULL, 0x100, 3 + 8192 + 5);
  check_load(env, d, g.rng);
  check_store(env, d, g.rng);
  const auto& log = env.axi().log();
  REQUIRE(log.size() == 8);  // 4 AR + 4 AW
  for (const auto& t : log) {
    CHECK(((t.ax.addr & 0xFFF) + (t.ax.len + 1ULL) * 16) <= 4096);
  }
  CHECK(log[0].ax.len == 0);
  CHECK(log[1].ax.len == 255);
  CHECK(log[2].ax.len == 255);
  CHECK(log[3].ax.len == 0);
  require_clean(env);
}

TEST_CASE("dma load pads a window that leaves the tensor on every side", "[rtl][smoke]") {
  Gen g(nuri::tb::seed());
  AxiMemoryConfig c;
  c.allowed_ids = {0};
  c.read_latency = 10;
  Env env(c, {}, g.rng());
  // 3-D tensor 37 x 5 x 3, window two larger on every side.
  Desc d;
  d.dram_addr = 0x2'0000'0003ULL;
  d.size[0] = 37;
  d.size[1] = 5;
  d.size[2] = 3;
  d.dram_stride1 = 41;
  d.dram_stride2 = 41 * 5 + 7;
  for (int k = 0; k < 3; ++k) {
    d.start[k] = -2;
    d.len[k] = d.size[k] + 4;
  }
  d.lcl_addr = 0x3005;
  d.lcl_stride1 = d.len[0] + 3;
  d.lcl_stride2 = d.lcl_stride1 * d.len[1] + 1;
  d.pad = 0x80;
  check_load(env, d, g.rng);
  // Window entirely in the padding: no AXI request at all, every byte is pad.
  Desc p = d;
  p.start[1] = -20;
  p.len[1] = 3;
  const std::size_t n = env.axi().log().size();
  check_load(env, p, g.rng);
  CHECK(env.axi().log().size() == n);
  // Padding on one side only, each side in turn.
  for (int k = 0; k < 3; ++k) {
    for (int side = 0; side < 2; ++side) {
      Desc q = d;
      for (int j = 0; j < 3; ++j) {
        q.start[j] = 0;
        q.len[j] = q.size[j];
      }
      q.start[k] = side == 0 ? -3 : 1;
      q.len[k] = q.size[k] + 2;
      q.lcl_stride1 = q.len[0] + 1;
      q.lcl_stride2 = q.lcl_stride1 * q.len[1];
      check_load(env, q, g.rng);
    }
  }
  require_clean(env);
}

TEST_CASE("dma store writes only the in-tensor part of a window", "[rtl][smoke]") {
  Gen g(nuri::tb::seed());
  AxiMemoryConfig c;
  c.allowed_ids = {0};
  Env env(c, {}, g.rng());
  for (int i = 0; i < 12; ++i) check_store(env, g.desc(Gen::Shape::Volume, true), g.rng);
  require_clean(env);
}

TEST_CASE("dma random 3-D loads and stores with stalls", "[rtl][smoke]") {
  Gen g(nuri::tb::seed() + 7);
  Env env(config_with(g, 30), {g.stall(), g.stall(), 3}, g.rng());
  for (int i = 0; i < 20; ++i) {
    check_load(env, g.desc(g.shape(), g.chance(50), true), g.rng);
    check_store(env, g.desc(g.shape(), g.chance(50), true), g.rng);
  }
  require_clean(env);
}

TEST_CASE("dma refuses a descriptor outside the DRAM window before any AXI request",
          "[rtl][smoke]") {
  Gen g(nuri::tb::seed());
  AxiMemoryConfig c;
  c.allowed_ids = {0};
  Env env(c, {}, g.rng());
  for (int i = 0; i < 16; ++i) {
    const bool store = i % 2 == 1;
    Desc d = g.desc(g.shape(), g.chance(50));
    const Range r = dma::dram_range(d);
    if (r.empty()) continue;
    INFO((store ? "store " : "load ") << d.str());
    // Exactly the touched range: accepted.
    env.set_window(r.lo, r.hi);
    if (store) {
      check_store(env, d, g.rng);
    } else {
      check_load(env, d, g.rng);
    }
    // One byte short on either side: refused, nothing issued, nothing written locally.
    env.set_window(i % 4 < 2 ? r.lo + 1 : r.lo, i % 4 < 2 ? r.hi : r.hi - 1);
    env.axi().clear_log();
    const std::uint64_t writes = env.lcl_writes(), reads = env.lcl_reads();
    const auto res = env.transfer(store, d);
    REQUIRE(res.done);
    CHECK(res.err == dma::kErrWindow);
    CHECK(env.axi().log().empty());
    CHECK(env.lcl_writes() == writes);
    CHECK(env.lcl_reads() == reads);
    // Sticky until cleared: the next descriptor waits.
    env.set_window(r.lo, r.hi);
    env.submit(store, d);
    env.idle(20);
    CHECK(env.busy(store));
    env.clear_error(store);
    REQUIRE(env.run());
    CHECK(env.result(store).err == dma::kOk);
  }
  // A descriptor entirely in the padding touches no DRAM: accepted with any window.
  Desc p = contiguous(0x1000, 0x100, 10);
  p.start[0] = -20;
  env.set_window(0x5000, 0x6000);
  const auto res = env.transfer(false, p);
  CHECK(res.err == dma::kOk);
  require_clean(env);
}

namespace {
// A load or store whose DRAM range partly answers with an error; then the next transfer works.
void error_case(Env& env, Gen& g, bool store, unsigned resp) {
  Desc d = g.desc(g.chance(50) ? Gen::Shape::Rows : Gen::Shape::Contiguous, false);
  // Pick an element in the middle; fail its 16-byte beat.
  std::vector<std::uint64_t> addrs;
  dma::for_each_element(d, [&](std::uint64_t, bool in, std::uint64_t a, std::uint32_t) {
    if (in) addrs.push_back(a);
  });
  const std::uint64_t bad = addrs[static_cast<std::size_t>(g.uni(0, addrs.size() - 1))] & ~15ULL;
  env.axi().config().errors = {ErrorRange{bad, bad + 16, resp, !store, store}};
  INFO((store ? "store " : "load ") << d.str() << " error beat 0x" << std::hex << bad);
  const Range lr = dma::local_footprint(d);
  const Range dr = dma::tensor_footprint(d);
  randomize(env.dram(), dr, g.rng);
  randomize(env.lcl(), lr, g.rng);
  const SparseMemory old_l = copy_of(env.lcl(), lr);
  const SparseMemory old_d = copy_of(env.dram(), dr);
  SparseMemory new_l = copy_of(env.lcl(), lr);
  SparseMemory new_d = copy_of(env.dram(), dr);
  if (store) {
    dma::model_store(d, env.lcl(), new_d);
  } else {
    dma::model_load(d, env.dram(), new_l);
  }
  // First element (traversal order) in the failing beat: nothing from there on may be committed.
  std::uint64_t first_bad = ~0ULL;
  dma::for_each_element(d, [&](std::uint64_t idx, bool in, std::uint64_t a, std::uint32_t) {
    if (in && a >= bad && a < bad + 16 && idx < first_bad) first_bad = idx;
  });
  env.axi().clear_log();
  const auto res = env.transfer(store, d);
  REQUIRE(res.done);
  CHECK(res.err == (resp == 2 ? dma::kErrSlverr : dma::kErrDecerr));
  env.idle(4);
  if (store) {
    // Stops issuing: at most the AW already offered when the error arrived follows it.
    std::uint64_t err_at = ~0ULL;
    for (const auto& b : env.axi().b_log()) {
      if (b.resp != 0) {
        err_at = b.cycle;
        break;
      }
    }
    REQUIRE(err_at != ~0ULL);
    int later = 0;
    for (const auto& t : env.axi().log()) later += t.write && t.cycle > err_at ? 1 : 0;
    CHECK(later <= 1);
  } else {
    // Stops issuing: at most the AR already offered when the failing beat arrived follows it.
    REQUIRE_FALSE(env.axi().r_error_log().empty());
    const std::uint64_t err_at = env.axi().r_error_log().front().cycle;
    int later = 0;
    for (const auto& t : env.axi().log()) later += !t.write && t.cycle > err_at ? 1 : 0;
    CHECK(later <= 1);
  }
  if (store) {
    // Every DRAM byte holds its old or its new value; the failing burst wrote nothing.
    for (std::uint64_t a = dr.lo - kGuard; a < dr.hi + kGuard; ++a) {
      const auto v = env.dram().read(a);
      REQUIRE((v == old_d.read(a) || v == new_d.read(a)));
      if (a >= bad && a < bad + 16) REQUIRE(v == old_d.read(a));
    }
  } else {
    dma::for_each_element(d, [&](std::uint64_t idx, bool, std::uint64_t, std::uint32_t l) {
      const auto v = env.lcl().read(l);
      if (idx >= first_bad) {
        REQUIRE(v == old_l.read(l));
      } else {
        REQUIRE((v == old_l.read(l) || v == new_l.read(l)));
      }
    });
    for (std::uint64_t a = lr.lo - kGuard; a < lr.lo; ++a)
      REQUIRE(env.lcl().read(a) == old_l.read(a));
    for (std::uint64_t a = lr.hi; a < lr.hi + kGuard; ++a)
      REQUIRE(env.lcl().read(a) == old_l.read(a));
  }
  // Sticky, then cleared: the same descriptor without the error completes correctly.
  CHECK(env.err(store) == res.err);
  env.axi().config().errors.clear();
  env.clear_error(store);
  CHECK(env.err(store) == dma::kOk);
  if (store) {
    check_store(env, d, g.rng);
  } else {
    check_load(env, d, g.rng);
  }
}
}  // namespace

TEST_CASE("dma load ends on SLVERR and DECERR and the next load works", "[rtl][smoke]") {
  Gen g(nuri::tb::seed());
  AxiMemoryConfig c;
  c.allowed_ids = {0};
  c.read_latency = 40;
  Env env(c, {}, g.rng());
  for (int i = 0; i < 6; ++i) error_case(env, g, false, i % 2 == 0 ? 2 : 3);
  require_clean(env);
}

TEST_CASE("dma store ends on SLVERR and DECERR and the next store works", "[rtl][smoke]") {
  Gen g(nuri::tb::seed());
  AxiMemoryConfig c;
  c.allowed_ids = {0};
  c.write_latency = 40;
  Env env(c, {}, g.rng());
  for (int i = 0; i < 6; ++i) error_case(env, g, true, i % 2 == 0 ? 2 : 3);
  require_clean(env);
}

namespace {
// Load and store running at the same time on disjoint regions.
void concurrent(Env& env, Gen& g, int n) {
  for (int i = 0; i < n; ++i) {
    Desc ld = g.desc(g.shape(), g.chance(50));
    Desc st = g.desc(g.shape(), g.chance(50));
    st.dram_addr += 0x100'0000;  // disjoint DRAM
    st.lcl_addr += 0x10'0000;    // disjoint local
    INFO("load " << ld.str() << "\nstore " << st.str());
    const Range ll = dma::local_footprint(ld), ld_d = dma::tensor_footprint(ld);
    const Range sl = dma::local_footprint(st), sd = dma::tensor_footprint(st);
    randomize(env.dram(), ld_d, g.rng);
    randomize(env.lcl(), ll, g.rng);
    randomize(env.dram(), sd, g.rng);
    randomize(env.lcl(), sl, g.rng);
    SparseMemory want_l = copy_of(env.lcl(), ll);
    SparseMemory want_d = copy_of(env.dram(), sd);
    dma::model_load(ld, env.dram(), want_l);
    dma::model_store(st, env.lcl(), want_d);
    env.submit(false, ld);
    env.submit(true, st);
    REQUIRE(env.run());
    CHECK(env.result(false).err == dma::kOk);
    CHECK(env.result(true).err == dma::kOk);
    env.idle(4);
    CHECK(compare(env.lcl(), want_l, ll, "local") == "");
    CHECK(compare(env.dram(), want_d, sd, "dram") == "");
  }
}
}  // namespace

TEST_CASE("dma load and store run at the same time", "[rtl][smoke]") {
  Gen g(nuri::tb::seed() + 11);
  Env env(config_with(g, 25), {g.stall(), g.stall(), 2}, g.rng());
  concurrent(env, g, 6);
  CHECK(env.dut().context().gotError() == false);
  require_clean(env);
}

// ------------------------------------------------------------------------------------------------
// Full
// ------------------------------------------------------------------------------------------------
namespace {
std::vector<AxiMemoryConfig> stall_matrix(Gen& g) {
  // Every pattern (none / periodic / random) on every channel alone, all channels together,
  // and random mixes.
  std::vector<AxiMemoryConfig> out;
  const Stall kinds[] = {Stall::none(), Stall::periodic(3, 1), Stall::periodic(7, 5),
                         Stall::random(50)};
  for (const Stall& s : kinds) {
    for (int ch = 0; ch < 6; ++ch) {
      AxiMemoryConfig c;
      c.allowed_ids = {0};
      c.read_latency = static_cast<unsigned>(g.uni(0, 60));
      c.write_latency = static_cast<unsigned>(g.uni(0, 60));
      c.seed = g.rng();
      Stall* chans[] = {&c.aw, &c.w, &c.b, &c.ar, &c.r};
      if (ch == 5) {
        for (Stall* p : chans) *p = s;
      } else {
        *chans[ch] = s;
      }
      out.push_back(c);
      if (s.kind == Stall::Kind::None) break;  // "none" once
    }
  }
  for (int i = 0; i < 4; ++i) out.push_back(config_with(g, static_cast<unsigned>(g.uni(0, 120))));
  return out;
}
}  // namespace

TEST_CASE("dma random loads under every stall pattern match the model", "[rtl][full]") {
  Gen g(nuri::tb::seed() + 100);
  for (const auto& c : stall_matrix(g)) {
    INFO("aw " << c.aw.name() << " w " << c.w.name() << " b " << c.b.name() << " ar " << c.ar.name()
               << " r " << c.r.name() << " latency " << c.read_latency);
    Env env(c, {g.stall(), g.stall(), static_cast<unsigned>(g.uni(1, 6))}, g.rng());
    for (int i = 0; i < 60; ++i) check_load(env, g.desc(g.shape(), g.chance(60), true), g.rng);
    for (int i = 0; i < 10; ++i) check_load(env, g.desc(Gen::Shape::Tiny, true), g.rng);
    require_clean(env);
  }
}

TEST_CASE("dma random stores under every stall pattern match the model", "[rtl][full]") {
  Gen g(nuri::tb::seed() + 200);
  for (const auto& c : stall_matrix(g)) {
    INFO("aw " << c.aw.name() << " w " << c.w.name() << " b " << c.b.name() << " ar " << c.ar.name()
               << " r " << c.r.name() << " latency " << c.write_latency);
    Env env(c, {g.stall(), g.stall(), static_cast<unsigned>(g.uni(1, 6))}, g.rng());
    for (int i = 0; i < 60; ++i) check_store(env, g.desc(g.shape(), g.chance(60), true), g.rng);
    for (int i = 0; i < 10; ++i) check_store(env, g.desc(Gen::Shape::Tiny, true), g.rng);
    require_clean(env);
  }
}

TEST_CASE("dma large transfers up to 1 MiB match the model", "[rtl][full]") {
  Gen g(nuri::tb::seed() + 300);
  Env env(config_with(g, 100), {g.stall(), g.stall(), 2}, g.rng());
  // 1 MiB contiguous, unaligned at both ends.
  Desc d = contiguous(0x40'0000'0007ULL, 0x20'0003, 1U << 20);
  check_load(env, d, g.rng);
  check_store(env, d, g.rng);
  // About 1 MiB in 3-D: 16 KiB rows, 8 x 8, window padded on every side.
  Desc v;
  v.dram_addr = 0x41'0000'0009ULL;
  v.size[0] = 16384 + 3;
  v.size[1] = 8;
  v.size[2] = 8;
  v.dram_stride1 = v.size[0] + 5;
  v.dram_stride2 = v.dram_stride1 * 8 + 11;
  for (int k = 0; k < 3; ++k) {
    v.start[k] = -1;
    v.len[k] = v.size[k] + 2;
  }
  v.lcl_addr = 0x30'0001;
  v.lcl_stride1 = v.len[0] + 1;
  v.lcl_stride2 = v.lcl_stride1 * v.len[1];
  v.pad = 0x5a;
  check_load(env, v, g.rng);
  check_store(env, v, g.rng);
  for (int i = 0; i < 8; ++i) {
    check_load(env, g.desc(Gen::Shape::Large, g.chance(50)), g.rng);
    check_store(env, g.desc(Gen::Shape::Large, g.chance(50)), g.rng);
  }
  require_clean(env);
}

TEST_CASE("dma random concurrent loads and stores with latency and stalls", "[rtl][full]") {
  Gen g(nuri::tb::seed() + 400);
  for (int k = 0; k < 12; ++k) {
    Env env(config_with(g, static_cast<unsigned>(g.uni(0, 150))),
            {g.stall(), g.stall(), static_cast<unsigned>(g.uni(1, 8))}, g.rng());
    concurrent(env, g, 20);
    require_clean(env);
  }
}

TEST_CASE("dma random errors on reads and writes under stalls", "[rtl][full]") {
  Gen g(nuri::tb::seed() + 500);
  for (int k = 0; k < 12; ++k) {
    Env env(config_with(g, static_cast<unsigned>(g.uni(0, 100))), {g.stall(), g.stall(), 3},
            g.rng());
    for (int i = 0; i < 12; ++i) error_case(env, g, g.chance(50), g.chance(50) ? 2 : 3);
    require_clean(env);
  }
}

TEST_CASE("memory model flags protocol violations", "[rtl][smoke]") {
  // The checker itself: a hand-driven master breaking one rule at a time.
  struct FakePort : nuri::tb::axi::AxiPort {
    nuri::tb::axi::MasterSignals m;
    nuri::tb::axi::SlaveSignals s;
    void sample(nuri::tb::axi::MasterSignals& out) const override { out = m; }
    void drive(const nuri::tb::axi::SlaveSignals& in) override { s = in; }
  };
  const nuri::tb::axi::AxiWidths w{4, 40, 128};
  auto run = [&](const std::function<void(FakePort&, int)>& master, AxiMemoryConfig c) {
    FakePort p;
    p.m.w.data.assign(16, 0);
    p.m.w.strb.assign(16, true);
    nuri::tb::axi::AxiMemory mem(w, p, c);
    for (int cyc = 0; cyc < 20; ++cyc) {
      mem.drive();
      master(p, cyc);
      mem.sample();
    }
    return mem.violations();
  };
  AxiMemoryConfig stall_ar;
  stall_ar.ar = Stall::periodic(4, 3);
  stall_ar.allowed_ids = {0};
  // AR payload changes while waiting.
  auto v = run(
      [](FakePort& p, int cyc) {
        p.m.ar_valid = cyc < 3;
        p.m.ar.size = 4;
        p.m.ar.burst = 1;
        p.m.ar.addr = 0x100 + static_cast<unsigned>(cyc) * 16;
        p.m.r_ready = true;
      },
      stall_ar);
  CHECK_FALSE(v.empty());
  AxiMemoryConfig only_id0;
  only_id0.allowed_ids = {0};
  // 4 KiB crossing, WRAP burst, unexpected ID.
  v = run(
      [](FakePort& p, int cyc) {
        p.m.ar_valid = cyc == 0 || cyc == 1 || cyc == 2;
        p.m.ar.size = 4;
        p.m.ar.burst = cyc == 1 ? 2 : 1;
        p.m.ar.addr = cyc == 0 ? 0xFF0 : 0x0;
        p.m.ar.len = cyc == 0 ? 1 : 0;
        p.m.ar.id = cyc == 2 ? 3 : 0;
        p.m.r_ready = true;
      },
      only_id0);
  CHECK(v.size() == 3);
  // WLAST early and missing.
  v = run(
      [](FakePort& p, int cyc) {
        p.m.aw_valid = cyc == 0;
        p.m.aw.size = 4;
        p.m.aw.burst = 1;
        p.m.aw.len = 2;
        p.m.w_valid = cyc >= 1 && cyc <= 3;
        p.m.w.last = cyc == 2;  // early, and the third beat has no WLAST
        p.m.b_ready = true;
      },
      AxiMemoryConfig{});
  CHECK(v.size() == 2);
}

TEST_CASE("dma stops issuing bursts after an error response", "[rtl][smoke]") {
  Gen g(nuri::tb::seed());
  for (int store = 0; store < 2; ++store) {
    for (unsigned resp : {2U, 3U}) {
      AxiMemoryConfig c;
      c.allowed_ids = {0};
      c.read_latency = 30;
      c.write_latency = 30;
      Env env(c, {}, g.rng());
      // 128 KiB = 32 bursts; the error hits the second burst.
      const Desc d = contiguous(0x7'0000'0000ULL, 0x1000, 128 * 1024);
      env.axi().config().errors = {
          ErrorRange{d.dram_addr + 4096 + 32, d.dram_addr + 4096 + 48, resp, !store, !!store}};
      const auto res = env.transfer(store != 0, d);
      REQUIRE(res.done);
      CHECK(res.err == (resp == 2 ? dma::kErrSlverr : dma::kErrDecerr));
      const auto& errs = store ? env.axi().b_log() : env.axi().r_error_log();
      std::uint64_t err_at = ~0ULL;
      for (const auto& e : errs) {
        if (e.resp != 0) {
          err_at = e.cycle;
          break;
        }
      }
      REQUIRE(err_at != ~0ULL);
      int issued = 0, later = 0;
      for (const auto& t : env.axi().log()) {
        if (t.write != (store != 0)) continue;
        ++issued;
        later += t.cycle > err_at ? 1 : 0;
      }
      INFO((store ? "store" : "load")
           << ": " << issued << " bursts issued, " << later << " after the error");
      CHECK(later <= 1);
      CHECK(issued < 32);
      if (store) {
        // W beats stop with the bursts: no more than the bursts issued.
        CHECK(env.axi().w_beats() <= 16ULL * 256);
      }
      require_clean(env);
      // And the channel works again after clearing.
      env.axi().config().errors.clear();
      env.clear_error(store != 0);
      std::mt19937_64 rng(g.rng());
      if (store) {
        check_store(env, d, rng);
      } else {
        check_load(env, d, rng);
      }
      require_clean(env);
    }
  }
}

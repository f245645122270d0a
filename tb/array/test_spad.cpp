// npu_spad: capacity, all banks, reads and writes in the same cycle, the bank-conflict rule, and
// a random mix of both ports against a reference memory (docs/datapath.md).
#include <catch2/catch.hpp>

#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include NURI_MODEL_HEADER
#include "bench_util.hpp"
#include "nuri/tb/dut.hpp"
#include "nuri/tb/options.hpp"

namespace {

using Spad = NURI_MODEL;
using nuri::tb::array::Gate;
using nuri::tb::array::Pattern;
using nuri::tb::array::set_i8_lanes;
constexpr std::uint32_t kBytes = NURI_SPAD_BYTES;
constexpr std::uint32_t kRowBytes = NURI_SPAD_ROW_BYTES;
constexpr std::uint32_t kBanks = NURI_SPAD_BANKS;
constexpr std::uint32_t kDepth = kBytes / kRowBytes;

using Row = std::vector<std::int8_t>;

template <typename T>
Row get_row(const T& port) {
  Row r(kRowBytes);
  for (std::uint32_t i = 0; i < kRowBytes; ++i) {
    if constexpr (std::is_integral_v<T>) {
      r[i] = static_cast<std::int8_t>(static_cast<std::uint64_t>(port) >> (8 * i));
    } else {
      r[i] = static_cast<std::int8_t>(port[i / 4] >> (8 * (i % 4)));
    }
  }
  return r;
}

Row random_row(std::mt19937& rng) {
  Row r(kRowBytes);
  for (auto& v : r)
    v = static_cast<std::int8_t>(std::uniform_int_distribution<int>(-128, 127)(rng));
  return r;
}

// Drives both ports from request queues with stall patterns and checks every read response
// against a reference memory updated in handshake order.
class SpadBench {
 public:
  explicit SpadBench(std::uint32_t seed, Pattern wp = Pattern::None, Pattern rp = Pattern::None)
      : ref_(kDepth, Row(kRowBytes, 0)), wg_(wp, seed + 1, 3), rg_(rp, seed + 2, 5) {
    dut_.reset();
  }
  // strb: byte enables of the write (bit i: byte i of the row); default the whole row.
  void write(std::uint32_t addr, Row data, std::uint32_t strb = (1u << kRowBytes) - 1u) {
    wq_.push_back({addr, std::move(data), strb});
  }
  void read(std::uint32_t addr) { rq_.push_back(addr); }
  // Runs until both queues are empty and the last response arrived; returns the cycles spent.
  std::uint64_t run() {
    const std::uint64_t start = dut_.cycles();
    bool w_off = false, r_off = false, pending = false;
    std::uint32_t pending_addr = 0;
    Row pending_row;
    while (!wq_.empty() || !rq_.empty() || pending) {
      const std::uint64_t cyc = dut_.cycles();
      w_off = !wq_.empty() && (w_off || wg_.open(cyc));
      r_off = !rq_.empty() && (r_off || rg_.open(cyc));
      dut_->w_valid_i = w_off;
      dut_->r_valid_i = r_off;
      if (!wq_.empty()) {
        dut_->w_addr_i = wq_.front().addr;
        set_i8_lanes(dut_->w_data_i, wq_.front().data);
        dut_->w_strb_i = wq_.front().strb;
      }
      if (!rq_.empty()) dut_->r_addr_i = rq_.front();
      dut_.eval();
      if (pending) {  // response of the read accepted in the previous cycle
        REQUIRE(dut_->r_rvalid_o);
        INFO("read of row " << pending_addr);
        REQUIRE(get_row(dut_->r_rdata_o) == pending_row);
        pending = false;
        ++reads_done_;
      } else {
        REQUIRE_FALSE(dut_->r_rvalid_o);
      }
      const bool w_fire = w_off && dut_->w_ready_o;
      const bool r_fire = r_off && dut_->r_ready_o;
      if (w_fire && r_fire) ++same_cycle_;
      if (w_off && r_off && (dut_->w_addr_i % kBanks) == (dut_->r_addr_i % kBanks)) ++conflicts_;
      // A read and a write in one cycle always hit different banks, hence different rows.
      if (r_fire) {
        pending = true;
        pending_addr = rq_.front();
        pending_row = ref_[pending_addr];
        rq_.pop_front();
        r_off = false;
      }
      if (w_fire) {
        for (std::uint32_t i = 0; i < kRowBytes; ++i) {
          if ((wq_.front().strb >> i) & 1u) ref_[wq_.front().addr][i] = wq_.front().data[i];
        }
        wq_.pop_front();
        w_off = false;
        if (wq_.empty()) last_write_cycle_ = cyc - start;
      }
      dut_.tick();
      REQUIRE(dut_.context().errorCount() == 0);
      REQUIRE(dut_.cycles() - start < 100000 + 8ull * kDepth);
    }
    dut_->w_valid_i = 0;
    dut_->r_valid_i = 0;
    return dut_.cycles() - start;
  }
  std::uint64_t same_cycle() const { return same_cycle_; }
  // The bench's reference copy of a row (what every read was checked against).
  const Row& row(std::uint32_t addr) const { return ref_[addr]; }
  std::uint64_t conflicts() const { return conflicts_; }
  std::uint64_t reads_done() const { return reads_done_; }
  // Cycle (from the start of the last run) of the last write handshake.
  std::uint64_t last_write_cycle() const { return last_write_cycle_; }

 private:
  struct Wr {
    std::uint32_t addr;
    Row data;
    std::uint32_t strb;
  };
  nuri::tb::Dut<Spad> dut_;
  std::vector<Row> ref_;
  Gate wg_, rg_;
  std::deque<Wr> wq_;
  std::deque<std::uint32_t> rq_;
  std::uint64_t same_cycle_ = 0, conflicts_ = 0, reads_done_ = 0, last_write_cycle_ = 0;
};

}  // namespace

TEST_CASE("scratchpad holds its full capacity in every bank", "[rtl][smoke]") {
  std::mt19937 rng(nuri::tb::seed());
  SpadBench b(nuri::tb::seed());
  for (std::uint32_t a = 0; a < kDepth; ++a) b.write(a, random_row(rng));
  CHECK(b.run() == kDepth);  // one row per cycle, no conflicts without reads
  for (std::uint32_t a = 0; a < kDepth; ++a) b.read(kDepth - 1 - a);
  CHECK(b.run() == kDepth + 1);  // one row per cycle, plus the last response
  CHECK(b.reads_done() == kDepth);
}

TEST_CASE("scratchpad reads and writes in the same cycle at full rate", "[rtl][smoke]") {
  std::mt19937 rng(nuri::tb::seed());
  SpadBench b(nuri::tb::seed());
  const std::uint32_t n = kDepth / 2;
  for (std::uint32_t a = 0; a < n; ++a) b.write(a, random_row(rng));
  b.run();
  // Read the first half while the DMA fills the second half: different banks every cycle
  // (offset by one row), so both streams complete in n cycles plus the last response.
  for (std::uint32_t a = 0; a < n; ++a) {
    b.read(a);
    b.write(n + 1 + a < kDepth ? n + 1 + a : n, random_row(rng));
  }
  CHECK(b.run() == n + 1);
  CHECK(b.same_cycle() == n);
  CHECK(b.conflicts() == 0);
  // Lock-step streams in the same bank collide once, then fall out of step.
  for (std::uint32_t a = 0; a < n; ++a) {
    b.read(a);
    b.write(n + a, random_row(rng));
  }
  const std::uint64_t cycles = b.run();
  CHECK(cycles <= n + 2);
  for (std::uint32_t a = 0; a < kDepth; ++a) b.read(a);
  b.run();
}

TEST_CASE("scratchpad bank conflicts alternate so neither port starves", "[rtl][smoke]") {
  // Both ports hammer bank 0 with different rows, four reads per write: while both are waiting
  // every cycle is a conflict and the ports take turns, so the n writes are done within the
  // first 2n cycles (a fixed priority would hold them back until the 4n reads are through).
  std::mt19937 rng(nuri::tb::seed());
  SpadBench b(nuri::tb::seed());
  const std::uint32_t n = 64;
  for (std::uint32_t i = 0; i < n; ++i) b.write((2 * i * kBanks) % kDepth, random_row(rng));
  for (std::uint32_t i = 0; i < 4 * n; ++i) b.read(((2 * i + 1) * kBanks) % kDepth);
  const std::uint64_t cycles = b.run();
  CHECK(b.same_cycle() == 0);
  CHECK(b.last_write_cycle() < 2 * n);
  CHECK(cycles == 5 * n + 1);  // one request per cycle throughout, plus the last response
}

TEST_CASE("scratchpad random traffic on both ports matches a reference memory", "[rtl][full]") {
  const Pattern pats[] = {Pattern::None, Pattern::Periodic, Pattern::Random};
  std::mt19937 rng(nuri::tb::seed());
  for (Pattern wp : pats) {
    for (Pattern rp : pats) {
      SpadBench b(static_cast<std::uint32_t>(rng()), wp, rp);
      std::uniform_int_distribution<std::uint32_t> addr(0, 63);  // small window: many hits
      for (int i = 0; i < 20000; ++i) {
        // a third of the writes with random byte enables (partial rows)
        const std::uint32_t full = (1u << kRowBytes) - 1u;
        b.write(addr(rng), random_row(rng),
                i % 3 == 0 ? static_cast<std::uint32_t>(rng()) & full : full);
        b.read(addr(rng));
      }
      b.run();
      CHECK(b.reads_done() == 20000);
    }
  }
}

TEST_CASE("scratchpad byte enables write only the enabled bytes of a row", "[rtl][smoke]") {
  std::mt19937 rng(nuri::tb::seed());
  SpadBench b(nuri::tb::seed());
  const std::uint32_t full = (1u << kRowBytes) - 1u;
  Row base = random_row(rng), patch = random_row(rng);
  for (std::uint32_t a = 0; a < 8; ++a) b.write(a, base);
  // one enabled byte, every other byte, the upper half, nothing but the last byte
  const std::uint32_t masks[] = {1u, 0x5555u & full, full & ~((1u << (kRowBytes / 2)) - 1u),
                                 1u << (kRowBytes - 1)};
  for (std::uint32_t a = 0; a < 4; ++a) b.write(a, patch, masks[a]);
  b.run();
  for (std::uint32_t a = 0; a < 8; ++a) b.read(a);  // the bench checks against its merged copy
  b.run();
  CHECK(b.reads_done() == 8);
  // Independent expectation for row 0: byte 0 from patch, the rest from base.
  Row expect = base;
  expect[0] = patch[0];
  CHECK(b.row(0) == expect);
}

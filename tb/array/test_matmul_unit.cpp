// npu_matmul_unit (array + accumulator memory) against nuri::golden::gemm_i32: GEMMs tiled over
// the array, k-tiles accumulated in the accumulator memory (first k-tile overwrites), results
// read back through the read port, with stall patterns on every port.
#include <catch2/catch.hpp>

#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include NURI_MODEL_HEADER
#include "bench_util.hpp"
#include "nuri/golden/ops.hpp"
#include "nuri/tb/dut.hpp"
#include "nuri/tb/options.hpp"

namespace {

using Unit = NURI_MODEL;
using nuri::golden::TensorI32;
using nuri::golden::TensorI8;
using nuri::tb::array::Gate;
using nuri::tb::array::get_i32_lane;
using nuri::tb::array::name;
using nuri::tb::array::Pattern;
using nuri::tb::array::set_i8_lanes;
constexpr std::int64_t kRows = NURI_ROWS;
constexpr std::int64_t kCols = NURI_COLS;
constexpr std::int64_t kAccDepth = NURI_ACC_DEPTH;

using Lanes = std::vector<std::int8_t>;

struct Stalls {
  Pattern w = Pattern::None, a = Pattern::None, rd = Pattern::None, rsp = Pattern::None;
};

struct ActRow {
  Lanes lanes;
  bool first;
  std::uint32_t acc_addr;
  bool accumulate;
};

TensorI8 random_i8(std::int64_t rows, std::int64_t cols, std::mt19937& rng, int lo = -128,
                   int hi = 127) {
  TensorI8 t({rows, cols});
  std::uniform_int_distribution<int> d(lo, hi);
  for (auto& v : t.data) v = static_cast<std::int8_t>(d(rng));
  return t;
}

// C = A * B on the unit. Pass (n-tile j, k-tile i): weights B[i*R.., j*C..] (zero-filled),
// rows m -> accumulator row j*M + m, overwrite when i == 0 and accumulate after. Then every
// accumulator row is read back. Returns C and the cycles spent.
TensorI32 gemm_on_unit(const TensorI8& a, const TensorI8& b, Stalls st, std::uint32_t seed,
                       std::uint64_t* cycles_out = nullptr) {
  const std::int64_t m = a.dim(0), k = a.dim(1), n = b.dim(1);
  const std::int64_t nt = (n + kCols - 1) / kCols, kt = (k + kRows - 1) / kRows;
  REQUIRE(nt * m <= kAccDepth);
  std::mt19937 junk(seed);
  std::deque<Lanes> wq;
  std::deque<ActRow> aq;
  for (std::int64_t j = 0; j < nt; ++j) {
    for (std::int64_t i = 0; i < kt; ++i) {
      for (std::int64_t r = 0; r < kRows; ++r) {
        Lanes w(kCols, 0);
        for (std::int64_t c = 0; c < kCols; ++c) {
          if (i * kRows + r < k && j * kCols + c < n) w[c] = b.at2(i * kRows + r, j * kCols + c);
        }
        wq.push_back(w);
      }
      for (std::int64_t mm = 0; mm < m; ++mm) {
        Lanes x(kRows);
        for (std::int64_t r = 0; r < kRows; ++r) {
          x[r] =
              i * kRows + r < k
                  ? a.at2(mm, i * kRows + r)
                  : static_cast<std::int8_t>(std::uniform_int_distribution<int>(-128, 127)(junk));
        }
        aq.push_back({x, mm == 0, static_cast<std::uint32_t>(j * m + mm), i != 0});
      }
    }
  }
  std::deque<std::uint32_t> rq;  // reads, issued once the unit is idle
  for (std::int64_t r = 0; r < nt * m; ++r) rq.push_back(static_cast<std::uint32_t>(r));
  std::vector<std::vector<std::int32_t>> rows;

  nuri::tb::Dut<Unit> dut;
  dut.reset();
  Gate wg(st.w, seed + 1, 5), ag(st.a, seed + 2, 7), rg(st.rd, seed + 3, 3),
      pg(st.rsp, seed + 4, 4);
  bool w_off = false, a_off = false, r_off = false;
  const std::uint64_t limit = 1000 + 60 * (wq.size() + aq.size() + rq.size());
  while (static_cast<std::int64_t>(rows.size()) < nt * m) {
    const std::uint64_t cyc = dut.cycles();
    w_off = !wq.empty() && (w_off || wg.open(cyc));
    a_off = !aq.empty() && (a_off || ag.open(cyc));
    // Reads start after the last row was accepted and the unit drained (busy_o low).
    const bool reads_allowed = aq.empty() && !dut->busy_o;
    r_off = !rq.empty() && (r_off || (reads_allowed && rg.open(cyc)));
    dut->w_valid_i = w_off;
    if (!wq.empty()) set_i8_lanes(dut->w_data_i, wq.front());
    dut->a_valid_i = a_off;
    if (!aq.empty()) {
      set_i8_lanes(dut->a_data_i, aq.front().lanes);
      dut->a_first_i = aq.front().first;
      dut->a_acc_addr_i = aq.front().acc_addr;
      dut->a_accumulate_i = aq.front().accumulate;
    }
    dut->rd_valid_i = r_off;
    if (!rq.empty()) dut->rd_addr_i = rq.front();
    dut->rsp_ready_i = pg.open(cyc);
    dut.eval();
    if (dut->rsp_valid_o && dut->rsp_ready_i) {
      std::vector<std::int32_t> row(kCols);
      for (std::int64_t c = 0; c < kCols; ++c) row[c] = get_i32_lane(dut->rsp_data_o, c);
      rows.push_back(row);
    }
    if (w_off && dut->w_ready_o) {
      wq.pop_front();
      w_off = false;
    }
    if (a_off && dut->a_ready_o) {
      aq.pop_front();
      a_off = false;
    }
    if (r_off && dut->rd_ready_o) {
      rq.pop_front();
      r_off = false;
    }
    dut.tick();
    REQUIRE(dut.context().errorCount() == 0);
    REQUIRE(dut.cycles() < limit);
  }
  if (cycles_out != nullptr) *cycles_out = dut.cycles();
  TensorI32 c({m, n});
  for (std::int64_t j = 0; j < nt; ++j) {
    for (std::int64_t mm = 0; mm < m; ++mm) {
      for (std::int64_t cc = 0; cc < kCols; ++cc) {
        const std::int32_t v = rows[static_cast<std::size_t>(j * m + mm)][cc];
        if (j * kCols + cc < n) {
          c.at2(mm, j * kCols + cc) = v;
        } else {
          REQUIRE(v == 0);
        }
      }
    }
  }
  return c;
}

void check(std::int64_t m, std::int64_t k, std::int64_t n, Stalls st, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const TensorI8 a = random_i8(m, k, rng);
  const TensorI8 b = random_i8(k, n, rng, -127, 127);
  INFO("M=" << m << " K=" << k << " N=" << n << " unit " << kRows << "x" << kCols
            << " stalls w=" << name(st.w) << " a=" << name(st.a) << " rd=" << name(st.rd)
            << " rsp=" << name(st.rsp) << " seed=" << seed);
  REQUIRE(gemm_on_unit(a, b, st, seed) == nuri::golden::gemm_i32(a, b));
}

}  // namespace

TEST_CASE("matmul unit accumulates ragged GEMMs in the accumulator memory", "[rtl][smoke]") {
  std::uint32_t s = nuri::tb::seed();
  const std::int64_t r = kRows, c = kCols;
  for (const auto& sh : std::vector<std::vector<std::int64_t>>{
           {1, 1, 1}, {5, 1, c}, {7, r - 1, c + 1}, {9, 5 * r + 3, 2 * c - 1}, {3, 2 * r, 3 * c}}) {
    check(sh[0], sh[1], sh[2], {}, s++);
  }
}

TEST_CASE("matmul unit fills the whole accumulator memory", "[rtl][smoke]") {
  // The largest GEMM that fits: M * ceil(N / Cols) = AccDepth accumulator rows.
  check(kAccDepth / 2, 2 * kRows + 1, 2 * kCols, {}, nuri::tb::seed());
}

TEST_CASE("matmul unit results do not depend on stalls at any port", "[rtl][smoke]") {
  check(2 * kRows + 3, 3 * kRows - 1, kCols + 3,
        {Pattern::Random, Pattern::Random, Pattern::Random, Pattern::Random}, nuri::tb::seed());
}

TEST_CASE("matmul unit is exact under every stall combination", "[rtl][full]") {
  const Pattern pats[] = {Pattern::None, Pattern::Periodic, Pattern::Random};
  std::mt19937 rng(nuri::tb::seed());
  for (Pattern w : pats) {
    for (Pattern a : pats) {
      for (Pattern o : pats) {
        check(2 * kRows + 1, 3 * kRows + 2, 2 * kCols - 1, {w, a, o, o},
              static_cast<std::uint32_t>(rng()));
      }
    }
  }
}

TEST_CASE("matmul unit extreme values at a large K stay exact", "[rtl][full]") {
  const std::int64_t k = 8192, m = 3, n = kCols;
  TensorI8 a({m, k}, static_cast<std::int8_t>(-128));
  TensorI8 b({k, n}, static_cast<std::int8_t>(-128));
  for (std::int64_t i = 0; i < k; ++i) b.at2(i, 0) = 127;
  const TensorI32 got = gemm_on_unit(a, b, {}, nuri::tb::seed());
  REQUIRE(got.at2(0, 0) == k * -128 * 127);
  REQUIRE(got.at2(0, 1) == k * 16384);
  REQUIRE(got == nuri::golden::gemm_i32(a, b));
}

TEST_CASE("matmul unit random shapes match the golden model", "[rtl][full]") {
  std::mt19937 rng(nuri::tb::seed());
  for (int i = 0; i < 30; ++i) {
    const auto pick = [&](int lo, int hi) {
      return static_cast<std::int64_t>(std::uniform_int_distribution<int>(lo, hi)(rng));
    };
    check(pick(1, 4 * kRows), pick(1, 8 * kRows), pick(1, 3 * kCols), {},
          static_cast<std::uint32_t>(rng()));
  }
}

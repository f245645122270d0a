// npu_mac_array (one parameter set per executable) against nuri::golden::gemm_i32: ragged GEMM
// shapes tiled over the array, extreme values at a large K, stall patterns on every port, and the
// architecture's cycle count for back-to-back tiles (docs/datapath.md).
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <sstream>
#include <vector>

#include "array_bench.hpp"
#include "nuri/golden/ops.hpp"
#include "nuri/tb/options.hpp"

using nuri::golden::TensorI32;
using nuri::golden::TensorI8;
using namespace nuri::tb::array;

namespace {

TensorI8 random_i8(std::int64_t rows, std::int64_t cols, std::mt19937& rng, int lo = -128,
                   int hi = 127) {
  TensorI8 t({rows, cols});
  std::uniform_int_distribution<int> d(lo, hi);
  for (auto& v : t.data) v = static_cast<std::int8_t>(d(rng));
  return t;
}

// C = A * B through the array: every (k-tile, n-tile) pass streams all M rows; the partial sums
// of the k-tiles are accumulated here in wrapping int32 (the accumulator memory's job on chip).
TensorI32 gemm_on_array(const TensorI8& a, const TensorI8& b, Stalls stalls, std::uint32_t seed) {
  const std::int64_t m = a.dim(0), k = a.dim(1), n = b.dim(1);
  ArrayBench bench(stalls, seed);
  std::mt19937 junk(seed);
  const auto passes = gemm_passes(k, n);
  for (const Pass& p : passes) {
    bench.push_tile(weight_tile(b, p.k0, p.n0));
    for (std::int64_t i = 0; i < m; ++i) bench.push_row({act_lanes(a, i, p.k0, junk), i == 0});
  }
  bench.run();
  TensorI32 c({m, n}, 0);
  const auto& out = bench.outputs();
  REQUIRE(out.size() == passes.size() * static_cast<std::size_t>(m));
  std::size_t r = 0;
  for (const Pass& p : passes) {
    for (std::int64_t i = 0; i < m; ++i, ++r) {
      for (std::int64_t j = 0; j < kCols; ++j) {
        const std::int32_t v = out[r][static_cast<std::size_t>(j)];
        if (p.n0 + j < n) {
          auto& dst = c.at2(i, p.n0 + j);
          dst = static_cast<std::int32_t>(static_cast<std::uint32_t>(dst) +
                                          static_cast<std::uint32_t>(v));
        } else {
          REQUIRE(v == 0);  // zero-filled weight columns give exact zeros
        }
      }
    }
  }
  return c;
}

void check_gemm(std::int64_t m, std::int64_t k, std::int64_t n, Stalls stalls, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const TensorI8 a = random_i8(m, k, rng);
  const TensorI8 b = random_i8(k, n, rng, -127, 127);
  INFO("M=" << m << " K=" << k << " N=" << n << " array " << kRows << "x" << kCols
            << " stalls w=" << name(stalls.w) << " a=" << name(stalls.a) << " o=" << name(stalls.o)
            << " seed=" << seed);
  const TensorI32 got = gemm_on_array(a, b, stalls, seed);
  const TensorI32 want = nuri::golden::gemm_i32(a, b);
  REQUIRE(got.shape == want.shape);
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (got.data[i] != want.data[i]) {
      FAIL("element " << i << " (row " << i / static_cast<std::size_t>(n) << ", col "
                      << i % static_cast<std::size_t>(n) << "): got " << got.data[i] << ", want "
                      << want.data[i]);
    }
  }
}

struct Shape3 {
  std::int64_t m, k, n;
};

std::vector<Shape3> ragged_shapes() {
  const std::int64_t r = kRows, c = kCols;
  return {{1, 1, 1},
          {3, 1, c},
          {r + 2, r, c},
          {7, r - 1, c - 1},
          {5, r + 1, c + 1},
          {2 * r + 3, 3, 2},
          {9, 3 * r + 2, 2 * c - 3},
          {1, 2 * r, 3 * c},
          {4 * r, r, c}};
}

}  // namespace

TEST_CASE("array matmul of ragged shapes matches the golden model", "[rtl][smoke]") {
  std::uint32_t s = nuri::tb::seed();
  for (const Shape3& sh : ragged_shapes()) check_gemm(sh.m, sh.k, sh.n, {}, s++);
}

TEST_CASE("array matmul of random shapes matches the golden model", "[rtl][full]") {
  std::mt19937 rng(nuri::tb::seed());
  for (int i = 0; i < 40; ++i) {
    const auto pick = [&](int lo, int hi) {
      return static_cast<std::int64_t>(std::uniform_int_distribution<int>(lo, hi)(rng));
    };
    check_gemm(pick(1, 3 * kRows), pick(1, 6 * kRows), pick(1, 3 * kCols), {},
               static_cast<std::uint32_t>(rng()));
  }
  // The largest single-pass shape and a long stream against one weight tile.
  check_gemm(256, kRows, kCols, {}, nuri::tb::seed() + 1);
}

TEST_CASE("array accumulates extreme values exactly at a large K", "[rtl][smoke]") {
  // K = 4096 products of (-128)(-128) = 2^14 sum to 2^26; int32 holds up to K = 131071 of them
  // (docs/datapath.md). Mixed extremes cover the most negative products too.
  const std::int64_t k = 4096, n = kCols, m = 3;
  struct Case {
    int a, b;
  };
  for (const Case cs : {Case{-128, -128}, Case{-128, 127}, Case{127, -128}, Case{127, 127}}) {
    TensorI8 a({m, k}, static_cast<std::int8_t>(cs.a));
    TensorI8 b({k, n}, static_cast<std::int8_t>(cs.b));
    const TensorI32 got = gemm_on_array(a, b, {}, nuri::tb::seed());
    const std::int64_t exact = k * cs.a * cs.b;
    INFO("a=" << cs.a << " b=" << cs.b << " K=" << k);
    for (const std::int32_t v : got.data) REQUIRE(v == exact);
    REQUIRE(got == nuri::golden::gemm_i32(a, b));
  }
}

TEST_CASE("array accumulates extreme values exactly at K of 32768", "[rtl][full]") {
  const std::int64_t k = 32768, n = kCols, m = 2;
  TensorI8 a({m, k}, static_cast<std::int8_t>(-128));
  TensorI8 b({k, n}, static_cast<std::int8_t>(-128));
  for (std::int64_t j = 0; j < n; j += 2) {
    for (std::int64_t i = 0; i < k; ++i) b.at2(i, j) = 127;
  }
  const TensorI32 got = gemm_on_array(a, b, {}, nuri::tb::seed());
  REQUIRE(got.at2(0, 0) == k * -128 * 127);
  REQUIRE(got.at2(1, 1) == k * -128 * -128);
  REQUIRE(got == nuri::golden::gemm_i32(a, b));
}

TEST_CASE("array results do not depend on stalls at any port", "[rtl][smoke]") {
  const std::int64_t m = 2 * kRows + 1, k = 2 * kRows + 3, n = kCols + 2;
  check_gemm(m, k, n, {Pattern::Random, Pattern::Random, Pattern::Random}, nuri::tb::seed());
  check_gemm(m, k, n, {Pattern::Periodic, Pattern::Periodic, Pattern::Periodic},
             nuri::tb::seed() + 1);
  // long output stalls with rows offered all the time: credits run out and the output FIFO fills
  check_gemm(4 * (kRows + kCols) + 3, k, n, {Pattern::None, Pattern::None, Pattern::Bursty},
             nuri::tb::seed() + 2);
}

TEST_CASE("array results are identical under every stall combination", "[rtl][full]") {
  const Pattern pats[] = {Pattern::None, Pattern::Periodic, Pattern::Random};
  std::mt19937 rng(nuri::tb::seed());
  const TensorI8 a = random_i8(3 * kRows + 1, 3 * kRows - 1, rng);
  const TensorI8 b = random_i8(3 * kRows - 1, 2 * kCols - 1, rng, -127, 127);
  const TensorI32 want = nuri::golden::gemm_i32(a, b);
  for (Pattern w : pats) {
    for (Pattern ap : pats) {
      for (Pattern o : pats) {
        INFO("stalls w=" << name(w) << " a=" << name(ap) << " o=" << name(o));
        REQUIRE(gemm_on_array(a, b, {w, ap, o}, static_cast<std::uint32_t>(rng())) == want);
      }
    }
  }
}

namespace {

// n tiles of t rows each, streamed with no stall on any port; every output row is checked
// against the golden model (the tight case for the shadow-weight hazards). Returns the cycles.
std::uint64_t stream_tiles(int t, int tiles, std::mt19937& rng) {
  ArrayBench bench;
  std::vector<TensorI32> want;
  for (int i = 0; i < tiles; ++i) {
    const TensorI8 w = random_i8(kRows, kCols, rng, -127, 127);
    const TensorI8 x = random_i8(t, kRows, rng);
    bench.push_tile(weight_tile(w, 0, 0));
    for (int r = 0; r < t; ++r) {
      bench.push_row(
          {std::vector<std::int8_t>(x.data.begin() + r * kRows, x.data.begin() + (r + 1) * kRows),
           r == 0});
    }
    want.push_back(nuri::golden::gemm_i32(x, w));
  }
  const std::uint64_t cycles = bench.run();
  CHECK(bench.first_accept_cycle() == static_cast<std::uint64_t>(kRows));
  for (int i = 0; i < tiles; ++i) {
    for (int r = 0; r < t; ++r) {
      const auto& got = bench.outputs()[static_cast<std::size_t>(i * t + r)];
      for (int j = 0; j < kCols; ++j) {
        INFO("tile " << i << " row " << r << " col " << j);
        REQUIRE(got[static_cast<std::size_t>(j)] == want[static_cast<std::size_t>(i)].at2(r, j));
      }
    }
  }
  return cycles;
}

}  // namespace

TEST_CASE("array streams back to back tiles at one row per cycle", "[rtl][smoke]") {
  // Architecture (docs/datapath.md): with the first tile's weights offered at cycle 0, weights
  // and rows always valid and the output always ready, n tiles of T >= Rows + 1 rows take
  //   cycles = n * T + 2 * Rows + Cols + 2
  // (Rows cycles to load the first tile; the last row, accepted in cycle Rows + n * T - 1, is on
  // the output Rows + Cols + 2 cycles later: input skew and the Rows + Cols - 1 PE hops of the
  // wavefront, the PE's product register, the partial sum leaving the bottom PE, the de-skew and
  // the output FIFO; plus the cycle in which it is accepted): no per-tile bubble.
  std::mt19937 rng(nuri::tb::seed());
  for (const int t : {kRows + 1, kRows + 2, 2 * kRows, 3 * kRows + 5}) {
    for (const int tiles : {1, 2, 7}) {
      INFO("T=" << t << " tiles=" << tiles);
      CHECK(stream_tiles(t, tiles, rng) ==
            static_cast<std::uint64_t>(tiles * t + 2 * kRows + kCols + 2));
    }
  }
}

TEST_CASE("array tiles shorter than Rows plus one wait only for their weights", "[rtl][smoke]") {
  // A tile of T <= Rows rows is limited by its successor's Rows weight beats, which start the
  // cycle after the tile's first row: the tile period is then Rows + 1 cycles.
  std::mt19937 rng(nuri::tb::seed());
  for (const int t : {1, 2, kRows}) {
    const int tiles = 5;
    INFO("T=" << t);
    CHECK(stream_tiles(t, tiles, rng) ==
          static_cast<std::uint64_t>((tiles - 1) * (kRows + 1) + t + 2 * kRows + kCols + 2));
  }
}

TEST_CASE("array result row appears Rows plus Cols plus two cycles after its row", "[rtl][smoke]") {
  // Latency (docs/datapath.md): a row accepted in cycle t is on o_data_o from cycle
  // t + Rows + Cols + 2. One tile, one row, output always ready: the row is accepted in cycle
  // Rows (after the Rows weight beats) and its result in cycle 2 * Rows + Cols + 2.
  std::mt19937 rng(nuri::tb::seed());
  const TensorI8 w = random_i8(kRows, kCols, rng, -127, 127);
  const TensorI8 x = random_i8(1, kRows, rng);
  ArrayBench bench;
  bench.push_tile(weight_tile(w, 0, 0));
  bench.push_row({x.data, true});
  bench.run();
  CHECK(bench.first_accept_cycle() == static_cast<std::uint64_t>(kRows));
  CHECK(bench.last_out_cycle() == static_cast<std::uint64_t>(2 * kRows + kCols + 2));
  const TensorI32 want = nuri::golden::gemm_i32(x, w);
  REQUIRE(bench.outputs().size() == 1);
  for (int j = 0; j < kCols; ++j)
    CHECK(bench.outputs()[0][static_cast<std::size_t>(j)] == want.at2(0, j));
}

TEST_CASE("array keeps its weights for rows without a tile start", "[rtl][smoke]") {
  // One weight tile, rows in several bursts separated by idle cycles: all use the same weights.
  std::mt19937 rng(nuri::tb::seed());
  const TensorI8 w = random_i8(kRows, kCols, rng, -127, 127);
  const TensorI8 x = random_i8(20, kRows, rng);
  ArrayBench bench;
  bench.push_tile(weight_tile(w, 0, 0));
  for (int i = 0; i < 10; ++i)
    bench.push_row(
        {std::vector<std::int8_t>(&x.data[i * kRows], &x.data[(i + 1) * kRows]), i == 0});
  bench.run();
  for (int i = 10; i < 20; ++i)
    bench.push_row({std::vector<std::int8_t>(&x.data[i * kRows], &x.data[(i + 1) * kRows]), false});
  bench.run();
  const TensorI32 want = nuri::golden::gemm_i32(x, w);
  REQUIRE(bench.outputs().size() == 20);
  for (int i = 0; i < 20; ++i) {
    for (int j = 0; j < kCols; ++j) REQUIRE(bench.outputs()[i][j] == want.at2(i, j));
  }
}

TEST_CASE("array assertions catch a row without a tile start after reset", "[rtl][smoke]") {
  // Negative test of the assertion machinery: the first row after reset must start a tile.
  nuri::tb::Dut<Model> dut;
  dut.expect_assertion_errors();
  dut.reset();
  dut->a_valid_i = 1;
  dut->a_first_i = 0;
  dut->o_ready_i = 1;
  dut.eval();
  REQUIRE(dut->a_ready_o);
  dut.tick();
  dut->a_valid_i = 0;
  dut.tick();
  CHECK(dut.context().errorCount() > 0);
}

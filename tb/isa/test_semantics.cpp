// Semantics of each command on small hand-worked examples (4x4 array). Every expected value is
// worked out by hand in the comments; none comes from the simulator.
#include <catch2/catch.hpp>

#include <random>

#include "isa_tb.hpp"
#include "nuri/golden/ops.hpp"
#include "nuri/tb/options.hpp"

using namespace nuri::isa;
using nuri::isa::tb::bytes;
using nuri::isa::tb::kDramBase;

namespace {

std::vector<std::uint8_t> spad_bytes(IsaSim& sim, std::size_t at, std::size_t n) {
  return {sim.spad().begin() + static_cast<std::ptrdiff_t>(at),
          sim.spad().begin() + static_cast<std::ptrdiff_t>(at + n)};
}

void run_ok(IsaSim& sim, std::vector<Command> prog) {
  prog.emplace_back(End{});
  const RunStatus st = sim.run(prog);
  INFO("status " << to_string(st.code) << " at " << st.failing_index);
  REQUIRE(st.ok());
}

}  // namespace

TEST_CASE("load fills a 3-D window and writes the pad byte outside the tensor", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  // Tensor of 1 x 2 x 3 bytes: row 0 = 1 2 3, row 1 = 4 5 6 (dram_stride1 = 3).
  sim.write_dram(kDramBase, bytes({1, 2, 3, 4, 5, 6}));
  DmaDesc d;
  d.dram_addr = kDramBase;
  d.dram_stride1 = 3;
  d.dram_stride2 = 6;
  d.size = {3, 2, 1};
  d.start = {-1, -1, 0};
  d.len = {4, 3, 2};
  d.lcl_addr = 0;
  d.lcl_stride1 = 4;
  d.lcl_stride2 = 12;
  run_ok(sim, {tb::load(d, Space::Spad, {}, 0x77)});
  // Plane 0: window row t1 = -1 is all padding; rows t1 = 0, 1 start with the t0 = -1 pad.
  // Plane 1: t2 = 1 is outside size2 = 1: all padding.
  const int P = 0x77;
  CHECK(spad_bytes(sim, 0, 24) == bytes({P, P, P, P, P, 1, 2, 3, P, 4, 5, 6,  //
                                         P, P, P, P, P, P, P, P, P, P, P, P}));
  CHECK(sim.spad()[24] == 0);  // nothing beyond the window
}

TEST_CASE("store writes only the elements inside the tensor", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  sim.write_dram(kDramBase + 0x100, std::vector<std::uint8_t>(16, 0xEE));
  for (int i = 0; i < 12; ++i)
    sim.spad()[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(10 + i);
  DmaDesc d;
  d.dram_addr = kDramBase + 0x100;
  d.dram_stride1 = 8;
  d.size = {2, 2, 1};
  d.start = {1, -1, 0};
  d.len = {3, 3, 1};
  d.lcl_stride1 = 4;
  run_ok(sim, {tb::store(d)});
  // Window row i1 = 0 is t1 = -1 (skipped). Rows i1 = 1, 2 are t1 = 0, 1; only i0 = 0 (t0 = 1) is
  // inside size0 = 2: DRAM +1 <- spad[4] = 14, DRAM +9 <- spad[8] = 18.
  std::vector<std::uint8_t> expect(16, 0xEE);
  expect[1] = 14;
  expect[9] = 18;
  CHECK(sim.read_dram(kDramBase + 0x100, 16) == expect);
}

TEST_CASE("load reaches the accumulator and the parameter memory", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  sim.write_dram(kDramBase, bytes({4, 3, 2, 1, 0xFF, 0xFF, 0xFF, 0xFF}));
  // Accumulator byte 20 = row 1 (16 bytes per row of 4 int32), lane 1.
  run_ok(sim, {tb::load(tb::linear(kDramBase, 20, 8), Space::Acc),
               tb::load(tb::linear(kDramBase, 16, 4), Space::Param)});
  CHECK(sim.acc_at(1, 1) == 0x01020304);
  CHECK(sim.acc_at(1, 2) == -1);
  CHECK(sim.param()[16] == 4);  // record 1, byte 0
  // And back out: STORE from the accumulator.
  run_ok(sim, {tb::store(tb::linear(kDramBase + 64, 20, 4), Space::Acc)});
  CHECK(sim.read_dram(kDramBase + 64, 4) == bytes({4, 3, 2, 1}));
}

TEST_CASE("matmul overwrites or accumulates int32 rows with ragged K and N", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  auto put_row = [&](unsigned row, std::initializer_list<int> v) {
    unsigned i = 0;
    for (int x : v)
      sim.spad()[row * 4 + i++] = static_cast<std::uint8_t>(static_cast<std::int8_t>(x));
  };
  put_row(0, {1, 2, 99, 99});  // lanes k >= K = 2 are ignored
  put_row(1, {-1, 3, 5, 5});
  put_row(4, {1, 0, -2, 7});  // weight row k = 0; lane n = 3 >= N is ignored
  put_row(5, {2, 1, 3, 9});   // weight row k = 1
  for (unsigned r = 0; r < 8; ++r) {
    for (unsigned l = 0; l < 4; ++l) {
      sim.acc()[(r * 4 + l) * 4] = 100;  // every lane of every row = 100
    }
  }
  Matmul m;
  m.act_addr = 0;
  m.act_stride = 1;
  m.m = 2;
  m.w_addr = 4;
  m.w_stride = 1;
  m.k = 2;
  m.n = 3;
  m.acc_addr = 2;
  m.acc_stride = 2;
  run_ok(sim, {m});
  // m0: n0 = 1*1 + 2*2 = 5, n1 = 1*0 + 2*1 = 2, n2 = 1*-2 + 2*3 = 4, n3 = 0 (zero weights).
  // m1: n0 = -1*1 + 3*2 = 5, n1 = 0 + 3*1 = 3, n2 = -1*-2 + 3*3 = 11, n3 = 0.
  CHECK(sim.acc_at(2, 0) == 5);
  CHECK(sim.acc_at(2, 1) == 2);
  CHECK(sim.acc_at(2, 2) == 4);
  CHECK(sim.acc_at(2, 3) == 0);
  CHECK(sim.acc_at(4, 0) == 5);
  CHECK(sim.acc_at(4, 1) == 3);
  CHECK(sim.acc_at(4, 2) == 11);
  CHECK(sim.acc_at(3, 0) == 100);  // row between the strided rows untouched
  sim.acc()[(2 * 4 + 3) * 4] = 7;  // lane 3 of row 2 := 7
  m.accumulate = true;
  run_ok(sim, {m});
  CHECK(sim.acc_at(2, 0) == 10);
  CHECK(sim.acc_at(2, 2) == 8);
  CHECK(sim.acc_at(2, 3) == 7);  // lanes n >= N add 0
  CHECK(sim.acc_at(4, 2) == 22);
}

TEST_CASE("ppu adds bias and requantizes per channel in both rounding modes", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  auto set_acc = [&](unsigned row, unsigned lane, std::int32_t v) {
    for (unsigned i = 0; i < 4; ++i) {
      sim.acc()[(row * 4 + lane) * 4 + i] =
          static_cast<std::uint8_t>(static_cast<std::uint32_t>(v) >> (8 * i));
    }
  };
  set_acc(0, 0, -7);
  set_acc(0, 1, 10);
  set_acc(0, 2, 300);
  set_acc(0, 3, -1000);               // row 1 stays all zero
  const std::int32_t half = 1 << 30;  // 0.5 in Q0.31
  std::vector<std::uint8_t> params;
  for (const auto& r : {tb::param_record(5, half, -1), tb::param_record(0, half, 1),
                        tb::param_record(-100, half, 0), tb::param_record(0, half, 0)}) {
    params.insert(params.end(), r.begin(), r.end());
  }
  std::copy(params.begin(), params.end(), sim.param().begin() + 2 * 16);  // records 2..5
  Ppu p;
  p.acc_addr = 0;
  p.acc_stride = 1;
  p.m = 2;
  p.n = 4;
  p.dst_addr = 3;
  p.dst_stride = 1;
  p.param_addr = 2;
  p.zp_out = 3;
  p.act_min = -20;
  p.act_max = 100;
  run_ok(sim, {p});
  // Double rounding, zp 3, clamp [-20, 100]:
  // m0 l0: -7 + 5 = -2; SRDHM(-2, 2^30) = -1; RDBPOT(-1, 1) = -0.5 -> -1 (away); +3 = 2.
  // m0 l1: 10 * 2^1 = 20; SRDHM(20, 2^30) = 10; +3 = 13.
  // m0 l2: 300 - 100 = 200; * 0.5 = 100; +3 = 103 -> clamp 100.
  // m0 l3: -1000 * 0.5 = -500; +3 -> clamp -20.
  // m1 l0: 0 + 5 = 5; SRDHM(5, 2^30) = 2.5 -> 3; RDBPOT(3, 1) = 1.5 -> 2; +3 = 5.
  // m1 l1: 0 -> 3. m1 l2: -100 * 0.5 = -50; +3 = -47 -> -20. m1 l3: 3.
  CHECK(spad_bytes(sim, 12, 8) == bytes({2, 13, 100, -20, 5, 3, -20, 3}));

  std::fill(sim.spad().begin() + 12, sim.spad().begin() + 20, 0x55);
  p.rounding = RoundingBit::Single;
  p.n = 3;
  run_ok(sim, {p});
  // Single rounding: (x*m + 2^(30-s)) >> (31-s).
  // m0 l0: x = -2, s = -1: (-2*2^30 + 2^31) >> 32 = 0; +3 = 3.
  // m0 l1: x = 10, s = 1: (10*2^30 + 2^29) >> 30 = floor(10.5) = 10; +3 = 13.
  // m0 l2: x = 200, s = 0: (200*2^30 + 2^30) >> 31 = floor(100.5) = 100; +3 -> 100.
  // m1 l0: x = 5, s = -1: (5*2^30 + 2^31) >> 32 = floor(1.75) = 1; +3 = 4.
  // m1 l2: x = -100, s = 0: (-100*2^30 + 2^30) >> 31 = floor(-49.5) = -50; +3 = -47 -> -20.
  // Lane 3 (>= N) keeps 0x55.
  CHECK(spad_bytes(sim, 12, 8) == bytes({3, 13, 100, 0x55, 4, 3, -20, 0x55}));
}

TEST_CASE("pool computes max and average over clipped windows", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  // 3x3 image, two lanes, pixel (y, x) in spad row 8 + 3y + x: lane 0 = 1..9, lane 1 = -1..-9.
  for (int i = 0; i < 9; ++i) {
    sim.spad()[static_cast<std::size_t>((8 + i) * 4)] = static_cast<std::uint8_t>(i + 1);
    sim.spad()[static_cast<std::size_t>((8 + i) * 4 + 1)] = static_cast<std::uint8_t>(-(i + 1));
  }
  Pool q;
  q.mode = PoolMode::Max;
  q.src = 8;
  q.src_pixel = 1;
  q.src_line = 3;
  q.in_h = q.in_w = 3;
  q.dst = 40;
  q.dst_pixel = 1;
  q.dst_line = 2;
  q.out_h = q.out_w = 2;
  q.kh = q.kw = 2;
  q.sh = q.sw = 2;
  q.lanes = 2;
  run_ok(sim, {q});
  // Windows: rows {0,1},{2} x cols {0,1},{2} (the image ends at 3).
  // lane 0: max(1,2,4,5) = 5, max(3,6) = 6, max(7,8) = 8, 9.
  // lane 1: max(-1,-2,-4,-5) = -1, max(-3,-6) = -3, max(-7,-8) = -7, -9.
  auto out = [&](unsigned lane) {
    return bytes({static_cast<std::int8_t>(sim.spad()[40 * 4 + lane]),
                  static_cast<std::int8_t>(sim.spad()[41 * 4 + lane]),
                  static_cast<std::int8_t>(sim.spad()[42 * 4 + lane]),
                  static_cast<std::int8_t>(sim.spad()[43 * 4 + lane])});
  };
  CHECK(out(0) == bytes({5, 6, 8, 9}));
  CHECK(out(1) == bytes({-1, -3, -7, -9}));
  q.mode = PoolMode::Avg;
  run_ok(sim, {q});
  // lane 0: 12/4 = 3, 9/2 = 4.5 -> 5, 15/2 = 7.5 -> 8, 9.
  // lane 1: -12/4 = -3, -9/2 = -4.5 -> -5 (away from zero), -15/2 -> -8, -9.
  CHECK(out(0) == bytes({3, 5, 8, 9}));
  CHECK(out(1) == bytes({-3, -5, -8, -9}));
  // Padding: 3x3 window, stride 1, pad 1 at output (0, 0): taps rows/cols -1..1, in image
  // (0,0) (0,1) (1,0) (1,1): avg (1+2+4+5)/4 = 3; clamp to act_max 2 -> 2.
  q.out_h = q.out_w = 1;
  q.kh = q.kw = 3;
  q.sh = q.sw = 1;
  q.pad_top = q.pad_left = 1;
  q.lanes = 1;
  q.act_max = 2;
  run_ok(sim, {q});
  CHECK(sim.spad()[40 * 4] == 2);
}

TEST_CASE("add follows the TFLite recipe with double and single rounding", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  auto put_row = [&](unsigned row, std::initializer_list<int> v) {
    unsigned i = 0;
    for (int x : v)
      sim.spad()[row * 4 + i++] = static_cast<std::uint8_t>(static_cast<std::int8_t>(x));
  };
  put_row(0, {1, 2, 100});
  put_row(1, {-128, 127, 0});
  put_row(4, {1, -6, 100});
  put_row(5, {-128, 127, -1});
  Add a;
  a.a_addr = 0;
  a.b_addr = 4;
  a.dst_addr = 8;
  a.m = 2;
  a.lanes = 3;
  a.left_shift = 1;
  a.zp_a = 1;
  a.zp_b = -2;
  a.zp_out = 5;
  a.mult_a = a.mult_b = a.mult_out = 1 << 30;  // 0.5 each, shifts 0
  run_ok(sim, {a});
  // y1 = SRDHM((a - 1) * 2, 2^30) = a - 1 exactly, y2 = b + 2; s = a + b + 1;
  // out = SRDHM(s, 2^30) (= s/2 rounded half up) + 5, clamped.
  // row 0: s = 3 -> 1.5 -> 2 -> 7; s = -3 -> -1.5 -> -1 -> 4; s = 201 -> 101 -> 106.
  // row 1: s = -255 -> -127.5 -> -127 -> -122; s = 255 -> 128 -> 133 -> 127; s = 0 -> 5.
  CHECK(spad_bytes(sim, 32, 3) == bytes({7, 4, 106}));
  CHECK(spad_bytes(sim, 36, 3) == bytes({-122, 127, 5}));
  // Output shift -1: out = MBQM(s, 2^30, -1). With a = 0, b = -3: s = -2.
  // Double: SRDHM(-2, 2^30) = -1, RDBPOT(-1, 1) = -1 -> 4. Single: (-2*2^30 + 2^31) >> 32 = 0 -> 5.
  put_row(2, {0});
  put_row(6, {-3});
  a.a_addr = 2;
  a.b_addr = 6;
  a.dst_addr = 2;  // in place
  a.m = 1;
  a.lanes = 1;
  a.shift_out = -1;
  run_ok(sim, {a});
  CHECK(static_cast<std::int8_t>(sim.spad()[8]) == 4);
  put_row(2, {0});
  a.rounding = RoundingBit::Single;
  run_ok(sim, {a});
  CHECK(static_cast<std::int8_t>(sim.spad()[8]) == 5);
}

TEST_CASE("add matches the golden add for random data in both rounding modes", "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed());
  std::uniform_int_distribution<int> byte(-128, 127);
  std::uniform_real_distribution<double> scale(0.01, 0.2);
  for (int iter = 0; iter < 20; ++iter) {
    IsaSim sim(tb::small_config(), kDramBase, 4096);
    auto ap = nuri::golden::add_params_from_scales(scale(rng), byte(rng), scale(rng), byte(rng),
                                                   scale(rng), byte(rng), -100, 120);
    const bool single = iter % 2 == 1;
    ap.rounding = single ? nuri::golden::Rounding::Single : nuri::golden::Rounding::Double;
    nuri::golden::TensorI8 x({5, 4}), y({5, 4});
    for (int i = 0; i < 20; ++i) {
      x.data[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(byte(rng));
      y.data[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(byte(rng));
      sim.spad()[static_cast<std::size_t>(i)] =
          static_cast<std::uint8_t>(x.data[static_cast<std::size_t>(i)]);
      sim.spad()[static_cast<std::size_t>(64 + i)] =
          static_cast<std::uint8_t>(y.data[static_cast<std::size_t>(i)]);
    }
    Add a;
    a.a_addr = 0;
    a.b_addr = 16;
    a.dst_addr = 32;
    a.m = 5;
    a.lanes = 4;
    a.left_shift = static_cast<std::uint32_t>(ap.left_shift);
    a.zp_a = static_cast<std::int8_t>(ap.input1_zero_point);
    a.zp_b = static_cast<std::int8_t>(ap.input2_zero_point);
    a.zp_out = static_cast<std::int8_t>(ap.output_zero_point);
    a.mult_a = ap.input1_multiplier;
    a.mult_b = ap.input2_multiplier;
    a.mult_out = ap.output_multiplier;
    a.shift_a = static_cast<std::int8_t>(ap.input1_shift);
    a.shift_b = static_cast<std::int8_t>(ap.input2_shift);
    a.shift_out = static_cast<std::int8_t>(ap.output_shift);
    a.act_min = static_cast<std::int8_t>(ap.act_min);
    a.act_max = static_cast<std::int8_t>(ap.act_max);
    a.rounding = single ? RoundingBit::Single : RoundingBit::Double;
    run_ok(sim, {a});
    const auto ref = nuri::golden::add(x, y, ap);
    for (int i = 0; i < 20; ++i) {
      CHECK(static_cast<std::int8_t>(sim.spad()[static_cast<std::size_t>(128 + i)]) ==
            ref.data[static_cast<std::size_t>(i)]);
    }
  }
}

TEST_CASE("nop only moves tokens and fence orders queues without tokens", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  sim.write_dram(kDramBase, bytes({9, 8, 7, 6}));
  // LOAD, FENCE, STORE of the same bytes: the FENCE holds the STORE until the LOAD completed.
  const std::vector<Command> prog = {Nop{{0, 0x01}, Queue::Load},
                                     Nop{{0x01, 0x02}, Queue::Compute},
                                     Nop{{0x02, 0}, Queue::Store},
                                     tb::load(tb::linear(kDramBase, 0, 4)),
                                     Fence{},
                                     tb::store(tb::linear(kDramBase + 16, 0, 4)),
                                     End{}};
  for (std::uint32_t s = 0; s < 20; ++s) {
    IsaSim run_sim = sim;
    const RunStatus st = run_sim.run(prog, {Schedule::Random, nuri::tb::seed() + s});
    REQUIRE(st.ok());
    CHECK(st.executed == std::array<std::uint64_t, 3>{2, 1, 2});
    CHECK(st.tokens == std::array<std::uint8_t, kNumTokens>{});
    CHECK(run_sim.read_dram(kDramBase + 16, 4) == bytes({9, 8, 7, 6}));
  }
}

TEST_CASE("matmul and ppu address whole weight and output rows when Cols exceeds Rows",
          "[golden][smoke]") {
  // 4 x 8 array: a scratchpad row is 4 bytes, a weight or PPU output row is 8 lanes = 2 rows.
  IsaSim sim(IsaConfig::make(4, 8, 4096, 4096, 16), kDramBase, 4096);
  const auto w0 = bytes({1, 2, 3, 4, 5, 6, 7, 8});  // weight row k = 0 at spad row 4 (byte 16)
  const auto w1 = bytes({1, 1, 1, 1, 1, 1, 1, 1});  // weight row k = 1 at spad row 6 (byte 24)
  std::copy(w0.begin(), w0.end(), sim.spad().begin() + 16);
  std::copy(w1.begin(), w1.end(), sim.spad().begin() + 24);
  sim.spad()[0] = 2;  // activation row 0 = [2, 3, -, -]
  sim.spad()[1] = 3;
  for (unsigned p = 0; p < 8; ++p) {
    const auto r = tb::param_record(0, 1 << 30, 1);  // x * 2 * 0.5 = x exactly
    std::copy(r.begin(), r.end(), sim.param().begin() + p * 16);
  }
  Matmul m;
  m.w_addr = 4;
  m.w_stride = 2;
  m.k = 2;
  m.n = 6;
  Ppu p;
  p.n = 8;
  p.dst_addr = 10;
  run_ok(sim, {m, p});
  // out[n] = 2 * w0[n] + 3 * w1[n] = 2(n + 1) + 3 for n < 6: 5 7 9 11 13 15; lanes 6, 7 = 0.
  CHECK(sim.acc_at(0, 5) == 15);
  CHECK(sim.acc_at(0, 6) == 0);
  CHECK(spad_bytes(sim, 40, 8) == bytes({5, 7, 9, 11, 13, 15, 0, 0}));
}

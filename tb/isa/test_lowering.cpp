// A small test-side lowering of conv2d and fully_connected into command programs (docs/isa.md
// "Lowering a convolution"), run on IsaSim and compared bit for bit with the golden operators.
//
// The convolution is the sum over the kernel taps of 1x1 convolutions on shifted input windows:
// per (n-tile, tap, k-tile) one LOAD of the shifted window (strided 3-D, padding = zp_in, stride s
// expressed as a DRAM stride of s pixels plus a residue offset), one LOAD of the weight tile from
// HWIO-packed weights (ragged tiles zero-filled by the DMA's padding), one MATMUL accumulating into
// the accumulator; then one PPU and one STORE per n-tile. Input windows and weight tiles are double
// buffered with counting tokens.
#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include "isa_tb.hpp"
#include "nuri/golden/ops.hpp"
#include "nuri/tb/options.hpp"

using namespace nuri::isa;
namespace g = nuri::golden;
using nuri::isa::tb::kDramBase;

namespace {

// Tokens of the lowering.
constexpr std::uint8_t kInFull = 1u << 0;   // load -> compute: window + weights in buffer
constexpr std::uint8_t kInFree = 1u << 1;   // compute -> load: buffer may be overwritten
constexpr std::uint8_t kOutFull = 1u << 2;  // compute -> store: output tile in the scratchpad
constexpr std::uint8_t kParams = 1u << 3;   // load -> compute: parameter records loaded

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}
std::uint32_t ceil_div(std::int64_t a, std::int64_t b) {
  return a <= 0 ? 0u : static_cast<std::uint32_t>((a + b - 1) / b);
}

struct ConvLayer {
  g::TensorI8 input;    // [1, H, W, Cin]
  g::TensorI8 weights;  // [Cout, KH, KW, Cin]
  g::TensorI32 bias;    // [Cout]
  g::ConvParams params;
};

struct Lowered {
  std::vector<Command> program;
  std::uint64_t y_addr = 0;
  std::uint64_t y_bytes = 0;
};

// Writes the layer's tensors into the DRAM image and returns the program.
Lowered lower_conv(const ConvLayer& L, IsaSim& sim) {
  const std::uint32_t A = sim.config().geometry.rows;  // square arrays: rows == cols
  REQUIRE(sim.config().geometry.cols == A);
  const int H = static_cast<int>(L.input.dim(1)), W = static_cast<int>(L.input.dim(2));
  const int Cin = static_cast<int>(L.input.dim(3)), Cout = static_cast<int>(L.weights.dim(0));
  const int KH = static_cast<int>(L.weights.dim(1)), KW = static_cast<int>(L.weights.dim(2));
  const int s = L.params.stride_h;
  REQUIRE(L.params.stride_w == s);
  const g::PaddedDims pd = g::compute_padding(L.params.pad_mode, L.params.pad, H, W, KH, KW, s, s);
  const int OH = pd.out_h, OW = pd.out_w;
  const std::uint32_t M = static_cast<std::uint32_t>(OH * OW);
  const std::int32_t zp_in = L.params.input_zero_point;
  const g::OutputQuant& q = L.params.quant;

  // DRAM: input NHWC, weights packed HWIO, parameter records, output.
  const std::uint64_t x_addr = kDramBase;
  const std::uint64_t w_addr = x_addr + 0x1000;
  const std::uint64_t p_addr = w_addr + 0x4000;
  const std::uint64_t y_addr = p_addr + 0x1000;
  std::vector<std::uint8_t> xb(L.input.data.begin(), L.input.data.end());
  sim.write_dram(x_addr, xb);
  std::vector<std::uint8_t> wb(static_cast<std::size_t>(KH * KW * Cin * Cout));
  for (int c = 0; c < Cout; ++c) {
    for (int ky = 0; ky < KH; ++ky) {
      for (int kx = 0; kx < KW; ++kx) {
        for (int ic = 0; ic < Cin; ++ic) {
          wb[static_cast<std::size_t>(((ky * KW + kx) * Cin + ic) * Cout + c)] =
              static_cast<std::uint8_t>(L.weights.at4(c, ky, kx, ic));
        }
      }
    }
  }
  sim.write_dram(w_addr, wb);
  // Firmware folds the input zero point into the bias: bias' = bias - zp_in * sum w (wrapping).
  std::vector<std::uint8_t> pb;
  for (int c = 0; c < Cout; ++c) {
    std::int64_t wsum = 0;
    for (int ky = 0; ky < KH; ++ky) {
      for (int kx = 0; kx < KW; ++kx) {
        for (int ic = 0; ic < Cin; ++ic) wsum += L.weights.at4(c, ky, kx, ic);
      }
    }
    const auto b = static_cast<std::int32_t>(static_cast<std::uint32_t>(
        static_cast<std::int64_t>(L.bias.data[static_cast<std::size_t>(c)]) - zp_in * wsum));
    const std::size_t qi = q.multiplier.size() == 1 ? 0 : static_cast<std::size_t>(c);
    const auto rec = tb::param_record(b, q.multiplier[qi], q.shift[qi]);
    pb.insert(pb.end(), rec.begin(), rec.end());
  }
  sim.write_dram(p_addr, pb);

  // Scratchpad rows: two input windows, two weight tiles, one output tile per n-tile.
  const std::uint32_t n_tiles = ceil_div(Cout, A), k_tiles = ceil_div(Cin, A);
  auto act_row = [&](unsigned b) { return b * M; };
  auto w_row = [&](unsigned b) { return 2 * M + b * A; };
  auto out_row = [&](unsigned nt) { return 2 * M + 2 * A + nt * M; };

  Lowered lw;
  lw.y_addr = y_addr;
  lw.y_bytes = std::uint64_t{M} * static_cast<std::uint64_t>(Cout);
  auto& prog = lw.program;
  prog.emplace_back(tb::load(tb::linear(p_addr, 0, static_cast<std::uint32_t>(pb.size())),
                             Space::Param, {0, kParams}));
  prog.emplace_back(Nop{{0, kInFree}, Queue::Compute});  // two free input buffers
  prog.emplace_back(Nop{{0, kInFree}, Queue::Compute});

  // One dimension of a shifted, strided window: tensor coordinate t = start + i stands for image
  // coordinate s*t + residue; image coordinate of output o is s*o + off.
  struct Dim {
    std::int32_t start;
    std::uint32_t size;
    std::uint32_t residue;
  };
  auto dim = [&](int off, int extent) {
    const std::int64_t start = floor_div(off, s);
    const auto residue = static_cast<std::uint32_t>(off - start * s);
    return Dim{static_cast<std::int32_t>(start),
               ceil_div(static_cast<std::int64_t>(extent) - residue, s), residue};
  };

  unsigned step = 0;
  for (std::uint32_t nt = 0; nt < n_tiles; ++nt) {
    bool first = true;
    for (int ky = 0; ky < KH; ++ky) {
      for (int kx = 0; kx < KW; ++kx) {
        for (std::uint32_t kt = 0; kt < k_tiles; ++kt, ++step) {
          const unsigned b = step % 2;
          const Dim dy = dim(ky - pd.pad.top, H), dx = dim(kx - pd.pad.left, W);
          DmaDesc win;
          win.dram_addr = x_addr + (std::uint64_t{dy.residue} * W + dx.residue) * Cin;
          win.dram_stride1 = static_cast<std::uint32_t>(s * Cin);
          win.dram_stride2 = static_cast<std::uint32_t>(s * W * Cin);
          win.size = {static_cast<std::uint32_t>(Cin), dx.size, dy.size};
          win.start = {static_cast<std::int32_t>(kt * A), dx.start, dy.start};
          win.len = {A, static_cast<std::uint32_t>(OW), static_cast<std::uint32_t>(OH)};
          win.lcl_addr = act_row(b) * A;
          win.lcl_stride1 = A;
          win.lcl_stride2 = static_cast<std::uint32_t>(OW) * A;
          prog.emplace_back(tb::load(win, Space::Spad, {kInFree, 0},
                                     static_cast<std::uint8_t>(static_cast<std::int8_t>(zp_in))));
          DmaDesc wt;
          wt.dram_addr = w_addr;
          wt.dram_stride1 = static_cast<std::uint32_t>(Cout);
          wt.dram_stride2 = static_cast<std::uint32_t>(Cin * Cout);
          wt.size = {static_cast<std::uint32_t>(Cout), static_cast<std::uint32_t>(Cin),
                     static_cast<std::uint32_t>(KH * KW)};
          wt.start = {static_cast<std::int32_t>(nt * A), static_cast<std::int32_t>(kt * A),
                      ky * KW + kx};
          wt.len = {A, A, 1};
          wt.lcl_addr = w_row(b) * A;
          wt.lcl_stride1 = A;
          prog.emplace_back(tb::load(wt, Space::Spad, {0, kInFull}, 0));
          Matmul mm;
          mm.tok = {kInFull, kInFree};
          mm.accumulate = !first;
          mm.act_addr = act_row(b);
          mm.act_stride = 1;
          mm.m = M;
          mm.w_addr = w_row(b);
          mm.w_stride = 1;
          mm.k = std::min<std::uint32_t>(A, static_cast<std::uint32_t>(Cin) - kt * A);
          mm.n = std::min<std::uint32_t>(A, static_cast<std::uint32_t>(Cout) - nt * A);
          mm.acc_addr = nt * M;
          mm.acc_stride = 1;
          prog.emplace_back(mm);
          first = false;
        }
      }
    }
    Ppu p;
    p.tok = {static_cast<std::uint8_t>(nt == 0 ? kParams : 0), kOutFull};
    p.rounding = q.rounding == g::Rounding::Single ? RoundingBit::Single : RoundingBit::Double;
    p.acc_addr = nt * M;
    p.acc_stride = 1;
    p.m = M;
    p.n = std::min<std::uint32_t>(A, static_cast<std::uint32_t>(Cout) - nt * A);
    p.dst_addr = out_row(nt);
    p.dst_stride = 1;
    p.param_addr = nt * A;
    p.zp_out = static_cast<std::int8_t>(q.output_zero_point);
    p.act_min = static_cast<std::int8_t>(q.act_min);
    p.act_max = static_cast<std::int8_t>(q.act_max);
    prog.emplace_back(p);
    DmaDesc st;
    st.dram_addr = y_addr;
    st.dram_stride1 = static_cast<std::uint32_t>(Cout);
    st.size = {static_cast<std::uint32_t>(Cout), M, 1};
    st.start = {static_cast<std::int32_t>(nt * A), 0, 0};
    st.len = {A, M, 1};  // channels >= Cout are outside the tensor: skipped
    st.lcl_addr = out_row(nt) * A;
    st.lcl_stride1 = A;
    prog.emplace_back(tb::store(st, Space::Spad, {kOutFull, 0}));
  }
  prog.emplace_back(End{});
  return lw;
}

IsaConfig config_for(std::uint32_t array) {
  if (array == 16) return IsaConfig::from_generated();
  return IsaConfig::make(array, array, 32768, 8192, 256);
}

ConvLayer random_conv(std::mt19937& rng, int H, int W, int cin, int cout, int k, int stride,
                      g::PadMode pad, g::Rounding rounding, bool relu) {
  std::uniform_int_distribution<int> i8(-128, 127), w8(-127, 127), zp(-128, 127);
  std::uniform_int_distribution<std::int32_t> bias(-20000, 20000);
  std::uniform_real_distribution<double> ws(0.002, 0.02), os(0.2, 0.6);
  ConvLayer L;
  L.input = g::TensorI8({1, H, W, cin});
  for (auto& v : L.input.data) v = static_cast<std::int8_t>(i8(rng));
  L.weights = g::TensorI8({cout, k, k, cin});
  for (auto& v : L.weights.data) v = static_cast<std::int8_t>(w8(rng));
  L.bias = g::TensorI32({cout});
  for (auto& v : L.bias.data) v = bias(rng);
  L.params.stride_h = L.params.stride_w = stride;
  L.params.pad_mode = pad;
  L.params.input_zero_point = zp(rng);
  std::vector<double> wscale(static_cast<std::size_t>(cout));
  for (auto& v : wscale) v = ws(rng);
  const std::int32_t zp_out = zp(rng) / 2;
  L.params.quant = g::output_quant_from_scales(0.05, wscale, os(rng), zp_out, relu ? zp_out : -128,
                                               127, rounding);
  return L;
}

std::vector<std::uint8_t> as_bytes(const g::TensorI8& t) { return {t.data.begin(), t.data.end()}; }

void check_conv(std::uint32_t array, const ConvLayer& L, int random_schedules = 0) {
  IsaSim sim(config_for(array), kDramBase, 0x8000);
  const Lowered lw = lower_conv(L, sim);
  const IsaSim before = sim;
  const RunStatus st = sim.run(lw.program);
  INFO("status " << to_string(st.code) << " at " << st.failing_index);
  REQUIRE(st.ok());
  const g::TensorI8 ref = g::conv2d(L.input, L.weights, &L.bias, L.params);
  const auto got = sim.read_dram(lw.y_addr, lw.y_bytes);
  REQUIRE(got.size() == ref.data.size());
  CHECK(got == as_bytes(ref));
  for (int r = 0; r < random_schedules; ++r) {
    IsaSim other = before;
    const std::uint32_t seed = nuri::tb::seed() * 1000u + static_cast<std::uint32_t>(r);
    INFO("random schedule seed " << seed);
    REQUIRE(other.run(lw.program, {Schedule::Random, seed}).ok());
    CHECK(other.dram() == sim.dram());
  }
}

}  // namespace

TEST_CASE("conv2d lowered to commands matches golden conv2d on a 4x4 array", "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed());
  for (int stride : {1, 2}) {
    INFO("stride " << stride);
    check_conv(
        4, random_conv(rng, 6, 6, 5, 7, 3, stride, g::PadMode::Same, g::Rounding::Double, false));
  }
  check_conv(4, random_conv(rng, 6, 6, 5, 7, 3, 1, g::PadMode::Same, g::Rounding::Single, true));
}

TEST_CASE("conv2d lowered to commands matches golden conv2d on a 16x16 array", "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed() + 1);
  for (int stride : {1, 2}) {
    INFO("stride " << stride);
    check_conv(16, random_conv(rng, 6, 6, 18, 20, 3, stride, g::PadMode::Same,
                               stride == 1 ? g::Rounding::Single : g::Rounding::Double, false));
  }
}

TEST_CASE("a lowered conv2d gives identical DRAM under random interleavings", "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed() + 2);
  check_conv(4, random_conv(rng, 6, 6, 5, 7, 3, 2, g::PadMode::Same, g::Rounding::Double, false),
             8);
}

TEST_CASE("fully connected lowered to commands matches golden fully_connected", "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed() + 3);
  for (std::uint32_t array : {4u, 16u}) {
    for (g::Rounding r : {g::Rounding::Double, g::Rounding::Single}) {
      INFO("array " << array << " rounding " << static_cast<int>(r));
      const int batch = 5, K = 37, cout = 19;
      // fully_connected [N, K] x [Cout, K] is a 1x1 VALID convolution of [1, 1, N, K].
      ConvLayer L = random_conv(rng, 1, batch, K, cout, 1, 1, g::PadMode::Valid, r, false);
      IsaSim sim(config_for(array), kDramBase, 0x8000);
      const Lowered lw = lower_conv(L, sim);
      REQUIRE(sim.run(lw.program).ok());
      g::TensorI8 x({batch, K}, L.input.data);
      g::TensorI8 w({cout, K}, L.weights.data);
      g::FcParams fp;
      fp.input_zero_point = L.params.input_zero_point;
      fp.quant = L.params.quant;
      const g::TensorI8 ref = g::fully_connected(x, w, &L.bias, fp);
      CHECK(sim.read_dram(lw.y_addr, lw.y_bytes) == as_bytes(ref));
    }
  }
}

TEST_CASE("conv2d lowering sweeps arrays strides roundings and channel counts", "[golden][full]") {
  std::mt19937 rng(nuri::tb::seed() + 4);
  for (std::uint32_t array : {4u, 8u, 16u}) {
    for (int stride : {1, 2}) {
      for (g::Rounding r : {g::Rounding::Double, g::Rounding::Single}) {
        for (auto [cin, cout] : {std::pair{1, 1}, std::pair{3, 5}, std::pair{17, 9},
                                 std::pair{static_cast<int>(array), static_cast<int>(array) + 1}}) {
          for (g::PadMode pad : {g::PadMode::Same, g::PadMode::Valid}) {
            INFO("array " << array << " stride " << stride << " rounding " << static_cast<int>(r)
                          << " cin " << cin << " cout " << cout << " valid "
                          << (pad == g::PadMode::Valid));
            check_conv(array, random_conv(rng, 6, 7, cin, cout, 3, stride, pad, r, cin == 3), 2);
          }
        }
      }
    }
  }
}

TEST_CASE("double buffering overlaps loads with matmuls and never overwrites a buffer in use",
          "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed() + 5);
  const ConvLayer L =
      random_conv(rng, 6, 6, 5, 7, 3, 1, g::PadMode::Same, g::Rounding::Double, false);
  IsaSim start(config_for(4), kDramBase, 0x8000);
  const Lowered lw = lower_conv(L, start);
  // In program order: window loads wait IN_FREE, weight loads give IN_FULL, MATMULs take IN_FULL.
  std::vector<std::uint32_t> win, wts, mm;
  for (std::uint32_t i = 0; i < lw.program.size(); ++i) {
    const Tokens t = tokens_of(lw.program[i]);
    if (std::holds_alternative<Load>(lw.program[i]) && t.wait == kInFree) win.push_back(i);
    if (std::holds_alternative<Load>(lw.program[i]) && t.signal == kInFull) wts.push_back(i);
    if (std::holds_alternative<Matmul>(lw.program[i])) mm.push_back(i);
  }
  REQUIRE(win.size() == mm.size());
  REQUIRE(wts.size() == mm.size());
  // The tokens allow (and some schedule shows) tile j + 1 arriving before MATMUL j completes.
  bool overlapped = false;
  for (std::uint32_t r = 0; r < 6; ++r) {
    IsaSim sim = start;
    std::vector<std::size_t> done_at(lw.program.size(), 0);
    std::size_t t = 0;
    RunOptions opt = r == 0 ? RunOptions{} : RunOptions{Schedule::Random, nuri::tb::seed() + r};
    opt.on_complete = [&](std::uint32_t index, Queue) { done_at[index] = ++t; };
    REQUIRE(sim.run(lw.program, opt).ok());
    for (std::size_t j = 0; j < mm.size(); ++j) {
      INFO("schedule " << r << " step " << j);
      CHECK(done_at[wts[j]] < done_at[mm[j]]);  // MATMUL j after its tile arrived
      if (j + 2 < mm.size()) {
        CHECK(done_at[mm[j]] < done_at[win[j + 2]]);  // buffer reused only after MATMUL j
      }
      if (j + 1 < mm.size() && done_at[wts[j + 1]] < done_at[mm[j]]) overlapped = true;
    }
  }
  CHECK(overlapped);
}

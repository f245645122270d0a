// The layer compiler through the driver on the golden device: conv2d and fully connected layers
// compared bit for bit with golden::conv2d / golden::fully_connected over array sizes, memory
// sizes that force tiling, every padding mode, strides, dilations, kernels, quantization modes.
#include <catch2/catch.hpp>

#include <array>
#include <sstream>

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
namespace g = nuri::golden;

namespace {

std::string join(const std::vector<std::string>& v) {
  std::ostringstream os;
  for (std::size_t i = 0; i < v.size() && i < 5; ++i) os << v[i] << "\n";
  return os.str();
}

void check_random(const isa::IsaConfig& cfg, std::uint32_t seed, int count,
                  const tb::LayerGen& gen = {}, std::uint32_t ring = 4096,
                  const isa::RunOptions& run = {}) {
  GoldenDevice dev(cfg, kDramBase, 16 << 20);
  dev.set_run_options(run);
  NpuOptions opt;
  opt.ring_slots = ring;
  const tb::RandomLayersReport r = tb::run_random_layers(dev, seed, count, gen, opt);
  INFO("array " << cfg.geometry.rows << "x" << cfg.geometry.cols << " spad "
                << cfg.geometry.spad_bytes << " acc " << cfg.geometry.acc_bytes << " params "
                << cfg.geometry.param_entries << " ring " << ring << " seed " << seed << "\n"
                << join(r.failures));
  CHECK(r.run == count);
  CHECK(r.ok());
  // Meaningful comparisons: most outputs are not clamped (random layers saturate now and then).
  CHECK(r.saturated_layers * 4 <= r.run);
  CHECK(r.clamped * 3 < r.outputs * 2);
}

tb::TestLayer conv_layer(std::uint32_t seed, int h, int w, int cin, int cout, int kh, int kw,
                         int stride, int dil, g::PadMode pad) {
  tb::LayerGen gen;
  gen.fc_percent = 0;
  tb::TestLayer L = tb::random_layer(seed, gen);  // for data and quantization
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> i8(-128, 127);
  L.input = g::TensorI8({1, h, w, cin});
  L.weights = g::TensorI8({cout, kh, kw, cin});
  L.bias = g::TensorI32({cout});
  for (auto& v : L.input.data) v = static_cast<std::int8_t>(i8(rng));
  for (auto& v : L.weights.data) v = static_cast<std::int8_t>(i8(rng));
  for (auto& v : L.bias.data) v = i8(rng) * 100;
  L.conv.stride_h = L.conv.stride_w = stride;
  L.conv.dilation_h = L.conv.dilation_w = dil;
  L.conv.pad_mode = pad;
  L.conv.pad = {1, 2, 2, 0};
  if (L.conv.quant.multiplier.size() > 1) {
    L.conv.quant.multiplier.resize(static_cast<std::size_t>(cout), L.conv.quant.multiplier[0]);
    L.conv.quant.shift.resize(static_cast<std::size_t>(cout), L.conv.quant.shift[0]);
  }
  return L;
}

}  // namespace

TEST_CASE("random conv2d and fully connected layers match the golden model on 4x4 8x8 16x16",
          "[golden][smoke]") {
  const std::uint32_t seed = nuri::tb::seed() * 1000;
  check_random(config(4), seed, 25);
  check_random(config(8, 65536, 16384), seed + 100, 20);
  check_random(isa::IsaConfig::from_generated(), seed + 200, 15);
}

TEST_CASE("non-square arrays and parameter memories narrower than the array", "[golden][smoke]") {
  const std::uint32_t seed = nuri::tb::seed() * 1000 + 300;
  check_random(isa::IsaConfig::make(4, 8, 16384, 8192, 64), seed, 10);       // Cols > Rows
  check_random(isa::IsaConfig::make(8, 4, 16384, 4096, 64), seed + 20, 10);  // Rows > Cols
  check_random(isa::IsaConfig::make(8, 8, 16384, 8192, 5), seed + 40, 10);   // 5 records
}

TEST_CASE("layers much larger than the scratchpad and accumulators are tiled", "[golden][smoke]") {
  // 4x4 array, 512-byte scratchpad (128 rows), 16 accumulator rows, 6 parameter records.
  const isa::IsaConfig tiny = isa::IsaConfig::make(4, 4, 512, 256, 6);
  GoldenDevice dev(tiny, kDramBase, 4 << 20);
  Npu npu(dev);
  REQUIRE(npu.probe() == Status::Ok);
  const tb::TestLayer L =
      conv_layer(nuri::tb::seed(), 11, 13, 13, 11, 3, 3, 1, 1, g::PadMode::Same);
  const tb::LayerOutcome o = tb::run_and_compare(npu, L);
  INFO(L.describe() << " " << o.error << " " << o.first_mismatches);
  REQUIRE(o.status == Status::Ok);
  CHECK(o.mismatches == 0u);
  const TilePlan& p = o.stats.plan;
  CHECK(p.m_blocks > 1u);
  CHECK(std::uint64_t{p.block_h} * p.block_w <= 16u);  // accumulator rows
  CHECK(p.n_tiles == 3u);
  CHECK(p.k_tiles == 4u);
  CHECK(p.taps == 9u);
  CHECK(p.param_chunk_tiles == 1u);  // 6 records hold one 4-channel n-tile
  CHECK(p.spad_rows_used <= 128u);
  CHECK(o.stats.macs == 11ull * 13 * 11 * 9 * 13);
  // More random layers, bigger than the memories, on the same tiny NPU.
  tb::LayerGen big;
  big.max_hw = 14;
  big.max_channels = 24;
  big.max_fc_k = 200;
  big.max_fc_batch = 40;
  check_random(tiny, nuri::tb::seed() * 1000 + 400, 12, big);
  // A scratchpad so small that only single buffering fits.
  check_random(isa::IsaConfig::make(4, 4, 128, 64, 4), nuri::tb::seed() * 1000 + 450, 8);
}

TEST_CASE("layers longer than the ring are split into several programs", "[golden][smoke]") {
  GoldenDevice dev(config(4), kDramBase, 4 << 20);
  NpuOptions opt;
  opt.ring_slots = 37;
  Npu npu(dev, opt);
  REQUIRE(npu.probe() == Status::Ok);
  const tb::TestLayer L =
      conv_layer(nuri::tb::seed() + 1, 6, 7, 9, 6, 3, 3, 2, 1, g::PadMode::Same);
  const tb::LayerOutcome o = tb::run_and_compare(npu, L);
  INFO(o.error << " " << o.first_mismatches);
  REQUIRE(o.status == Status::Ok);
  CHECK(o.mismatches == 0u);
  CHECK(o.stats.programs > 3u);
  CHECK(dev.programs_started() == o.stats.programs);
  check_random(config(4), nuri::tb::seed() * 1000 + 500, 10, {}, 16);
}

TEST_CASE("kernels 1x1 to 7x7 with every stride dilation and padding mode", "[golden][smoke]") {
  GoldenDevice dev(config(4), kDramBase, 4 << 20);
  Npu npu(dev);
  REQUIRE(npu.probe() == Status::Ok);
  std::uint32_t seed = nuri::tb::seed() * 1000 + 600;
  int failures = 0;
  for (int k = 1; k <= 7; ++k) {
    for (int stride = 1; stride <= 3; ++stride) {
      for (int dil = 1; dil <= 2; ++dil) {
        for (g::PadMode pad : {g::PadMode::Same, g::PadMode::Valid, g::PadMode::Explicit}) {
          const int extent = (k - 1) * dil + 1;
          const int h = std::max(extent, 5),
                    w = std::max(extent - 1, 4) + (pad == g::PadMode::Explicit ? 0 : 1);
          const tb::TestLayer L = conv_layer(++seed, h, w, 5, 6, k, k, stride, dil, pad);
          const tb::LayerOutcome o = tb::run_and_compare(npu, L);
          if (!o.ok()) {
            ++failures;
            FAIL_CHECK(L.describe() << ": " << to_string(o.status) << " " << o.error << " "
                                    << o.first_mismatches);
          }
        }
      }
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("extreme zero points and both roundings", "[golden][smoke]") {
  GoldenDevice dev(config(4), kDramBase, 4 << 20);
  Npu npu(dev);
  REQUIRE(npu.probe() == Status::Ok);
  std::uint32_t seed = nuri::tb::seed() * 1000 + 700;
  for (std::int32_t zin : {-128, 127}) {
    for (std::int32_t zout : {-128, 127}) {
      for (g::Rounding r : {g::Rounding::Double, g::Rounding::Single}) {
        tb::TestLayer L = conv_layer(++seed, 5, 6, 7, 5, 3, 3, 1, 1, g::PadMode::Same);
        L.conv.input_zero_point = zin;
        L.conv.quant = g::output_quant_from_scales(1.0, {0.002, 0.003, 0.001, 0.004, 0.0005}, 1.0,
                                                   zout, -128, 127, r);
        const tb::LayerOutcome o = tb::run_and_compare(npu, L);
        INFO(L.describe() << " " << o.error << " " << o.first_mismatches);
        CHECK(o.ok());
      }
    }
  }
}

TEST_CASE("compiled programs are race free: random queue interleavings give the same output",
          "[golden][smoke]") {
  const std::uint32_t seed = nuri::tb::seed() * 1000 + 800;
  for (std::uint32_t s = 1; s <= 3; ++s) {
    check_random(config(4), seed, 6, {}, 64, isa::RunOptions(isa::Schedule::Random, s));
  }
}

TEST_CASE("compiled programs decode cleanly and end with END and fit the ring", "[golden][smoke]") {
  HwInfo hw;
  hw.rows = hw.cols = 4;
  hw.spad_bytes = 1024;
  hw.acc_bytes = 512;
  hw.param_entries = 8;
  ConvGeometry gm;
  gm.in_h = 9;
  gm.in_w = 10;
  gm.cin = 11;
  gm.cout = 13;
  gm.kh = gm.kw = 3;
  gm.pad_top = gm.pad_left = 1;
  gm.out_h = 9;
  gm.out_w = 10;
  CompiledLayer cl;
  std::string why;
  REQUIRE(compile_conv(hw, gm,
                       {kDramBase, kDramBase + 0x1000, kDramBase + 0x2000, kDramBase + 0x3000}, 50,
                       &cl, &why) == Status::Ok);
  isa::Geometry geo;
  geo.rows = geo.cols = 4;
  geo.spad_bytes = 1024;
  geo.acc_bytes = 512;
  geo.param_entries = 8;
  std::uint64_t total = 0;
  for (const auto& p : cl.programs) {
    REQUIRE(p.size() % 16 == 0);
    const std::size_t n = p.size() / 16;
    CHECK(n <= 50u);
    total += n;
    for (std::size_t i = 0; i < n; ++i) {
      isa::Words w;
      std::copy_n(p.begin() + static_cast<std::ptrdiff_t>(16 * i), 16, w.begin());
      const isa::Decoded d = isa::decode_and_check(w, geo);
      INFO("command " << i << ": " << isa::to_string(d.command));
      REQUIRE(d.error == isa::ErrorCode::Ok);
      CHECK(std::holds_alternative<isa::End>(d.command) == (i + 1 == n));
      // No POOL / ADD: the RTL has no vector unit.
      CHECK_FALSE(std::holds_alternative<isa::Pool>(d.command));
      CHECK_FALSE(std::holds_alternative<isa::Add>(d.command));
    }
  }
  CHECK(total == cl.commands);
  CHECK(cl.programs.size() > 1u);  // jobs of 84 commands > 50: partial sums cross programs

  // With room for a whole job (9 taps x 3 k-tiles x 3 + PPU, STORE, parameters), programs are
  // cut between jobs: the first MATMUL of every program starts a fresh accumulation.
  REQUIRE(compile_conv(hw, gm,
                       {kDramBase, kDramBase + 0x1000, kDramBase + 0x2000, kDramBase + 0x3000}, 200,
                       &cl, &why) == Status::Ok);
  CHECK(cl.programs.size() > 1u);
  for (const auto& p : cl.programs) {
    for (std::size_t i = 0; i < p.size() / 16; ++i) {
      isa::Words w;
      std::copy_n(p.begin() + static_cast<std::ptrdiff_t>(16 * i), 16, w.begin());
      const isa::Decoded d = isa::decode(w);
      if (const auto* mm = std::get_if<isa::Matmul>(&d.command)) {
        CHECK_FALSE(mm->accumulate);
        break;
      }
    }
  }
}

TEST_CASE("invalid layers and layers that do not fit are refused with a message",
          "[golden][smoke]") {
  GoldenDevice dev(config(4), kDramBase, 1 << 20);
  Npu npu(dev);
  g::TensorI8 out;
  tb::TestLayer L = conv_layer(1, 5, 5, 3, 4, 3, 3, 1, 1, g::PadMode::Same);
  CHECK(run_conv2d(npu, L.input, L.weights, &L.bias, L.conv, &out) == Status::NotProbed);
  REQUIRE(npu.probe() == Status::Ok);
  const std::uint64_t mark = npu.dram().mark();
  g::TensorI8 wrong({4, 3, 3, 2});
  CHECK(run_conv2d(npu, L.input, wrong, &L.bias, L.conv, &out) == Status::InvalidLayer);
  CHECK(npu.last_error().find("input channels") != std::string::npos);
  L.conv.pad_mode = g::PadMode::Valid;
  g::TensorI8 big_kernel({4, 7, 7, 3});
  CHECK(run_conv2d(npu, L.input, big_kernel, &L.bias, L.conv, &out) == Status::InvalidLayer);
  L.conv.quant.shift.assign(L.conv.quant.shift.size(), 31);
  CHECK(run_conv2d(npu, L.input, L.weights, &L.bias, L.conv, &out) == Status::InvalidLayer);
  CHECK(npu.last_error().find("shift") != std::string::npos);
  g::TensorI8 huge({1, 512, 512, 8});  // 2 MiB input in 1 MiB of DRAM
  g::TensorI8 w1({4, 1, 1, 8});
  g::ConvParams cp;
  CHECK(run_conv2d(npu, huge, w1, nullptr, cp, &out) == Status::NoMemory);
  CHECK(npu.dram().mark() == mark);
  g::FcParams fp;
  CHECK(run_fully_connected(npu, g::TensorI8({2, 5}), g::TensorI8({3, 6}), nullptr, fp, &out) ==
        Status::InvalidLayer);
  CHECK(npu.last_error().find("fully_connected") != std::string::npos);
}

TEST_CASE("layer statistics count MACs and commands", "[golden][smoke]") {
  GoldenDevice dev(config(8), kDramBase, 4 << 20);
  Npu npu(dev);
  REQUIRE(npu.probe() == Status::Ok);
  const tb::TestLayer L = conv_layer(3, 8, 8, 10, 12, 3, 3, 2, 1, g::PadMode::Same);
  const tb::LayerOutcome o = tb::run_and_compare(npu, L);
  REQUIRE(o.ok());
  CHECK(o.stats.macs == 4ull * 4 * 12 * 3 * 3 * 10);
  CHECK(o.stats.cycles == 0u);  // the golden device has no clock
  CHECK(o.stats.utilization(npu.info()) == 0.0);
  CHECK(o.stats.commands > 0u);
  CHECK(o.stats.programs == 1u);
  LayerStats s;
  s.macs = 1000;
  s.cycles = 100;
  CHECK(s.utilization(npu.info()) == Approx(1000.0 / (100.0 * 64.0)));
}

TEST_CASE("many random layers on many NPU configurations", "[golden][full]") {
  const std::uint32_t seed = nuri::tb::seed() * 100000;
  tb::LayerGen big;
  big.max_hw = 16;
  big.max_channels = 40;
  big.max_fc_k = 300;
  big.max_fc_batch = 33;
  check_random(config(4), seed, 1200);
  check_random(config(8, 65536, 16384), seed + 10000, 800);
  check_random(isa::IsaConfig::from_generated(), seed + 20000, 400, big);
  check_random(isa::IsaConfig::make(4, 4, 512, 256, 6), seed + 30000, 300, big);
  check_random(isa::IsaConfig::make(8, 8, 2048, 512, 12), seed + 40000, 300, big, 29);
  check_random(isa::IsaConfig::make(16, 16, 8192, 4096, 20), seed + 50000, 200, big, 64);
  check_random(isa::IsaConfig::make(4, 16, 4096, 2048, 32), seed + 60000, 200, big);
  check_random(isa::IsaConfig::make(16, 4, 4096, 2048, 32), seed + 65000, 200, big);
  for (std::uint32_t s = 1; s <= 5; ++s) {
    check_random(isa::IsaConfig::make(4, 4, 1024, 512, 8), seed + 70000 + 1000 * s, 100, {}, 48,
                 isa::RunOptions(isa::Schedule::Random, s));
  }
}

TEST_CASE("large layers on the default 16x16 configuration", "[golden][full]") {
  GoldenDevice dev(isa::IsaConfig::from_generated(), kDramBase, 32 << 20);
  Npu npu(dev);
  REQUIRE(npu.probe() == Status::Ok);
  std::uint32_t seed = nuri::tb::seed() * 1000 + 900;
  // Outputs beyond the accumulator (64 KiB = 1024 rows of 16 lanes), channels beyond the array.
  for (auto [h, cin, cout, k, s] :
       {std::array<int, 5>{48, 35, 70, 3, 1}, std::array<int, 5>{40, 64, 33, 5, 2},
        std::array<int, 5>{33, 17, 130, 1, 1}, std::array<int, 5>{24, 40, 24, 7, 1}}) {
    const tb::TestLayer L = conv_layer(++seed, h, h + 3, cin, cout, k, k, s, 1, g::PadMode::Same);
    const tb::LayerOutcome o = tb::run_and_compare(npu, L);
    INFO(L.describe() << " " << o.error << " " << o.first_mismatches);
    CHECK(o.ok());
    CHECK(o.stats.plan.m_blocks >= 1u);
  }
}

TEST_CASE("small channel counts pack several taps into one matmul", "[golden][smoke]") {
  std::uint32_t seed = nuri::tb::seed() * 1000 + 950;
  struct Case {
    std::uint32_t array;
    int cin, k, stride, dil;
    std::uint32_t taps_per_step;
  };
  for (const Case& c : {Case{16, 3, 3, 1, 1, 5}, Case{16, 8, 5, 2, 1, 2}, Case{8, 1, 7, 1, 2, 8},
                        Case{4, 2, 3, 3, 1, 2}, Case{8, 3, 2, 1, 1, 2}}) {
    GoldenDevice dev(c.array == 16 ? isa::IsaConfig::from_generated() : config(c.array), kDramBase,
                     8 << 20);
    Npu npu(dev);
    REQUIRE(npu.probe() == Status::Ok);
    const tb::TestLayer L =
        conv_layer(++seed, 11, 9, c.cin, 21, c.k, c.k, c.stride, c.dil, g::PadMode::Same);
    const tb::LayerOutcome o = tb::run_and_compare(npu, L);
    INFO("array " << c.array << ": " << L.describe() << " " << o.error << " "
                  << o.first_mismatches);
    CHECK(o.ok());
    CHECK(o.stats.plan.taps_per_step == c.taps_per_step);
  }
}

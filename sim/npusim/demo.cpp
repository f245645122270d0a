#include "demo.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "nuri/fw/driver.hpp"
#include "nuri/fw/layers.hpp"
#include "nuri/golden/ops.hpp"
#include "report.hpp"

namespace nuri::npusim {
namespace {

using golden::TensorI32;
using golden::TensorI8;

// Deterministic generator (64-bit LCG) so every run and every machine sees the same network.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : s_(seed * 6364136223846793005ULL + 1442695040888963407ULL) {}
  std::uint32_t next() {
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(s_ >> 33);
  }
  int range(int lo, int hi) { return lo + static_cast<int>(next() % (hi - lo + 1)); }

 private:
  std::uint64_t s_;
};

TensorI8 random_i8(golden::Shape shape, Lcg& rng, int lo, int hi) {
  TensorI8 t(std::move(shape));
  for (auto& v : t.data) v = static_cast<std::int8_t>(rng.range(lo, hi));
  return t;
}

TensorI32 random_bias(int n, Lcg& rng) {
  TensorI32 t({n});
  for (auto& v : t.data) v = rng.range(-2000, 2000);
  return t;
}

std::uint32_t checksum(const TensorI8& t) {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (auto v : t.data) h = (h ^ static_cast<std::uint8_t>(v)) * 16777619u;
  return h;
}

std::vector<double> channel_scales(int n, Lcg& rng) {
  std::vector<double> s(static_cast<std::size_t>(n));
  for (auto& v : s) v = 0.002 + 0.004 * (rng.next() % 1000) / 1000.0;
  return s;
}

struct Layer {
  std::string name;
  bool fc = false;
  TensorI8 weights;
  TensorI32 bias;
  golden::ConvParams conv;
  golden::FcParams fcp;
};

}  // namespace

int run_demo(const DemoOptions& opts) {
  Lcg rng(opts.seed);
  const TensorI8 image = random_i8({1, 32, 32, 3}, rng, -128, 127);

  // conv 3x3 (3->16, SAME, ReLU-like clamp) -> conv 3x3 s2 (16->32) -> conv 1x1 (32->32) ->
  // conv 3x3 s2 (32->32) -> fully connected (8*8*32 -> 10). No pooling: this NPU build has no
  // vector unit, so down-sampling is done by strided convolutions.
  std::vector<Layer> layers;
  auto add_conv = [&](const char* name, int kh, int cin, int cout, int stride, std::int32_t act_min,
                      std::int32_t act_max) {
    Layer l;
    l.name = name;
    l.conv.stride_h = l.conv.stride_w = stride;
    l.conv.pad_mode = golden::PadMode::Same;
    l.conv.input_zero_point = -3;
    l.conv.quant = golden::output_quant_from_scales(0.05, channel_scales(cout, rng), 0.1, -5,
                                                    act_min, act_max);
    l.weights = random_i8({cout, kh, kh, cin}, rng, -127, 127);
    l.bias = random_bias(cout, rng);
    layers.push_back(std::move(l));
  };
  add_conv("conv1 3x3 3->16", 3, 3, 16, 1, -5, 127);
  add_conv("conv2 3x3/2 16->32", 3, 16, 32, 2, -5, 55);
  add_conv("conv3 1x1 32->32", 1, 32, 32, 1, -128, 127);
  add_conv("conv4 3x3/2 32->32", 3, 32, 32, 2, -5, 127);
  {
    Layer l;
    l.name = "fc 2048->10";
    l.fc = true;
    l.fcp.input_zero_point = -5;
    l.fcp.quant = golden::output_quant_from_scales(0.1, channel_scales(10, rng), 4.0, 0);
    l.weights = random_i8({10, 8 * 8 * 32}, rng, -127, 127);
    l.bias = random_bias(10, rng);
    layers.push_back(std::move(l));
  }

  Engine engine;
  try {
    engine = make_engine(opts.engine);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "npusim demo: %s\n", e.message.c_str());
    return 2;
  }
  fw::Npu npu(*engine.hal);
  if (const fw::Status st = npu.probe(); st != fw::Status::Ok) {
    std::fprintf(stderr, "npusim demo: probe failed: %s (%s)\n", fw::to_string(st),
                 npu.last_error().c_str());
    return 1;
  }
  const fw::HwInfo& hw = npu.info();
  std::printf("demo: %zu-layer int8 CNN on a 1x32x32x3 image (seed %u), engine: %s\n",
              layers.size(), opts.seed, engine.description.c_str());
  std::printf(
      "demo: NPU reports a %ux%u array, %u KiB scratchpad, %u KiB accumulators, %u "
      "parameter records\n",
      hw.rows, hw.cols, hw.spad_bytes / 1024, hw.acc_bytes / 1024, hw.param_entries);
  std::printf("%-20s %-12s %10s %10s %7s %9s  %s\n", "layer", "output", "MACs", "cycles", "util",
              "checksum", "vs golden");

  TensorI8 x = image;    // NPU activations
  TensorI8 ref = image;  // golden chain, computed independently
  std::uint64_t total_macs = 0, total_cycles = 0;
  bool all_match = true;
  const bool progress_on = show_progress(opts.engine);
  for (std::size_t li = 0; li < layers.size(); ++li) {
    const Layer& l = layers[li];
    TensorI8 y;
    fw::LayerStats stats;
    fw::Status st;
    {
      Progress progress(progress_on, "layer " + std::to_string(li + 1) + "/" +
                                         std::to_string(layers.size()) + " " + l.name);
      if (l.fc) {
        const TensorI8 flat({1, static_cast<std::int64_t>(x.data.size())}, x.data);
        st = fw::run_fully_connected(npu, flat, l.weights, &l.bias, l.fcp, &y, &stats,
                                     progress.fn());
      } else {
        st = fw::run_conv2d(npu, x, l.weights, &l.bias, l.conv, &y, &stats, progress.fn());
      }
    }
    if (st != fw::Status::Ok) {
      std::fprintf(stderr, "demo: %s failed: %s: %s\n", l.name.c_str(), fw::to_string(st),
                   npu.last_error().c_str());
      return 1;
    }
    // Golden: the same layer on the NPU's own input (per-layer check) and the independent chain.
    TensorI8 expect, chain;
    if (l.fc) {
      const TensorI8 flat({1, static_cast<std::int64_t>(x.data.size())}, x.data);
      expect = golden::fully_connected(flat, l.weights, &l.bias, l.fcp);
      const TensorI8 rflat({1, static_cast<std::int64_t>(ref.data.size())}, ref.data);
      chain = golden::fully_connected(rflat, l.weights, &l.bias, l.fcp);
    } else {
      expect = golden::conv2d(x, l.weights, &l.bias, l.conv);
      chain = golden::conv2d(ref, l.weights, &l.bias, l.conv);
    }
    const bool match = expect == y;
    all_match = all_match && match;
    total_macs += stats.macs;
    total_cycles += stats.cycles;
    std::printf("%-20s %-12s %10llu %10s %7s  %08x  %s\n", l.name.c_str(),
                golden::shape_to_string(y.shape).c_str(),
                static_cast<unsigned long long>(stats.macs), cycles_string(stats.cycles).c_str(),
                utilization_string(stats, hw).c_str(), checksum(y), match ? "ok" : "MISMATCH");
    if (!match) compare_and_report(expect, y, "demo");
    x = std::move(y);
    ref = std::move(chain);
  }
  std::printf("demo: logits:");
  for (auto v : x.data) std::printf(" %d", v);
  std::printf("\n");
  fw::LayerStats total;
  total.macs = total_macs;
  total.cycles = total_cycles;
  std::printf("demo: %llu MACs in total, %s cycles, MAC utilization %s\n",
              static_cast<unsigned long long>(total_macs), cycles_string(total_cycles).c_str(),
              utilization_string(total, hw).c_str());
  if (!all_match || x != ref) {
    std::printf("demo: FAILED: the NPU's output differs from the golden model\n");
    return 1;
  }
  std::printf("demo: final output agrees with the golden model bit for bit\n");
  std::printf("demo: done\n");
  return 0;
}

}  // namespace nuri::npusim

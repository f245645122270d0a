#include "demo.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "nuri/config.hpp"
#include "nuri/golden/ops.hpp"

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

struct Layer {
  std::string name;
  std::int64_t macs;
  std::function<TensorI8(const TensorI8&)> run;
};

std::vector<double> channel_scales(int n, Lcg& rng) {
  std::vector<double> s(static_cast<std::size_t>(n));
  for (auto& v : s) v = 0.002 + 0.004 * (rng.next() % 1000) / 1000.0;
  return s;
}

}  // namespace

int run_demo(const DemoOptions& opts) {
  Lcg rng(opts.seed);
  const TensorI8 image = random_i8({1, 32, 32, 3}, rng, -128, 127);

  // conv 3x3 (3->16, SAME, ReLU) -> conv 3x3 s2 (16->32, SAME, ReLU6-like clamp) ->
  // conv 1x1 (32->32) -> average pool 2x2 -> fully connected (8*8*32 -> 10).
  std::vector<Layer> layers;
  auto add_conv = [&](const char* name, int kh, int cin, int cout, int stride, int h_in,
                      std::int32_t act_min, std::int32_t act_max) {
    golden::ConvParams p;
    p.stride_h = p.stride_w = stride;
    p.pad_mode = golden::PadMode::Same;
    p.input_zero_point = -3;
    p.quant = golden::output_quant_from_scales(0.05, channel_scales(cout, rng), 0.1, -5, act_min,
                                               act_max);
    auto w = random_i8({cout, kh, kh, cin}, rng, -127, 127);
    auto b = random_bias(cout, rng);
    const int h_out = (h_in + stride - 1) / stride;
    const std::int64_t macs = std::int64_t{h_out} * h_out * cout * kh * kh * cin;
    layers.push_back({name, macs, [=](const TensorI8& x) { return golden::conv2d(x, w, &b, p); }});
  };
  add_conv("conv1 3x3 3->16", 3, 3, 16, 1, 32, -5, 127);
  add_conv("conv2 3x3/2 16->32", 3, 16, 32, 2, 32, -5, 55);
  add_conv("conv3 1x1 32->32", 1, 32, 32, 1, 16, -128, 127);
  {
    golden::PoolParams pp;
    layers.push_back(
        {"avgpool 2x2", 0, [=](const TensorI8& x) { return golden::average_pool(x, pp); }});
  }
  {
    golden::FcParams fp;
    fp.input_zero_point = -5;
    fp.quant = golden::output_quant_from_scales(0.1, channel_scales(10, rng), 0.2, 0);
    auto w = random_i8({10, 8 * 8 * 32}, rng, -127, 127);
    auto b = random_bias(10, rng);
    layers.push_back({"fc 2048->10", std::int64_t{8} * 8 * 32 * 10, [=](const TensorI8& x) {
                        TensorI8 flat({1, 8 * 8 * 32}, x.data);
                        return golden::fully_connected(flat, w, &b, fp);
                      }});
  }

  std::printf("demo: %zu-layer int8 CNN on a 1x32x32x3 image (seed %u), engine: golden model\n",
              layers.size(), opts.seed);
  std::printf("demo: NPU configuration %ux%u array, %u KiB scratchpad, %u KiB accumulators\n",
              cfg::kRows, cfg::kCols, cfg::kSpadBytes / 1024, cfg::kAccBytes / 1024);
  std::printf("%-22s %-14s %12s %10s\n", "layer", "output", "MACs", "checksum");
  TensorI8 x = image;
  std::int64_t total = 0;
  for (const auto& l : layers) {
    x = l.run(x);
    total += l.macs;
    std::printf("%-22s %-14s %12lld   %08x\n", l.name.c_str(),
                golden::shape_to_string(x.shape).c_str(), static_cast<long long>(l.macs),
                checksum(x));
  }
  std::printf("demo: logits:");
  for (auto v : x.data) std::printf(" %d", v);
  std::printf("\ndemo: %lld MACs in total\n", static_cast<long long>(total));
  std::printf(
      "demo: done (the RTL engine arrives with the NPU top; this run used the golden model)\n");
  return 0;
}

}  // namespace nuri::npusim

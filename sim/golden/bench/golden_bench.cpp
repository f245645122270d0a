// Golden-model throughput benchmark (not a test: nothing here is asserted).
//
//   nuri_golden_bench [repeats]
//
// Times a ResNet-style 3x3 convolution (1x56x56x64 -> 64 channels, SAME, per-channel quant) and
// a fully connected layer (batch 16, 2048 -> 1000) on one core with deterministic data, and prints
// MACs, best-of-N seconds and GMAC/s. Setup (padding, weight reordering) is included in the time,
// since every call pays it.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>

#include "nuri/golden/ops.hpp"

namespace {

using nuri::golden::TensorI32;
using nuri::golden::TensorI8;

TensorI8 random_i8(nuri::golden::Shape shape, std::mt19937& rng, int lo, int hi) {
  TensorI8 t(std::move(shape));
  std::uniform_int_distribution<int> d(lo, hi);
  for (auto& v : t.data) v = static_cast<std::int8_t>(d(rng));
  return t;
}

TensorI32 random_bias(std::int64_t n, std::mt19937& rng) {
  TensorI32 t({n});
  std::uniform_int_distribution<std::int32_t> d(-20000, 20000);
  for (auto& v : t.data) v = d(rng);
  return t;
}

std::uint64_t g_sink = 0;  // keeps results observable so the calls are not optimized away

double best_seconds(int repeats, const std::function<TensorI8()>& fn) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const TensorI8 out = fn();
    const auto t1 = std::chrono::steady_clock::now();
    for (auto v : out.data) g_sink += static_cast<std::uint8_t>(v);
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}

void report(const char* name, double macs, double seconds) {
  std::printf("%-44s MACs %12.0f  seconds %9.6f  MAC/s %14.0f  GMAC/s %7.3f\n", name, macs, seconds,
              macs / seconds, macs / seconds * 1e-9);
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  std::mt19937 rng(12345);

  {  // ResNet-style 3x3 conv: 1x56x56x64 -> 64, stride 1, SAME, per-channel quant.
    const TensorI8 input = random_i8({1, 56, 56, 64}, rng, -128, 127);
    const TensorI8 weights = random_i8({64, 3, 3, 64}, rng, -127, 127);
    const TensorI32 bias = random_bias(64, rng);
    nuri::golden::ConvParams p;
    p.pad_mode = nuri::golden::PadMode::Same;
    p.input_zero_point = -3;
    std::vector<double> ws(64);
    for (std::size_t c = 0; c < ws.size(); ++c) ws[c] = 0.002 + 0.0001 * static_cast<double>(c);
    p.quant = nuri::golden::output_quant_from_scales(0.05, ws, 0.5, 4);
    const double macs = 56.0 * 56.0 * 64.0 * 64.0 * 9.0;
    report("conv2d 3x3 1x56x56x64->64 SAME per-channel", macs,
           best_seconds(repeats, [&] { return nuri::golden::conv2d(input, weights, &bias, p); }));
  }
  {  // Fully connected: batch 16, 2048 -> 1000.
    const TensorI8 input = random_i8({16, 2048}, rng, -128, 127);
    const TensorI8 weights = random_i8({1000, 2048}, rng, -127, 127);
    const TensorI32 bias = random_bias(1000, rng);
    nuri::golden::FcParams p;
    p.input_zero_point = 5;
    p.quant = nuri::golden::output_quant_from_scales(0.05, {0.003}, 0.25, -7);
    const double macs = 16.0 * 2048.0 * 1000.0;
    report("fully_connected 16x2048->1000 per-tensor", macs, best_seconds(repeats, [&] {
             return nuri::golden::fully_connected(input, weights, &bias, p);
           }));
  }
  std::printf("(checksum %llu)\n", static_cast<unsigned long long>(g_sink));
  return 0;
}

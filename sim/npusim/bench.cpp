// npusim bench: ResNet-style conv layers through the firmware on an engine, with cycles, MACs
// and MAC utilization per layer (docs/performance.md records the results). Every output is also
// checked against the golden model, so a fast wrong answer cannot pass as a result.
#include "bench.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include "nuri/fw/driver.hpp"
#include "nuri/fw/layers.hpp"
#include "nuri/golden/ops.hpp"
#include "report.hpp"

namespace nuri::npusim {
namespace {

struct BenchLayer {
  const char* name;
  int hw, cin, cout, k, stride;
};

// Shapes of ResNet-18/34 basic blocks (stages 2-5) at reduced spatial size so an RTL run takes
// seconds to minutes; the channel counts and kernels are ResNet's. "--size full" uses the real
// spatial sizes (long on the RTL).
std::vector<BenchLayer> layers(bool full) {
  if (full) {
    return {{"res2 3x3 64->64", 56, 64, 64, 3, 1},     {"res3 3x3/2 64->128", 56, 64, 128, 3, 2},
            {"res3 3x3 128->128", 28, 128, 128, 3, 1}, {"res4 3x3 256->256", 14, 256, 256, 3, 1},
            {"res5 3x3 512->512", 7, 512, 512, 3, 1},  {"res5 1x1 256->512", 14, 256, 512, 1, 2}};
  }
  return {{"res2 3x3 64->64", 16, 64, 64, 3, 1},       {"res3 3x3/2 64->128", 16, 64, 128, 3, 2},
          {"res3 3x3 128->128", 8, 128, 128, 3, 1},    {"res4 3x3 256->256", 6, 256, 256, 3, 1},
          {"res4 1x1/2 128->256", 12, 128, 256, 1, 2}, {"res5 3x3 512->512", 4, 512, 512, 3, 1}};
}

std::uint32_t lcg(std::uint64_t& s) {
  s = s * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<std::uint32_t>(s >> 33);
}

}  // namespace

int run_bench(const BenchOptions& opts) {
  Engine engine;
  try {
    engine = make_engine(opts.engine);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "npusim bench: %s\n", e.message.c_str());
    return 2;
  }
  fw::Npu npu(*engine.hal);
  if (const fw::Status st = npu.probe(); st != fw::Status::Ok) {
    std::fprintf(stderr, "npusim bench: probe failed: %s (%s)\n", fw::to_string(st),
                 npu.last_error().c_str());
    return 1;
  }
  const fw::HwInfo& hw = npu.info();
  std::printf("bench: ResNet-style layers (%s sizes), engine: %s\n", opts.full ? "full" : "reduced",
              engine.description.c_str());
  std::printf("%-22s %-14s %12s %12s %7s  %s\n", "layer", "output", "MACs", "cycles", "util",
              "vs golden");
  std::uint64_t seed = 12345;
  bool ok = true;
  for (const BenchLayer& b : layers(opts.full)) {
    golden::TensorI8 x({1, b.hw, b.hw, b.cin});
    for (auto& v : x.data) v = static_cast<std::int8_t>(static_cast<int>(lcg(seed) % 256) - 128);
    golden::TensorI8 w({b.cout, b.k, b.k, b.cin});
    for (auto& v : w.data) v = static_cast<std::int8_t>(static_cast<int>(lcg(seed) % 255) - 127);
    golden::TensorI32 bias({b.cout});
    for (auto& v : bias.data) v = static_cast<std::int32_t>(lcg(seed) % 4001) - 2000;
    golden::ConvParams p;
    p.stride_h = p.stride_w = b.stride;
    p.pad_mode = golden::PadMode::Same;
    p.input_zero_point = -1;
    std::vector<double> ws(static_cast<std::size_t>(b.cout));
    for (auto& v : ws) v = 0.001 + 0.002 * (lcg(seed) % 1000) / 1000.0;
    p.quant = golden::output_quant_from_scales(0.02, ws, 0.5, -3, -3, 127);
    golden::TensorI8 y;
    fw::LayerStats stats;
    fw::Status st;
    {
      Progress progress(show_progress(opts.engine), std::string("bench ") + b.name);
      st = fw::run_conv2d(npu, x, w, &bias, p, &y, &stats, progress.fn());
    }
    if (st != fw::Status::Ok) {
      std::fprintf(stderr, "bench: %s failed: %s: %s\n", b.name, fw::to_string(st),
                   npu.last_error().c_str());
      return 1;
    }
    const bool match = golden::conv2d(x, w, &bias, p) == y;
    ok = ok && match;
    std::printf("%-22s %-14s %12llu %12s %7s  %s\n", b.name,
                golden::shape_to_string(y.shape).c_str(),
                static_cast<unsigned long long>(stats.macs), cycles_string(stats.cycles).c_str(),
                utilization_string(stats, hw).c_str(), match ? "ok" : "MISMATCH");
    std::fflush(stdout);
  }
  std::printf(ok ? "bench: done\n" : "bench: FAILED: an output differs from the golden model\n");
  return ok ? 0 : 1;
}

}  // namespace nuri::npusim

#include "run_layer.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine.hpp"
#include "nuri/fw/driver.hpp"
#include "nuri/fw/layers.hpp"
#include "nuri/golden/ops.hpp"
#include "report.hpp"
#include "spec.hpp"

namespace nuri::npusim {

namespace g = nuri::golden;

namespace {
void usage(std::FILE* f) {
  std::fprintf(
      f,
      "usage: npusim run-layer SPEC.json --out OUT.npy [--engine rtl|golden]\n"
      "                        [--config 4x4|8x8|16x16] [--waves FILE.fst] [--progress]\n");
}
}  // namespace

int run_layer_command(int argc, char** argv) {
  std::string spec_path, out_path;
  EngineOptions eo;
  try {
    for (int i = 2; i < argc; ++i) {
      const std::string a = argv[i];
      if (parse_engine_option(argc, argv, i, eo)) continue;
      if (a == "--out") {
        if (i + 1 >= argc) throw UsageError{"--out needs a file name"};
        out_path = argv[++i];
      } else if (a == "--help" || a == "-h") {
        usage(stdout);
        return 0;
      } else if (!a.empty() && a[0] == '-') {
        throw UsageError{"unknown option '" + a + "'"};
      } else if (spec_path.empty()) {
        spec_path = a;
      } else {
        throw UsageError{"more than one spec file ('" + spec_path + "', '" + a + "')"};
      }
    }
    if (spec_path.empty()) throw UsageError{"missing SPEC.json"};
    if (out_path.empty()) throw UsageError{"missing --out OUT.npy"};
  } catch (const UsageError& e) {
    std::fprintf(stderr, "npusim run-layer: %s\n", e.message.c_str());
    usage(stderr);
    return 2;
  }

  LayerSpec spec;
  try {
    spec = load_spec(spec_path);
  } catch (const SpecError& e) {
    std::fprintf(stderr, "npusim: %s: %s\n", spec_path.c_str(), e.message.c_str());
    return 2;
  }
  Engine engine;
  try {
    engine = make_engine(eo);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "npusim run-layer: %s\n", e.message.c_str());
    return 2;
  }

  fw::Npu npu(*engine.hal);
  if (const fw::Status st = npu.probe(); st != fw::Status::Ok) {
    std::fprintf(stderr, "npusim: probe failed: %s (%s)\n", fw::to_string(st),
                 npu.last_error().c_str());
    return 1;
  }
  const fw::HwInfo& hw = npu.info();
  const char* op = spec.fc ? "fully_connected" : "conv2d";
  std::printf("npusim: %s input %s weights %s on %s\n", op,
              g::shape_to_string(spec.input.shape).c_str(),
              g::shape_to_string(spec.weights.shape).c_str(), engine.description.c_str());

  const g::TensorI32* bias = spec.has_bias ? &spec.bias : nullptr;
  g::TensorI8 out;
  fw::LayerStats stats;
  fw::Status st;
  npu.clear_perf();
  {
    Progress progress(show_progress(eo), std::string("npusim: ") + op);
    st = spec.fc ? fw::run_fully_connected(npu, spec.input, spec.weights, bias, spec.fcp, &out,
                                           &stats, progress.fn())
                 : fw::run_conv2d(npu, spec.input, spec.weights, bias, spec.conv, &out, &stats,
                                  progress.fn());
  }
  if (st != fw::Status::Ok) {
    std::fprintf(stderr, "npusim: %s failed: %s: %s\n", op, fw::to_string(st),
                 npu.last_error().c_str());
    return st == fw::Status::InvalidLayer ? 2 : 1;
  }
  // Test hook: NPUSIM_CORRUPT_OUTPUT=<i> flips bit 0 of output element i (exercises the
  // mismatch report; docs/npusim.md).
  if (const char* c = std::getenv("NPUSIM_CORRUPT_OUTPUT")) {
    const unsigned long long i = std::strtoull(c, nullptr, 10);
    if (i < out.data.size()) out.data[i] = static_cast<std::int8_t>(out.data[i] ^ 1);
  }
  const fw::TilePlan& p = stats.plan;
  std::printf(
      "npusim: tiling: %ux%u-pixel M blocks x%u, %u n-tiles of %u channels, %u k-tiles, %u taps; "
      "%u program(s), %llu commands\n",
      p.block_h, p.block_w, p.m_blocks, p.n_tiles, p.n_width, p.k_tiles, p.taps, stats.programs,
      static_cast<unsigned long long>(stats.commands));
  std::printf("npusim: output %s -> %s\n", g::shape_to_string(out.shape).c_str(), out_path.c_str());
  try {
    g::save_npy(out_path, out);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "npusim: --out: %s\n", e.what());
    return 2;
  }
  std::printf("npusim: cycles %s, MACs %llu, MAC utilization %s (%ux%u array)\n",
              cycles_string(stats.cycles).c_str(), static_cast<unsigned long long>(stats.macs),
              utilization_string(stats, hw).c_str(), hw.rows, hw.cols);
  if (stats.cycles != 0) {
    const fw::PerfCounters pc = npu.read_perf();
    std::printf("npusim: perf:");
    for (unsigned i = 0; i < fw::PerfCounters::kCount; ++i) {
      std::printf(" %s %llu", fw::PerfCounters::name(i), static_cast<unsigned long long>(pc[i]));
    }
    std::printf("\n");
  }
  const g::TensorI8 ref = spec.fc ? g::fully_connected(spec.input, spec.weights, bias, spec.fcp)
                                  : g::conv2d(spec.input, spec.weights, bias, spec.conv);
  if (compare_and_report(ref, out, "npusim") != 0) return 1;
  std::printf("npusim: output matches the golden model (%zu elements)\n", out.data.size());
  return 0;
}

}  // namespace nuri::npusim

// npusim: command-line front end of the Nuri simulator.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "bench.hpp"
#include "demo.hpp"
#include "engine.hpp"
#include "run_layer.hpp"

namespace {

void usage(std::FILE* f) {
  std::fprintf(
      f,
      "usage: npusim <command> [options]\n"
      "commands:\n"
      "  run-layer SPEC.json --out OUT.npy [--engine rtl|golden] [--config 4x4|8x8|16x16]\n"
      "            [--waves FILE.fst] [--progress]\n"
      "                    run one conv2d / fully connected layer (docs/npusim.md), compare it\n"
      "                    with the golden model; exit 0 match, 1 mismatch, 2 bad spec or usage\n"
      "  demo [--seed N] [--engine rtl|golden] [--config ...] [--waves FILE.fst] [--progress]\n"
      "                    run the built-in int8 CNN through the firmware, layer by layer\n"
      "  bench [--size reduced|full] [--engine rtl|golden] [--config ...] [--progress]\n"
      "                    cycles, MACs and MAC utilization of ResNet-style conv layers\n"
      "  help              this text\n"
      "default engine: %s\n",
      nuri::npusim::default_engine().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const std::string cmd = argv[1];
  try {
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
      usage(stdout);
      return 0;
    }
    if (cmd == "run-layer") return nuri::npusim::run_layer_command(argc, argv);
    if (cmd == "bench") {
      nuri::npusim::BenchOptions opts;
      try {
        for (int i = 2; i < argc; ++i) {
          const std::string a = argv[i];
          if (nuri::npusim::parse_engine_option(argc, argv, i, opts.engine)) continue;
          if (a == "--size" && i + 1 < argc) {
            const std::string v = argv[++i];
            if (v != "reduced" && v != "full") {
              throw nuri::npusim::UsageError{"--size: expected reduced or full, got '" + v + "'"};
            }
            opts.full = v == "full";
          } else {
            throw nuri::npusim::UsageError{"unknown option '" + a + "'"};
          }
        }
      } catch (const nuri::npusim::UsageError& e) {
        std::fprintf(stderr, "npusim bench: %s\n", e.message.c_str());
        return 2;
      }
      return nuri::npusim::run_bench(opts);
    }
    if (cmd == "demo") {
      nuri::npusim::DemoOptions opts;
      try {
        for (int i = 2; i < argc; ++i) {
          const std::string a = argv[i];
          if (nuri::npusim::parse_engine_option(argc, argv, i, opts.engine)) continue;
          if (a == "--seed" && i + 1 < argc) {
            char* end = nullptr;
            const unsigned long v = std::strtoul(argv[++i], &end, 10);
            if (end == nullptr || *end != '\0') {
              throw nuri::npusim::UsageError{std::string("--seed needs a number, got '") + argv[i] +
                                             "'"};
            }
            opts.seed = static_cast<unsigned>(v);
          } else if (a == "--help" || a == "-h") {
            usage(stdout);
            return 0;
          } else {
            throw nuri::npusim::UsageError{"unknown option '" + a + "'"};
          }
        }
      } catch (const nuri::npusim::UsageError& e) {
        std::fprintf(stderr, "npusim demo: %s\n", e.message.c_str());
        return 2;
      }
      return nuri::npusim::run_demo(opts);
    }
    std::fprintf(stderr, "npusim: unknown command '%s'\n", cmd.c_str());
    usage(stderr);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "npusim: error: %s\n", e.what());
    return 1;
  }
}

// npusim: command-line front end of the Nuri simulator.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "demo.hpp"

namespace {

void usage(std::FILE* f) {
  std::fprintf(f,
               "usage: npusim <command> [options]\n"
               "commands:\n"
               "  demo [--seed N]   run the built-in int8 CNN and print per-layer results\n"
               "  help              this text\n");
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
    if (cmd == "demo") {
      nuri::npusim::DemoOptions opts;
      for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--seed" && i + 1 < argc) {
          char* end = nullptr;
          const unsigned long v = std::strtoul(argv[++i], &end, 10);
          if (end == nullptr || *end != '\0') {
            std::fprintf(stderr, "npusim demo: --seed needs a number, got '%s'\n", argv[i]);
            return 2;
          }
          opts.seed = static_cast<unsigned>(v);
        } else if (a == "--help" || a == "-h") {
          usage(stdout);
          return 0;
        } else {
          std::fprintf(stderr, "npusim demo: unknown option '%s'\n", a.c_str());
          return 2;
        }
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

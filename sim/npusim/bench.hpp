// npusim bench: cycles and MAC utilization of ResNet-style layers (docs/performance.md).
#pragma once

#include "engine.hpp"

namespace nuri::npusim {

struct BenchOptions {
  bool full = false;  // ResNet's real spatial sizes (long on the RTL)
  EngineOptions engine;
};

int run_bench(const BenchOptions& opts);

}  // namespace nuri::npusim

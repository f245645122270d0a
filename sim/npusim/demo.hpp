// npusim demo: a small int8 CNN with deterministic weights, run layer by layer through the
// firmware on the chosen engine and checked against the golden model.
#pragma once

#include "engine.hpp"

namespace nuri::npusim {

struct DemoOptions {
  unsigned seed = 1;
  EngineOptions engine;
};

// Returns the process exit code (0 success, 1 mismatch / run failure, 2 usage).
int run_demo(const DemoOptions& opts);

}  // namespace nuri::npusim

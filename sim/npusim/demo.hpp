// npusim demo: a small int8 CNN with deterministic weights, run layer by layer.
#pragma once

namespace nuri::npusim {

struct DemoOptions {
  unsigned seed = 1;
  bool quiet = false;
};

// Returns the process exit code.
int run_demo(const DemoOptions& opts);

}  // namespace nuri::npusim

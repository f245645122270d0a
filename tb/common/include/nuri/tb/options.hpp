// Test-bench wide options, set by the shared Catch2 main (tb/common/catch_main.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace nuri::tb {

struct Options {
  bool waves = false;  // --waves or NURI_WAVES=1: record FST waveforms
};

const Options& options();

// The run's seed (Catch's --rng-seed, default 1). Random generators in tests derive from it.
std::uint32_t seed();

// Name of the Catch2 test case being run (used to name waveform files).
std::string current_test_name();

}  // namespace nuri::tb

// npusim engines: the HAL backend a run uses (--engine rtl|golden, --config RxC, --waves FILE).
#pragma once

#include <memory>
#include <string>

#include "nuri/fw/hal.hpp"

namespace nuri::npusim {

struct EngineOptions {
  std::string engine;      // "rtl", "golden" or empty (default engine)
  unsigned array = 0;      // 4, 8, 16; 0: the default configuration (nuri/config.hpp)
  std::string waves_path;  // rtl only
  bool progress = false;   // --progress: progress lines even when stderr is not a terminal
};

// Thrown for a bad command line (exit code 2).
struct UsageError {
  std::string message;
};

// True when this binary was built with the Verilated RTL (nuri_rtl_hal).
bool have_rtl();
// The engine used when none is given: rtl if built with it, else golden.
std::string default_engine();

struct Engine {
  std::string name;         // "rtl" or "golden"
  std::string description;  // one line: engine and configuration
  std::unique_ptr<fw::Hal> hal;
};

// Builds the engine; throws UsageError for an unknown / unavailable engine or configuration.
Engine make_engine(const EngineOptions& opt);

// Parses "4x4" / "8x8" / "16x16" (throws UsageError).
unsigned parse_config(const std::string& s);

// Parses the engine options shared by run-layer and demo; returns true if argv[i] was consumed
// (advancing i past a value).
bool parse_engine_option(int argc, char** argv, int& i, EngineOptions& opt);

// Progress lines on stderr: when stderr is a terminal or --progress was given.
bool show_progress(const EngineOptions& opt);

}  // namespace nuri::npusim

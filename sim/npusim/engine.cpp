#include "engine.hpp"

#include <unistd.h>

#include <cstdio>

#include "nuri/config.hpp"
#include "nuri/fw/golden_device.hpp"
#include "nuri/isa/isa_sim.hpp"

#if NURI_HAVE_RTL
#include "nuri/rtl/rtl_hal.hpp"
#endif

namespace nuri::npusim {

namespace {
constexpr std::uint64_t kDramBase = 0x8000'0000ull;
constexpr std::uint64_t kDramBytes = 64ull << 20;

// Memory sizes of the 4x4 / 8x8 builds (sim/rtl/CMakeLists.txt); 16x16 is the default config.
isa::IsaConfig golden_config(unsigned array) {
  switch (array) {
    case 4:
      return isa::IsaConfig::make(4, 4, 32768, 8192);
    case 8:
      return isa::IsaConfig::make(8, 8, 65536, 16384);
    default:
      return isa::IsaConfig::from_generated();
  }
}
}  // namespace

bool have_rtl() { return NURI_HAVE_RTL != 0; }

std::string default_engine() { return have_rtl() ? "rtl" : "golden"; }

unsigned parse_config(const std::string& s) {
  if (s == "4x4") return 4;
  if (s == "8x8") return 8;
  if (s == "16x16") return 16;
  throw UsageError{"--config: expected 4x4, 8x8 or 16x16, got '" + s + "'"};
}

bool parse_engine_option(int argc, char** argv, int& i, EngineOptions& opt) {
  const std::string a = argv[i];
  auto value = [&]() -> std::string {
    if (i + 1 >= argc) throw UsageError{a + " needs a value"};
    return argv[++i];
  };
  if (a == "--engine") {
    opt.engine = value();
    if (opt.engine != "rtl" && opt.engine != "golden") {
      throw UsageError{"--engine: expected rtl or golden, got '" + opt.engine + "'"};
    }
  } else if (a == "--config") {
    opt.array = parse_config(value());
  } else if (a == "--waves") {
    opt.waves_path = value();
  } else if (a == "--progress") {
    opt.progress = true;
  } else {
    return false;
  }
  return true;
}

bool show_progress(const EngineOptions& opt) { return opt.progress || isatty(STDERR_FILENO) != 0; }

Engine make_engine(const EngineOptions& opt) {
  Engine e;
  e.name = opt.engine.empty() ? default_engine() : opt.engine;
  const unsigned array = opt.array ? opt.array : nuri::cfg::kRows;
  if (opt.engine.empty() && !have_rtl()) {
    std::fprintf(stderr,
                 "npusim: note: built without the RTL model (nuri_rtl_hal); using the golden "
                 "engine\n");
  }
  if (e.name == "golden") {
    if (!opt.waves_path.empty()) throw UsageError{"--waves needs --engine rtl"};
    const isa::IsaConfig cfg = golden_config(array);
    e.hal = std::make_unique<fw::GoldenDevice>(cfg, kDramBase, kDramBytes);
    e.description = "golden device model (ISA simulator, no cycle timing), " +
                    std::to_string(cfg.geometry.rows) + "x" + std::to_string(cfg.geometry.cols) +
                    " array";
    return e;
  }
#if NURI_HAVE_RTL
  rtl::RtlOptions ro;
  ro.dram_base = kDramBase;
  ro.dram_bytes = kDramBytes;
  ro.array = array;
  ro.waves_path = opt.waves_path;
  bool built = false;
  for (unsigned a : rtl::available_arrays()) built = built || a == array;
  if (!built) {
    throw UsageError{"--config: the RTL of a " + std::to_string(array) + "x" +
                     std::to_string(array) + " array is not built into this binary"};
  }
  e.hal = rtl::make_rtl_hal(ro);
  e.description =
      "Verilated RTL (npu_top), " + std::to_string(array) + "x" + std::to_string(array) + " array";
  if (!opt.waves_path.empty()) e.description += ", waves " + opt.waves_path;
  return e;
#else
  throw UsageError{
      "engine 'rtl' is not available: this npusim was built without the RTL model "
      "(nuri_rtl_hal); use --engine golden"};
#endif
}

}  // namespace nuri::npusim

// The firmware test bodies on the Verilated NPU (nuri_rtl_hal): random conv2d / fully connected
// layers through the driver, bit for bit against the golden model, on every array size this
// binary was built with. Built only when nuri_rtl_hal exists. --waves records one FST per case.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "nuri/fw_tb/layer_tests.hpp"
#include "nuri/rtl/rtl_hal.hpp"
#include "nuri/tb/options.hpp"

using namespace nuri::fw;

namespace {

// The DRAM the NPU sees: latency to the first beat, random stalls on every AXI channel, a read
// bandwidth limit (0: one 16-byte beat per cycle).
struct MemProfile {
  unsigned latency;
  double stall_prob;
  double read_bytes_per_cycle;
};
// The smoke and full sets' memory; the nightly set cycles through all four.
constexpr MemProfile kStallingMemory{40, 0.2, 0.0};
constexpr MemProfile kNightlyMemory[] = {
    {1, 0.0, 0.0},     // ideal: the NPU's own limits only
    {40, 0.2, 0.0},    // latency and stalls
    {150, 0.05, 4.0},  // far, narrow DRAM (a quarter of a beat per cycle)
    {20, 0.5, 16.0},   // every other cycle stalled on every channel
};

std::unique_ptr<nuri::rtl::RtlHal> make_hal(unsigned array, const std::string& tag,
                                            const MemProfile& mem = kStallingMemory) {
  nuri::rtl::RtlOptions o;
  o.array = array;
  o.dram_bytes = 16 << 20;
  o.seed = nuri::tb::seed();
  o.mem_latency = mem.latency;
  o.stall_prob = mem.stall_prob;
  o.read_bytes_per_cycle = mem.read_bytes_per_cycle;
  if (nuri::tb::options().waves) o.waves_path = nuri::tb::current_test_name() + tag + ".fst";
  return nuri::rtl::make_rtl_hal(o);
}

// Runs f, turning an exception (an RTL assertion, an AXI protocol error) into a failed check so
// the other array sizes still run. Returns false after an exception.
template <typename F>
bool guarded(unsigned array, F&& f) {
  try {
    f();
    return true;
  } catch (const std::exception& e) {
    FAIL_CHECK("array " << array << ": " << e.what());
    return false;
  }
}

// Runs `count` random layers (seeds seed..seed+count-1) on one model. Runs of 100 layers or more
// print a progress line every 100 layers and a rate at the end.
void check_random_on_rtl(unsigned array, std::uint32_t seed, int count, const tb::LayerGen& gen,
                         const MemProfile& mem = kStallingMemory) {
  if (!nuri::rtl::has_array(array)) {
    WARN(array << "x" << array << " is not built into this binary (NURI_RTL_ARRAYS): skipped");
    return;
  }
  auto hal = make_hal(array, "_" + std::to_string(array), mem);
  tb::RandomLayersReport r;
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  // One layer at a time so an exception names its seed; the model is not reused after one.
  for (int i = 0; i < count; ++i) {
    const std::uint32_t s = seed + static_cast<std::uint32_t>(i);
    const bool alive = guarded(array, [&] {
      const tb::RandomLayersReport one = tb::run_random_layers(*hal, s, 1, gen);
      r.run += one.run;
      r.passed += one.passed;
      r.macs += one.macs;
      r.cycles += one.cycles;
      r.failures.insert(r.failures.end(), one.failures.begin(), one.failures.end());
    });
    if (!alive) {
      FAIL_CHECK("array " << array << " seed " << s << ": " << tb::random_layer(s, gen).describe());
      break;
    }
    if (count >= 100 && (i + 1) % 100 == 0)
      std::cout << "array " << array << "x" << array << ": " << i + 1 << "/" << count << " layers, "
                << r.run - r.passed << " failed, " << static_cast<int>(elapsed()) << " s"
                << std::endl;
  }
  if (count >= 100)
    std::cout << "array " << array << "x" << array << ": " << r.run << " layers, " << r.macs
              << " MACs, " << r.cycles << " NPU cycles in " << elapsed() << " s" << std::endl;
  std::ostringstream os;
  for (const auto& f : r.failures) os << f << "\n";
  INFO("array " << array << " seeds " << seed << ".." << seed + count - 1 << "\n" << os.str());
  CHECK(r.ok());
}

}  // namespace

TEST_CASE("firmware runs a few random layers on the RTL bit for bit", "[rtl][smoke]") {
  tb::LayerGen gen;
  gen.max_hw = 6;
  gen.max_channels = 12;
  gen.max_kernel = 5;
  check_random_on_rtl(4, nuri::tb::seed() * 1000 + 400, 4, gen);
  check_random_on_rtl(16, nuri::tb::seed() * 1000 + 1600, 2, gen);
}

TEST_CASE("firmware runs random layers on the RTL bit for bit", "[rtl][full]") {
  tb::LayerGen gen;
  gen.max_hw = 8;
  gen.max_channels = 20;
  for (unsigned a : nuri::rtl::available_arrays()) {
    check_random_on_rtl(a, nuri::tb::seed() * 1000 + a * 100, 25, gen);
  }
}

TEST_CASE("firmware runs a multi-program tiled layer on the RTL", "[rtl][full]") {
  // A ring of 32 slots forces many programs; partial sums cross program boundaries.
  for (unsigned a : nuri::rtl::available_arrays())
    guarded(a, [&] {
      auto hal = make_hal(a, "_" + std::to_string(a));
      NpuOptions opt;
      opt.ring_slots = 32;
      Npu npu(*hal, opt);
      REQUIRE(npu.probe() == Status::Ok);
      CHECK(npu.info().rows == a);
      tb::LayerGen gen;
      gen.fc_percent = 0;
      gen.max_hw = 10;
      gen.max_channels = 2 * static_cast<int>(a) + 3;
      const tb::RandomLayersReport r =
          tb::run_random_layers(npu, nuri::tb::seed() * 1000 + 7, 4, gen);
      std::ostringstream os;
      for (const auto& f : r.failures) os << f << "\n";
      INFO("array " << a << "\n" << os.str());
      CHECK(r.ok());
    });
}

// The nightly set: 3 array sizes x 4 memory profiles x 850 layers = 10,200 random layers, one
// CTest job per size and profile so scripts/regress spreads them over cores and shards.
// NURI_NIGHTLY_LAYERS overrides the count per job (docs/verification.md records the run time).
namespace {

int nightly_layers() {
  const char* e = std::getenv("NURI_NIGHTLY_LAYERS");
  if (e == nullptr || *e == '\0') return 850;
  char* end = nullptr;
  const long n = std::strtol(e, &end, 10);
  if (*end != '\0' || n < 1 || n > 1'000'000)
    FAIL("NURI_NIGHTLY_LAYERS='" << e << "': expected a layer count from 1 to 1000000");
  return static_cast<int>(n);
}

void nightly(unsigned array, unsigned profile) {
  // The generator's range (up to 9x9 inputs, 7x7 kernels) with Cin and Cout up to
  // max(20, 2 x array + 4): at least three ragged tiles of the array can occur on every size.
  tb::LayerGen gen;
  gen.max_channels = std::max(20, 2 * static_cast<int>(array) + 4);
  const std::uint32_t seed = nuri::tb::seed() * 1'000'000u + array * 10'000u + profile * 1'000u;
  check_random_on_rtl(array, seed, nightly_layers(), gen, kNightlyMemory[profile]);
}

}  // namespace

#define NURI_NIGHTLY_CASE(A, P)                                                          \
  TEST_CASE("nightly: random layers on the RTL (" #A "x" #A ") with memory profile " #P, \
            "[rtl][nightly]") {                                                          \
    nightly(A, P);                                                                       \
  }
NURI_NIGHTLY_CASE(4, 0)
NURI_NIGHTLY_CASE(4, 1)
NURI_NIGHTLY_CASE(4, 2)
NURI_NIGHTLY_CASE(4, 3)
NURI_NIGHTLY_CASE(8, 0)
NURI_NIGHTLY_CASE(8, 1)
NURI_NIGHTLY_CASE(8, 2)
NURI_NIGHTLY_CASE(8, 3)
NURI_NIGHTLY_CASE(16, 0)
NURI_NIGHTLY_CASE(16, 1)
NURI_NIGHTLY_CASE(16, 2)
NURI_NIGHTLY_CASE(16, 3)

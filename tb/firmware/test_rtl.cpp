// The firmware test bodies on the Verilated NPU (nuri_rtl_hal): random conv2d / fully connected
// layers through the driver, bit for bit against the golden model, on every array size this
// binary was built with. Built only when nuri_rtl_hal exists. --waves records one FST per case.
#include <catch2/catch.hpp>

#include <sstream>

#include "nuri/fw_tb/layer_tests.hpp"
#include "nuri/rtl/rtl_hal.hpp"
#include "nuri/tb/options.hpp"

using namespace nuri::fw;

namespace {

std::unique_ptr<nuri::rtl::RtlHal> make_hal(unsigned array, const std::string& tag) {
  nuri::rtl::RtlOptions o;
  o.array = array;
  o.dram_bytes = 16 << 20;
  o.seed = nuri::tb::seed();
  // DRAM with latency and random stalls on every AXI channel (the full set's memory)
  o.mem_latency = 40;
  o.stall_prob = 0.2;
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

void check_random_on_rtl(unsigned array, std::uint32_t seed, int count, const tb::LayerGen& gen) {
  auto hal = make_hal(array, "_" + std::to_string(array));
  tb::RandomLayersReport r;
  // One layer at a time so an exception names its seed; the model is not reused after one.
  for (int i = 0; i < count; ++i) {
    const std::uint32_t s = seed + static_cast<std::uint32_t>(i);
    const bool alive = guarded(array, [&] {
      const tb::RandomLayersReport one = tb::run_random_layers(*hal, s, 1, gen);
      r.run += one.run;
      r.passed += one.passed;
      r.failures.insert(r.failures.end(), one.failures.begin(), one.failures.end());
    });
    if (!alive) {
      FAIL_CHECK("array " << array << " seed " << s << ": " << tb::random_layer(s, gen).describe());
      break;
    }
  }
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

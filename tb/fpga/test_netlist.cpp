// Post-synthesis simulation of the whole NPU (docs/fpga.md): a Yosys netlist of npu_top (generic
// gates in tb_fpga_netlist, ECP5 cells in tb_fpga_netlist_ecp5) at the configuration it was
// synthesized with (NURI_NETLIST_*), Verilated, runs real conv2d and fully connected layers
// through the firmware driver (on the same HAL as the RTL builds: AXI4 memory model with latency
// and back-pressure, AXI4-Lite CSR master, interrupt line), and every output byte is compared
// with the golden model. A last case corrupts one output byte in DRAM and checks
// that the comparison reports it, so a comparison that always passes cannot go unnoticed.
// The *_rtl twins run the same cases on the RTL at the same configuration.
#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>
#include <random>
#include <sstream>

#include "netlist_hal.hpp"
#include "nuri/fw/driver.hpp"
#include "nuri/fw/golden_device.hpp"
#include "nuri/fw/layers.hpp"
#include "nuri/fw_tb/layer_tests.hpp"
#include "nuri/tb/options.hpp"

using namespace nuri::fw;
namespace g = nuri::golden;

namespace {

std::unique_ptr<nuri::rtl::RtlHal> make_hal() {
  nuri::rtl::RtlOptions o;
  o.array = 0;  // the netlist's own size
  o.dram_bytes = 1 << 20;
  o.seed = nuri::tb::seed();
  // DRAM with latency and random stalls on every AXI channel.
  o.mem_latency = 12;
  o.stall_prob = 0.1;
  // The netlist has no waves (make_netlist_hal says so); the *_rtl twin records them.
  if (nuri::tb::options().waves) o.waves_path = nuri::tb::current_test_name() + ".fst";
  return nuri::fpga::make_netlist_hal(o);
}

// Forwards to another HAL; when armed, flips bit 0 of byte `index` of the next read_mem in DRAM
// (the driver reads DRAM once per layer: the output, after the programs finish) before reading.
class CorruptingHal final : public Hal {
 public:
  explicit CorruptingHal(Hal& inner) : inner_(inner) {}
  void arm(std::size_t index) {
    armed_ = true;
    index_ = index;
  }
  unsigned corruptions() const { return corruptions_; }

  std::uint32_t read_reg(std::uint32_t offset) override { return inner_.read_reg(offset); }
  void write_reg(std::uint32_t offset, std::uint32_t value) override {
    inner_.write_reg(offset, value);
  }
  void write_mem(std::uint64_t addr, const void* data, std::size_t bytes) override {
    inner_.write_mem(addr, data, bytes);
  }
  void read_mem(std::uint64_t addr, void* data, std::size_t bytes) override {
    if (armed_ && index_ < bytes) {
      std::uint8_t b = 0;
      inner_.read_mem(addr + index_, &b, 1);
      b ^= 1u;
      inner_.write_mem(addr + index_, &b, 1);
      armed_ = false;
      ++corruptions_;
    }
    inner_.read_mem(addr, data, bytes);
  }
  bool wait_irq(std::uint64_t max_cycles) override { return inner_.wait_irq(max_cycles); }
  std::uint64_t cycles() const override { return inner_.cycles(); }
  std::uint64_t dram_base() const override { return inner_.dram_base(); }
  std::uint64_t dram_bytes() const override { return inner_.dram_bytes(); }

 private:
  Hal& inner_;
  bool armed_ = false;
  std::size_t index_ = 0;
  unsigned corruptions_ = 0;
};

void fill(std::mt19937& rng, tb::TestLayer& L) {
  std::uniform_int_distribution<int> i8(-128, 127);
  std::uniform_int_distribution<std::int32_t> bias(-30000, 30000);
  for (auto& v : L.input.data) v = static_cast<std::int8_t>(i8(rng));
  for (auto& v : L.weights.data) v = static_cast<std::int8_t>(i8(rng));
  for (auto& v : L.bias.data) v = bias(rng);
}

// conv2d [1,4,5,6] x [5,3,3,6], SAME padding: Cin 6 and Cout 5 are ragged on the 4x4 array
// (two k-tiles, two n-tiles, one parameter chunk per n-tile in the 4-record parameter memory)
// and 20 output pixels need several M blocks in the 8-row accumulator memory. zp_in -128,
// zp_out 127: the outputs saturate at the top about half of the time.
tb::TestLayer conv_layer(std::uint32_t seed) {
  std::mt19937 rng(seed);
  tb::TestLayer L;
  L.input = g::TensorI8({1, 4, 5, 6});
  L.weights = g::TensorI8({5, 3, 3, 6});
  L.bias = g::TensorI32({5});
  fill(rng, L);
  L.conv.pad_mode = g::PadMode::Same;
  L.conv.input_zero_point = -128;
  L.conv.quant =
      tb::spread_quant(rng, 5, 3 * 3 * 6, -128, 127, -128, 127, g::Rounding::Double, true);
  return L;
}

// fully_connected [3,10] x [6,10]: three k-tiles, two n-tiles. zp_in 127, zp_out -128, a clamp
// at 100, single rounding, one multiplier for the tensor.
tb::TestLayer fc_layer(std::uint32_t seed) {
  std::mt19937 rng(seed);
  tb::TestLayer L;
  L.fc = true;
  L.input = g::TensorI8({3, 10});
  L.weights = g::TensorI8({6, 10});
  L.bias = g::TensorI32({6});
  fill(rng, L);
  L.fcp.input_zero_point = 127;
  L.fcp.quant = tb::spread_quant(rng, 6, 10, 127, -128, -128, 100, g::Rounding::Single, false);
  return L;
}

struct Run {
  tb::LayerOutcome outcome;
  unsigned assertion_errors = 0;
};

// Probes a fresh netlist through `hal` and runs one layer, printing its cycles and time.
Run run_layer(nuri::rtl::RtlHal& model, Hal& hal, const tb::TestLayer& L) {
  Npu npu(hal);
  REQUIRE(npu.probe() == Status::Ok);
  const nuri::fpga::NetlistConfig cfg = nuri::fpga::netlist_config();
  CHECK(npu.info().rows == cfg.rows);
  CHECK(npu.info().cols == cfg.cols);
  CHECK(npu.info().spad_bytes == cfg.spad_bytes);
  CHECK(npu.info().acc_bytes == cfg.acc_bytes);
  CHECK(npu.info().param_entries == cfg.param_entries);
  CHECK(npu.info().queue_depth == cfg.queue_depth);
  const auto t0 = std::chrono::steady_clock::now();
  Run r;
  r.outcome = tb::run_and_compare(npu, L);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.assertion_errors = model.assertion_errors();
  std::cout << "netlist: " << L.describe() << ": " << r.outcome.stats.cycles << " cycles, "
            << r.outcome.stats.programs << " programs, " << s << " s" << std::endl;
  return r;
}

void check_layer(const tb::TestLayer& L, std::uint32_t k_tiles, std::uint32_t n_tiles) {
  auto model = make_hal();
  const Run r = run_layer(*model, *model, L);
  const tb::LayerOutcome& o = r.outcome;
  INFO("seed " << nuri::tb::seed() << ": " << L.describe() << "\n"
               << o.error << o.first_mismatches);
  REQUIRE(o.status == Status::Ok);
  CHECK(o.mismatches == 0u);
  CHECK(r.assertion_errors == 0u);
  CHECK(o.stats.plan.k_tiles == k_tiles);
  CHECK(o.stats.plan.n_tiles == n_tiles);
  // The PPU matters: some outputs saturate, most do not.
  CHECK(o.clamped > 0u);
  CHECK(o.clamped * 4 < o.outputs * 3);
}

}  // namespace

TEST_CASE("netlist of npu_top runs a conv2d layer through the firmware bit for bit", "[full]") {
  const tb::TestLayer L = conv_layer(nuri::tb::seed() * 1000 + 1);
  check_layer(L, 2, 2);
}

TEST_CASE("netlist of npu_top runs a fully connected layer through the firmware bit for bit",
          "[full]") {
  const tb::TestLayer L = fc_layer(nuri::tb::seed() * 1000 + 2);
  check_layer(L, 3, 2);
}

TEST_CASE("netlist of npu_top runs random small layers bit for bit", "[full]") {
  tb::LayerGen gen;
  gen.max_hw = 6;
  gen.max_channels = 9;
  gen.max_kernel = 3;
  gen.max_fc_batch = 4;
  gen.max_fc_k = 20;
  constexpr int kLayers = 12;
  auto model = make_hal();
  const tb::RandomLayersReport r =
      tb::run_random_layers(*model, nuri::tb::seed() * 1000 + 10, kLayers, gen);
  std::ostringstream os;
  for (const auto& f : r.failures) os << f << "\n";
  INFO("seeds " << nuri::tb::seed() * 1000 + 10 << "..+" << kLayers - 1 << "\n" << os.str());
  CHECK(r.run == kLayers);
  CHECK(r.ok());
  CHECK(model->assertion_errors() == 0u);
  std::cout << "netlist: " << kLayers << " random layers, " << r.macs << " MACs, " << r.cycles
            << " cycles" << std::endl;
}

TEST_CASE("a corrupted output byte of the netlist is reported as a mismatch", "[full]") {
  const tb::TestLayer L = fc_layer(nuri::tb::seed() * 1000 + 2);
  auto model = make_hal();
  CorruptingHal hal(*model);
  hal.arm(7);
  const Run r = run_layer(*model, hal, L);
  const tb::LayerOutcome& o = r.outcome;
  INFO(L.describe() << "\n" << o.error << o.first_mismatches);
  REQUIRE(o.status == Status::Ok);
  CHECK(hal.corruptions() == 1u);
  CHECK(o.mismatches == 1u);
  CHECK_FALSE(o.ok());
  // Element 7 of [3, 6] is pixel 1, channel 1.
  CHECK(o.first_mismatches.rfind("pixel 1 ch 1: expected ", 0) == 0);
}

TEST_CASE("the layers of these cases pass on the golden device at the netlist's configuration",
          "[full]") {
  // Separates a firmware or configuration problem from a netlist one.
  const nuri::fpga::NetlistConfig c = nuri::fpga::netlist_config();
  nuri::isa::IsaConfig cfg =
      nuri::isa::IsaConfig::make(c.rows, c.cols, c.spad_bytes, c.acc_bytes, c.param_entries);
  cfg.queue_depth = c.queue_depth;
  GoldenDevice dev(cfg, 0x8000'0000, 1 << 20);
  for (const tb::TestLayer& L :
       {conv_layer(nuri::tb::seed() * 1000 + 1), fc_layer(nuri::tb::seed() * 1000 + 2)}) {
    Npu npu(dev);
    REQUIRE(npu.probe() == Status::Ok);
    const tb::LayerOutcome o = tb::run_and_compare(npu, L);
    INFO(L.describe() << "\n" << o.error << o.first_mismatches);
    CHECK(o.ok());
  }
}

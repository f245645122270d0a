// Backend-independent firmware test bodies: random conv2d / fully connected layers run through the
// driver on any Hal and compared bit for bit with the golden model. tb/firmware runs them on the
// GoldenDevice; an RTL test bench runs the same bodies on nuri_rtl_hal (link nuri_fw_tb).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "nuri/fw/driver.hpp"
#include "nuri/fw/hal.hpp"
#include "nuri/fw/layers.hpp"
#include "nuri/golden/ops.hpp"

namespace nuri::fw::tb {

// A conv2d or fully connected layer with its tensors and parameters.
struct TestLayer {
  bool fc = false;
  golden::TensorI8 input, weights;
  golden::TensorI32 bias;
  bool has_bias = true;
  golden::ConvParams conv;  // conv2d
  golden::FcParams fcp;     // fully connected
  std::string describe() const;
  golden::TensorI8 reference() const;  // golden::conv2d / golden::fully_connected
};

struct LayerGen {
  int max_hw = 9;         // input height / width in [1, max_hw]
  int max_channels = 20;  // Cin, Cout in [1, max_channels]
  int max_kernel = 7;     // KH, KW in [1, max_kernel]
  int max_stride = 3;
  int max_dilation = 2;
  int fc_percent = 20;  // share of fully connected layers
  int max_fc_batch = 6, max_fc_k = 80;
};

// Per-channel (cout multipliers) or per-tensor requantization whose random multipliers map the
// accumulator's typical spread for k_total products of random int8 data (inputs offset by
// -zp_in, bias up to +-30000) to about +-30 output steps, so clamps and saturation matter
// without dominating. random_layer draws its quantization with it.
golden::OutputQuant spread_quant(std::mt19937& rng, int cout, int k_total, std::int32_t zp_in,
                                 std::int32_t zp_out, std::int32_t act_min, std::int32_t act_max,
                                 golden::Rounding rounding, bool per_channel);

// Draws one random layer (every padding mode, stride, dilation, kernel size, per-channel or
// per-tensor quantization, both roundings, extreme zero points now and then, activation clamps).
TestLayer random_layer(std::uint32_t seed, const LayerGen& gen = {});

struct LayerOutcome {
  Status status = Status::Ok;
  std::string error;  // npu.last_error() when status != Ok
  std::size_t mismatches = 0;
  std::size_t outputs = 0, clamped = 0;  // output elements, those at act_min or act_max
  std::string first_mismatches;          // "pos (y,x,c): expected e got g; ..."
  LayerStats stats;
  bool ok() const { return status == Status::Ok && mismatches == 0; }
};

// Runs one layer on the NPU and compares it with the golden model.
LayerOutcome run_and_compare(Npu& npu, const TestLayer& layer, const ProgressFn& progress = {});

struct RandomLayersReport {
  int run = 0, passed = 0;
  std::uint64_t macs = 0, cycles = 0;
  std::uint64_t outputs = 0, clamped = 0;  // a test checks the layers do not mostly saturate
  int saturated_layers = 0;                // layers with more than 90% of their outputs clamped
  std::vector<std::string> failures;       // one line per failing layer (seed + description + why)
  bool ok() const { return run == passed; }
};

// Runs `count` random layers (seeds seed, seed+1, ...) on an already probed Npu.
RandomLayersReport run_random_layers(Npu& npu, std::uint32_t seed, int count,
                                     const LayerGen& gen = {});
// Same, probing a fresh Npu on `hal` first (a probe failure is reported as a failure).
RandomLayersReport run_random_layers(Hal& hal, std::uint32_t seed, int count,
                                     const LayerGen& gen = {}, const NpuOptions& opt = {});

// A test bench supplies HALs through a factory (the golden device here, the RTL elsewhere).
using HalFactory = std::function<std::unique_ptr<Hal>()>;

}  // namespace nuri::fw::tb

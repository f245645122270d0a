// Layer compiler: conv2d and fully connected layers lowered into tiled, double-buffered command
// programs (LOAD / MATMUL / PPU / STORE with counting tokens) for whatever array and memory sizes
// the NPU reports, and a runner that places the tensors in DRAM, runs the programs through the
// ring and reads the result back. docs/programmers-guide.md explains the tiling.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nuri/fw/driver.hpp"
#include "nuri/golden/ops.hpp"
#include "nuri/isa/isa.hpp"

namespace nuri::fw {

// A convolution reduced to what the command program needs (padding resolved, quantization per
// output channel). Fully connected [N, K] x [Cout, K] is the 1x1 VALID convolution of [1,1,N,K].
struct ConvGeometry {
  int in_h = 1, in_w = 1, cin = 1, cout = 1;
  int kh = 1, kw = 1, stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1;
  int pad_top = 0, pad_left = 0;
  int out_h = 1, out_w = 1;
  std::int32_t input_zero_point = 0, output_zero_point = 0;
  std::int32_t act_min = -128, act_max = 127;
  golden::Rounding rounding = golden::Rounding::Double;
  std::uint64_t macs() const {
    return std::uint64_t(out_h) * std::uint64_t(out_w) * std::uint64_t(cout) * std::uint64_t(kh) *
           std::uint64_t(kw) * std::uint64_t(cin);
  }
};

// How a layer is tiled on a given NPU.
struct TilePlan {
  std::uint32_t block_h = 0, block_w = 0;  // output pixels per M block: block_h x block_w
  std::uint32_t m_blocks = 0;              // number of M blocks
  std::uint32_t n_width = 0, n_tiles = 0;  // output channels per n-tile, n-tiles
  std::uint32_t k_tiles = 0, taps = 0;     // Cin chunks of Rows per tap, kernel taps
  std::uint32_t taps_per_step = 1;         // taps packed into one MATMUL (when 2*Cin <= Rows)
  std::uint32_t param_chunk_tiles = 0;     // n-tiles whose records fit in parameter memory
  std::uint32_t in_buffers = 0, out_buffers = 0, acc_buffers = 0;  // 2 = double buffered
  std::uint32_t spad_rows_used = 0, acc_rows_used = 0;
};

// DRAM addresses of a layer's tensors: input NHWC int8, weights packed HWIO int8, parameter
// records (16 bytes per output channel: bias', multiplier, shift), output NHWC int8.
struct LayerAddrs {
  std::uint64_t input = 0, weights = 0, params = 0, output = 0;
};

struct CompiledLayer {
  TilePlan plan;
  std::vector<std::vector<std::uint32_t>> programs;  // each ends with END and fits the ring
  std::uint64_t commands = 0;                        // over all programs
};

// Chooses the tiling and emits the programs. max_program_commands is the ring limit
// (Npu::max_program_commands()). Returns Ok, BadConfig (memories too small for even one tile),
// TooLarge (a field does not fit its encoding) or InvalidLayer; *why gets one line on failure.
Status compile_conv(const HwInfo& hw, const ConvGeometry& g, const LayerAddrs& addrs,
                    std::uint32_t max_program_commands, CompiledLayer* out, std::string* why);

// Host-side preparation. Weights [Cout, KH, KW, Cin] -> HWIO bytes [KH][KW][Cin][Cout].
std::vector<std::uint8_t> pack_weights_hwio(const golden::TensorI8& weights);
// Parameter records with the input zero point folded into the bias:
// bias'[c] = bias[c] - zp_in * sum(w[c]) (int32 wrapping); quant per tensor or per channel.
std::vector<std::uint8_t> pack_param_records(const golden::TensorI8& weights,
                                             const golden::TensorI32* bias,
                                             std::int32_t input_zero_point,
                                             const golden::OutputQuant& quant);

// Resolves padding and checks a conv2d description against the tensors (message in *why).
Status conv_geometry(const golden::TensorI8& input, const golden::TensorI8& weights,
                     const golden::TensorI32* bias, const golden::ConvParams& params,
                     ConvGeometry* g, std::string* why);

struct LayerStats {
  std::uint64_t macs = 0;
  std::uint64_t cycles = 0;  // device cycles from the HAL over all programs (0 where unknown)
  std::uint64_t commands = 0;
  std::uint32_t programs = 0;
  TilePlan plan;
  RunResult last;                    // result of the last program run (error details on failure)
  std::uint32_t failed_program = 0;  // which program failed (when last.status != Ok)
  // MACs / (cycles * Rows * Cols); 0 when cycles are unknown.
  double utilization(const HwInfo& hw) const {
    return cycles == 0
               ? 0.0
               : static_cast<double>(macs) / (static_cast<double>(cycles) * hw.rows * hw.cols);
  }
};

// Runs conv2d on the NPU: input [1,H,W,Cin], weights [Cout,KH,KW,Cin], bias [Cout] or null,
// params as golden::conv2d. *out gets [1,OH,OW,Cout]. Progress reports commands over the layer.
Status run_conv2d(Npu& npu, const golden::TensorI8& input, const golden::TensorI8& weights,
                  const golden::TensorI32* bias, const golden::ConvParams& params,
                  golden::TensorI8* out, LayerStats* stats = nullptr,
                  const ProgressFn& progress = {});

// Runs fully_connected: input [N,K], weights [Cout,K], bias [Cout] or null -> *out [N,Cout].
Status run_fully_connected(Npu& npu, const golden::TensorI8& input, const golden::TensorI8& weights,
                           const golden::TensorI32* bias, const golden::FcParams& params,
                           golden::TensorI8* out, LayerStats* stats = nullptr,
                           const ProgressFn& progress = {});

}  // namespace nuri::fw

// Nuri golden model: int8 operators on NHWC tensors, bit-exact with TFLite's reference int8
// kernels (reference_integer_ops). Semantics are spelled out in docs/golden-model.md.
//
// Invalid arguments (wrong rank, mismatched channel counts, non-positive stride, a quantization
// vector whose length is neither 1 nor the channel count, ...) throw std::invalid_argument with a
// message naming the argument.
#pragma once

#include <cstdint>
#include <vector>

#include "nuri/golden/quant.hpp"
#include "nuri/golden/tensor.hpp"

namespace nuri::golden {

enum class PadMode : std::uint8_t { Valid, Same, Explicit };

struct Padding {
  int top = 0, bottom = 0, left = 0, right = 0;
  bool operator==(const Padding& o) const {
    return top == o.top && bottom == o.bottom && left == o.left && right == o.right;
  }
};

// TFLite's padding rule. Valid: no padding, out = ceil((in - eff + 1) / stride). Same: out =
// ceil(in / stride), total = max((out - 1) * stride + eff - in, 0), before = total / 2, after = the
// rest. Explicit: the given padding, out = (in + before + after - eff) / stride + 1. eff is the
// dilated kernel extent (k - 1) * dilation + 1. Throws if the output would be empty.
struct PaddedDims {
  Padding pad;
  int out_h = 0, out_w = 0;
};
PaddedDims compute_padding(PadMode mode, const Padding& explicit_pad, int in_h, int in_w,
                           int kernel_h, int kernel_w, int stride_h, int stride_w,
                           int dilation_h = 1, int dilation_w = 1);

// Per-tensor (size 1) or per-output-channel requantization parameters.
struct OutputQuant {
  std::vector<std::int32_t> multiplier{1 << 30};
  std::vector<int> shift{0};
  std::int32_t output_zero_point = 0;
  std::int32_t act_min = -128, act_max = 127;
  Rounding rounding = Rounding::Double;
};

// Builds per-channel OutputQuant from scales: real[c] = input_scale * weight_scale[c] /
// output_scale, each through quantize_multiplier(real, rounding).
OutputQuant output_quant_from_scales(double input_scale, const std::vector<double>& weight_scales,
                                     double output_scale, std::int32_t output_zero_point,
                                     std::int32_t act_min = -128, std::int32_t act_max = 127,
                                     Rounding rounding = Rounding::Double);

struct ConvParams {
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  PadMode pad_mode = PadMode::Valid;
  Padding pad;  // used when pad_mode == Explicit
  std::int32_t input_zero_point = 0;
  int depth_multiplier = 1;  // depthwise only
  OutputQuant quant;
};

// conv2d: input [N,H,W,Cin], weights [Cout,KH,KW,Cin], bias [Cout] or null -> [N,OH,OW,Cout].
// acc = bias[c] + sum over in-image taps of w * (x - zp_in) (int32, wrapping); out = requantize.
TensorI8 conv2d(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                const ConvParams& params);
// Same accumulation, returning the int32 accumulators (bias included if given) before requant.
TensorI32 conv2d_acc(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                     const ConvParams& params);

// depthwise_conv2d: input [N,H,W,Cin], weights [1,KH,KW,Cin*dm], bias [Cin*dm] or null.
// Output channel oc = ic * dm + m reads input channel ic.
TensorI8 depthwise_conv2d(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                          const ConvParams& params);

struct FcParams {
  std::int32_t input_zero_point = 0;
  OutputQuant quant;
};
// fully_connected: input [N,K], weights [Cout,K], bias [Cout] or null -> [N,Cout].
TensorI8 fully_connected(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                         const FcParams& params);

struct PoolParams {
  int filter_h = 2, filter_w = 2;
  int stride_h = 2, stride_w = 2;
  PadMode pad_mode = PadMode::Valid;
  Padding pad;
  std::int32_t act_min = -128, act_max = 127;
};
// max_pool: max over the in-image part of the window, clamped. Input/output zero point and scale
// are equal (TFLite requires it).
TensorI8 max_pool(const TensorI8& input, const PoolParams& params);
// average_pool: TFLite rounding: sum over in-image taps, n = their count,
// avg = sum > 0 ? (sum + n/2) / n : (sum - n/2) / n (C division), clamped.
TensorI8 average_pool(const TensorI8& input, const PoolParams& params);

// Element-wise add, TFLite int8 recipe (reference_integer_ops/add.h): with left_shift = 20,
// a' = MBQM((a - zp1) << left_shift, m1, s1), b' likewise,
// out = clamp(MBQM(a' + b', m_out, s_out) + zp_out, act_min, act_max). All shifts are <= 0. The
// three MBQM calls use `rounding`: TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp is
// SRDHM + RDBPOT in the default build and the single-rounding MBQM in a TFLITE_SINGLE_ROUNDING
// build, so one mode bit covers both, as for the other operators.
struct AddParams {
  std::int32_t input1_zero_point = 0, input2_zero_point = 0, output_zero_point = 0;
  std::int32_t input1_multiplier = 0, input2_multiplier = 0, output_multiplier = 0;
  int input1_shift = 0, input2_shift = 0, output_shift = 0;
  int left_shift = 20;
  std::int32_t act_min = -128, act_max = 127;
  Rounding rounding = Rounding::Double;
};
// TFLite's Prepare for int8 add: twice_max = 2 * max(s1, s2); m1 = s1 / twice_max,
// m2 = s2 / twice_max, m_out = twice_max / (2^left_shift * s_out), each quantized with
// quantize_multiplier (shift must come out <= 0).
AddParams add_params_from_scales(double input1_scale, std::int32_t input1_zero_point,
                                 double input2_scale, std::int32_t input2_zero_point,
                                 double output_scale, std::int32_t output_zero_point,
                                 std::int32_t act_min = -128, std::int32_t act_max = 127);
// Shapes must be equal (no broadcasting).
TensorI8 add(const TensorI8& a, const TensorI8& b, const AddParams& params);

// Plain int32 GEMM: C[M,N] = sum_k (A[m,k] - zp_a) * B[k,n], int32 wrapping. A [M,K], B [K,N].
TensorI32 gemm_i32(const TensorI8& a, const TensorI8& b, std::int32_t a_zero_point = 0);

}  // namespace nuri::golden

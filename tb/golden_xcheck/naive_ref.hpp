// Nuri golden cross-check: a deliberately naive, independent second implementation of TFLite's
// int8 arithmetic and operators (see docs/golden-xcheck.md).
//
// It is written only from the public golden headers (the spec) and TFLite's published rules, never
// from the golden model's sources. It favours obviously-correct techniques over speed: exact
// __int128 / int64 arithmetic with explicit floor division and tie handling, IEEE bit extraction
// for frexp, brute-force counting of output positions, and explicit padded copies of the input
// instead of skipping out-of-image taps.
//
// The golden headers are used for their plain data types only (Tensor, ConvParams, ...); nothing
// here calls into the golden library. Invalid arguments and empty outputs throw
// std::invalid_argument, like the golden API.
#pragma once

#include <cstdint>
#include <vector>

#include "nuri/golden/ops.hpp"
#include "nuri/golden/quant.hpp"
#include "nuri/golden/tensor.hpp"

namespace nuri::naive {

using golden::AddParams;
using golden::ConvParams;
using golden::FcParams;
using golden::OutputQuant;
using golden::PaddedDims;
using golden::Padding;
using golden::PadMode;
using golden::PoolParams;
using golden::QuantizedMultiplier;
using golden::Rounding;
using golden::TensorI32;
using golden::TensorI8;

// --- primitives -----------------------------------------------------------------------------
std::int32_t srdhm(std::int32_t a, std::int32_t b);
std::int32_t rdbpot(std::int32_t x, int exponent);
std::int32_t multiply_by_quantized_multiplier(std::int32_t x, std::int32_t multiplier, int shift,
                                              Rounding rounding);
std::int8_t requantize(std::int32_t acc, std::int32_t multiplier, int shift,
                       std::int32_t output_zero_point, std::int32_t act_min, std::int32_t act_max,
                       Rounding rounding);
QuantizedMultiplier quantize_multiplier(double real_multiplier, Rounding rounding);

// Two's-complement wrap of an exact integer into int32 (what an int32 expression produces on
// every target TFLite ships on).
std::int32_t wrap_i32(std::int64_t v);

// --- operators --------------------------------------------------------------------------------
PaddedDims compute_padding(PadMode mode, const Padding& explicit_pad, int in_h, int in_w,
                           int kernel_h, int kernel_w, int stride_h, int stride_w, int dilation_h,
                           int dilation_w);

OutputQuant output_quant_from_scales(double input_scale, const std::vector<double>& weight_scales,
                                     double output_scale, std::int32_t output_zero_point,
                                     std::int32_t act_min, std::int32_t act_max, Rounding rounding);

TensorI32 conv2d_acc(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                     const ConvParams& params);
TensorI8 conv2d(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                const ConvParams& params);
TensorI8 depthwise_conv2d(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                          const ConvParams& params);
TensorI8 fully_connected(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                         const FcParams& params);
TensorI8 max_pool(const TensorI8& input, const PoolParams& params);
TensorI8 average_pool(const TensorI8& input, const PoolParams& params);

// TFLite int8 add Prepare; throws std::invalid_argument when a multiplier's shift comes out > 0
// (TFLite's QuantizeMultiplierSmallerThanOneExp check).
AddParams add_params_from_scales(double input1_scale, std::int32_t input1_zero_point,
                                 double input2_scale, std::int32_t input2_zero_point,
                                 double output_scale, std::int32_t output_zero_point,
                                 std::int32_t act_min, std::int32_t act_max);
TensorI8 add(const TensorI8& a, const TensorI8& b, const AddParams& params);

TensorI32 gemm_i32(const TensorI8& a, const TensorI8& b, std::int32_t a_zero_point);

}  // namespace nuri::naive

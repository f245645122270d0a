// Invalid arguments throw std::invalid_argument with a message naming the argument.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "golden_test_util.hpp"
#include "nuri/golden/ops.hpp"

using namespace nuri::golden;
using namespace nuri::golden::test;
using Catch::Matchers::Contains;

namespace {
const TensorI8 kX({1, 4, 4, 3}, std::int8_t{1});
const TensorI8 kW({2, 3, 3, 3}, std::int8_t{1});
}  // namespace

TEST_CASE("conv2d rejects a wrong rank and mismatched channels", "[golden][smoke]") {
  ConvParams p;
  CHECK_THROWS_WITH(conv2d(TensorI8({4, 4, 3}), kW, nullptr, p),
                    Contains("input") && Contains("rank 4"));
  CHECK_THROWS_WITH(conv2d(kX, TensorI8({2, 3, 3}), nullptr, p),
                    Contains("weights") && Contains("rank 4"));
  CHECK_THROWS_WITH(conv2d(kX, TensorI8({2, 3, 3, 4}), nullptr, p), Contains("input channels"));
  CHECK_THROWS_AS(conv2d_acc(kX, TensorI8({2, 3, 3, 4}), nullptr, p), std::invalid_argument);
  const TensorI32 bad_bias({3});
  CHECK_THROWS_WITH(conv2d(kX, kW, &bad_bias, p), Contains("bias"));
  const TensorI32 bad_bias_rank({1, 2});
  CHECK_THROWS_WITH(conv2d(kX, kW, &bad_bias_rank, p), Contains("bias"));
}

TEST_CASE("conv2d rejects a zero stride or dilation and an empty output", "[golden][smoke]") {
  ConvParams p;
  p.stride_h = 0;
  CHECK_THROWS_WITH(conv2d(kX, kW, nullptr, p), Contains("stride_h"));
  p.stride_h = 1;
  p.stride_w = -1;
  CHECK_THROWS_WITH(conv2d(kX, kW, nullptr, p), Contains("stride_w"));
  p.stride_w = 1;
  p.dilation_w = 0;
  CHECK_THROWS_WITH(conv2d(kX, kW, nullptr, p), Contains("dilation_w"));
  p.dilation_w = 3;  // 3x3 kernel dilated by 3 spans 7 > 4, VALID
  CHECK_THROWS_AS(conv2d(kX, kW, nullptr, p), std::invalid_argument);
}

TEST_CASE("conv2d rejects quantization vectors of the wrong length or range", "[golden][smoke]") {
  ConvParams p;
  p.quant.multiplier = {1 << 30, 1 << 30, 1 << 30};  // 3 for 2 output channels
  CHECK_THROWS_WITH(conv2d(kX, kW, nullptr, p), Contains("multiplier") && Contains("length 3"));
  p.quant.multiplier = {1 << 30, 1 << 30};
  p.quant.shift = {0, 0, 0};
  CHECK_THROWS_WITH(conv2d(kX, kW, nullptr, p), Contains("shift") && Contains("length 3"));
  p.quant.shift = {0, 31};
  CHECK_THROWS_WITH(conv2d(kX, kW, nullptr, p), Contains("shift") && Contains("31"));
  p.quant.shift = {-32};
  CHECK_THROWS_WITH(conv2d(kX, kW, nullptr, p), Contains("shift"));
  p.quant.shift = {0};
  p.quant.multiplier = {-1};
  CHECK_THROWS_WITH(conv2d(kX, kW, nullptr, p), Contains("multiplier"));
  p.quant.multiplier = {1 << 30};
  p.quant.act_min = 10;
  p.quant.act_max = 5;
  CHECK_THROWS_WITH(conv2d(kX, kW, nullptr, p), Contains("act_min"));
  p.quant.act_min = -128;
  p.quant.act_max = 128;
  CHECK_THROWS_AS(conv2d(kX, kW, nullptr, p), std::invalid_argument);
  // conv2d_acc does not requantize, so it ignores quant.
  CHECK_NOTHROW(conv2d_acc(kX, kW, nullptr, p));
}

TEST_CASE("depthwise_conv2d rejects a bad depth multiplier or weight shape", "[golden][smoke]") {
  ConvParams p;
  p.depth_multiplier = 2;
  CHECK_THROWS_WITH(depthwise_conv2d(kX, TensorI8({1, 3, 3, 3}), nullptr, p),
                    Contains("depth_multiplier"));
  CHECK_NOTHROW(depthwise_conv2d(kX, TensorI8({1, 3, 3, 6}), nullptr, p));
  p.depth_multiplier = 0;
  CHECK_THROWS_WITH(depthwise_conv2d(kX, TensorI8({1, 3, 3, 3}), nullptr, p),
                    Contains("depth_multiplier"));
  p.depth_multiplier = 1;
  CHECK_THROWS_WITH(depthwise_conv2d(kX, TensorI8({2, 3, 3, 3}), nullptr, p), Contains("weights"));
  CHECK_THROWS_WITH(depthwise_conv2d(TensorI8({4, 4, 3}), TensorI8({1, 3, 3, 3}), nullptr, p),
                    Contains("input") && Contains("rank 4"));
  p.quant.multiplier = {1, 2};  // neither 1 nor 3
  CHECK_THROWS_WITH(depthwise_conv2d(kX, TensorI8({1, 3, 3, 3}), nullptr, p),
                    Contains("multiplier"));
}

TEST_CASE("fully_connected rejects a wrong rank or depth", "[golden][smoke]") {
  FcParams p;
  CHECK_THROWS_WITH(fully_connected(TensorI8({2, 3, 1}), TensorI8({4, 3}), nullptr, p),
                    Contains("input") && Contains("rank 2"));
  CHECK_THROWS_WITH(fully_connected(TensorI8({2, 3}), TensorI8({4, 5}), nullptr, p),
                    Contains("depth"));
  const TensorI32 bias({5});
  CHECK_THROWS_WITH(fully_connected(TensorI8({2, 3}), TensorI8({4, 3}), &bias, p),
                    Contains("bias"));
  p.quant.shift = {0, 0};
  CHECK_THROWS_WITH(fully_connected(TensorI8({2, 3}), TensorI8({4, 3}), nullptr, p),
                    Contains("shift"));
}

TEST_CASE("pools reject a wrong rank and a zero filter or stride", "[golden][smoke]") {
  PoolParams p;
  CHECK_THROWS_WITH(max_pool(TensorI8({4, 4, 3}), p), Contains("input") && Contains("rank 4"));
  CHECK_THROWS_AS(average_pool(TensorI8({4, 4, 3}), p), std::invalid_argument);
  p.filter_h = 0;
  CHECK_THROWS_WITH(max_pool(kX, p), Contains("filter_h"));
  p.filter_h = 2;
  p.stride_w = 0;
  CHECK_THROWS_WITH(average_pool(kX, p), Contains("stride_w"));
  p.stride_w = 2;
  p.act_min = 3;
  p.act_max = 2;
  CHECK_THROWS_AS(max_pool(kX, p), std::invalid_argument);
}

TEST_CASE("average_pool rejects a window entirely in the padding", "[golden][smoke]") {
  // Explicit padding 3 with a 2x2 filter: the first window covers only padding (TFLite's
  // AveragePool returns an error for a zero tap count).
  PoolParams p;
  p.pad_mode = PadMode::Explicit;
  p.pad = Padding{3, 0, 3, 0};
  CHECK_THROWS_WITH(average_pool(kX, p), Contains("padding"));
  // max_pool of such a window yields the lowest int8, clamped to act_min.
  p.act_min = -100;
  const TensorI8 y = max_pool(kX, p);
  CHECK(y.at4(0, 0, 0, 0) == -100);
}

TEST_CASE("add rejects mismatched shapes and out-of-range shifts", "[golden][smoke]") {
  AddParams p = add_params_from_scales(0.5, 0, 0.5, 0, 1.0, 0);
  CHECK_THROWS_WITH(add(TensorI8({2, 3}), TensorI8({3, 2}), p), Contains("shapes"));
  CHECK_NOTHROW(add(TensorI8({2, 3}), TensorI8({2, 3}), p));
  p.input1_shift = 1;
  CHECK_THROWS_WITH(add(TensorI8({2}), TensorI8({2}), p), Contains("input1_shift"));
  p.input1_shift = -32;
  CHECK_THROWS_WITH(add(TensorI8({2}), TensorI8({2}), p), Contains("input1_shift"));
  p.input1_shift = 0;
  p.output_multiplier = -5;
  CHECK_THROWS_WITH(add(TensorI8({2}), TensorI8({2}), p), Contains("output_multiplier"));
  p.output_multiplier = 1 << 30;
  p.left_shift = 32;
  CHECK_THROWS_WITH(add(TensorI8({2}), TensorI8({2}), p), Contains("left_shift"));
}

TEST_CASE("scale helpers reject non-positive scales and add multipliers of one or more",
          "[golden][smoke]") {
  CHECK_THROWS_WITH(add_params_from_scales(0.0, 0, 0.5, 0, 1.0, 0), Contains("input1_scale"));
  CHECK_THROWS_WITH(add_params_from_scales(0.5, 0, -0.5, 0, 1.0, 0), Contains("input2_scale"));
  // real_out = 2 * 0.5 / (2^20 * 2^-21) = 2 >= 1: TFLite's Prepare rejects it.
  CHECK_THROWS_WITH(add_params_from_scales(0.5, 0, 0.5, 0, std::ldexp(1.0, -21), 0),
                    Contains("output"));
  CHECK_THROWS_WITH(output_quant_from_scales(0.0, {0.1}, 1.0, 0), Contains("input_scale"));
  CHECK_THROWS_WITH(output_quant_from_scales(0.1, {}, 1.0, 0), Contains("weight_scales"));
  CHECK_THROWS_WITH(output_quant_from_scales(0.1, {0.1, -0.1}, 1.0, 0), Contains("weight_scales"));
  CHECK_THROWS_WITH(output_quant_from_scales(0.1, {0.1}, 0.0, 0), Contains("output_scale"));
}

TEST_CASE("output_quant_from_scales quantizes each channel of in times w over out",
          "[golden][smoke]") {
  // 0.5 * 0.5 / 0.5 = 0.5 -> {2^30, 0}; 0.5 * 1.0 / 0.5 = 1.0 -> {2^30, 1};
  // 0.5 * 0.375 / 0.5 = 0.375 = 0.75 * 2^-1 -> {1610612736, -1}.
  const OutputQuant q = output_quant_from_scales(0.5, {0.5, 1.0, 0.375}, 0.5, 7, -10, 20);
  CHECK(q.multiplier == std::vector<std::int32_t>{1 << 30, 1 << 30, 1610612736});
  CHECK(q.shift == std::vector<int>{0, 1, -1});
  CHECK(q.output_zero_point == 7);
  CHECK(q.act_min == -10);
  CHECK(q.act_max == 20);
  CHECK(q.rounding == Rounding::Double);
  // Single rounding saturates a shift above 30: 1 * 2^31 / 1 = 0.5 * 2^32.
  const OutputQuant s =
      output_quant_from_scales(1.0, {std::ldexp(1.0, 31)}, 1.0, 0, -128, 127, Rounding::Single);
  CHECK(s.multiplier == std::vector<std::int32_t>{0x7FFFFFFF});
  CHECK(s.shift == std::vector<int>{30});
  CHECK(s.rounding == Rounding::Single);
}

TEST_CASE("gemm_i32 rejects a wrong rank or inner dimension", "[golden][smoke]") {
  CHECK_THROWS_WITH(gemm_i32(TensorI8({2, 3, 1}), TensorI8({3, 2})), Contains("rank 2"));
  CHECK_THROWS_WITH(gemm_i32(TensorI8({2, 3}), TensorI8({4, 2})), Contains("inner"));
}

TEST_CASE("tensors reject data that does not match the shape", "[golden][smoke]") {
  CHECK_THROWS_AS(TensorI8({2, 3}, std::vector<std::int8_t>(5)), std::invalid_argument);
  CHECK_THROWS_AS(shape_elements({2, -1}), std::invalid_argument);
  CHECK(shape_elements({}) == 1);
  CHECK(shape_elements({2, 0, 3}) == 0);
  CHECK(shape_to_string({1, 8, 8, 3}) == "[1,8,8,3]");
  // A tensor whose data was resized behind its back is rejected by the operators.
  TensorI8 x({1, 2, 2, 1});
  x.data.pop_back();
  CHECK_THROWS_WITH(max_pool(x, PoolParams{}), Contains("input"));
}

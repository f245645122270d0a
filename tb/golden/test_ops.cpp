// Worked operator examples, small enough to compute by hand (the working is in the comments),
// and compute_padding against TFLite's padding rule on known cases.
#include <catch2/catch.hpp>

#include <vector>

#include "golden_test_util.hpp"
#include "nuri/golden/ops.hpp"

using namespace nuri::golden;
using namespace nuri::golden::test;

TEST_CASE("conv2d 2x2 SAME pads bottom-right with the input zero point", "[golden][smoke]") {
  // Input 1x3x3x1, zp_in = 1:          x - zp_in:
  //   1 2 3                              0 1 2
  //   4 5 6                              3 4 5
  //   7 8 9                              6 7 8
  // Kernel 1x2x2x1 [[1,2],[3,4]], stride 1, SAME: out 3x3, total pad = (3-1)*1 + 2 - 3 = 1,
  // top/left 0, bottom/right 1. Out-of-image taps contribute 0 (x == zp_in).
  //   (0,0) 1*0 + 2*1 + 3*3 + 4*4 = 27    (0,1) 1*1 + 2*2 + 3*4 + 4*5 = 37
  //   (0,2) 1*2 + 3*5 (right col padded)  = 17
  //   (1,0) 1*3 + 2*4 + 3*6 + 4*7 = 57    (1,1) 1*4 + 2*5 + 3*7 + 4*8 = 67
  //   (1,2) 1*5 + 3*8 = 29                (2,0) 1*6 + 2*7 = 20
  //   (2,1) 1*7 + 2*8 = 23                (2,2) 1*8 = 8
  // + bias 3: 30 40 20 60 70 32 23 26 11. (Padding with raw 0, i.e. x - zp = -1, would give
  // e.g. (0,2) = 2 - 2 + 15 - 4 = 11 instead of 17.)
  const TensorI8 x = i8({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  const TensorI8 w = i8({1, 2, 2, 1}, {1, 2, 3, 4});
  const TensorI32 bias({1}, std::vector<std::int32_t>{3});
  ConvParams p;
  p.pad_mode = PadMode::Same;
  p.input_zero_point = 1;
  p.quant.multiplier = {1 << 30};  // x 0.5, rounding half up (SRDHM)
  p.quant.shift = {0};
  p.quant.output_zero_point = -5;
  const TensorI32 acc = conv2d_acc(x, w, &bias, p);
  CHECK(acc.shape == Shape{1, 3, 3, 1});
  CHECK(acc.data == std::vector<std::int32_t>{30, 40, 20, 60, 70, 32, 23, 26, 11});
  // Requantize: acc/2 rounded half up, then -5:
  //   15-5=10, 20-5=15, 10-5=5, 30-5=25, 35-5=30, 16-5=11, 11.5->12-5=7, 13-5=8, 5.5->6-5=1.
  const TensorI8 y = conv2d(x, w, &bias, p);
  CHECK(y.shape == Shape{1, 3, 3, 1});
  CHECK(ints(y) == std::vector<int>{10, 15, 5, 25, 30, 11, 7, 8, 1});
}

TEST_CASE("conv2d applies per-channel multipliers and the activation clamp", "[golden][smoke]") {
  // Input [1,1,1,2] = [10, -20], zp_in = -2 -> x - zp = [12, -18].
  // oc0 weights [1, 1]: 12 - 18 = -6; m = 2^30, shift 0 (x 0.5): -3.
  // oc1 weights [2, -1]: 24 + 18 = 42; m = 2^30, shift 1 (x 1): 42, clamped to act_max 40.
  const TensorI8 x = i8({1, 1, 1, 2}, {10, -20});
  const TensorI8 w = i8({2, 1, 1, 2}, {1, 1, 2, -1});
  ConvParams p;
  p.input_zero_point = -2;
  p.quant.multiplier = {1 << 30, 1 << 30};
  p.quant.shift = {0, 1};
  p.quant.act_max = 40;
  CHECK(ints(conv2d(x, w, nullptr, p)) == std::vector<int>{-3, 40});
  p.quant.act_max = 127;
  CHECK(ints(conv2d(x, w, nullptr, p)) == std::vector<int>{-3, 42});
}

TEST_CASE("conv2d with stride 2 and explicit asymmetric padding", "[golden][smoke]") {
  // Input 1x1x4x1 = [1 2 3 4], zp_in 0, kernel 1x3 [1 1 1], stride 2, explicit left 1, right 0.
  // out_w = (4 + 1 + 0 - 3) / 2 + 1 = 2. Windows start at -1 and 1:
  //   (pad, 1, 2) -> 3;  (2, 3, 4) -> 9.
  const TensorI8 x = i8({1, 1, 4, 1}, {1, 2, 3, 4});
  const TensorI8 w = i8({1, 1, 3, 1}, {1, 1, 1});
  ConvParams p;
  p.stride_w = 2;
  p.pad_mode = PadMode::Explicit;
  p.pad.left = 1;
  p.quant = identity_quant();
  CHECK(conv2d_acc(x, w, nullptr, p).data == std::vector<std::int32_t>{3, 9});
  CHECK(ints(conv2d(x, w, nullptr, p)) == std::vector<int>{3, 9});
}

TEST_CASE("depthwise_conv2d with depth multiplier 2 maps oc to ic times 2 plus m",
          "[golden][smoke]") {
  // Input 1x2x2x2, zp_in 1. (y,x): [c0,c1]   x - zp:
  //   (0,0) [1,2]  (0,1) [3,4]               (0,0) [0,1]  (0,1) [2,3]
  //   (1,0) [5,6]  (1,1) [7,8]               (1,0) [4,5]  (1,1) [6,7]
  // Weights [1,2,2,4], per tap [oc0..oc3]:
  //   (0,0) [1,2,3,4]  (0,1) [1,1,1,1]  (1,0) [0,1,0,1]  (1,1) [2,0,-1,0]
  // VALID 2x2 -> one output pixel. oc = ic*2 + m:
  //   oc0 (ic0): 0*1 + 2*1 + 4*0 + 6*2    = 14
  //   oc1 (ic0): 0*2 + 2*1 + 4*1 + 6*0    = 6
  //   oc2 (ic1): 1*3 + 3*1 + 5*0 + 7*(-1) = -1
  //   oc3 (ic1): 1*4 + 3*1 + 5*1 + 7*0    = 12
  // bias [0, 10, 0, -2] -> 14 16 -1 10; identity requantization.
  const TensorI8 x = i8({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  const TensorI8 w = i8({1, 2, 2, 4}, {1, 2, 3, 4, 1, 1, 1, 1, 0, 1, 0, 1, 2, 0, -1, 0});
  const TensorI32 bias({4}, std::vector<std::int32_t>{0, 10, 0, -2});
  ConvParams p;
  p.depth_multiplier = 2;
  p.input_zero_point = 1;
  p.quant = identity_quant();
  const TensorI8 y = depthwise_conv2d(x, w, &bias, p);
  CHECK(y.shape == Shape{1, 1, 1, 4});
  CHECK(ints(y) == std::vector<int>{14, 16, -1, 10});
}

TEST_CASE("fully_connected subtracts the input zero point and rounds per TFLite",
          "[golden][smoke]") {
  // Input [2,3], zp_in -1: rows [1,2,3] -> [2,3,4], [-1,0,4] -> [0,1,5].
  // Weights [2,3]: w0 = [1,-1,2], w1 = [3,0,-2]; bias [5,-5].
  //   (0,0) 2 - 3 + 8 + 5 = 12     (0,1) 6 + 0 - 8 - 5 = -7
  //   (1,0) 0 - 1 + 10 + 5 = 14    (1,1) 0 + 0 - 10 - 5 = -15
  // Requant m = 2^30, shift -1 (x 0.25): SRDHM halves rounding half up, RDBPOT halves again
  // rounding ties away from zero:
  //   12 -> 6 -> 3;  -7 -> -3.5 -> -3 -> -1.5 -> -2;  14 -> 7 -> 3.5 -> 4;
  //   -15 -> -7.5 -> -7 -> -3.5 -> -4.  + zp_out 1: 4, -1, 5, -3.
  const TensorI8 x = i8({2, 3}, {1, 2, 3, -1, 0, 4});
  const TensorI8 w = i8({2, 3}, {1, -1, 2, 3, 0, -2});
  const TensorI32 bias({2}, std::vector<std::int32_t>{5, -5});
  FcParams p;
  p.input_zero_point = -1;
  p.quant.multiplier = {1 << 30};
  p.quant.shift = {-1};
  p.quant.output_zero_point = 1;
  const TensorI8 y = fully_connected(x, w, &bias, p);
  CHECK(y.shape == Shape{2, 2});
  CHECK(ints(y) == std::vector<int>{4, -1, 5, -3});
}

TEST_CASE("max_pool ignores padding taps and clamps", "[golden][smoke]") {
  // Input 1x3x3x1:   1 -5  3     2x2 filter, stride 2, SAME: out 2x2, total pad 1 -> bottom and
  //                  4  9 -2     right 1. Windows:
  //                 -7 -3  8     (0,0) {1,-5,4,9} = 9   (0,1) {3,-2} = 3
  //                              (1,0) {-7,-3} = -3 (a padding 0 would win)  (1,1) {8} = 8
  const TensorI8 x = i8({1, 3, 3, 1}, {1, -5, 3, 4, 9, -2, -7, -3, 8});
  PoolParams p;
  p.pad_mode = PadMode::Same;
  const TensorI8 y = max_pool(x, p);
  CHECK(y.shape == Shape{1, 2, 2, 1});
  CHECK(ints(y) == std::vector<int>{9, 3, -3, 8});
  // Activation clamp [1, 5]: 9 -> 5, 3, -3 -> 1, 8 -> 5.
  p.act_min = 1;
  p.act_max = 5;
  CHECK(ints(max_pool(x, p)) == std::vector<int>{5, 3, 1, 5});
}

TEST_CASE("average_pool divides by the in-image tap count of a clipped window", "[golden][smoke]") {
  // Same input and windows as the max_pool example:
  //   (0,0) 1-5+4+9 = 9, n 4: (9 + 2) / 4 = 2 (2.25)
  //   (0,1) 3-2 = 1, n 2: (1 + 1) / 2 = 1 (0.5 rounds away from zero; dividing by 4 would give 0)
  //   (1,0) -7-3 = -10, n 2: (-10 - 1) / 2 = -5 (C division truncates: -5.5 -> -5, exact -5)
  //   (1,1) 8, n 1: 8
  const TensorI8 x = i8({1, 3, 3, 1}, {1, -5, 3, 4, 9, -2, -7, -3, 8});
  PoolParams p;
  p.pad_mode = PadMode::Same;
  CHECK(ints(average_pool(x, p)) == std::vector<int>{2, 1, -5, 8});
  p.act_min = 0;  // clamp after rounding
  CHECK(ints(average_pool(x, p)) == std::vector<int>{2, 1, 0, 8});
}

TEST_CASE("average_pool rounds negative halves away from zero", "[golden][smoke]") {
  // Input 1x2x4x2, 2x2 filter, stride 2, VALID -> 1x1x2x2. Channel 0 rows [-1 -1 -3 -3] and
  // [0 0 0 0]; channel 1 rows [1 1 3 3] and [0 0 0 0].
  //   ch0 window 0: sum -2, n 4: (-2 - 2) / 4 = -1   (-0.5 -> -1; half-up would give 0)
  //   ch1 window 0: sum  2:      ( 2 + 2) / 4 =  1   (0.5 -> 1)
  //   ch0 window 1: sum -6:      (-6 - 2) / 4 = -2   (-1.5 -> -2; floor also -2, trunc -1)
  //   ch1 window 1: sum  6:      ( 6 + 2) / 4 =  2
  // A non-tie: -5 / 4 = -1.25 -> (-5 - 2) / 4 = -1 (floor would give -2).
  const TensorI8 x = i8({1, 2, 4, 2}, {-1, 1, -1, 1, -3, 3, -3, 3, 0, 0, 0, 0, 0, 0, 0, 0});
  PoolParams p;
  CHECK(ints(average_pool(x, p)) == std::vector<int>{-1, 1, -2, 2});
  const TensorI8 x2 = i8({1, 2, 2, 1}, {-2, -1, -1, -1});
  CHECK(ints(average_pool(x2, p)) == std::vector<int>{-1});
}

TEST_CASE("add follows the TFLite int8 recipe from scales", "[golden][smoke]") {
  // s1 = 0.5, s2 = 0.25, s_out = 1, zp 1, -2, 3. twice_max = 1.
  //   real1 = 0.5 -> {2^30, 0}; real2 = 0.25 = 0.5 * 2^-1 -> {2^30, -1};
  //   real_out = 1 / (2^20 * 1) = 0.5 * 2^-19 -> {2^30, -19}.
  const AddParams p = add_params_from_scales(0.5, 1, 0.25, -2, 1.0, 3);
  CHECK(p.left_shift == 20);
  CHECK(p.input1_multiplier == (1 << 30));
  CHECK(p.input1_shift == 0);
  CHECK(p.input2_multiplier == (1 << 30));
  CHECK(p.input2_shift == -1);
  CHECK(p.output_multiplier == (1 << 30));
  CHECK(p.output_shift == -19);
  // a = 5, b = 6: (5-1) << 20 = 2^22 -> SRDHM x0.5 -> 2^21; (6+2) << 20 = 2^23 -> 2^22 -> RDBPOT 1
  //   -> 2^21. Sum 2^22 -> SRDHM 2^21 -> RDBPOT 19 -> 4; + 3 = 7.
  // a = 2, b = -1: 1 << 20 -> 2^19; 1 << 20 -> 2^19 -> 2^18. Sum 3 * 2^18 -> 3 * 2^17
  //   -> / 2^19 = 0.75 -> 1; + 3 = 4.
  // a = 0, b = -2: -1 << 20 -> -2^19; 0. Sum -2^19 -> -2^18 -> / 2^19 = -0.5 -> -1 (away from
  //   zero); + 3 = 2.
  // a = -128, b = -128: -129 * 2^19 + (-126 * 2^18) = -384 * 2^18 -> -384 * 2^17 -> / 2^19
  //   = -96; + 3 = -93.
  const TensorI8 a = i8({2, 2}, {5, 2, 0, -128});
  const TensorI8 b = i8({2, 2}, {6, -1, -2, -128});
  const TensorI8 y = add(a, b, p);
  CHECK(y.shape == Shape{2, 2});
  CHECK(ints(y) == std::vector<int>{7, 4, 2, -93});
  // With act range [-50, 5]: 7 -> 5, -93 -> -50.
  const AddParams pc = add_params_from_scales(0.5, 1, 0.25, -2, 1.0, 3, -50, 5);
  CHECK(ints(add(a, b, pc)) == std::vector<int>{5, 4, 2, -50});
}

TEST_CASE("add rounds every stage with double rounding", "[golden][smoke]") {
  // Hand-set parameters with left_shift 0 so that the input stage rounds visibly:
  // m1 = m2 = 2^30, shift -1 (x 0.25); output m = 2^31 - 1, shift 0 (SRDHM(x, 2^31 - 1) = x for
  // small x); zp 1, -1, 5.
  //   a -1, b -1: x1 = -2 -> SRDHM -1 -> RDBPOT(-1, 1) = -1 (-0.5 away from zero); x2 = 0.
  //               sum -1 -> 4. (Single rounding would give 0 -> 5.)
  //   a  3, b  1: x1 = 2 -> 1 -> 1 (0.5 -> 1); x2 = 2 -> 1. sum 2 -> 7.
  //   a -2, b -4: x1 = -3 -> -1 (-1.5 -> -1) -> -1 (-0.5 -> -1); x2 = -3 -> -1. sum -2 -> 3.
  //   a  7, b -7: x1 = 6 -> 3 -> 2 (1.5 -> 2); x2 = -6 -> -3 -> -2 (-1.5 -> -2). sum 0 -> 5.
  AddParams p;
  p.left_shift = 0;
  p.input1_zero_point = 1;
  p.input2_zero_point = -1;
  p.output_zero_point = 5;
  p.input1_multiplier = p.input2_multiplier = 1 << 30;
  p.input1_shift = p.input2_shift = -1;
  p.output_multiplier = 0x7FFFFFFF;
  p.output_shift = 0;
  const TensorI8 a = i8({4}, {-1, 3, -2, 7});
  const TensorI8 b = i8({4}, {-1, 1, -4, -7});
  CHECK(ints(add(a, b, p)) == std::vector<int>{4, 7, 3, 5});
}

TEST_CASE("gemm_i32 subtracts the A zero point", "[golden][smoke]") {
  // A [2,2] = [[1,2],[3,4]], zp 1 -> [[0,1],[2,3]]; B [2,3] = [[1,0,-1],[2,1,0]].
  //   row0: [0*1+1*2, 0*0+1*1, 0*-1+1*0] = [2, 1, 0]
  //   row1: [2*1+3*2, 2*0+3*1, 2*-1+3*0] = [8, 3, -2]
  const TensorI32 c = gemm_i32(i8({2, 2}, {1, 2, 3, 4}), i8({2, 3}, {1, 0, -1, 2, 1, 0}), 1);
  CHECK(c.shape == Shape{2, 3});
  CHECK(c.data == std::vector<std::int32_t>{2, 1, 0, 8, 3, -2});
}

TEST_CASE("compute_padding follows TFLite on known SAME cases", "[golden][smoke]") {
  // in 5, k 3, s 2: out ceil(5/2) = 3; total (3-1)*2 + 3 - 5 = 2 -> 1/1.
  auto r = compute_padding(PadMode::Same, {}, 5, 5, 3, 3, 2, 2);
  CHECK(r.out_h == 3);
  CHECK(r.out_w == 3);
  CHECK(r.pad == Padding{1, 1, 1, 1});
  // in 4, k 3, s 2: out 2; total (2-1)*2 + 3 - 4 = 1 -> 0 before, 1 after.
  r = compute_padding(PadMode::Same, {}, 4, 4, 3, 3, 2, 2);
  CHECK(r.out_h == 2);
  CHECK(r.pad == Padding{0, 1, 0, 1});
  // in 224, k 7, s 2 (ResNet stem): out 112; total 111*2 + 7 - 224 = 5 -> 2/3.
  r = compute_padding(PadMode::Same, {}, 224, 224, 7, 7, 2, 2);
  CHECK(r.out_h == 112);
  CHECK(r.pad == Padding{2, 3, 2, 3});
  // in 2, k 1, s 3: out 1; total max(0 + 1 - 2, 0) = 0.
  r = compute_padding(PadMode::Same, {}, 2, 2, 1, 1, 3, 3);
  CHECK(r.out_h == 1);
  CHECK(r.pad == Padding{});
  // in 1, k 5, s 1: out 1; total 0 + 5 - 1 = 4 -> 2/2.
  r = compute_padding(PadMode::Same, {}, 1, 1, 5, 5, 1, 1);
  CHECK(r.out_h == 1);
  CHECK(r.pad == Padding{2, 2, 2, 2});
  // Different per axis: h in 5 k 3 s 2 (out 3, 1/1), w in 6 k 2 s 1 (out 6, total 1 -> 0/1).
  r = compute_padding(PadMode::Same, {}, 5, 6, 3, 2, 2, 1);
  CHECK(r.out_h == 3);
  CHECK(r.out_w == 6);
  CHECK(r.pad == Padding{1, 1, 0, 1});
  // Dilation 2, k 3: eff 5; in 10 s 1: out 10, total 9 + 5 - 10 = 4 -> 2/2.
  r = compute_padding(PadMode::Same, {}, 10, 10, 3, 3, 1, 1, 2, 2);
  CHECK(r.out_h == 10);
  CHECK(r.pad == Padding{2, 2, 2, 2});
}

TEST_CASE("compute_padding follows TFLite on known VALID and explicit cases", "[golden][smoke]") {
  // VALID out = ceil((in - eff + 1) / s): in 5 k 3 s 1 -> 3; in 6 k 3 s 2 -> 2; in 7 k 3 s 2 -> 3.
  CHECK(compute_padding(PadMode::Valid, {}, 5, 5, 3, 3, 1, 1).out_h == 3);
  CHECK(compute_padding(PadMode::Valid, {}, 6, 6, 3, 3, 2, 2).out_h == 2);
  CHECK(compute_padding(PadMode::Valid, {}, 7, 7, 3, 3, 2, 2).out_w == 3);
  CHECK(compute_padding(PadMode::Valid, {}, 7, 7, 3, 3, 2, 2).pad == Padding{});
  // Dilation 2, k 3 -> eff 5: in 10 -> 6.
  CHECK(compute_padding(PadMode::Valid, {}, 10, 10, 3, 3, 1, 1, 2, 2).out_h == 6);
  // Explicit: out = (in + before + after - eff) / s + 1: in 5, pads 1/2, k 3, s 2 -> 5/2+1 = 3.
  const Padding pad{1, 2, 0, 0};
  auto r = compute_padding(PadMode::Explicit, pad, 5, 5, 3, 3, 2, 2);
  CHECK(r.out_h == 3);
  CHECK(r.out_w == 2);  // (5 + 0 - 3) / 2 + 1
  CHECK(r.pad == pad);
  // Impossible outputs throw: VALID with the kernel larger than the input.
  CHECK_THROWS_AS(compute_padding(PadMode::Valid, {}, 2, 2, 3, 3, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(compute_padding(PadMode::Valid, {}, 5, 5, 3, 3, 1, 1, 3, 3),
                  std::invalid_argument);  // eff 7 > 5
  CHECK_THROWS_AS(compute_padding(PadMode::Explicit, Padding{-1, 0, 0, 0}, 5, 5, 3, 3, 1, 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(compute_padding(PadMode::Same, {}, 5, 5, 3, 3, 0, 1), std::invalid_argument);
}

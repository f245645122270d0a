// Writes the SPEC.json files and .npy tensors of the `npusim run-layer` CTest tests into a
// directory: valid layers (with the golden model's expected output next to them) and one
// malformed spec per error the parser must name.
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "nuri/golden/ops.hpp"

namespace g = nuri::golden;

namespace {

std::string dir;

void write(const std::string& name, const std::string& text) {
  std::ofstream(dir + "/" + name) << text << "\n";
}

g::TensorI8 random_i8(g::Shape s, std::mt19937& rng) {
  g::TensorI8 t(std::move(s));
  std::uniform_int_distribution<int> d(-128, 127);
  for (auto& v : t.data) v = static_cast<std::int8_t>(d(rng));
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: tb_firmware_specgen OUTDIR\n");
    return 2;
  }
  dir = argv[1];
  std::mt19937 rng(2026);
  // conv2d: [1,9,10,5] x [7,3,3,5], stride 2x1, dilation 1x2, SAME, per-channel scales, ReLU.
  const g::TensorI8 x = random_i8({1, 9, 10, 5}, rng), w = random_i8({7, 3, 3, 5}, rng);
  g::TensorI32 b({7});
  for (int i = 0; i < 7; ++i) b.data[static_cast<std::size_t>(i)] = (i - 3) * 1234;
  g::save_npy(dir + "/x.npy", x);
  g::save_npy(dir + "/w.npy", w);
  g::save_npy(dir + "/b.npy", b);
  g::save_npy(dir + "/b_i8.npy", g::TensorI8({7}));
  g::save_npy(dir + "/x_i32.npy", g::TensorI32({1, 9, 10, 5}));
  g::save_npy(dir + "/x_rank3.npy", g::TensorI8({9, 10, 5}));
  g::save_npy(dir + "/w_cin4.npy", g::TensorI8({7, 3, 3, 4}));
  const std::vector<double> ws = {0.01, 0.02, 0.015, 0.005, 0.03, 0.012, 0.008};
  g::ConvParams p;
  p.stride_h = 2;
  p.dilation_w = 2;
  p.pad_mode = g::PadMode::Same;
  p.input_zero_point = -7;
  p.quant = g::output_quant_from_scales(0.05, ws, 0.5, 3, 3, 127, g::Rounding::Double);
  g::save_npy(dir + "/conv_expected.npy", g::conv2d(x, w, &b, p));
  write("conv.json", R"({
  "op": "conv2d", "input": "x.npy", "weights": "w.npy", "bias": "b.npy",
  "stride": [2, 1], "dilation": [1, 2], "padding": "same",
  "input_zero_point": -7, "output_zero_point": 3,
  "input_scale": 0.05, "weight_scales": [0.01, 0.02, 0.015, 0.005, 0.03, 0.012, 0.008],
  "output_scale": 0.5, "activation_min": 3, "activation_max": 127
})");
  // conv2d with explicit padding, per-tensor multiplier, single rounding, no bias.
  g::ConvParams p2;
  p2.stride_h = p2.stride_w = 3;
  p2.pad_mode = g::PadMode::Explicit;
  p2.pad = {2, 0, 1, 3};
  p2.input_zero_point = 127;
  p2.quant.multiplier = {1518500250};
  p2.quant.shift = {-9};
  p2.quant.output_zero_point = -128;
  p2.quant.rounding = g::Rounding::Single;
  g::save_npy(dir + "/conv2_expected.npy", g::conv2d(x, w, nullptr, p2));
  write("conv2.json", R"({"op": "conv2d", "input": "x.npy", "weights": "w.npy",
  "stride": [3, 3], "padding": [2, 0, 1, 3], "input_zero_point": 127, "output_zero_point": -128,
  "output_multiplier": 1518500250, "output_shift": -9, "rounding": "single"})");
  // fully connected [3, 45] x [11, 45], per-channel multipliers.
  const g::TensorI8 fx = random_i8({3, 45}, rng), fw = random_i8({11, 45}, rng);
  g::save_npy(dir + "/fx.npy", fx);
  g::save_npy(dir + "/fw.npy", fw);
  g::FcParams fp;
  fp.input_zero_point = -128;
  fp.quant.multiplier = {1073741824, 1200000000, 1300000000, 1400000000, 1500000000, 1600000000,
                         1700000000, 1800000000, 1900000000, 2000000000, 2100000000};
  fp.quant.shift = {-8, -8, -9, -9, -10, -10, -8, -8, -9, -9, -10};
  fp.quant.output_zero_point = 5;
  g::save_npy(dir + "/fc_expected.npy", g::fully_connected(fx, fw, nullptr, fp));
  write("fc.json", R"({"op": "fully_connected", "input": "fx.npy", "weights": "fw.npy",
  "input_zero_point": -128, "output_zero_point": 5,
  "output_multiplier": [1073741824, 1200000000, 1300000000, 1400000000, 1500000000, 1600000000,
                        1700000000, 1800000000, 1900000000, 2000000000, 2100000000],
  "output_shift": [-8, -8, -9, -9, -10, -10, -8, -8, -9, -9, -10]})");

  // Malformed specs: bad_<field>[_<n>].json.
  const std::string base =
      R"("input": "x.npy", "weights": "w.npy", "output_multiplier": 1073741824, "output_shift": -8)";
  auto bad = [&](const std::string& name, const std::string& body) {
    write("bad_" + name + ".json", "{" + body + "}");
  };
  write("bad_json.json", "{\"op\": \"conv2d\",");
  bad("op_missing", base);
  bad("op_value", R"("op": "depthwise", )" + base);
  bad("input_missing_file",
      R"("op": "conv2d", "input": "nope.npy", "weights": "w.npy", "output_multiplier": 1, "output_shift": 0)");
  bad("input_dtype",
      R"("op": "conv2d", "input": "x_i32.npy", "weights": "w.npy", "output_multiplier": 1, "output_shift": 0)");
  bad("input_shape",
      R"("op": "conv2d", "input": "x_rank3.npy", "weights": "w.npy", "output_multiplier": 1, "output_shift": 0)");
  bad("weights_shape",
      R"("op": "conv2d", "input": "x.npy", "weights": "w_cin4.npy", "output_multiplier": 1, "output_shift": 0)");
  bad("bias_dtype", R"("op": "conv2d", "bias": "b_i8.npy", )" + base);
  bad("bias_shape", R"("op": "conv2d", "bias": "x_i32.npy", )" + base);
  bad("stride_zero", R"("op": "conv2d", "stride": [0, 1], )" + base);
  bad("stride_string", R"("op": "conv2d", "stride": "2", )" + base);
  bad("dilation_one", R"("op": "conv2d", "dilation": [1], )" + base);
  bad("padding_word", R"("op": "conv2d", "padding": "full", )" + base);
  bad("padding_negative", R"("op": "conv2d", "padding": [1, -1, 0, 0], )" + base);
  bad("padding_empty_output", R"("op": "conv2d", "padding": "valid", "dilation": [5, 5], )" + base);
  bad("input_zero_point", R"("op": "conv2d", "input_zero_point": 200, )" + base);
  bad("output_zero_point", R"("op": "conv2d", "output_zero_point": "x", )" + base);
  bad("quant_both",
      R"("op": "conv2d", "input_scale": 0.1, "weight_scales": 0.1, "output_scale": 0.1, )" + base);
  bad("quant_none", R"("op": "conv2d", "input": "x.npy", "weights": "w.npy")");
  bad("output_shift",
      R"("op": "conv2d", "input": "x.npy", "weights": "w.npy", "output_multiplier": 1, "output_shift": 40)");
  bad("output_multiplier",
      R"("op": "conv2d", "input": "x.npy", "weights": "w.npy", "output_multiplier": [1, 2], "output_shift": 0)");
  bad("weight_scales",
      R"("op": "conv2d", "input": "x.npy", "weights": "w.npy", "input_scale": 0.1, "weight_scales": [0.1, 0.2], "output_scale": 0.1)");
  bad("output_scale",
      R"("op": "conv2d", "input": "x.npy", "weights": "w.npy", "input_scale": 0.1, "weight_scales": 0.1, "output_scale": -1)");
  bad("activation_max", R"("op": "conv2d", "activation_min": 10, "activation_max": 0, )" + base);
  bad("rounding", R"("op": "conv2d", "rounding": "up", )" + base);
  bad("unknown_field", R"("op": "conv2d", "strides": [1, 1], )" + base);
  bad("fc_stride",
      R"("op": "fully_connected", "input": "fx.npy", "weights": "fw.npy", "stride": [1, 1], "output_multiplier": 1, "output_shift": 0)");
  return 0;
}

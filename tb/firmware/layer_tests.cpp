// Backend-independent firmware test bodies (see include/nuri/fw_tb/layer_tests.hpp).
#include "nuri/fw_tb/layer_tests.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

namespace nuri::fw::tb {

namespace g = nuri::golden;

namespace {

int pick(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

std::int32_t random_zp(std::mt19937& rng) {
  switch (pick(rng, 0, 7)) {
    case 0:
      return -128;
    case 1:
      return 127;
    case 2:
      return 0;
    default:
      return pick(rng, -100, 100);
  }
}

// zp_in matters: the accumulator's spread grows with |x - zp_in|.
g::OutputQuant random_quant(std::mt19937& rng, int cout, int k_total, std::int32_t zp_in) {
  const bool per_channel = pick(rng, 0, 1) == 1;
  const g::Rounding rounding = pick(rng, 0, 1) ? g::Rounding::Single : g::Rounding::Double;
  const std::int32_t zp_out = random_zp(rng);
  std::int32_t lo = -128, hi = 127;
  switch (pick(rng, 0, 7)) {
    case 0:
      lo = std::min(zp_out, 100);
      break;  // ReLU
    case 1:   // a clamp window around the output zero point
      lo = std::max(-128, zp_out - pick(rng, 10, 128));
      hi = std::min(127, zp_out + pick(rng, 10, 128));
      break;
    default:
      break;
  }
  return spread_quant(rng, cout, k_total, zp_in, zp_out, lo, hi, rounding, per_channel);
}

}  // namespace

g::OutputQuant spread_quant(std::mt19937& rng, int cout, int k_total, std::int32_t zp_in,
                            std::int32_t zp_out, std::int32_t act_min, std::int32_t act_max,
                            g::Rounding rounding, bool per_channel) {
  // Real multipliers that map the accumulator's typical spread (random int8 weights and inputs,
  // standard deviation ~74, inputs offset by -zp_in; bias up to +-30000) to about +-30.
  const double x_rms = std::sqrt(74.0 * 74.0 + double(zp_in) * zp_in);
  const double spread = 74.0 * x_rms * std::sqrt(static_cast<double>(k_total)) + 17000.0;
  std::uniform_real_distribution<double> f(0.5, 2.0);
  std::vector<double> ws(per_channel ? static_cast<std::size_t>(cout) : 1);
  for (auto& v : ws) v = f(rng) * 30.0 / spread;
  return g::output_quant_from_scales(1.0, ws, 1.0, zp_out, act_min, act_max, rounding);
}

TestLayer random_layer(std::uint32_t seed, const LayerGen& gen) {
  std::mt19937 rng(seed * 2654435761u + 12345u);
  TestLayer L;
  L.fc = pick(rng, 1, 100) <= gen.fc_percent;
  std::uniform_int_distribution<int> i8(-128, 127), w8(-128, 127);
  std::uniform_int_distribution<std::int32_t> bias(-30000, 30000);
  L.has_bias = pick(rng, 0, 4) != 0;
  if (L.fc) {
    const int n = pick(rng, 1, gen.max_fc_batch), k = pick(rng, 1, gen.max_fc_k);
    const int cout = pick(rng, 1, gen.max_channels);
    L.input = g::TensorI8({n, k});
    L.weights = g::TensorI8({cout, k});
    L.bias = g::TensorI32({cout});
    L.fcp.input_zero_point = random_zp(rng);
    L.fcp.quant = random_quant(rng, cout, k, L.fcp.input_zero_point);
  } else {
    const int h = pick(rng, 1, gen.max_hw), w = pick(rng, 1, gen.max_hw);
    const int cin = pick(rng, 1, gen.max_channels), cout = pick(rng, 1, gen.max_channels);
    int kh = pick(rng, 1, gen.max_kernel);
    int kw = pick(rng, 0, 2) == 0 ? pick(rng, 1, gen.max_kernel) : kh;
    g::ConvParams& p = L.conv;
    p.stride_h = pick(rng, 1, gen.max_stride);
    p.stride_w = pick(rng, 0, 2) == 0 ? pick(rng, 1, gen.max_stride) : p.stride_h;
    p.dilation_h = pick(rng, 1, gen.max_dilation);
    p.dilation_w = pick(rng, 0, 2) == 0 ? pick(rng, 1, gen.max_dilation) : p.dilation_h;
    const int mode = pick(rng, 0, 2);
    p.pad_mode = mode == 0   ? g::PadMode::Same
                 : mode == 1 ? g::PadMode::Valid
                             : g::PadMode::Explicit;
    if (p.pad_mode == g::PadMode::Explicit) {
      p.pad = {pick(rng, 0, 3), pick(rng, 0, 3), pick(rng, 0, 3), pick(rng, 0, 3)};
    }
    // Keep VALID / explicit outputs non-empty: shrink the kernel until it fits.
    auto eff = [](int k, int d) { return (k - 1) * d + 1; };
    const int room_h = h + (p.pad_mode == g::PadMode::Explicit ? p.pad.top + p.pad.bottom : 0);
    const int room_w = w + (p.pad_mode == g::PadMode::Explicit ? p.pad.left + p.pad.right : 0);
    if (p.pad_mode != g::PadMode::Same) {
      while (kh > 1 && eff(kh, p.dilation_h) > room_h) --kh;
      while (kw > 1 && eff(kw, p.dilation_w) > room_w) --kw;
      if (eff(kh, p.dilation_h) > room_h) p.dilation_h = 1;
      if (eff(kw, p.dilation_w) > room_w) p.dilation_w = 1;
    }
    L.input = g::TensorI8({1, h, w, cin});
    L.weights = g::TensorI8({cout, kh, kw, cin});
    L.bias = g::TensorI32({cout});
    p.input_zero_point = random_zp(rng);
    p.quant = random_quant(rng, cout, kh * kw * cin, p.input_zero_point);
  }
  for (auto& v : L.input.data) v = static_cast<std::int8_t>(i8(rng));
  for (auto& v : L.weights.data) v = static_cast<std::int8_t>(w8(rng));
  for (auto& v : L.bias.data) v = bias(rng);
  return L;
}

std::string TestLayer::describe() const {
  std::ostringstream os;
  const g::OutputQuant& q = fc ? fcp.quant : conv.quant;
  if (fc) {
    os << "fully_connected in " << g::shape_to_string(input.shape) << " w "
       << g::shape_to_string(weights.shape) << " zp_in " << fcp.input_zero_point;
  } else {
    const char* pm = conv.pad_mode == g::PadMode::Same    ? "same"
                     : conv.pad_mode == g::PadMode::Valid ? "valid"
                                                          : "explicit";
    os << "conv2d in " << g::shape_to_string(input.shape) << " w "
       << g::shape_to_string(weights.shape) << " stride " << conv.stride_h << "x" << conv.stride_w
       << " dilation " << conv.dilation_h << "x" << conv.dilation_w << " pad " << pm;
    if (conv.pad_mode == g::PadMode::Explicit) {
      os << "[" << conv.pad.top << "," << conv.pad.bottom << "," << conv.pad.left << ","
         << conv.pad.right << "]";
    }
    os << " zp_in " << conv.input_zero_point;
  }
  os << " zp_out " << q.output_zero_point << " clamp [" << q.act_min << "," << q.act_max << "] "
     << (q.multiplier.size() == 1 ? "per-tensor" : "per-channel") << " "
     << (q.rounding == g::Rounding::Single ? "single" : "double") << (has_bias ? "" : " no-bias");
  return os.str();
}

g::TensorI8 TestLayer::reference() const {
  const g::TensorI32* b = has_bias ? &bias : nullptr;
  return fc ? g::fully_connected(input, weights, b, fcp) : g::conv2d(input, weights, b, conv);
}

LayerOutcome run_and_compare(Npu& npu, const TestLayer& L, const ProgressFn& progress) {
  LayerOutcome o;
  const g::TensorI32* b = L.has_bias ? &L.bias : nullptr;
  g::TensorI8 got;
  o.status = L.fc ? run_fully_connected(npu, L.input, L.weights, b, L.fcp, &got, &o.stats, progress)
                  : run_conv2d(npu, L.input, L.weights, b, L.conv, &got, &o.stats, progress);
  if (o.status != Status::Ok) {
    o.error = npu.last_error();
    return o;
  }
  const g::TensorI8 ref = L.reference();
  if (got.shape != ref.shape) {
    o.mismatches = ref.data.size();
    o.first_mismatches =
        "shape " + g::shape_to_string(got.shape) + " expected " + g::shape_to_string(ref.shape);
    return o;
  }
  std::ostringstream os;
  const std::int64_t c = ref.shape.back();
  const g::OutputQuant& q = L.fc ? L.fcp.quant : L.conv.quant;
  o.outputs = ref.data.size();
  for (std::int8_t v : ref.data) o.clamped += (v == q.act_min || v == q.act_max) ? 1 : 0;
  for (std::size_t i = 0; i < ref.data.size(); ++i) {
    if (got.data[i] == ref.data[i]) continue;
    if (o.mismatches++ < 4) {
      os << "pixel " << static_cast<std::int64_t>(i) / c << " ch "
         << static_cast<std::int64_t>(i) % c << ": expected " << int{ref.data[i]} << " got "
         << int{got.data[i]} << "; ";
    }
  }
  o.first_mismatches = os.str();
  return o;
}

RandomLayersReport run_random_layers(Npu& npu, std::uint32_t seed, int count, const LayerGen& gen) {
  RandomLayersReport r;
  for (int i = 0; i < count; ++i) {
    const std::uint32_t s = seed + static_cast<std::uint32_t>(i);
    const TestLayer L = random_layer(s, gen);
    const LayerOutcome o = run_and_compare(npu, L);
    ++r.run;
    r.macs += o.stats.macs;
    r.cycles += o.stats.cycles;
    r.outputs += o.outputs;
    r.clamped += o.clamped;
    if (o.clamped * 10 > o.outputs * 9) ++r.saturated_layers;
    if (o.ok()) {
      ++r.passed;
      continue;
    }
    std::ostringstream os;
    os << "seed " << s << ": " << L.describe() << ": ";
    if (o.status != Status::Ok) {
      os << to_string(o.status) << " (" << o.error << ")";
    } else {
      os << o.mismatches << " mismatches: " << o.first_mismatches;
    }
    r.failures.push_back(os.str());
  }
  return r;
}

RandomLayersReport run_random_layers(Hal& hal, std::uint32_t seed, int count, const LayerGen& gen,
                                     const NpuOptions& opt) {
  Npu npu(hal, opt);
  if (const Status st = npu.probe(); st != Status::Ok) {
    RandomLayersReport r;
    r.run = 1;
    r.failures.push_back(std::string("probe: ") + to_string(st) + " (" + npu.last_error() + ")");
    return r;
  }
  return run_random_layers(npu, seed, count, gen);
}

}  // namespace nuri::fw::tb

// Nuri golden model: int8 operators, bit-exact with TFLite's reference_integer_ops.
//
// Speed notes. Convolution-like operators widen the input once into a zero-padded buffer of
// (x - zp_in) values (int16 when that cannot overflow, int32 otherwise), so padding taps hold 0
// and contribute nothing, exactly like TFLite skipping out-of-image taps. The innermost loop runs
// over contiguous output channels with 32-bit accumulators; GCC vectorizes it with SSE2. All
// accumulation is done in uint32 so that int32 wrap-around is well defined and identical to the
// int32 sum TFLite forms (addition is associative modulo 2^32, so the order does not matter).
#include "nuri/golden/ops.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "quant_impl.hpp"

namespace nuri::golden {

namespace {

[[noreturn]] void invalid(const std::string& who, const std::string& what) {
  throw std::invalid_argument(who + ": " + what);
}

void check_rank(const std::string& who, const char* arg, const Shape& shape, int rank) {
  if (static_cast<int>(shape.size()) != rank) {
    invalid(who, std::string(arg) + " must have rank " + std::to_string(rank) + ", got shape " +
                     shape_to_string(shape));
  }
}

template <typename T>
void check_data(const std::string& who, const char* arg, const Tensor<T>& t) {
  if (static_cast<std::int64_t>(t.data.size()) != shape_elements(t.shape)) {
    invalid(who, std::string(arg) + " data size " + std::to_string(t.data.size()) +
                     " does not match its shape " + shape_to_string(t.shape));
  }
}

void check_int_range(const std::string& who, const char* arg, std::int64_t v, std::int64_t lo) {
  if (v < lo)
    invalid(who,
            std::string(arg) + " must be >= " + std::to_string(lo) + ", got " + std::to_string(v));
}

// Validated view of OutputQuant for `channels` output channels.
struct QuantView {
  const OutputQuant* q;
  bool per_channel_m, per_channel_s;
  std::int32_t m(std::int64_t c) const {
    return q->multiplier[per_channel_m ? static_cast<std::size_t>(c) : 0];
  }
  int s(std::int64_t c) const { return q->shift[per_channel_s ? static_cast<std::size_t>(c) : 0]; }
  std::int8_t requant(std::int32_t acc, std::int64_t c) const {
    return detail::requantize(acc, m(c), s(c), q->output_zero_point, q->act_min, q->act_max,
                              q->rounding);
  }
};

QuantView check_quant(const std::string& who, const OutputQuant& q, std::int64_t channels) {
  auto len_ok = [&](std::size_t n) { return n == 1 || static_cast<std::int64_t>(n) == channels; };
  if (!len_ok(q.multiplier.size())) {
    invalid(who, "quant.multiplier has length " + std::to_string(q.multiplier.size()) +
                     ", expected 1 or " + std::to_string(channels) + " (output channels)");
  }
  if (!len_ok(q.shift.size())) {
    invalid(who, "quant.shift has length " + std::to_string(q.shift.size()) + ", expected 1 or " +
                     std::to_string(channels) + " (output channels)");
  }
  for (auto m : q.multiplier) {
    if (m < 0) invalid(who, "quant.multiplier must be >= 0, got " + std::to_string(m));
  }
  for (auto s : q.shift) {
    if (s < -31 || s > 30)
      invalid(who, "quant.shift must be in [-31, 30], got " + std::to_string(s));
  }
  detail::check_activation(q.act_min, q.act_max, (who + " (quant)").c_str());
  if (q.rounding != Rounding::Double && q.rounding != Rounding::Single) {
    invalid(who, "quant.rounding is not a valid Rounding value");
  }
  return QuantView{&q, q.multiplier.size() != 1, q.shift.size() != 1};
}

void check_bias(const std::string& who, const TensorI32* bias, std::int64_t channels) {
  if (!bias) return;
  check_data(who, "bias", *bias);
  if (bias->shape.size() != 1 || bias->shape[0] != channels) {
    invalid(who, "bias must have shape [" + std::to_string(channels) + "], got " +
                     shape_to_string(bias->shape));
  }
}

// Geometry shared by conv2d, depthwise_conv2d and fully_connected (as a 1x1 convolution).
struct Geometry {
  std::int64_t n, h, w, cin;
  std::int64_t kh, kw, cout;
  std::int64_t oh, ow;
  std::int64_t sh, sw, dh, dw;
  std::int64_t pt, pl;
  std::int64_t ph, pw;  // padded buffer extent
};

Geometry make_geometry(const std::string& who, const Shape& in, std::int64_t kh, std::int64_t kw,
                       std::int64_t cout, const ConvParams& p) {
  check_int_range(who, "stride_h", p.stride_h, 1);
  check_int_range(who, "stride_w", p.stride_w, 1);
  check_int_range(who, "dilation_h", p.dilation_h, 1);
  check_int_range(who, "dilation_w", p.dilation_w, 1);
  if (in[1] > std::numeric_limits<int>::max() || in[2] > std::numeric_limits<int>::max() ||
      kh > std::numeric_limits<int>::max() || kw > std::numeric_limits<int>::max()) {
    invalid(who, "tensor dimensions too large");
  }
  const PaddedDims pd = compute_padding(
      p.pad_mode, p.pad, static_cast<int>(in[1]), static_cast<int>(in[2]), static_cast<int>(kh),
      static_cast<int>(kw), p.stride_h, p.stride_w, p.dilation_h, p.dilation_w);
  Geometry g{};
  g.n = in[0];
  g.h = in[1];
  g.w = in[2];
  g.cin = in[3];
  g.kh = kh;
  g.kw = kw;
  g.cout = cout;
  g.oh = pd.out_h;
  g.ow = pd.out_w;
  g.sh = p.stride_h;
  g.sw = p.stride_w;
  g.dh = p.dilation_h;
  g.dw = p.dilation_w;
  g.pt = pd.pad.top;
  g.pl = pd.pad.left;
  g.ph = std::max(g.pt + g.h, (g.oh - 1) * g.sh + (g.kh - 1) * g.dh + 1);
  g.pw = std::max(g.pl + g.w, (g.ow - 1) * g.sw + (g.kw - 1) * g.dw + 1);
  return g;
}

// (x - zp) fits int16 for every int8 x when zp is in this range.
bool zp_fits_int16(std::int32_t zp) { return zp >= -32640 && zp <= 32639; }

template <typename XT>
std::vector<XT> pad_input(const TensorI8& input, const Geometry& g, std::int32_t zp) {
  std::vector<XT> buf(static_cast<std::size_t>(g.n * g.ph * g.pw * g.cin), XT{0});
  for (std::int64_t n = 0; n < g.n; ++n) {
    for (std::int64_t y = 0; y < g.h; ++y) {
      const std::int8_t* src = &input.data[static_cast<std::size_t>(((n * g.h + y) * g.w) * g.cin)];
      XT* dst = &buf[static_cast<std::size_t>(((n * g.ph + y + g.pt) * g.pw + g.pl) * g.cin)];
      for (std::int64_t i = 0; i < g.w * g.cin; ++i) {
        dst[i] = static_cast<XT>(detail::wrapping_sub(src[i], zp));
      }
    }
  }
  return buf;
}

template <typename XT>
inline std::uint32_t mul_u32(XT x, std::int16_t w) {
  if constexpr (sizeof(XT) == 2) {
    return static_cast<std::uint32_t>(static_cast<std::int32_t>(x) * static_cast<std::int32_t>(w));
  } else {
    return static_cast<std::uint32_t>(x) * static_cast<std::uint32_t>(static_cast<std::int32_t>(w));
  }
}

// Dense convolution core. wt is [KH][KW][Cin][Cout] int16. sink(pixel_index, acc) receives the
// Cout raw sums (no bias) for output pixel ((n*OH + oy)*OW + ox).
template <typename XT, typename Sink>
void conv_core(const std::vector<XT>& xpad, const std::vector<std::int16_t>& wt, const Geometry& g,
               Sink&& sink) {
  std::vector<std::uint32_t> acc(static_cast<std::size_t>(g.cout));
  const std::int64_t cout = g.cout, cin = g.cin;
  for (std::int64_t n = 0; n < g.n; ++n) {
    for (std::int64_t oy = 0; oy < g.oh; ++oy) {
      for (std::int64_t ox = 0; ox < g.ow; ++ox) {
        std::uint32_t* __restrict a = acc.data();
        std::fill(acc.begin(), acc.end(), 0u);
        for (std::int64_t ky = 0; ky < g.kh; ++ky) {
          const std::int64_t py = oy * g.sh + ky * g.dh;
          for (std::int64_t kx = 0; kx < g.kw; ++kx) {
            const std::int64_t px = ox * g.sw + kx * g.dw;
            const XT* __restrict xp =
                &xpad[static_cast<std::size_t>(((n * g.ph + py) * g.pw + px) * cin)];
            const std::int16_t* __restrict wp =
                &wt[static_cast<std::size_t>((ky * g.kw + kx) * cin * cout)];
            for (std::int64_t ic = 0; ic < cin; ++ic) {
              const XT xv = xp[ic];
              const std::int16_t* __restrict wr = wp + ic * cout;
              for (std::int64_t oc = 0; oc < cout; ++oc) a[oc] += mul_u32(xv, wr[oc]);
            }
          }
        }
        sink((n * g.oh + oy) * g.ow + ox, acc.data());
      }
    }
  }
}

// Depthwise core. wt is [KH][KW][Cout] int16, Cout = Cin * dm.
template <typename XT, typename Sink>
void depthwise_core(const std::vector<XT>& xpad, const std::vector<std::int16_t>& wt,
                    const Geometry& g, std::int64_t dm, Sink&& sink) {
  std::vector<std::uint32_t> acc(static_cast<std::size_t>(g.cout));
  const std::int64_t cout = g.cout, cin = g.cin;
  for (std::int64_t n = 0; n < g.n; ++n) {
    for (std::int64_t oy = 0; oy < g.oh; ++oy) {
      for (std::int64_t ox = 0; ox < g.ow; ++ox) {
        std::uint32_t* __restrict a = acc.data();
        std::fill(acc.begin(), acc.end(), 0u);
        for (std::int64_t ky = 0; ky < g.kh; ++ky) {
          const std::int64_t py = oy * g.sh + ky * g.dh;
          for (std::int64_t kx = 0; kx < g.kw; ++kx) {
            const std::int64_t px = ox * g.sw + kx * g.dw;
            const XT* __restrict xp =
                &xpad[static_cast<std::size_t>(((n * g.ph + py) * g.pw + px) * cin)];
            const std::int16_t* __restrict wp =
                &wt[static_cast<std::size_t>((ky * g.kw + kx) * cout)];
            if (dm == 1) {
              for (std::int64_t c = 0; c < cout; ++c) a[c] += mul_u32(xp[c], wp[c]);
            } else {
              for (std::int64_t ic = 0; ic < cin; ++ic) {
                const XT xv = xp[ic];
                for (std::int64_t m = 0; m < dm; ++m)
                  a[ic * dm + m] += mul_u32(xv, wp[ic * dm + m]);
              }
            }
          }
        }
        sink((n * g.oh + oy) * g.ow + ox, acc.data());
      }
    }
  }
}

template <typename Fn>
void with_padded_input(const TensorI8& input, const Geometry& g, std::int32_t zp, Fn&& fn) {
  if (zp_fits_int16(zp)) {
    fn(pad_input<std::int16_t>(input, g, zp));
  } else {
    fn(pad_input<std::int32_t>(input, g, zp));
  }
}

std::int32_t bias_at(const TensorI32* bias, std::int64_t c) {
  return bias ? bias->data[static_cast<std::size_t>(c)] : 0;
}

struct ConvSetup {
  Geometry g;
  std::vector<std::int16_t> wt;  // [KH][KW][Cin][Cout]
};

ConvSetup conv_setup(const std::string& who, const TensorI8& input, const TensorI8& weights,
                     const TensorI32* bias, const ConvParams& params) {
  check_rank(who, "input", input.shape, 4);
  check_rank(who, "weights", weights.shape, 4);
  check_data(who, "input", input);
  check_data(who, "weights", weights);
  const std::int64_t cout = weights.shape[0], kh = weights.shape[1], kw = weights.shape[2];
  if (weights.shape[3] != input.shape[3]) {
    invalid(who, "weights input channels (" + std::to_string(weights.shape[3]) +
                     ") do not match input channels (" + std::to_string(input.shape[3]) +
                     "): weights " + shape_to_string(weights.shape) + ", input " +
                     shape_to_string(input.shape));
  }
  if (kh < 1 || kw < 1)
    invalid(who, "weights kernel size must be >= 1, got " + shape_to_string(weights.shape));
  check_bias(who, bias, cout);
  ConvSetup s{make_geometry(who, input.shape, kh, kw, cout, params), {}};
  const std::int64_t cin = s.g.cin;
  s.wt.resize(static_cast<std::size_t>(kh * kw * cin * cout));
  for (std::int64_t oc = 0; oc < cout; ++oc) {
    for (std::int64_t t = 0; t < kh * kw; ++t) {
      for (std::int64_t ic = 0; ic < cin; ++ic) {
        s.wt[static_cast<std::size_t>((t * cin + ic) * cout + oc)] =
            weights.data[static_cast<std::size_t>((oc * kh * kw + t) * cin + ic)];
      }
    }
  }
  return s;
}

template <typename Out, typename Emit>
void run_conv(const TensorI8& input, const ConvSetup& s, const TensorI32* bias, std::int32_t zp,
              Out& out, Emit&& emit) {
  const std::int64_t cout = s.g.cout;
  with_padded_input(input, s.g, zp, [&](const auto& xpad) {
    conv_core(xpad, s.wt, s.g, [&](std::int64_t pix, const std::uint32_t* acc) {
      auto* o = &out.data[static_cast<std::size_t>(pix * cout)];
      for (std::int64_t c = 0; c < cout; ++c) {
        o[c] = emit(detail::wrapping_add(detail::wrap32(acc[c]), bias_at(bias, c)), c);
      }
    });
  });
}

}  // namespace

PaddedDims compute_padding(PadMode mode, const Padding& explicit_pad, int in_h, int in_w,
                           int kernel_h, int kernel_w, int stride_h, int stride_w, int dilation_h,
                           int dilation_w) {
  const std::string who = "compute_padding";
  check_int_range(who, "in_h", in_h, 1);
  check_int_range(who, "in_w", in_w, 1);
  check_int_range(who, "kernel_h", kernel_h, 1);
  check_int_range(who, "kernel_w", kernel_w, 1);
  check_int_range(who, "stride_h", stride_h, 1);
  check_int_range(who, "stride_w", stride_w, 1);
  check_int_range(who, "dilation_h", dilation_h, 1);
  check_int_range(who, "dilation_w", dilation_w, 1);
  PaddedDims r;
  auto one_axis = [&](const char* axis, std::int64_t in, std::int64_t k, std::int64_t s,
                      std::int64_t d, int exp_before, int exp_after, int& before, int& after) {
    const std::int64_t eff = (k - 1) * d + 1;
    std::int64_t out = 0;
    switch (mode) {
      case PadMode::Valid:
        if (in < eff) {
          invalid(who, std::string("VALID output would be empty along ") + axis + " (input " +
                           std::to_string(in) + " < dilated kernel " + std::to_string(eff) + ")");
        }
        out = (in - eff + s) / s;  // ceil((in - eff + 1) / s)
        before = after = 0;
        break;
      case PadMode::Same: {
        out = (in + s - 1) / s;  // ceil(in / s)
        const std::int64_t total = std::max<std::int64_t>((out - 1) * s + eff - in, 0);
        before = static_cast<int>(total / 2);
        after = static_cast<int>(total - total / 2);
        break;
      }
      case PadMode::Explicit:
        if (exp_before < 0 || exp_after < 0) {
          invalid(who, std::string("explicit padding must be >= 0 along ") + axis);
        }
        if (in + exp_before + exp_after < eff) {
          invalid(who, std::string("explicit-padding output would be empty along ") + axis);
        }
        out = (in + exp_before + exp_after - eff) / s + 1;
        before = exp_before;
        after = exp_after;
        break;
      default:
        invalid(who, "unknown PadMode");
    }
    if (out > std::numeric_limits<int>::max()) invalid(who, "output too large");
    return static_cast<int>(out);
  };
  r.out_h = one_axis("height", in_h, kernel_h, stride_h, dilation_h, explicit_pad.top,
                     explicit_pad.bottom, r.pad.top, r.pad.bottom);
  r.out_w = one_axis("width", in_w, kernel_w, stride_w, dilation_w, explicit_pad.left,
                     explicit_pad.right, r.pad.left, r.pad.right);
  return r;
}

OutputQuant output_quant_from_scales(double input_scale, const std::vector<double>& weight_scales,
                                     double output_scale, std::int32_t output_zero_point,
                                     std::int32_t act_min, std::int32_t act_max,
                                     Rounding rounding) {
  const std::string who = "output_quant_from_scales";
  auto check_scale = [&](const char* arg, double s) {
    if (!(s > 0.0) || !std::isfinite(s)) invalid(who, std::string(arg) + " must be finite and > 0");
  };
  check_scale("input_scale", input_scale);
  check_scale("output_scale", output_scale);
  if (weight_scales.empty()) invalid(who, "weight_scales is empty");
  for (double w : weight_scales) check_scale("weight_scales[i]", w);
  detail::check_activation(act_min, act_max, who.c_str());
  OutputQuant q;
  q.multiplier.clear();
  q.shift.clear();
  for (double w : weight_scales) {
    const QuantizedMultiplier qm = quantize_multiplier(input_scale * w / output_scale, rounding);
    q.multiplier.push_back(qm.multiplier);
    q.shift.push_back(qm.shift);
  }
  q.output_zero_point = output_zero_point;
  q.act_min = act_min;
  q.act_max = act_max;
  q.rounding = rounding;
  return q;
}

TensorI32 conv2d_acc(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                     const ConvParams& params) {
  const ConvSetup s = conv_setup("conv2d_acc", input, weights, bias, params);
  TensorI32 out({s.g.n, s.g.oh, s.g.ow, s.g.cout});
  run_conv(input, s, bias, params.input_zero_point, out,
           [](std::int32_t acc, std::int64_t) { return acc; });
  return out;
}

TensorI8 conv2d(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                const ConvParams& params) {
  const ConvSetup s = conv_setup("conv2d", input, weights, bias, params);
  const QuantView qv = check_quant("conv2d", params.quant, s.g.cout);
  TensorI8 out({s.g.n, s.g.oh, s.g.ow, s.g.cout});
  run_conv(input, s, bias, params.input_zero_point, out,
           [&](std::int32_t acc, std::int64_t c) { return qv.requant(acc, c); });
  return out;
}

TensorI8 depthwise_conv2d(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                          const ConvParams& params) {
  const std::string who = "depthwise_conv2d";
  check_rank(who, "input", input.shape, 4);
  check_rank(who, "weights", weights.shape, 4);
  check_data(who, "input", input);
  check_data(who, "weights", weights);
  check_int_range(who, "depth_multiplier", params.depth_multiplier, 1);
  const std::int64_t dm = params.depth_multiplier;
  const std::int64_t kh = weights.shape[1], kw = weights.shape[2], cout = weights.shape[3];
  if (weights.shape[0] != 1) {
    invalid(who, "weights must have shape [1,KH,KW,Cin*depth_multiplier], got " +
                     shape_to_string(weights.shape));
  }
  if (cout != input.shape[3] * dm) {
    invalid(who, "weights output channels (" + std::to_string(cout) +
                     ") must equal input channels (" + std::to_string(input.shape[3]) +
                     ") * depth_multiplier (" + std::to_string(dm) + ")");
  }
  if (kh < 1 || kw < 1)
    invalid(who, "weights kernel size must be >= 1, got " + shape_to_string(weights.shape));
  check_bias(who, bias, cout);
  const QuantView qv = check_quant(who, params.quant, cout);
  const Geometry g = make_geometry(who, input.shape, kh, kw, cout, params);
  std::vector<std::int16_t> wt(weights.data.begin(), weights.data.end());
  TensorI8 out({g.n, g.oh, g.ow, cout});
  with_padded_input(input, g, params.input_zero_point, [&](const auto& xpad) {
    depthwise_core(xpad, wt, g, dm, [&](std::int64_t pix, const std::uint32_t* acc) {
      auto* o = &out.data[static_cast<std::size_t>(pix * cout)];
      for (std::int64_t c = 0; c < cout; ++c) {
        o[c] = qv.requant(detail::wrapping_add(detail::wrap32(acc[c]), bias_at(bias, c)), c);
      }
    });
  });
  return out;
}

TensorI8 fully_connected(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                         const FcParams& params) {
  const std::string who = "fully_connected";
  check_rank(who, "input", input.shape, 2);
  check_rank(who, "weights", weights.shape, 2);
  check_data(who, "input", input);
  check_data(who, "weights", weights);
  const std::int64_t n = input.shape[0], k = input.shape[1], cout = weights.shape[0];
  if (weights.shape[1] != k) {
    invalid(who, "weights depth (" + std::to_string(weights.shape[1]) +
                     ") does not match input depth (" + std::to_string(k) + "): weights " +
                     shape_to_string(weights.shape) + ", input " + shape_to_string(input.shape));
  }
  check_bias(who, bias, cout);
  const QuantView qv = check_quant(who, params.quant, cout);
  // A fully connected layer is a 1x1 convolution over an [N,1,1,K] image.
  ConvSetup s{};
  s.g = Geometry{n, 1, 1, k, 1, 1, cout, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1};
  s.wt.resize(static_cast<std::size_t>(k * cout));
  for (std::int64_t oc = 0; oc < cout; ++oc) {
    for (std::int64_t i = 0; i < k; ++i) {
      s.wt[static_cast<std::size_t>(i * cout + oc)] =
          weights.data[static_cast<std::size_t>(oc * k + i)];
    }
  }
  TensorI8 out({n, cout});
  run_conv(input, s, bias, params.input_zero_point, out,
           [&](std::int32_t acc, std::int64_t c) { return qv.requant(acc, c); });
  return out;
}

namespace {

struct PoolGeometry {
  std::int64_t n, h, w, c, oh, ow, pt, pl;
};

PoolGeometry pool_setup(const std::string& who, const TensorI8& input, const PoolParams& p) {
  check_rank(who, "input", input.shape, 4);
  check_data(who, "input", input);
  check_int_range(who, "filter_h", p.filter_h, 1);
  check_int_range(who, "filter_w", p.filter_w, 1);
  check_int_range(who, "stride_h", p.stride_h, 1);
  check_int_range(who, "stride_w", p.stride_w, 1);
  detail::check_activation(p.act_min, p.act_max, who.c_str());
  if (input.shape[1] > std::numeric_limits<int>::max() ||
      input.shape[2] > std::numeric_limits<int>::max()) {
    invalid(who, "tensor dimensions too large");
  }
  const PaddedDims pd = compute_padding(p.pad_mode, p.pad, static_cast<int>(input.shape[1]),
                                        static_cast<int>(input.shape[2]), p.filter_h, p.filter_w,
                                        p.stride_h, p.stride_w);
  return {input.shape[0], input.shape[1], input.shape[2], input.shape[3],
          pd.out_h,       pd.out_w,       pd.pad.top,     pd.pad.left};
}

// Calls fn(n, oy, ox, y0, y1, x0, x1) with the in-image window rows [y0,y1) and cols [x0,x1).
template <typename Fn>
void for_each_window(const PoolGeometry& g, const PoolParams& p, Fn&& fn) {
  for (std::int64_t n = 0; n < g.n; ++n) {
    for (std::int64_t oy = 0; oy < g.oh; ++oy) {
      const std::int64_t iy0 = oy * p.stride_h - g.pt;
      const std::int64_t y0 = std::max<std::int64_t>(iy0, 0);
      const std::int64_t y1 = std::min<std::int64_t>(iy0 + p.filter_h, g.h);
      for (std::int64_t ox = 0; ox < g.ow; ++ox) {
        const std::int64_t ix0 = ox * p.stride_w - g.pl;
        const std::int64_t x0 = std::max<std::int64_t>(ix0, 0);
        const std::int64_t x1 = std::min<std::int64_t>(ix0 + p.filter_w, g.w);
        fn(n, oy, ox, y0, y1, x0, x1);
      }
    }
  }
}

}  // namespace

TensorI8 max_pool(const TensorI8& input, const PoolParams& params) {
  const PoolGeometry g = pool_setup("max_pool", input, params);
  TensorI8 out({g.n, g.oh, g.ow, g.c});
  std::vector<std::int8_t> best(static_cast<std::size_t>(g.c));
  for_each_window(g, params,
                  [&](std::int64_t n, std::int64_t oy, std::int64_t ox, std::int64_t y0,
                      std::int64_t y1, std::int64_t x0, std::int64_t x1) {
                    // TFLite starts from the lowest int8; a window entirely in the padding yields
                    // act_min.
                    std::fill(best.begin(), best.end(), std::numeric_limits<std::int8_t>::lowest());
                    for (std::int64_t y = y0; y < y1; ++y) {
                      for (std::int64_t x = x0; x < x1; ++x) {
                        const std::int8_t* src = &input.at4(n, y, x, 0);
                        for (std::int64_t c = 0; c < g.c; ++c)
                          best[static_cast<std::size_t>(c)] =
                              std::max(best[static_cast<std::size_t>(c)], src[c]);
                      }
                    }
                    std::int8_t* dst = &out.at4(n, oy, ox, 0);
                    for (std::int64_t c = 0; c < g.c; ++c) {
                      dst[c] = static_cast<std::int8_t>(std::clamp<std::int32_t>(
                          best[static_cast<std::size_t>(c)], params.act_min, params.act_max));
                    }
                  });
  return out;
}

TensorI8 average_pool(const TensorI8& input, const PoolParams& params) {
  const PoolGeometry g = pool_setup("average_pool", input, params);
  TensorI8 out({g.n, g.oh, g.ow, g.c});
  std::vector<std::int32_t> sum(static_cast<std::size_t>(g.c));
  for_each_window(
      g, params,
      [&](std::int64_t n, std::int64_t oy, std::int64_t ox, std::int64_t y0, std::int64_t y1,
          std::int64_t x0, std::int64_t x1) {
        const std::int64_t count64 =
            std::max<std::int64_t>(y1 - y0, 0) * std::max<std::int64_t>(x1 - x0, 0);
        if (count64 == 0) {
          invalid("average_pool",
                  "output (" + std::to_string(oy) + "," + std::to_string(ox) +
                      ") has a window entirely in the padding (TFLite rejects this)");
        }
        if (count64 > (std::int64_t{1} << 23)) invalid("average_pool", "filter window too large");
        const auto count = static_cast<std::int32_t>(count64);
        std::fill(sum.begin(), sum.end(), 0);
        for (std::int64_t y = y0; y < y1; ++y) {
          for (std::int64_t x = x0; x < x1; ++x) {
            const std::int8_t* src = &input.at4(n, y, x, 0);
            for (std::int64_t c = 0; c < g.c; ++c) sum[static_cast<std::size_t>(c)] += src[c];
          }
        }
        std::int8_t* dst = &out.at4(n, oy, ox, 0);
        for (std::int64_t c = 0; c < g.c; ++c) {
          const std::int32_t s = sum[static_cast<std::size_t>(c)];
          // Round half away from zero; C++ division truncates toward zero.
          const std::int32_t avg = s > 0 ? (s + count / 2) / count : (s - count / 2) / count;
          dst[c] = static_cast<std::int8_t>(std::clamp(avg, params.act_min, params.act_max));
        }
      });
  return out;
}

AddParams add_params_from_scales(double input1_scale, std::int32_t input1_zero_point,
                                 double input2_scale, std::int32_t input2_zero_point,
                                 double output_scale, std::int32_t output_zero_point,
                                 std::int32_t act_min, std::int32_t act_max) {
  const std::string who = "add_params_from_scales";
  auto check_scale = [&](const char* arg, double s) {
    if (!(s > 0.0) || !std::isfinite(s)) invalid(who, std::string(arg) + " must be finite and > 0");
  };
  check_scale("input1_scale", input1_scale);
  check_scale("input2_scale", input2_scale);
  check_scale("output_scale", output_scale);
  detail::check_activation(act_min, act_max, who.c_str());
  AddParams p;
  p.left_shift = 20;
  p.input1_zero_point = input1_zero_point;
  p.input2_zero_point = input2_zero_point;
  p.output_zero_point = output_zero_point;
  p.act_min = act_min;
  p.act_max = act_max;
  const double twice_max = 2.0 * std::max(input1_scale, input2_scale);
  auto quant = [&](const char* arg, double real, std::int32_t& m, int& s) {
    const QuantizedMultiplier q = quantize_multiplier(real);
    if (q.shift > 0) {
      invalid(who, std::string(arg) + " real multiplier " + std::to_string(real) +
                       " is >= 1 (output_scale too small for these input scales)");
    }
    m = q.multiplier;
    s = q.shift;
  };
  quant("input1", input1_scale / twice_max, p.input1_multiplier, p.input1_shift);
  quant("input2", input2_scale / twice_max, p.input2_multiplier, p.input2_shift);
  quant("output", twice_max / (static_cast<double>(1 << p.left_shift) * output_scale),
        p.output_multiplier, p.output_shift);
  return p;
}

TensorI8 add(const TensorI8& a, const TensorI8& b, const AddParams& p) {
  const std::string who = "add";
  check_data(who, "a", a);
  check_data(who, "b", b);
  if (a.shape != b.shape) {
    invalid(who, "shapes differ (no broadcasting): " + shape_to_string(a.shape) + " vs " +
                     shape_to_string(b.shape));
  }
  auto check_m = [&](const char* arg, std::int32_t m, int s) {
    if (m < 0) invalid(who, std::string(arg) + "_multiplier must be >= 0");
    if (s < -31 || s > 0) {
      invalid(who, std::string(arg) + "_shift must be in [-31, 0], got " + std::to_string(s));
    }
  };
  check_m("input1", p.input1_multiplier, p.input1_shift);
  check_m("input2", p.input2_multiplier, p.input2_shift);
  check_m("output", p.output_multiplier, p.output_shift);
  if (p.left_shift < 0 || p.left_shift > 31) {
    invalid(who, "left_shift must be in [0, 31], got " + std::to_string(p.left_shift));
  }
  detail::check_activation(p.act_min, p.act_max, who.c_str());
  if (p.rounding != Rounding::Double && p.rounding != Rounding::Single) {
    invalid(who, "rounding is not a valid Rounding value");
  }
  TensorI8 out(a.shape);
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    namespace d = detail;
    const std::int32_t x1 =
        d::wrapping_shl(d::wrapping_sub(a.data[i], p.input1_zero_point), p.left_shift);
    const std::int32_t x2 =
        d::wrapping_shl(d::wrapping_sub(b.data[i], p.input2_zero_point), p.left_shift);
    const std::int32_t s1 = d::mbqm(x1, p.input1_multiplier, p.input1_shift, p.rounding);
    const std::int32_t s2 = d::mbqm(x2, p.input2_multiplier, p.input2_shift, p.rounding);
    const std::int32_t raw =
        d::mbqm(d::wrapping_add(s1, s2), p.output_multiplier, p.output_shift, p.rounding);
    const std::int64_t v = static_cast<std::int64_t>(raw) + p.output_zero_point;
    out.data[i] = static_cast<std::int8_t>(std::clamp<std::int64_t>(v, p.act_min, p.act_max));
  }
  return out;
}

TensorI32 gemm_i32(const TensorI8& a, const TensorI8& b, std::int32_t a_zero_point) {
  const std::string who = "gemm_i32";
  check_rank(who, "a", a.shape, 2);
  check_rank(who, "b", b.shape, 2);
  check_data(who, "a", a);
  check_data(who, "b", b);
  const std::int64_t m = a.shape[0], k = a.shape[1], n = b.shape[1];
  if (b.shape[0] != k) {
    invalid(who, "inner dimensions differ: a " + shape_to_string(a.shape) + ", b " +
                     shape_to_string(b.shape));
  }
  // Deliberately a plain loop, independent of the convolution core (tests use it as an oracle).
  TensorI32 c({m, n});
  std::vector<std::uint32_t> row(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < m; ++i) {
    std::fill(row.begin(), row.end(), 0u);
    for (std::int64_t kk = 0; kk < k; ++kk) {
      const std::uint32_t av =
          static_cast<std::uint32_t>(detail::wrapping_sub(a.at2(i, kk), a_zero_point));
      const std::int8_t* br = &b.data[static_cast<std::size_t>(kk * n)];
      for (std::int64_t j = 0; j < n; ++j) {
        row[static_cast<std::size_t>(j)] +=
            av * static_cast<std::uint32_t>(static_cast<std::int32_t>(br[j]));
      }
    }
    for (std::int64_t j = 0; j < n; ++j)
      c.at2(i, j) = detail::wrap32(row[static_cast<std::size_t>(j)]);
  }
  return c;
}

}  // namespace nuri::golden

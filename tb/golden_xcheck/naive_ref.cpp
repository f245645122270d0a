// Naive second implementation of TFLite's int8 arithmetic. See naive_ref.hpp for the ground rules
// (independent of sim/golden/src; written from the public headers and TFLite's published rules).
#include "naive_ref.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace nuri::naive {
namespace {

using i128 = __int128;
constexpr std::int64_t kI32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kI32Max = std::numeric_limits<std::int32_t>::max();

void fail(const std::string& what) { throw std::invalid_argument("naive: " + what); }

// Mathematical floor(n / d) for d > 0 (C++ '/' truncates toward zero instead).
i128 floor_div(i128 n, i128 d) {
  i128 q = n / d;
  if (n % d != 0 && n < 0) q -= 1;
  return q;
}

i128 pow2(int e) { return static_cast<i128>(1) << e; }

std::int32_t saturate_i32(i128 v) {
  if (v > kI32Max) return static_cast<std::int32_t>(kI32Max);
  if (v < kI32Min) return static_cast<std::int32_t>(kI32Min);
  return static_cast<std::int32_t>(v);
}

std::size_t idx(std::int64_t i) { return static_cast<std::size_t>(i); }

// Picks the per-tensor (size 1) or per-channel entry of a quantization vector.
template <typename T>
T pick(const std::vector<T>& v, std::int64_t channel, std::int64_t channels, const char* name) {
  if (v.size() == 1) return v[0];
  if (static_cast<std::int64_t>(v.size()) == channels) return v[idx(channel)];
  fail(std::string(name) + " has length " + std::to_string(v.size()) + ", expected 1 or " +
       std::to_string(channels));
  return T{};
}

std::int8_t output_stage(std::int32_t acc, const OutputQuant& q, std::int64_t channel,
                         std::int64_t channels) {
  return naive::requantize(acc, pick(q.multiplier, channel, channels, "multiplier"),
                           pick(q.shift, channel, channels, "shift"), q.output_zero_point,
                           q.act_min, q.act_max, q.rounding);
}

void require_rank(const TensorI8& t, int rank, const char* name) {
  if (t.rank() != rank) fail(std::string(name) + " must have rank " + std::to_string(rank));
  std::int64_t n = 1;
  for (auto d : t.shape) n *= d;
  if (static_cast<std::int64_t>(t.data.size()) != n) {
    fail(std::string(name) + " data size does not match its shape");
  }
}

template <typename T>
golden::Tensor<T> make_tensor(golden::Shape shape) {
  golden::Tensor<T> t;
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  t.shape = std::move(shape);
  t.data.assign(idx(n), T{0});
  return t;
}

// An explicit padded copy of an NHWC tensor: rows/cols [0, ph) x [0, pw), the image placed at
// (top, left); every other element holds `fill`.
struct Padded {
  std::int64_t n = 0, ph = 0, pw = 0, c = 0;
  std::vector<std::int32_t> v;
  std::int32_t get(std::int64_t b, std::int64_t y, std::int64_t x, std::int64_t ch) const {
    if (b < 0 || b >= n || y < 0 || y >= ph || x < 0 || x >= pw || ch < 0 || ch >= c) {
      throw std::logic_error("naive: padded-copy index out of range (bug in the naive model)");
    }
    return v[idx(((b * ph + y) * pw + x) * c + ch)];
  }
};

Padded pad_copy(const TensorI8& in, int top, int left, std::int64_t ph, std::int64_t pw,
                std::int32_t fill) {
  Padded p;
  p.n = in.dim(0);
  p.ph = ph;
  p.pw = pw;
  p.c = in.dim(3);
  p.v.assign(idx(p.n * ph * pw * p.c), fill);
  for (std::int64_t b = 0; b < p.n; ++b)
    for (std::int64_t y = 0; y < in.dim(1); ++y)
      for (std::int64_t x = 0; x < in.dim(2); ++x)
        for (std::int64_t ch = 0; ch < p.c; ++ch)
          p.v[idx(((b * ph + y + top) * pw + x + left) * p.c + ch)] = in.at4(b, y, x, ch);
  return p;
}

// The padded extent needed so that every tap of every output position lies inside the copy.
std::int64_t padded_extent(std::int64_t in, int before, int after, int out, int stride, int eff) {
  return std::max<std::int64_t>(in + before + after,
                                static_cast<std::int64_t>(out - 1) * stride + eff);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------

std::int32_t wrap_i32(std::int64_t v) {
  // Keep the low 32 bits, then read them as two's complement.
  const std::uint32_t low = static_cast<std::uint32_t>(static_cast<std::uint64_t>(v));
  return low >= 0x80000000u
             ? static_cast<std::int32_t>(static_cast<std::int64_t>(low) - (1LL << 32))
             : static_cast<std::int32_t>(low);
}

// SRDHM(a, b) = floor((2ab + 2^31) / 2^32), computed exactly in 128 bits. The only result outside
// int32 is a = b = INT32_MIN (2^63 + 2^31 over 2^32 = 2^31 + 1/2, floor 2^31), which saturates.
std::int32_t srdhm(std::int32_t a, std::int32_t b) {
  const i128 num = 2 * static_cast<i128>(a) * static_cast<i128>(b) + pow2(31);
  return saturate_i32(floor_div(num, pow2(32)));
}

// RDBPOT(x, e) = x / 2^e rounded to nearest, ties away from zero. Exact: q = floor(x / 2^e),
// r = x - q 2^e in [0, 2^e); the fraction is r / 2^e.
std::int32_t rdbpot(std::int32_t x, int exponent) {
  if (exponent < 0 || exponent > 31) fail("rdbpot exponent out of 0..31");
  const i128 d = pow2(exponent);
  i128 q = floor_div(x, d);
  const i128 r = static_cast<i128>(x) - q * d;
  if (2 * r > d) {
    q += 1;  // fraction above one half
  } else if (2 * r == d) {
    if (x > 0) q += 1;  // exact tie: away from zero (up for positive, stay at floor for negative)
  }
  return static_cast<std::int32_t>(q);  // |x / 2^e| <= 2^31 and rounding cannot leave int32
}

std::int32_t multiply_by_quantized_multiplier(std::int32_t x, std::int32_t multiplier, int shift,
                                              Rounding rounding) {
  if (shift < -31 || shift > 30) fail("shift out of -31..30");
  if (multiplier < 0) fail("negative multiplier");
  if (rounding == Rounding::Double) {
    const int left = shift > 0 ? shift : 0;
    const int right = shift > 0 ? 0 : -shift;
    // x * 2^left as an int32 expression: exact product, then two's-complement wrap.
    const std::int32_t shifted = naive::wrap_i32(static_cast<std::int64_t>(x) * (1LL << left));
    return naive::rdbpot(naive::srdhm(shifted, multiplier), right);
  }
  // Single rounding: floor((x m + 2^(30 - shift)) / 2^(31 - shift)), saturated to int32.
  const int total = 31 - shift;  // 1..62
  const i128 num = static_cast<i128>(x) * multiplier + pow2(total - 1);
  return saturate_i32(floor_div(num, pow2(total)));
}

std::int8_t requantize(std::int32_t acc, std::int32_t multiplier, int shift,
                       std::int32_t output_zero_point, std::int32_t act_min, std::int32_t act_max,
                       Rounding rounding) {
  std::int64_t v = naive::multiply_by_quantized_multiplier(acc, multiplier, shift, rounding);
  v += output_zero_point;  // exact, no int32 overflow
  if (v < act_min) v = act_min;
  if (v > act_max) v = act_max;
  return static_cast<std::int8_t>(v);
}

// QuantizeMultiplier from the IEEE-754 bits instead of std::frexp:
//   real = M * 2^E exactly (M the integer significand, E the unbiased exponent of its last bit).
//   With L = bit length of M, real = (M / 2^L) * 2^(L + E) and M / 2^L is in [0.5, 1): that is
//   frexp's fraction, so shift = L + E.
//   Q0.31 mantissa = round_half_away(M / 2^L * 2^31) = round(M * 2^(31 - L)); for L > 31 that is
//   (M + 2^(k-1)) >> k with k = L - 31 (M > 0, so half-up is half-away-from-zero).
//   Then: mantissa 2^31 carries (2^30, shift + 1); shift < -31 flushes to (0, 0); in single
//   rounding shift > 30 saturates to (2^31 - 1, 30). Zero gives (0, 0).
QuantizedMultiplier quantize_multiplier(double real_multiplier, Rounding rounding) {
  if (!(real_multiplier >= 0.0)) fail("negative or NaN multiplier");
  QuantizedMultiplier out;
  if (real_multiplier == 0.0) return out;
  std::uint64_t bits = 0;
  std::memcpy(&bits, &real_multiplier, sizeof bits);
  const int exp_field = static_cast<int>((bits >> 52) & 0x7ff);
  const std::uint64_t frac = bits & ((1ULL << 52) - 1);
  if (exp_field == 0x7ff) fail("infinite multiplier");
  std::uint64_t m = 0;
  int e = 0;
  if (exp_field == 0) {  // subnormal: 0.frac * 2^-1022
    m = frac;
    e = -1074;
  } else {  // normal: 1.frac * 2^(exp - 1023)
    m = frac | (1ULL << 52);
    e = exp_field - 1075;
  }
  int len = 0;
  for (std::uint64_t t = m; t != 0; t >>= 1) ++len;
  int shift = len + e;
  std::int64_t q = 0;
  if (len <= 31) {
    q = static_cast<std::int64_t>(m << (31 - len));
  } else {
    const int k = len - 31;
    q = static_cast<std::int64_t>((m + (1ULL << (k - 1))) >> k);
  }
  if (q == (1LL << 31)) {
    q = 1LL << 30;
    shift += 1;
  }
  if (shift < -31) {
    q = 0;
    shift = 0;
  }
  if (rounding == Rounding::Single && shift > 30) {
    q = (1LL << 31) - 1;
    shift = 30;
  }
  out.multiplier = static_cast<std::int32_t>(q);
  out.shift = shift;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Padding: count output positions by brute force (how many window origins o * stride have their
// whole dilated window inside the available extent) rather than by a closed formula.
// ---------------------------------------------------------------------------------------------

namespace {
struct Axis {
  int before = 0, after = 0, out = 0;
};

Axis axis_padding(PadMode mode, int pad_before, int pad_after, int in, int kernel, int stride,
                  int dilation) {
  if (in < 1 || kernel < 1 || stride < 1 || dilation < 1) fail("bad padding arguments");
  const std::int64_t eff = static_cast<std::int64_t>(kernel - 1) * dilation + 1;
  Axis a;
  auto count_fitting = [&](std::int64_t extent) {
    int n = 0;
    for (std::int64_t o = 0; o * stride + eff <= extent; ++o) ++n;
    return n;
  };
  switch (mode) {
    case PadMode::Valid:
      a.out = count_fitting(in);
      break;
    case PadMode::Explicit:
      if (pad_before < 0 || pad_after < 0) fail("negative explicit padding");
      a.before = pad_before;
      a.after = pad_after;
      a.out = count_fitting(static_cast<std::int64_t>(in) + pad_before + pad_after);
      break;
    case PadMode::Same: {
      int n = 0;  // one output per window origin that starts inside the input
      for (std::int64_t o = 0; o * stride < in; ++o) ++n;
      a.out = n;
      const std::int64_t needed = static_cast<std::int64_t>(n - 1) * stride + eff;
      const std::int64_t total = needed > in ? needed - in : 0;
      a.before = static_cast<int>(total / 2);
      a.after = static_cast<int>(total - total / 2);
      break;
    }
  }
  if (a.out < 1) fail("empty output");
  return a;
}
}  // namespace

PaddedDims compute_padding(PadMode mode, const Padding& explicit_pad, int in_h, int in_w,
                           int kernel_h, int kernel_w, int stride_h, int stride_w, int dilation_h,
                           int dilation_w) {
  const Axis v = axis_padding(mode, explicit_pad.top, explicit_pad.bottom, in_h, kernel_h, stride_h,
                              dilation_h);
  const Axis h = axis_padding(mode, explicit_pad.left, explicit_pad.right, in_w, kernel_w, stride_w,
                              dilation_w);
  PaddedDims d;
  d.pad.top = v.before;
  d.pad.bottom = v.after;
  d.pad.left = h.before;
  d.pad.right = h.after;
  d.out_h = v.out;
  d.out_w = h.out;
  return d;
}

OutputQuant output_quant_from_scales(double input_scale, const std::vector<double>& weight_scales,
                                     double output_scale, std::int32_t output_zero_point,
                                     std::int32_t act_min, std::int32_t act_max,
                                     Rounding rounding) {
  OutputQuant q;
  q.multiplier.clear();
  q.shift.clear();
  for (double ws : weight_scales) {
    // Same double expression, same evaluation order as TFLite's per-channel Prepare.
    const double real = input_scale * ws / output_scale;
    const QuantizedMultiplier qm = naive::quantize_multiplier(real, rounding);
    q.multiplier.push_back(qm.multiplier);
    q.shift.push_back(qm.shift);
  }
  q.output_zero_point = output_zero_point;
  q.act_min = act_min;
  q.act_max = act_max;
  q.rounding = rounding;
  return q;
}

// ---------------------------------------------------------------------------------------------
// Convolutions: explicit zero-point-filled padded copy, then every tap of every window is read
// (padding taps contribute w * (zp - zp) = 0). Sums are exact in int64, then wrapped to int32.
// ---------------------------------------------------------------------------------------------

TensorI32 conv2d_acc(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                     const ConvParams& p) {
  require_rank(input, 4, "input");
  require_rank(weights, 4, "weights");
  const std::int64_t N = input.dim(0), H = input.dim(1), W = input.dim(2), Cin = input.dim(3);
  const std::int64_t Cout = weights.dim(0), KH = weights.dim(1), KW = weights.dim(2);
  if (weights.dim(3) != Cin) fail("weights channel count != input channels");
  if (bias != nullptr && (bias->rank() != 1 || bias->dim(0) != Cout)) fail("bias shape");
  const PaddedDims d = naive::compute_padding(
      p.pad_mode, p.pad, static_cast<int>(H), static_cast<int>(W), static_cast<int>(KH),
      static_cast<int>(KW), p.stride_h, p.stride_w, p.dilation_h, p.dilation_w);
  const int eff_h = static_cast<int>(KH - 1) * p.dilation_h + 1;
  const int eff_w = static_cast<int>(KW - 1) * p.dilation_w + 1;
  const Padded x = pad_copy(input, d.pad.top, d.pad.left,
                            padded_extent(H, d.pad.top, d.pad.bottom, d.out_h, p.stride_h, eff_h),
                            padded_extent(W, d.pad.left, d.pad.right, d.out_w, p.stride_w, eff_w),
                            p.input_zero_point);
  TensorI32 out = make_tensor<std::int32_t>({N, d.out_h, d.out_w, Cout});
  for (std::int64_t b = 0; b < N; ++b)
    for (std::int64_t oy = 0; oy < d.out_h; ++oy)
      for (std::int64_t ox = 0; ox < d.out_w; ++ox)
        for (std::int64_t oc = 0; oc < Cout; ++oc) {
          std::int64_t acc = 0;
          for (std::int64_t ky = 0; ky < KH; ++ky)
            for (std::int64_t kx = 0; kx < KW; ++kx)
              for (std::int64_t ic = 0; ic < Cin; ++ic) {
                const std::int64_t xv = x.get(b, oy * p.stride_h + ky * p.dilation_h,
                                              ox * p.stride_w + kx * p.dilation_w, ic);
                acc += static_cast<std::int64_t>(weights.at4(oc, ky, kx, ic)) *
                       (xv - p.input_zero_point);
              }
          if (bias != nullptr) acc += bias->data[idx(oc)];
          out.at4(b, oy, ox, oc) = naive::wrap_i32(acc);
        }
  return out;
}

TensorI8 conv2d(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                const ConvParams& p) {
  const TensorI32 acc = naive::conv2d_acc(input, weights, bias, p);
  TensorI8 out = make_tensor<std::int8_t>(acc.shape);
  const std::int64_t Cout = acc.dim(3);
  for (std::size_t i = 0; i < acc.data.size(); ++i) {
    const std::int64_t oc = static_cast<std::int64_t>(i) % Cout;
    out.data[i] = output_stage(acc.data[i], p.quant, oc, Cout);
  }
  return out;
}

TensorI8 depthwise_conv2d(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                          const ConvParams& p) {
  require_rank(input, 4, "input");
  require_rank(weights, 4, "weights");
  const std::int64_t N = input.dim(0), H = input.dim(1), W = input.dim(2), Cin = input.dim(3);
  const std::int64_t KH = weights.dim(1), KW = weights.dim(2), dm = p.depth_multiplier;
  if (dm < 1) fail("depth multiplier");
  const std::int64_t Cout = Cin * dm;
  if (weights.dim(0) != 1 || weights.dim(3) != Cout) fail("depthwise weights shape");
  if (bias != nullptr && (bias->rank() != 1 || bias->dim(0) != Cout)) fail("bias shape");
  const PaddedDims d = naive::compute_padding(
      p.pad_mode, p.pad, static_cast<int>(H), static_cast<int>(W), static_cast<int>(KH),
      static_cast<int>(KW), p.stride_h, p.stride_w, p.dilation_h, p.dilation_w);
  const int eff_h = static_cast<int>(KH - 1) * p.dilation_h + 1;
  const int eff_w = static_cast<int>(KW - 1) * p.dilation_w + 1;
  const Padded x = pad_copy(input, d.pad.top, d.pad.left,
                            padded_extent(H, d.pad.top, d.pad.bottom, d.out_h, p.stride_h, eff_h),
                            padded_extent(W, d.pad.left, d.pad.right, d.out_w, p.stride_w, eff_w),
                            p.input_zero_point);
  TensorI8 out = make_tensor<std::int8_t>({N, d.out_h, d.out_w, Cout});
  for (std::int64_t b = 0; b < N; ++b)
    for (std::int64_t oy = 0; oy < d.out_h; ++oy)
      for (std::int64_t ox = 0; ox < d.out_w; ++ox)
        for (std::int64_t oc = 0; oc < Cout; ++oc) {
          const std::int64_t ic = oc / dm;  // oc = ic * dm + m
          std::int64_t acc = 0;
          for (std::int64_t ky = 0; ky < KH; ++ky)
            for (std::int64_t kx = 0; kx < KW; ++kx) {
              const std::int64_t xv = x.get(b, oy * p.stride_h + ky * p.dilation_h,
                                            ox * p.stride_w + kx * p.dilation_w, ic);
              acc +=
                  static_cast<std::int64_t>(weights.at4(0, ky, kx, oc)) * (xv - p.input_zero_point);
            }
          if (bias != nullptr) acc += bias->data[idx(oc)];
          out.at4(b, oy, ox, oc) = output_stage(naive::wrap_i32(acc), p.quant, oc, Cout);
        }
  return out;
}

TensorI8 fully_connected(const TensorI8& input, const TensorI8& weights, const TensorI32* bias,
                         const FcParams& p) {
  require_rank(input, 2, "input");
  require_rank(weights, 2, "weights");
  const std::int64_t N = input.dim(0), K = input.dim(1), Cout = weights.dim(0);
  if (weights.dim(1) != K) fail("weights depth != input depth");
  if (bias != nullptr && (bias->rank() != 1 || bias->dim(0) != Cout)) fail("bias shape");
  TensorI8 out = make_tensor<std::int8_t>({N, Cout});
  for (std::int64_t b = 0; b < N; ++b)
    for (std::int64_t oc = 0; oc < Cout; ++oc) {
      std::int64_t acc = 0;
      for (std::int64_t k = 0; k < K; ++k)
        acc += static_cast<std::int64_t>(weights.at2(oc, k)) *
               (static_cast<std::int64_t>(input.at2(b, k)) - p.input_zero_point);
      if (bias != nullptr) acc += bias->data[idx(oc)];
      out.at2(b, oc) = output_stage(naive::wrap_i32(acc), p.quant, oc, Cout);
    }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pooling: padded copy whose padding holds a sentinel "absent" value; the window reads every
// position and ignores absent ones.
// ---------------------------------------------------------------------------------------------

namespace {
constexpr std::int32_t kAbsent = std::numeric_limits<std::int32_t>::min();

struct PoolSetup {
  PaddedDims d;
  Padded x;
};

PoolSetup pool_setup(const TensorI8& input, const PoolParams& p) {
  require_rank(input, 4, "input");
  if (p.act_min > p.act_max) fail("act_min > act_max");
  PoolSetup s;
  s.d = naive::compute_padding(p.pad_mode, p.pad, static_cast<int>(input.dim(1)),
                               static_cast<int>(input.dim(2)), p.filter_h, p.filter_w, p.stride_h,
                               p.stride_w, 1, 1);
  s.x = pad_copy(
      input, s.d.pad.top, s.d.pad.left,
      padded_extent(input.dim(1), s.d.pad.top, s.d.pad.bottom, s.d.out_h, p.stride_h, p.filter_h),
      padded_extent(input.dim(2), s.d.pad.left, s.d.pad.right, s.d.out_w, p.stride_w, p.filter_w),
      kAbsent);
  return s;
}
}  // namespace

TensorI8 max_pool(const TensorI8& input, const PoolParams& p) {
  const PoolSetup s = pool_setup(input, p);
  const std::int64_t N = input.dim(0), C = input.dim(3);
  TensorI8 out = make_tensor<std::int8_t>({N, s.d.out_h, s.d.out_w, C});
  for (std::int64_t b = 0; b < N; ++b)
    for (std::int64_t oy = 0; oy < s.d.out_h; ++oy)
      for (std::int64_t ox = 0; ox < s.d.out_w; ++ox)
        for (std::int64_t c = 0; c < C; ++c) {
          std::int32_t best = -128;  // TFLite starts from the int8 lowest value
          for (std::int64_t fy = 0; fy < p.filter_h; ++fy)
            for (std::int64_t fx = 0; fx < p.filter_w; ++fx) {
              const std::int32_t v = s.x.get(b, oy * p.stride_h + fy, ox * p.stride_w + fx, c);
              if (v != kAbsent && v > best) best = v;
            }
          best = std::min(std::max(best, p.act_min), p.act_max);
          out.at4(b, oy, ox, c) = static_cast<std::int8_t>(best);
        }
  return out;
}

TensorI8 average_pool(const TensorI8& input, const PoolParams& p) {
  const PoolSetup s = pool_setup(input, p);
  const std::int64_t N = input.dim(0), C = input.dim(3);
  TensorI8 out = make_tensor<std::int8_t>({N, s.d.out_h, s.d.out_w, C});
  for (std::int64_t b = 0; b < N; ++b)
    for (std::int64_t oy = 0; oy < s.d.out_h; ++oy)
      for (std::int64_t ox = 0; ox < s.d.out_w; ++ox)
        for (std::int64_t c = 0; c < C; ++c) {
          std::int64_t sum = 0, n = 0;
          for (std::int64_t fy = 0; fy < p.filter_h; ++fy)
            for (std::int64_t fx = 0; fx < p.filter_w; ++fx) {
              const std::int32_t v = s.x.get(b, oy * p.stride_h + fy, ox * p.stride_w + fx, c);
              if (v == kAbsent) continue;
              sum += v;
              ++n;
            }
          if (n == 0) fail("average_pool window entirely in padding");
          // sum / n rounded to nearest, exact ties away from zero.
          std::int64_t q = static_cast<std::int64_t>(floor_div(sum, n));
          const std::int64_t r = sum - q * n;  // 0 <= r < n
          if (2 * r > n || (2 * r == n && sum > 0)) q += 1;
          q = std::min<std::int64_t>(std::max<std::int64_t>(q, p.act_min), p.act_max);
          out.at4(b, oy, ox, c) = static_cast<std::int8_t>(q);
        }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Add
// ---------------------------------------------------------------------------------------------

AddParams add_params_from_scales(double input1_scale, std::int32_t input1_zero_point,
                                 double input2_scale, std::int32_t input2_zero_point,
                                 double output_scale, std::int32_t output_zero_point,
                                 std::int32_t act_min, std::int32_t act_max) {
  if (!(input1_scale > 0) || !(input2_scale > 0) || !(output_scale > 0)) fail("scales");
  AddParams a;
  a.left_shift = 20;
  const double twice_max = 2.0 * std::max(input1_scale, input2_scale);
  const double real1 = input1_scale / twice_max;
  const double real2 = input2_scale / twice_max;
  const double real_out = twice_max / (static_cast<double>(1 << a.left_shift) * output_scale);
  const QuantizedMultiplier q1 = naive::quantize_multiplier(real1, Rounding::Double);
  const QuantizedMultiplier q2 = naive::quantize_multiplier(real2, Rounding::Double);
  const QuantizedMultiplier qo = naive::quantize_multiplier(real_out, Rounding::Double);
  if (q1.shift > 0 || q2.shift > 0 || qo.shift > 0) fail("add multiplier shift > 0");
  a.input1_multiplier = q1.multiplier;
  a.input1_shift = q1.shift;
  a.input2_multiplier = q2.multiplier;
  a.input2_shift = q2.shift;
  a.output_multiplier = qo.multiplier;
  a.output_shift = qo.shift;
  a.input1_zero_point = input1_zero_point;
  a.input2_zero_point = input2_zero_point;
  a.output_zero_point = output_zero_point;
  a.act_min = act_min;
  a.act_max = act_max;
  return a;
}

TensorI8 add(const TensorI8& a, const TensorI8& b, const AddParams& p) {
  if (a.shape != b.shape) fail("add shapes differ");
  if (p.input1_shift > 0 || p.input2_shift > 0 || p.output_shift > 0) fail("add shift > 0");
  if (p.left_shift < 0 || p.left_shift > 30) fail("add left_shift");
  TensorI8 out = make_tensor<std::int8_t>(a.shape);
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    // (x - zp) << left_shift as int32 expressions (exact here, wrapped to be literal about it).
    const std::int32_t s1 = naive::wrap_i32(
        (static_cast<std::int64_t>(a.data[i]) - p.input1_zero_point) * (1LL << p.left_shift));
    const std::int32_t s2 = naive::wrap_i32(
        (static_cast<std::int64_t>(b.data[i]) - p.input2_zero_point) * (1LL << p.left_shift));
    const std::int32_t a1 = naive::multiply_by_quantized_multiplier(s1, p.input1_multiplier,
                                                                    p.input1_shift, p.rounding);
    const std::int32_t b1 = naive::multiply_by_quantized_multiplier(s2, p.input2_multiplier,
                                                                    p.input2_shift, p.rounding);
    const std::int32_t raw = naive::wrap_i32(static_cast<std::int64_t>(a1) + b1);
    out.data[i] = naive::requantize(raw, p.output_multiplier, p.output_shift, p.output_zero_point,
                                    p.act_min, p.act_max, p.rounding);
  }
  return out;
}

TensorI32 gemm_i32(const TensorI8& a, const TensorI8& b, std::int32_t a_zero_point) {
  require_rank(a, 2, "a");
  require_rank(b, 2, "b");
  const std::int64_t M = a.dim(0), K = a.dim(1), Nn = b.dim(1);
  if (b.dim(0) != K) fail("gemm inner dimensions differ");
  TensorI32 c = make_tensor<std::int32_t>({M, Nn});
  for (std::int64_t m = 0; m < M; ++m)
    for (std::int64_t n = 0; n < Nn; ++n) {
      std::int64_t acc = 0;
      for (std::int64_t k = 0; k < K; ++k)
        acc += (static_cast<std::int64_t>(a.at2(m, k)) - a_zero_point) * b.at2(k, n);
      c.at2(m, n) = naive::wrap_i32(acc);
    }
  return c;
}

}  // namespace nuri::naive

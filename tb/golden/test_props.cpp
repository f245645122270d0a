// Properties on random data (seeded from nuri::tb::seed()): every operator against an independent
// construction. Each case prints its parameters on failure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "golden_test_util.hpp"
#include "nuri/golden/ops.hpp"
#include "nuri/tb/options.hpp"

using namespace nuri::golden;
using namespace nuri::golden::test;

namespace {

// Random per-channel (or per-tensor) quantization that keeps most outputs inside int8.
OutputQuant random_quant(std::mt19937& rng, std::int64_t channels, int min_shift, int max_shift) {
  OutputQuant q;
  const bool per_channel = uniform(rng, 0, 3) != 0;
  const auto n = static_cast<std::size_t>(per_channel ? channels : 1);
  q.multiplier.resize(n);
  q.shift.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    q.multiplier[i] = uniform(rng, 1 << 30, 0x7FFFFFFF);
    q.shift[i] = uniform(rng, min_shift, max_shift);
  }
  q.output_zero_point = uniform(rng, -20, 20);
  q.act_min = uniform(rng, -128, -100);
  q.act_max = uniform(rng, 100, 127);
  q.rounding = uniform(rng, 0, 1) ? Rounding::Single : Rounding::Double;
  return q;
}

std::int32_t wrap_add(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}

struct ConvCase {
  TensorI8 x, w;
  TensorI32 bias;
  bool use_bias = true;
  ConvParams p;
  std::string describe() const {
    std::ostringstream s;
    s << "input " << shape_to_string(x.shape) << " weights " << shape_to_string(w.shape)
      << " stride " << p.stride_h << "x" << p.stride_w << " dilation " << p.dilation_h << "x"
      << p.dilation_w << " pad_mode " << static_cast<int>(p.pad_mode) << " pad " << p.pad.top << "/"
      << p.pad.bottom << "/" << p.pad.left << "/" << p.pad.right << " zp_in " << p.input_zero_point
      << " dm " << p.depth_multiplier << " rounding " << static_cast<int>(p.quant.rounding)
      << " bias " << use_bias;
    return s.str();
  }
};

// A random conv (depthwise when dm > 0) whose output is not empty.
ConvCase random_conv(std::mt19937& rng, bool depthwise) {
  while (true) {
    ConvCase c;
    const int n = uniform(rng, 1, 2), h = uniform(rng, 1, 9), w = uniform(rng, 1, 9);
    const int cin = uniform(rng, 1, 5);
    const int kh = uniform(rng, 1, 4), kw = uniform(rng, 1, 4);
    const int dm = depthwise ? uniform(rng, 1, 3) : 1;
    const int cout = depthwise ? cin * dm : uniform(rng, 1, 6);
    c.p.stride_h = uniform(rng, 1, 3);
    c.p.stride_w = uniform(rng, 1, 3);
    c.p.dilation_h = uniform(rng, 1, 3) == 3 ? 2 : 1;
    c.p.dilation_w = uniform(rng, 1, 3) == 3 ? 2 : 1;
    c.p.depth_multiplier = dm;
    c.p.pad_mode = static_cast<PadMode>(uniform(rng, 0, 2));
    c.p.pad =
        Padding{uniform(rng, 0, 2), uniform(rng, 0, 2), uniform(rng, 0, 2), uniform(rng, 0, 2)};
    try {
      compute_padding(c.p.pad_mode, c.p.pad, h, w, kh, kw, c.p.stride_h, c.p.stride_w,
                      c.p.dilation_h, c.p.dilation_w);
    } catch (const std::invalid_argument&) {
      continue;  // empty output: draw again
    }
    // Mostly int8 zero points; sometimes arbitrary int32 ones (exercises wrap-around).
    c.p.input_zero_point =
        uniform(rng, 0, 9) == 0 ? static_cast<std::int32_t>(rng()) : uniform(rng, -128, 127);
    c.x = random_i8({n, h, w, cin}, rng);
    c.w = depthwise ? random_i8({1, kh, kw, cout}, rng, -127, 127)
                    : random_i8({cout, kh, kw, cin}, rng, -127, 127);
    c.bias = TensorI32({cout});
    for (auto& b : c.bias.data) b = uniform(rng, -100000, 100000);
    c.use_bias = uniform(rng, 0, 3) != 0;
    c.p.quant = random_quant(rng, cout, -18, -8);
    return c;
  }
}

}  // namespace

TEST_CASE("conv2d equals gemm_i32 on an explicit im2col followed by requantize",
          "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed());
  for (int iter = 0; iter < 300; ++iter) {
    const ConvCase c = random_conv(rng, false);
    INFO("case " << iter << ": " << c.describe());
    const auto& x = c.x;
    const auto& w = c.w;
    const std::int64_t n = x.dim(0), h = x.dim(1), wd = x.dim(2), cin = x.dim(3);
    const std::int64_t cout = w.dim(0), kh = w.dim(1), kw = w.dim(2);
    const PaddedDims pd = compute_padding(
        c.p.pad_mode, c.p.pad, static_cast<int>(h), static_cast<int>(wd), static_cast<int>(kh),
        static_cast<int>(kw), c.p.stride_h, c.p.stride_w, c.p.dilation_h, c.p.dilation_w);
    // im2col: one row per output pixel, one column per (ky, kx, ic) tap; outside the image the
    // entry is zp_in (zero after the zero-point subtraction). Only an int8-representable zero
    // point can be written into the int8 matrix; for the others the expected accumulators come
    // from a direct TFLite-style loop that skips out-of-image taps.
    const std::int64_t rows = n * pd.out_h * pd.out_w, cols = kh * kw * cin;
    const bool zp_fits = c.p.input_zero_point >= -128 && c.p.input_zero_point <= 127;
    std::vector<std::int32_t> expect_acc(static_cast<std::size_t>(rows * cout));
    if (zp_fits) {
      TensorI8 a({rows, cols}), b({cols, cout});
      for (std::int64_t b_ = 0; b_ < n; ++b_) {
        for (std::int64_t oy = 0; oy < pd.out_h; ++oy) {
          for (std::int64_t ox = 0; ox < pd.out_w; ++ox) {
            const std::int64_t r = (b_ * pd.out_h + oy) * pd.out_w + ox;
            for (std::int64_t ky = 0; ky < kh; ++ky) {
              for (std::int64_t kx = 0; kx < kw; ++kx) {
                const std::int64_t iy = oy * c.p.stride_h - pd.pad.top + ky * c.p.dilation_h;
                const std::int64_t ix = ox * c.p.stride_w - pd.pad.left + kx * c.p.dilation_w;
                const bool inside = iy >= 0 && iy < h && ix >= 0 && ix < wd;
                for (std::int64_t ic = 0; ic < cin; ++ic) {
                  a.at2(r, (ky * kw + kx) * cin + ic) =
                      inside ? x.at4(b_, iy, ix, ic)
                             : static_cast<std::int8_t>(c.p.input_zero_point);
                }
              }
            }
          }
        }
      }
      for (std::int64_t oc = 0; oc < cout; ++oc) {
        for (std::int64_t k = 0; k < cols; ++k) {
          b.at2(k, oc) = w.data[static_cast<std::size_t>(oc * cols + k)];  // [oc][ky][kx][ic]
        }
      }
      const TensorI32 g = gemm_i32(a, b, c.p.input_zero_point);
      for (std::size_t i = 0; i < g.data.size(); ++i) expect_acc[i] = g.data[i];
    } else {
      // TFLite's loop: skip out-of-image taps, accumulate w * (x - zp) modulo 2^32.
      for (std::int64_t b_ = 0; b_ < n; ++b_) {
        for (std::int64_t oy = 0; oy < pd.out_h; ++oy) {
          for (std::int64_t ox = 0; ox < pd.out_w; ++ox) {
            for (std::int64_t oc = 0; oc < cout; ++oc) {
              std::uint32_t acc = 0;
              for (std::int64_t ky = 0; ky < kh; ++ky) {
                for (std::int64_t kx = 0; kx < kw; ++kx) {
                  const std::int64_t iy = oy * c.p.stride_h - pd.pad.top + ky * c.p.dilation_h;
                  const std::int64_t ix = ox * c.p.stride_w - pd.pad.left + kx * c.p.dilation_w;
                  if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                  for (std::int64_t ic = 0; ic < cin; ++ic) {
                    const std::int64_t d =
                        static_cast<std::int64_t>(x.at4(b_, iy, ix, ic)) - c.p.input_zero_point;
                    acc += static_cast<std::uint32_t>(d * w.at4(oc, ky, kx, ic));
                  }
                }
              }
              expect_acc[static_cast<std::size_t>(((b_ * pd.out_h + oy) * pd.out_w + ox) * cout +
                                                  oc)] = static_cast<std::int32_t>(acc);
            }
          }
        }
      }
    }
    const TensorI32* bias = c.use_bias ? &c.bias : nullptr;
    for (std::int64_t r = 0; r < rows; ++r) {
      for (std::int64_t oc = 0; oc < cout; ++oc) {
        auto& e = expect_acc[static_cast<std::size_t>(r * cout + oc)];
        if (bias) e = wrap_add(e, bias->data[static_cast<std::size_t>(oc)]);
      }
    }
    const TensorI32 acc = conv2d_acc(x, w, bias, c.p);
    REQUIRE(acc.shape == Shape{n, pd.out_h, pd.out_w, cout});
    REQUIRE(acc.data == expect_acc);
    const TensorI8 y = conv2d(x, w, bias, c.p);
    REQUIRE(y.shape == acc.shape);
    const auto& q = c.p.quant;
    for (std::int64_t r = 0; r < rows; ++r) {
      for (std::int64_t oc = 0; oc < cout; ++oc) {
        const std::size_t qi = q.multiplier.size() == 1 ? 0 : static_cast<std::size_t>(oc);
        const std::size_t i = static_cast<std::size_t>(r * cout + oc);
        REQUIRE(y.data[i] == requantize(expect_acc[i], q.multiplier[qi], q.shift[qi],
                                        q.output_zero_point, q.act_min, q.act_max, q.rounding));
      }
    }
  }
}

TEST_CASE("depthwise_conv2d equals a conv2d per channel group", "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed() + 1);
  for (int iter = 0; iter < 300; ++iter) {
    const ConvCase c = random_conv(rng, true);
    INFO("case " << iter << ": " << c.describe());
    const TensorI32* bias = c.use_bias ? &c.bias : nullptr;
    const TensorI8 y = depthwise_conv2d(c.x, c.w, bias, c.p);
    const std::int64_t n = c.x.dim(0), h = c.x.dim(1), wd = c.x.dim(2), cin = c.x.dim(3);
    const std::int64_t kh = c.w.dim(1), kw = c.w.dim(2), cout = c.w.dim(3);
    const int dm = c.p.depth_multiplier;
    for (std::int64_t ic = 0; ic < cin; ++ic) {
      // The group: input channel ic alone, and the dm filters that read it.
      TensorI8 xs({n, h, wd, 1});
      for (std::int64_t i = 0; i < n * h * wd; ++i) {
        xs.data[static_cast<std::size_t>(i)] = c.x.data[static_cast<std::size_t>(i * cin + ic)];
      }
      TensorI8 ws({dm, kh, kw, 1});
      TensorI32 bs({dm});
      ConvParams pc = c.p;
      pc.depth_multiplier = 1;
      pc.quant.multiplier.clear();
      pc.quant.shift.clear();
      for (int m = 0; m < dm; ++m) {
        const std::int64_t oc = ic * dm + m;
        for (std::int64_t t = 0; t < kh * kw; ++t) {
          ws.data[static_cast<std::size_t>(m * kh * kw + t)] =
              c.w.data[static_cast<std::size_t>(t * cout + oc)];
        }
        bs.data[static_cast<std::size_t>(m)] = c.bias.data[static_cast<std::size_t>(oc)];
        const std::size_t qi = c.p.quant.multiplier.size() == 1 ? 0 : static_cast<std::size_t>(oc);
        pc.quant.multiplier.push_back(c.p.quant.multiplier[qi]);
        pc.quant.shift.push_back(c.p.quant.shift[qi]);
      }
      const TensorI8 ys = conv2d(xs, ws, c.use_bias ? &bs : nullptr, pc);
      REQUIRE(ys.dim(1) == y.dim(1));
      REQUIRE(ys.dim(2) == y.dim(2));
      const std::int64_t pixels = n * y.dim(1) * y.dim(2);
      for (std::int64_t pix = 0; pix < pixels; ++pix) {
        for (int m = 0; m < dm; ++m) {
          INFO("ic " << ic << " m " << m << " pixel " << pix);
          REQUIRE(y.data[static_cast<std::size_t>(pix * cout + ic * dm + m)] ==
                  ys.data[static_cast<std::size_t>(pix * dm + m)]);
        }
      }
    }
  }
}

TEST_CASE("SAME padding equals the explicit padding compute_padding returns", "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed() + 2);
  for (int iter = 0; iter < 200; ++iter) {
    ConvCase c = random_conv(rng, iter % 2 == 1);
    c.p.pad_mode = PadMode::Same;
    INFO("case " << iter << ": " << c.describe());
    const PaddedDims pd = compute_padding(
        PadMode::Same, {}, static_cast<int>(c.x.dim(1)), static_cast<int>(c.x.dim(2)),
        static_cast<int>(c.w.dim(1)), static_cast<int>(c.w.dim(2)), c.p.stride_h, c.p.stride_w,
        c.p.dilation_h, c.p.dilation_w);
    ConvParams pe = c.p;
    pe.pad_mode = PadMode::Explicit;
    pe.pad = pd.pad;
    const PaddedDims pde = compute_padding(
        PadMode::Explicit, pd.pad, static_cast<int>(c.x.dim(1)), static_cast<int>(c.x.dim(2)),
        static_cast<int>(c.w.dim(1)), static_cast<int>(c.w.dim(2)), c.p.stride_h, c.p.stride_w,
        c.p.dilation_h, c.p.dilation_w);
    REQUIRE(pde.out_h == pd.out_h);
    REQUIRE(pde.out_w == pd.out_w);
    if (iter % 2 == 1) {
      REQUIRE(depthwise_conv2d(c.x, c.w, &c.bias, c.p) == depthwise_conv2d(c.x, c.w, &c.bias, pe));
    } else {
      REQUIRE(conv2d(c.x, c.w, &c.bias, c.p) == conv2d(c.x, c.w, &c.bias, pe));
    }
    // Pools: same rule, dilation 1.
    PoolParams pp;
    pp.filter_h = static_cast<int>(c.w.dim(1));
    pp.filter_w = static_cast<int>(c.w.dim(2));
    pp.stride_h = c.p.stride_h;
    pp.stride_w = c.p.stride_w;
    pp.pad_mode = PadMode::Same;
    PoolParams ppe = pp;
    ppe.pad_mode = PadMode::Explicit;
    ppe.pad = compute_padding(PadMode::Same, {}, static_cast<int>(c.x.dim(1)),
                              static_cast<int>(c.x.dim(2)), pp.filter_h, pp.filter_w, pp.stride_h,
                              pp.stride_w)
                  .pad;
    REQUIRE(max_pool(c.x, pp) == max_pool(c.x, ppe));
    REQUIRE(average_pool(c.x, pp) == average_pool(c.x, ppe));
  }
}

TEST_CASE("dilation equals a conv with a zero-inserted kernel", "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed() + 3);
  int checked = 0;
  for (int iter = 0; iter < 200; ++iter) {
    ConvCase c = random_conv(rng, iter % 2 == 1);
    c.p.dilation_h = uniform(rng, 1, 3);
    c.p.dilation_w = uniform(rng, 1, 3);
    const bool dw = iter % 2 == 1;
    const std::int64_t kh = c.w.dim(1), kw = c.w.dim(2);
    const std::int64_t ekh = (kh - 1) * c.p.dilation_h + 1, ekw = (kw - 1) * c.p.dilation_w + 1;
    try {
      compute_padding(c.p.pad_mode, c.p.pad, static_cast<int>(c.x.dim(1)),
                      static_cast<int>(c.x.dim(2)), static_cast<int>(kh), static_cast<int>(kw),
                      c.p.stride_h, c.p.stride_w, c.p.dilation_h, c.p.dilation_w);
    } catch (const std::invalid_argument&) {
      continue;
    }
    INFO("case " << iter << ": " << c.describe());
    // Dilated kernel: tap (ky, kx) moves to (ky * dh, kx * dw); every other tap is 0.
    const std::int64_t outer = c.w.dim(0), inner = c.w.dim(3);
    TensorI8 wd({outer, ekh, ekw, inner}, std::int8_t{0});
    for (std::int64_t o = 0; o < outer; ++o) {
      for (std::int64_t ky = 0; ky < kh; ++ky) {
        for (std::int64_t kx = 0; kx < kw; ++kx) {
          for (std::int64_t i = 0; i < inner; ++i) {
            wd.at4(o, ky * c.p.dilation_h, kx * c.p.dilation_w, i) = c.w.at4(o, ky, kx, i);
          }
        }
      }
    }
    ConvParams p1 = c.p;
    p1.dilation_h = p1.dilation_w = 1;
    if (dw) {
      REQUIRE(depthwise_conv2d(c.x, c.w, &c.bias, c.p) == depthwise_conv2d(c.x, wd, &c.bias, p1));
    } else {
      REQUIRE(conv2d_acc(c.x, c.w, &c.bias, c.p) == conv2d_acc(c.x, wd, &c.bias, p1));
      REQUIRE(conv2d(c.x, c.w, &c.bias, c.p) == conv2d(c.x, wd, &c.bias, p1));
    }
    ++checked;
  }
  CHECK(checked > 100);
}

TEST_CASE("fully_connected equals gemm_i32 on the transposed weights then requantize",
          "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed() + 4);
  for (int iter = 0; iter < 200; ++iter) {
    const int n = uniform(rng, 1, 4), k = uniform(rng, 1, 40), cout = uniform(rng, 1, 20);
    const TensorI8 x = random_i8({n, k}, rng), w = random_i8({cout, k}, rng, -127, 127);
    TensorI32 bias({cout});
    for (auto& b : bias.data) b = uniform(rng, -50000, 50000);
    FcParams p;
    p.input_zero_point = uniform(rng, -128, 127);
    p.quant = random_quant(rng, cout, -16, -6);
    INFO("case " << iter << " n " << n << " k " << k << " cout " << cout);
    TensorI8 wt({k, cout});
    for (int o = 0; o < cout; ++o) {
      for (int i = 0; i < k; ++i) wt.at2(i, o) = w.at2(o, i);
    }
    const TensorI32 g = gemm_i32(x, wt, p.input_zero_point);
    const TensorI8 y = fully_connected(x, w, &bias, p);
    REQUIRE(y.shape == Shape{n, cout});
    for (int r = 0; r < n; ++r) {
      for (int o = 0; o < cout; ++o) {
        const std::size_t qi = p.quant.multiplier.size() == 1 ? 0 : static_cast<std::size_t>(o);
        REQUIRE(y.at2(r, o) ==
                requantize(wrap_add(g.at2(r, o), bias.data[static_cast<std::size_t>(o)]),
                           p.quant.multiplier[qi], p.quant.shift[qi], p.quant.output_zero_point,
                           p.quant.act_min, p.quant.act_max, p.quant.rounding));
      }
    }
  }
}

TEST_CASE("pools match a direct window loop on random data", "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed() + 5);
  for (int iter = 0; iter < 200; ++iter) {
    PoolParams p;
    p.filter_h = uniform(rng, 1, 4);
    p.filter_w = uniform(rng, 1, 4);
    p.stride_h = uniform(rng, 1, 3);
    p.stride_w = uniform(rng, 1, 3);
    p.pad_mode = uniform(rng, 0, 1) ? PadMode::Same : PadMode::Valid;
    p.act_min = uniform(rng, -128, -60);
    p.act_max = uniform(rng, 60, 127);
    const int h = uniform(rng, p.filter_h, 9), w = uniform(rng, p.filter_w, 9);
    const TensorI8 x = random_i8({uniform(rng, 1, 2), h, w, uniform(rng, 1, 4)}, rng);
    INFO("case " << iter << " input " << shape_to_string(x.shape) << " filter " << p.filter_h << "x"
                 << p.filter_w << " stride " << p.stride_h << "x" << p.stride_w);
    const PaddedDims pd =
        compute_padding(p.pad_mode, {}, h, w, p.filter_h, p.filter_w, p.stride_h, p.stride_w);
    const TensorI8 mx = max_pool(x, p), av = average_pool(x, p);
    for (std::int64_t b = 0; b < x.dim(0); ++b) {
      for (int oy = 0; oy < pd.out_h; ++oy) {
        for (int ox = 0; ox < pd.out_w; ++ox) {
          for (std::int64_t ch = 0; ch < x.dim(3); ++ch) {
            int best = -1000, sum = 0, count = 0;
            for (int fy = 0; fy < p.filter_h; ++fy) {
              for (int fx = 0; fx < p.filter_w; ++fx) {
                const int iy = oy * p.stride_h - pd.pad.top + fy;
                const int ix = ox * p.stride_w - pd.pad.left + fx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                const int v = x.at4(b, iy, ix, ch);
                best = std::max(best, v);
                sum += v;
                ++count;
              }
            }
            // Round half away from zero, computed with doubles as an independent check.
            const double exact = static_cast<double>(sum) / count;
            const int avg =
                static_cast<int>(exact < 0 ? -std::floor(-exact + 0.5) : std::floor(exact + 0.5));
            REQUIRE(mx.at4(b, oy, ox, ch) == std::clamp(best, p.act_min, p.act_max));
            REQUIRE(av.at4(b, oy, ox, ch) == std::clamp(avg, p.act_min, p.act_max));
          }
        }
      }
    }
  }
}

TEST_CASE("add is within one of the real-valued sum and symmetric in its inputs",
          "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed() + 6);
  std::uniform_real_distribution<double> scale(0.01, 0.2);
  for (int iter = 0; iter < 300; ++iter) {
    // float-representable scales, as TFLite stores them.
    const double s1 = static_cast<float>(scale(rng)), s2 = static_cast<float>(scale(rng));
    const double so =
        static_cast<float>((s1 + s2) * std::uniform_real_distribution<double>(1.0, 2.0)(rng));
    const int z1 = uniform(rng, -128, 127), z2 = uniform(rng, -128, 127),
              zo = uniform(rng, -20, 20);
    const AddParams p = add_params_from_scales(s1, z1, s2, z2, so, zo);
    const AddParams q = add_params_from_scales(s2, z2, s1, z1, so, zo);
    const TensorI8 a = random_i8({3, 5, 7}, rng), b = random_i8({3, 5, 7}, rng);
    INFO("case " << iter << " s1 " << s1 << " s2 " << s2 << " so " << so);
    const TensorI8 y = add(a, b, p);
    REQUIRE(y == add(b, a, q));
    for (std::size_t i = 0; i < y.data.size(); ++i) {
      const double real = (s1 * (a.data[i] - z1) + s2 * (b.data[i] - z2)) / so + zo;
      const double clamped = std::clamp(real, -128.0, 127.0);
      REQUIRE(std::fabs(y.data[i] - clamped) <= 1.0);
    }
  }
}

TEST_CASE("add equals the TFLite recipe composed from the rounding primitives", "[golden][smoke]") {
  // The primitives are checked against hand-derived vectors in test_quant.cpp; this pins the
  // composition: which inputs are shifted, that every stage uses double rounding, and where
  // the zero points go.
  std::mt19937 rng(nuri::tb::seed() + 7);
  std::uniform_real_distribution<double> scale(0.001, 0.5);
  for (int iter = 0; iter < 300; ++iter) {
    const double s1 = scale(rng), s2 = scale(rng);
    const double so = (s1 + s2) * std::uniform_real_distribution<double>(0.3, 3.0)(rng);
    AddParams p = add_params_from_scales(s1, uniform(rng, -128, 127), s2, uniform(rng, -128, 127),
                                         so, uniform(rng, -128, 127), uniform(rng, -128, -50),
                                         uniform(rng, 50, 127));
    const TensorI8 a = random_i8({64}, rng), b = random_i8({64}, rng);
    INFO("case " << iter << " s1 " << s1 << " s2 " << s2 << " so " << so);
    const TensorI8 y = add(a, b, p);
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto d = Rounding::Double;
      const std::int32_t x1 = (a.data[i] - p.input1_zero_point) * (1 << p.left_shift);
      const std::int32_t x2 = (b.data[i] - p.input2_zero_point) * (1 << p.left_shift);
      const std::int32_t r1 =
          multiply_by_quantized_multiplier(x1, p.input1_multiplier, p.input1_shift, d);
      const std::int32_t r2 =
          multiply_by_quantized_multiplier(x2, p.input2_multiplier, p.input2_shift, d);
      const std::int32_t raw =
          multiply_by_quantized_multiplier(r1 + r2, p.output_multiplier, p.output_shift, d) +
          p.output_zero_point;
      REQUIRE(y.data[i] == std::clamp(raw, p.act_min, p.act_max));
    }
  }
}

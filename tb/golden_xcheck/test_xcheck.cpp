// Randomized cross-check of the golden model (nuri::golden) against the independent naive model
// (nuri::naive, naive_ref.cpp). See docs/golden-xcheck.md.
//
// Every comparison is bit-exact. A mismatch reports the case index, the seed, the layer
// parameters and the first differing element; rerun with the printed --rng-seed to reproduce.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <iostream>
#include <limits>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "naive_ref.hpp"
#include "nuri/golden/ops.hpp"
#include "nuri/golden/quant.hpp"
#include "nuri/golden/tensor.hpp"
#include "nuri/tb/options.hpp"

namespace g = nuri::golden;
namespace nv = nuri::naive;

namespace {

constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();

// ---------------------------------------------------------------------------------------------
// Random helpers
// ---------------------------------------------------------------------------------------------

using Rng = std::mt19937;

Rng make_rng(std::uint32_t salt) {
  std::seed_seq seq{nuri::tb::seed(), salt};
  return Rng(seq);
}

std::int64_t uni(Rng& r, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(r);
}
double unif(Rng& r, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(r);
}
bool chance(Rng& r, double p) { return std::bernoulli_distribution(p)(r); }
std::int32_t rand_i32(Rng& r) { return static_cast<std::int32_t>(uni(r, kMin, kMax)); }

// int32 biased toward the edges: extremes, powers of two and neighbours, and exact halves in the
// low bits (ties for any right shift by k).
std::int32_t edge_i32(Rng& r) {
  switch (uni(r, 0, 9)) {
    case 0: {
      static const std::int32_t list[] = {kMin, kMin + 1, kMin + 2, kMax, kMax - 1,
                                          0,    1,        -1,       2,    -2};
      return list[uni(r, 0, 9)];
    }
    case 1: {
      const std::int64_t p = std::int64_t{1} << uni(r, 0, 31);
      const std::int64_t v = (chance(r, 0.5) ? p : -p) + uni(r, -1, 1);
      return nv::wrap_i32(v);
    }
    case 2: {  // low k bits are exactly 100..0: a tie for a shift by k
      const int k = static_cast<int>(uni(r, 1, 31));
      const std::uint32_t mask = (1u << k) - 1u;
      const std::uint32_t u = (static_cast<std::uint32_t>(rand_i32(r)) & ~mask) | (1u << (k - 1));
      return nv::wrap_i32(static_cast<std::int64_t>(u));
    }
    case 3:
      return static_cast<std::int32_t>(uni(r, -1000, 1000));
    case 4:
      return static_cast<std::int32_t>(uni(r, -(1 << 20), 1 << 20));
    default:
      return rand_i32(r);
  }
}

// Non-negative Q0.31 multipliers biased toward the edges.
std::int32_t edge_multiplier(Rng& r) {
  switch (uni(r, 0, 7)) {
    case 0: {
      static const std::int32_t list[] = {0, 1, 1 << 30, (1 << 30) + 1, kMax, kMax - 1};
      return list[uni(r, 0, 5)];
    }
    case 1:
      return static_cast<std::int32_t>(uni(r, 0, kMax));
    default:
      return static_cast<std::int32_t>(uni(r, 1 << 30, kMax));
  }
}

g::Rounding rand_rounding(Rng& r) {
  return chance(r, 0.5) ? g::Rounding::Double : g::Rounding::Single;
}
const char* rounding_name(g::Rounding m) { return m == g::Rounding::Double ? "Double" : "Single"; }
const char* pad_name(g::PadMode m) {
  return m == g::PadMode::Valid ? "Valid" : m == g::PadMode::Same ? "Same" : "Explicit";
}

std::int32_t rand_zp(Rng& r) {
  if (chance(r, 0.25)) return chance(r, 0.5) ? -128 : 127;
  return static_cast<std::int32_t>(uni(r, -128, 127));
}

// Activation ranges: none, ReLU-like [zp, 127], ReLU6-like [zp, zp + k], or a random pair.
void rand_act(Rng& r, std::int32_t zp, std::int32_t& lo, std::int32_t& hi) {
  switch (uni(r, 0, 3)) {
    case 0:
      lo = -128;
      hi = 127;
      break;
    case 1:
      lo = zp;
      hi = 127;
      break;
    case 2:
      lo = zp;
      hi = static_cast<std::int32_t>(std::min<std::int64_t>(127, zp + uni(r, 0, 80)));
      break;
    default: {
      std::int32_t a = static_cast<std::int32_t>(uni(r, -128, 127));
      std::int32_t b = static_cast<std::int32_t>(uni(r, -128, 127));
      lo = std::min(a, b);
      hi = std::max(a, b);
    }
  }
}

g::TensorI8 rand_i8_tensor(Rng& r, g::Shape shape, int lo, int hi) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  g::TensorI8 t;
  t.shape = std::move(shape);
  t.data.resize(static_cast<std::size_t>(n));
  const int mode = static_cast<int>(uni(r, 0, 9));
  for (auto& v : t.data) {
    if (mode == 0) {
      v = static_cast<std::int8_t>(chance(r, 0.5) ? lo : hi);  // extremes only
    } else {
      v = static_cast<std::int8_t>(uni(r, lo, hi));
    }
  }
  return t;
}

std::optional<g::TensorI32> rand_bias(Rng& r, std::int64_t cout) {
  if (chance(r, 0.25)) return std::nullopt;
  g::TensorI32 b;
  b.shape = {cout};
  b.data.resize(static_cast<std::size_t>(cout));
  const bool extreme = chance(r, 0.08);  // near the int32 edges: the accumulation wraps
  const int mag = static_cast<int>(uni(r, 0, 20));
  for (auto& v : b.data) {
    if (extreme) {
      v = chance(r, 0.5) ? kMax - static_cast<std::int32_t>(uni(r, 0, 1 << 16))
                         : kMin + static_cast<std::int32_t>(uni(r, 0, 1 << 16));
    } else {
      v = static_cast<std::int32_t>(uni(r, -(std::int64_t{1} << mag), std::int64_t{1} << mag));
    }
  }
  return b;
}

// Requantization parameters for a layer whose accumulators are typically ~acc_mag in size.
// Built from scales (through the golden's output_quant_from_scales, itself checked against the
// naive one), by hand near the useful range, or wild (any multiplier, any shift in -31..30).
struct QuantBuild {
  g::OutputQuant q;
  std::string how;
};

QuantBuild rand_quant(Rng& r, std::int64_t cout, double acc_mag) {
  QuantBuild b;
  const std::int64_t nq = chance(r, 0.5) ? 1 : cout;  // per-tensor or per-channel
  const std::int32_t zp = rand_zp(r);
  std::int32_t lo = -128, hi = 127;
  rand_act(r, zp, lo, hi);
  const g::Rounding rounding = rand_rounding(r);
  const int kind = static_cast<int>(uni(r, 0, 9));
  const double target = 100.0 * std::ldexp(1.0, static_cast<int>(uni(r, -3, 2))) / acc_mag;
  if (kind < 4) {
    const double s_in = unif(r, 1.0, 2.0) * std::ldexp(1.0, static_cast<int>(uni(r, -10, -3)));
    std::vector<double> ws;
    for (std::int64_t c = 0; c < nq; ++c) {
      ws.push_back(unif(r, 0.5, 2.0) * std::ldexp(1.0, static_cast<int>(uni(r, -9, -6))));
    }
    const double s_out = s_in * ws[0] / target;
    b.q = g::output_quant_from_scales(s_in, ws, s_out, zp, lo, hi, rounding);
    const g::OutputQuant n = nv::output_quant_from_scales(s_in, ws, s_out, zp, lo, hi, rounding);
    if (b.q.multiplier != n.multiplier || b.q.shift != n.shift ||
        b.q.output_zero_point != n.output_zero_point || b.q.act_min != n.act_min ||
        b.q.act_max != n.act_max || b.q.rounding != n.rounding) {
      std::ostringstream os;
      os.precision(17);
      os << "output_quant_from_scales(" << s_in << ", ws[0]=" << ws[0] << " (" << ws.size()
         << " scales), " << s_out << ") golden/naive differ: golden m[0]=" << b.q.multiplier[0]
         << " s[0]=" << b.q.shift[0] << ", naive m[0]=" << n.multiplier[0]
         << " s[0]=" << n.shift[0];
      FAIL_CHECK(os.str());
    }
    b.how = "scales";
  } else {
    b.q.multiplier.clear();
    b.q.shift.clear();
    const bool wild = kind == 9;
    for (std::int64_t c = 0; c < nq; ++c) {
      if (wild) {
        b.q.multiplier.push_back(edge_multiplier(r));
        b.q.shift.push_back(static_cast<int>(uni(r, -31, 30)));
      } else {
        int e = 0;
        std::frexp(target * unif(r, 0.5, 2.0), &e);
        b.q.multiplier.push_back(static_cast<std::int32_t>(uni(r, 1 << 30, kMax)));
        b.q.shift.push_back(std::max(-31, std::min(30, e)));
      }
    }
    b.q.output_zero_point = zp;
    b.q.act_min = lo;
    b.q.act_max = hi;
    b.q.rounding = rounding;
    b.how = wild ? "wild" : "hand";
  }
  return b;
}

std::string describe_quant(const g::OutputQuant& q, const std::string& how) {
  std::ostringstream os;
  os << "quant(" << how << ", " << rounding_name(q.rounding) << ", zp_out=" << q.output_zero_point
     << ", act=[" << q.act_min << "," << q.act_max << "], m/s=";
  for (std::size_t i = 0; i < q.multiplier.size() && i < 4; ++i) {
    os << (i ? " " : "") << q.multiplier[i] << "/" << (i < q.shift.size() ? q.shift[i] : 0);
  }
  if (q.multiplier.size() > 4) os << " ... (" << q.multiplier.size() << " channels)";
  os << ")";
  return os.str();
}

// ---------------------------------------------------------------------------------------------
// Comparison bookkeeping
// ---------------------------------------------------------------------------------------------

struct Stats {
  const char* what = "";
  std::int64_t total = 0, run = 0, skipped = 0, mismatches = 0;
  int reported = 0;
};

constexpr int kMaxReports = 5;

void report(Stats& st, const std::string& desc, const std::string& msg) {
  ++st.mismatches;
  if (st.reported >= kMaxReports) return;
  ++st.reported;
  INFO("seed " << nuri::tb::seed() << ", " << st.what << " case " << st.total - 1);
  INFO(desc);
  FAIL_CHECK(msg);
}

std::string index_string(const g::Shape& shape, std::size_t flat) {
  std::vector<std::int64_t> ix(shape.size());
  std::int64_t rest = static_cast<std::int64_t>(flat);
  for (std::size_t d = shape.size(); d-- > 0;) {
    ix[d] = rest % shape[d];
    rest /= shape[d];
  }
  std::ostringstream os;
  os << "[";
  for (std::size_t d = 0; d < ix.size(); ++d) os << (d ? "," : "") << ix[d];
  os << "] (flat " << flat << ")";
  return os.str();
}

std::string shape_str(const g::Shape& s) {
  std::ostringstream os;
  os << "[";
  for (std::size_t i = 0; i < s.size(); ++i) os << (i ? "," : "") << s[i];
  os << "]";
  return os.str();
}

// Runs golden and naive; both throwing std::invalid_argument is a legitimate skip, anything else
// must agree bit for bit.
template <typename T>
void compare_case(Stats& st, const std::function<g::Tensor<T>()>& golden_fn,
                  const std::function<g::Tensor<T>()>& naive_fn,
                  const std::function<std::string()>& describe) {
  ++st.total;
  std::optional<g::Tensor<T>> gt, nt;
  std::string gerr, nerr;
  try {
    gt = golden_fn();
  } catch (const std::invalid_argument& e) {
    gerr = e.what();
  } catch (const std::exception& e) {
    report(st, describe(),
           std::string("golden threw a non-invalid_argument exception: ") + e.what());
    return;
  }
  try {
    nt = naive_fn();
  } catch (const std::invalid_argument& e) {
    nerr = e.what();
  }
  if (!gt && !nt) {
    ++st.skipped;
    return;
  }
  ++st.run;
  if (!gt || !nt) {
    report(st, describe(),
           !gt ? "golden threw (" + gerr + ") but the naive model computed a result"
               : "naive threw (" + nerr + ") but the golden model returned shape " +
                     shape_str(gt->shape));
    return;
  }
  if (gt->shape != nt->shape) {
    report(st, describe(),
           "shape differs: golden " + shape_str(gt->shape) + ", naive " + shape_str(nt->shape));
    return;
  }
  if (gt->data.size() != nt->data.size()) {
    report(st, describe(), "data size differs from shape");
    return;
  }
  std::size_t ndiff = 0, first = 0;
  for (std::size_t i = 0; i < gt->data.size(); ++i) {
    if (gt->data[i] != nt->data[i]) {
      if (ndiff == 0) first = i;
      ++ndiff;
    }
  }
  if (ndiff != 0) {
    std::ostringstream os;
    os << ndiff << " of " << gt->data.size() << " elements differ; first at "
       << index_string(gt->shape, first) << ": golden "
       << static_cast<std::int64_t>(gt->data[first]) << ", naive "
       << static_cast<std::int64_t>(nt->data[first]);
    report(st, describe(), os.str());
  }
}

void finish(const Stats& st, double min_run_fraction) {
  std::cout << "xcheck " << st.what << ": " << st.total << " cases, " << st.run << " run, "
            << st.skipped << " skipped (both models reject), " << st.mismatches << " mismatches\n";
  INFO(st.what << ": " << st.total << " cases, " << st.run << " run, " << st.skipped << " skipped, "
               << st.mismatches << " mismatches");
  CHECK(st.mismatches == 0);
  CHECK(static_cast<double>(st.run) >= min_run_fraction * static_cast<double>(st.total));
}

// Scalar comparison helper for the primitives.
template <typename V>
void compare_scalar(Stats& st, const V& golden_v, const V& naive_v,
                    const std::function<std::string()>& describe) {
  ++st.total;
  ++st.run;
  if (!(golden_v == naive_v)) {
    std::ostringstream os;
    os << "golden " << golden_v << ", naive " << naive_v;
    report(st, describe(), os.str());
  }
}

// Both sides must throw std::invalid_argument (argument outside the documented domain).
void expect_both_throw(Stats& st, const std::function<void()>& golden_fn,
                       const std::function<void()>& naive_fn, const std::string& desc) {
  ++st.total;
  bool gthrew = false, nthrew = false;
  try {
    golden_fn();
  } catch (const std::invalid_argument&) {
    gthrew = true;
  }
  try {
    naive_fn();
  } catch (const std::invalid_argument&) {
    nthrew = true;
  }
  ++st.skipped;
  if (!gthrew || !nthrew) {
    report(st, desc,
           std::string("expected std::invalid_argument from both: golden ") +
               (gthrew ? "threw" : "did not throw") + ", naive " +
               (nthrew ? "threw" : "did not throw"));
  }
}

// ---------------------------------------------------------------------------------------------
// Primitive checks
// ---------------------------------------------------------------------------------------------

void check_srdhm(int n) {
  Rng r = make_rng(101);
  Stats st;
  st.what = "srdhm";
  for (int i = 0; i < n; ++i) {
    std::int32_t a = 0, b = 0;
    if (chance(r, 0.3)) {
      // Exact ties: b = +-2^j and a = odd * 2^(30-j) make 2ab = odd * 2^31, i.e. x.5 after >> 32.
      const int j = static_cast<int>(uni(r, 0, 30));
      b = chance(r, 0.5) ? (1 << j) : -(1 << j);
      const std::int64_t odd = 2 * uni(r, -(1LL << 31), (1LL << 31)) + 1;
      a = nv::wrap_i32(odd * (std::int64_t{1} << (30 - j)));
      if (chance(r, 0.5)) std::swap(a, b);
    } else {
      a = edge_i32(r);
      b = chance(r, 0.3) ? edge_multiplier(r) : edge_i32(r);
    }
    compare_scalar(st, g::srdhm(a, b), nv::srdhm(a, b),
                   [&] { return "srdhm(" + std::to_string(a) + ", " + std::to_string(b) + ")"; });
  }
  // The saturating case, explicitly.
  compare_scalar(st, g::srdhm(kMin, kMin), nv::srdhm(kMin, kMin),
                 [] { return std::string("srdhm(INT32_MIN, INT32_MIN)"); });
  finish(st, 1.0);
}

void check_rdbpot(int n) {
  Rng r = make_rng(102);
  Stats st;
  st.what = "rdbpot";
  for (int i = 0; i < n; ++i) {
    const int e = static_cast<int>(uni(r, 0, 31));
    std::int32_t x = edge_i32(r);
    if (e > 0 && chance(r, 0.4)) {  // exact tie for this exponent
      const std::uint32_t mask = (1u << e) - 1u;
      x = nv::wrap_i32(
          static_cast<std::int64_t>((static_cast<std::uint32_t>(x) & ~mask) | (1u << (e - 1))));
    }
    compare_scalar(st, g::rdbpot(x, e), nv::rdbpot(x, e),
                   [&] { return "rdbpot(" + std::to_string(x) + ", " + std::to_string(e) + ")"; });
  }
  for (int e : {-1, 32, -100}) {
    expect_both_throw(
        st, [e] { g::rdbpot(5, e); }, [e] { nv::rdbpot(5, e); },
        "rdbpot(5, " + std::to_string(e) + ")");
  }
  finish(st, 0.99);
}

void check_mbqm(int n) {
  Rng r = make_rng(103);
  Stats st;
  st.what = "multiply_by_quantized_multiplier";
  for (int i = 0; i < n; ++i) {
    const std::int32_t x = edge_i32(r);
    const std::int32_t m = edge_multiplier(r);
    const int s = static_cast<int>(uni(r, -31, 30));
    for (g::Rounding mode : {g::Rounding::Double, g::Rounding::Single}) {
      compare_scalar(st, g::multiply_by_quantized_multiplier(x, m, s, mode),
                     nv::multiply_by_quantized_multiplier(x, m, s, mode), [&] {
                       return "multiply_by_quantized_multiplier(" + std::to_string(x) + ", " +
                              std::to_string(m) + ", " + std::to_string(s) + ", " +
                              rounding_name(mode) + ")";
                     });
    }
  }
  for (g::Rounding mode : {g::Rounding::Double, g::Rounding::Single}) {
    for (int s : {-32, 31, -40, 40}) {
      expect_both_throw(
          st, [s, mode] { g::multiply_by_quantized_multiplier(1, 1 << 30, s, mode); },
          [s, mode] { nv::multiply_by_quantized_multiplier(1, 1 << 30, s, mode); },
          "mbqm(1, 2^30, shift " + std::to_string(s) + ")");
    }
  }
  finish(st, 0.99);
}

void check_requantize(int n) {
  Rng r = make_rng(104);
  Stats st;
  st.what = "requantize";
  for (int i = 0; i < n; ++i) {
    const std::int32_t acc = edge_i32(r);
    const std::int32_t m = edge_multiplier(r);
    const int s = static_cast<int>(uni(r, -31, 30));
    const std::int32_t zp = rand_zp(r);
    std::int32_t lo = -128, hi = 127;
    rand_act(r, zp, lo, hi);
    const g::Rounding mode = rand_rounding(r);
    compare_scalar(st, static_cast<int>(g::requantize(acc, m, s, zp, lo, hi, mode)),
                   static_cast<int>(nv::requantize(acc, m, s, zp, lo, hi, mode)), [&] {
                     std::ostringstream os;
                     os << "requantize(acc=" << acc << ", m=" << m << ", shift=" << s
                        << ", zp=" << zp << ", act=[" << lo << "," << hi << "], "
                        << rounding_name(mode) << ")";
                     return os.str();
                   });
  }
  finish(st, 1.0);
}

// Doubles over many magnitudes, biased toward quantize_multiplier's edges.
double rand_real_multiplier(Rng& r) {
  switch (uni(r, 0, 9)) {
    case 0:  // anywhere in the double range, including subnormals
      return std::ldexp(unif(r, 0.5, 1.0), static_cast<int>(uni(r, -1074, 1023)));
    case 1: {  // just below 1.0 * 2^e: the mantissa rounds up to 2^31 (carry) or just fails to
      const std::int64_t j =
          chance(r, 0.5) ? uni(r, (1 << 21) - 4, (1 << 21) + 4) : uni(r, 0, 1 << 23);
      return std::ldexp(1.0 - static_cast<double>(j) * std::ldexp(1.0, -53),
                        static_cast<int>(uni(r, -40, 40)));
    }
    case 2: {  // exact ties n + 1/2 of the Q0.31 mantissa, and their neighbours
      const double v = std::ldexp(static_cast<double>(uni(r, 1LL << 30, (1LL << 31) - 1)) + 0.5,
                                  static_cast<int>(uni(r, -45, 40)) - 31);
      const int k = static_cast<int>(uni(r, 0, 2));
      return k == 0 ? v : k == 1 ? std::nextafter(v, 0.0) : std::nextafter(v, 1e300);
    }
    case 3: {  // around the 2^-31 flush boundary (shift -31 / -32), with and without carry
      const double mant =
          chance(r, 0.5) ? unif(r, 0.5, 1.0)
                         : 1.0 - static_cast<double>(uni(r, 0, 1 << 23)) * std::ldexp(1.0, -53);
      return std::ldexp(mant, static_cast<int>(uni(r, -34, -29)));
    }
    case 4:  // powers of two and small integers
      return chance(r, 0.5) ? std::ldexp(1.0, static_cast<int>(uni(r, -40, 40)))
                            : static_cast<double>(uni(r, 1, 1000));
    case 5: {  // typical TFLite scale ratios (float scales, as TFLite stores them)
      const float si = static_cast<float>(unif(r, 1e-4, 1.0));
      const float sw = static_cast<float>(unif(r, 1e-5, 1e-1));
      const float so = static_cast<float>(unif(r, 1e-4, 1.0));
      return static_cast<double>(si) * static_cast<double>(sw) / static_cast<double>(so);
    }
    case 6:  // large: single rounding saturates shift > 30
      return std::ldexp(unif(r, 0.5, 1.0), static_cast<int>(uni(r, 28, 100)));
    case 7:
      return chance(r, 0.5) ? 0.0
                            : -std::ldexp(unif(r, 0.5, 1.0), static_cast<int>(uni(r, -40, 40)));
    default:
      return std::ldexp(unif(r, 0.5, 1.0), static_cast<int>(uni(r, -70, 70)));
  }
}

void check_quantize_multiplier(int n) {
  Rng r = make_rng(105);
  Stats st;
  st.what = "quantize_multiplier";
  auto one = [&](double d) {
    for (g::Rounding mode : {g::Rounding::Double, g::Rounding::Single}) {
      auto desc = [&] {
        std::ostringstream os;
        os.precision(17);
        os << "quantize_multiplier(" << d << " = " << std::hexfloat << d << std::defaultfloat
           << ", " << rounding_name(mode) << ")";
        return os.str();
      };
      // Negative, NaN and infinite multipliers must be rejected by both models.
      std::optional<g::QuantizedMultiplier> gq, nq;
      try {
        gq = g::quantize_multiplier(d, mode);
      } catch (const std::invalid_argument&) {
      }
      try {
        nq = nv::quantize_multiplier(d, mode);
      } catch (const std::invalid_argument&) {
      }
      ++st.total;
      if (!gq && !nq) {
        ++st.skipped;
        continue;
      }
      ++st.run;
      auto str = [](const std::optional<g::QuantizedMultiplier>& q) {
        if (!q) return std::string("throws");
        return "{" + std::to_string(q->multiplier) + ", " + std::to_string(q->shift) + "}";
      };
      if (!gq || !nq || gq->multiplier != nq->multiplier || gq->shift != nq->shift) {
        report(st, desc(), "golden " + str(gq) + ", naive " + str(nq));
      }
    }
  };
  for (double d :
       {0.0, 0.5, 1.0, 0.75, std::ldexp(1.0, -31), std::ldexp(1.0, -32), std::ldexp(1.0, 30),
        std::ldexp(1.0, 31), std::ldexp(1.0, -1074), std::numeric_limits<double>::max(),
        std::numeric_limits<double>::min(), -0.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
        std::numeric_limits<double>::infinity()}) {
    one(d);
  }
  for (int i = 0; i < n; ++i) one(rand_real_multiplier(r));
  finish(st, 0.8);
}

// ---------------------------------------------------------------------------------------------
// Operator checks
// ---------------------------------------------------------------------------------------------

struct ConvCase {
  g::TensorI8 input, weights;
  std::optional<g::TensorI32> bias;
  g::ConvParams p;
  std::string quant_how;
  const g::TensorI32* bias_ptr() const { return bias ? &*bias : nullptr; }
  std::string describe(bool depthwise) const {
    std::ostringstream os;
    os << (depthwise ? "depthwise_conv2d" : "conv2d") << ": input " << shape_str(input.shape)
       << ", weights " << shape_str(weights.shape) << ", stride " << p.stride_h << "x" << p.stride_w
       << ", dilation " << p.dilation_h << "x" << p.dilation_w << ", pad " << pad_name(p.pad_mode);
    if (p.pad_mode == g::PadMode::Explicit) {
      os << " t" << p.pad.top << " b" << p.pad.bottom << " l" << p.pad.left << " r" << p.pad.right;
    }
    os << ", zp_in " << p.input_zero_point;
    if (depthwise) os << ", depth_multiplier " << p.depth_multiplier;
    os << ", bias ";
    if (bias) {
      os << "[" << bias->data[0] << (bias->data.size() > 1 ? ", ...]" : "]");
    } else {
      os << "null";
    }
    os << ", " << describe_quant(p.quant, quant_how);
    return os.str();
  }
};

ConvCase rand_conv(Rng& r, bool depthwise) {
  ConvCase c;
  const std::int64_t N = uni(r, 1, 2);
  std::int64_t H = uni(r, 1, 12), W = uni(r, 1, 12);
  const std::int64_t Cin = uni(r, 1, 20);
  const int KH = static_cast<int>(uni(r, 1, 5)), KW = static_cast<int>(uni(r, 1, 5));
  c.p.stride_h = static_cast<int>(uni(r, 1, 3));
  c.p.stride_w = static_cast<int>(uni(r, 1, 3));
  c.p.dilation_h = static_cast<int>(uni(r, 1, 2));
  c.p.dilation_w = static_cast<int>(uni(r, 1, 2));
  c.p.pad_mode = static_cast<g::PadMode>(uni(r, 0, 2));
  if (c.p.pad_mode == g::PadMode::Explicit) {
    c.p.pad.top = static_cast<int>(uni(r, 0, 3));
    c.p.pad.bottom = static_cast<int>(uni(r, 0, 3));
    c.p.pad.left = static_cast<int>(uni(r, 0, 3));
    c.p.pad.right = static_cast<int>(uni(r, 0, 3));
  }
  if (c.p.pad_mode != g::PadMode::Same && chance(r, 0.85)) {
    // Mostly keep the dilated kernel inside the (padded) input, so few outputs come out empty;
    // the rest exercise both models' rejection of an empty output.
    const std::int64_t eff_h = (KH - 1) * c.p.dilation_h + 1, eff_w = (KW - 1) * c.p.dilation_w + 1;
    H = std::max<std::int64_t>(H, eff_h - c.p.pad.top - c.p.pad.bottom);
    W = std::max<std::int64_t>(W, eff_w - c.p.pad.left - c.p.pad.right);
  }
  c.p.input_zero_point = rand_zp(r);
  std::int64_t Cout = 0;
  if (depthwise) {
    c.p.depth_multiplier = static_cast<int>(uni(r, 1, 3));
    Cout = Cin * c.p.depth_multiplier;
    c.weights = rand_i8_tensor(r, {1, KH, KW, Cout}, -127, 127);
  } else {
    Cout = uni(r, 1, 20);
    c.weights = rand_i8_tensor(r, {Cout, KH, KW, Cin}, -127, 127);
  }
  c.input = rand_i8_tensor(r, {N, H, W, Cin}, -128, 127);
  c.bias = rand_bias(r, Cout);
  const double taps = static_cast<double>(KH * KW * (depthwise ? 1 : Cin));
  QuantBuild qb = rand_quant(r, Cout, std::sqrt(taps) * 73.0 * 74.0);
  c.p.quant = std::move(qb.q);
  c.quant_how = qb.how;
  return c;
}

void check_conv2d(int n) {
  Rng r = make_rng(201);
  Stats st;
  st.what = "conv2d";
  for (int i = 0; i < n; ++i) {
    const ConvCase c = rand_conv(r, false);
    compare_case<std::int8_t>(
        st, [&] { return g::conv2d(c.input, c.weights, c.bias_ptr(), c.p); },
        [&] { return nv::conv2d(c.input, c.weights, c.bias_ptr(), c.p); },
        [&] { return c.describe(false); });
  }
  finish(st, 0.75);
}

void check_conv2d_acc(int n) {
  Rng r = make_rng(202);
  Stats st;
  st.what = "conv2d_acc";
  for (int i = 0; i < n; ++i) {
    const ConvCase c = rand_conv(r, false);
    compare_case<std::int32_t>(
        st, [&] { return g::conv2d_acc(c.input, c.weights, c.bias_ptr(), c.p); },
        [&] { return nv::conv2d_acc(c.input, c.weights, c.bias_ptr(), c.p); },
        [&] { return c.describe(false); });
  }
  finish(st, 0.75);
}

void check_depthwise(int n) {
  Rng r = make_rng(203);
  Stats st;
  st.what = "depthwise_conv2d";
  for (int i = 0; i < n; ++i) {
    const ConvCase c = rand_conv(r, true);
    compare_case<std::int8_t>(
        st, [&] { return g::depthwise_conv2d(c.input, c.weights, c.bias_ptr(), c.p); },
        [&] { return nv::depthwise_conv2d(c.input, c.weights, c.bias_ptr(), c.p); },
        [&] { return c.describe(true); });
  }
  finish(st, 0.75);
}

void check_fully_connected(int n) {
  Rng r = make_rng(204);
  Stats st;
  st.what = "fully_connected";
  for (int i = 0; i < n; ++i) {
    const std::int64_t N = uni(r, 1, 4), K = uni(r, 1, 300), Cout = uni(r, 1, 40);
    const g::TensorI8 in = rand_i8_tensor(r, {N, K}, -128, 127);
    const g::TensorI8 w = rand_i8_tensor(r, {Cout, K}, -127, 127);
    const std::optional<g::TensorI32> bias = rand_bias(r, Cout);
    g::FcParams p;
    p.input_zero_point = rand_zp(r);
    QuantBuild qb = rand_quant(r, Cout, std::sqrt(static_cast<double>(K)) * 73.0 * 74.0);
    p.quant = std::move(qb.q);
    const g::TensorI32* bp = bias ? &*bias : nullptr;
    compare_case<std::int8_t>(
        st, [&] { return g::fully_connected(in, w, bp, p); },
        [&] { return nv::fully_connected(in, w, bp, p); },
        [&] {
          std::ostringstream os;
          os << "fully_connected: input " << shape_str(in.shape) << ", weights "
             << shape_str(w.shape) << ", zp_in " << p.input_zero_point << ", bias "
             << (bias ? std::to_string(bias->data[0]) + ", ..." : std::string("null")) << ", "
             << describe_quant(p.quant, qb.how);
          return os.str();
        });
  }
  finish(st, 0.99);
}

void check_pool(int n, bool is_max) {
  Rng r = make_rng(is_max ? 205 : 206);
  Stats st;
  st.what = is_max ? "max_pool" : "average_pool";
  for (int i = 0; i < n; ++i) {
    const std::int64_t N = uni(r, 1, 2), C = uni(r, 1, 20);
    std::int64_t H = uni(r, 1, 14), W = uni(r, 1, 14);
    g::PoolParams p;
    p.filter_h = static_cast<int>(uni(r, 1, 5));
    p.filter_w = static_cast<int>(uni(r, 1, 5));
    p.stride_h = static_cast<int>(uni(r, 1, 3));
    p.stride_w = static_cast<int>(uni(r, 1, 3));
    p.pad_mode = static_cast<g::PadMode>(uni(r, 0, 2));
    if (p.pad_mode == g::PadMode::Explicit) {
      // Mostly padding smaller than the window, so every window sees an input pixel; sometimes
      // larger: max_pool then yields clamp(-128) for an all-padding window, and average_pool must
      // be rejected by both models (TFLite's AveragePool returns false there).
      const int extra = chance(r, 0.05) ? 2 : 0;
      p.pad.top = static_cast<int>(uni(r, 0, p.filter_h - 1 + extra));
      p.pad.bottom = static_cast<int>(uni(r, 0, p.filter_h - 1 + extra));
      p.pad.left = static_cast<int>(uni(r, 0, p.filter_w - 1 + extra));
      p.pad.right = static_cast<int>(uni(r, 0, p.filter_w - 1 + extra));
    }
    if (p.pad_mode != g::PadMode::Same && chance(r, 0.85)) {
      H = std::max<std::int64_t>(H, p.filter_h - p.pad.top - p.pad.bottom);
      W = std::max<std::int64_t>(W, p.filter_w - p.pad.left - p.pad.right);
    }
    const std::int32_t zp = rand_zp(r);
    rand_act(r, zp, p.act_min, p.act_max);
    const g::TensorI8 in = rand_i8_tensor(r, {N, H, W, C}, -128, 127);
    auto desc = [&] {
      std::ostringstream os;
      os << st.what << ": input " << shape_str(in.shape) << ", filter " << p.filter_h << "x"
         << p.filter_w << ", stride " << p.stride_h << "x" << p.stride_w << ", pad "
         << pad_name(p.pad_mode) << " t" << p.pad.top << " b" << p.pad.bottom << " l" << p.pad.left
         << " r" << p.pad.right << ", act [" << p.act_min << "," << p.act_max << "]";
      return os.str();
    };
    if (is_max) {
      compare_case<std::int8_t>(
          st, [&] { return g::max_pool(in, p); }, [&] { return nv::max_pool(in, p); }, desc);
    } else {
      compare_case<std::int8_t>(
          st, [&] { return g::average_pool(in, p); }, [&] { return nv::average_pool(in, p); },
          desc);
    }
  }
  finish(st, 0.75);
}

std::string describe_add(const g::AddParams& a, const g::Shape& shape, const std::string& how) {
  std::ostringstream os;
  os << "add (" << how << "): shape " << shape_str(shape) << ", zp " << a.input1_zero_point << "/"
     << a.input2_zero_point << "/" << a.output_zero_point << ", m1 " << a.input1_multiplier
     << " s1 " << a.input1_shift << ", m2 " << a.input2_multiplier << " s2 " << a.input2_shift
     << ", m_out " << a.output_multiplier << " s_out " << a.output_shift << ", left_shift "
     << a.left_shift << ", act [" << a.act_min << "," << a.act_max << "], "
     << (a.rounding == g::Rounding::Single ? "single" : "double") << " rounding";
  return os.str();
}

// Both models' add Prepare on the same scales: they must agree on accepting and on every field.
// Returns the agreed parameters, or nullopt (both reject, or a reported disagreement).
std::optional<g::AddParams> compare_add_params(Stats& pst, double s1, std::int32_t zp1, double s2,
                                               std::int32_t zp2, double so, std::int32_t zpo,
                                               std::int32_t lo, std::int32_t hi) {
  const g::Shape shape;
  const std::string how = "scales";
  std::optional<g::AddParams> gp, np;
  try {
    gp = g::add_params_from_scales(s1, zp1, s2, zp2, so, zpo, lo, hi);
  } catch (const std::invalid_argument&) {
  }
  try {
    np = nv::add_params_from_scales(s1, zp1, s2, zp2, so, zpo, lo, hi);
  } catch (const std::invalid_argument&) {
  }
  ++pst.total;
  auto pdesc = [&] {
    std::ostringstream os;
    os.precision(17);
    os << "add_params_from_scales(" << s1 << ", " << zp1 << ", " << s2 << ", " << zp2 << ", " << so
       << ", " << zpo << ", " << lo << ", " << hi << ")";
    return os.str();
  };
  if (!gp && !np) {
    ++pst.skipped;
    return std::nullopt;
  }
  ++pst.run;
  if (!gp || !np) {
    report(pst, pdesc(), gp ? "naive rejects, golden accepts" : "golden rejects, naive accepts");
    return std::nullopt;
  }
  const g::AddParams& x = *gp;
  const g::AddParams& y = *np;
  if (x.input1_zero_point != y.input1_zero_point || x.input2_zero_point != y.input2_zero_point ||
      x.output_zero_point != y.output_zero_point || x.input1_multiplier != y.input1_multiplier ||
      x.input2_multiplier != y.input2_multiplier || x.output_multiplier != y.output_multiplier ||
      x.input1_shift != y.input1_shift || x.input2_shift != y.input2_shift ||
      x.output_shift != y.output_shift || x.left_shift != y.left_shift || x.act_min != y.act_min ||
      x.act_max != y.act_max) {
    report(pst, pdesc(),
           "params differ: golden " + describe_add(x, shape, how) + " / naive " +
               describe_add(y, shape, how));
    return std::nullopt;
  }
  return x;
}

void check_add(int n) {
  Rng r = make_rng(207);
  Stats st;
  st.what = "add";
  Stats pst;
  pst.what = "add_params_from_scales";
  // Fixed edges of Prepare with s1 = s2 = 1 (twice_max 2): real_out = 2 / (2^20 s_out).
  //   s_out = 2^-19: real_out = 1 -> shift 1 -> rejected.
  //   s_out = 2^-19 / (1 - 2^-40): real_out just below 1, but the Q0.31 mantissa carries to 2^31
  //   -> shift 1 -> rejected (TFLite's CHECK_LE(shift, 0)).
  //   s_out = 2^-19 / (1 - 2^-20): real_out = 1 - 2^-20 -> accepted with shift 0.
  //   s1 = 2^-10, s2 = 1: input 1 multiplier 2^-11 -> shift -10.
  for (double so : {std::ldexp(1.0, -19), std::ldexp(1.0, -19) / (1.0 - std::ldexp(1.0, -40)),
                    std::ldexp(1.0, -19) / (1.0 - std::ldexp(1.0, -20)), 1.0, 1e-3}) {
    compare_add_params(pst, 1.0, 0, 1.0, 0, so, 0, -128, 127);
    compare_add_params(pst, std::ldexp(1.0, -10), 3, 1.0, -4, so, 5, 0, 127);
  }
  for (int i = 0; i < n; ++i) {
    g::Shape shape;
    const int rank = static_cast<int>(uni(r, 1, 4));
    for (int d = 0; d < rank; ++d) shape.push_back(uni(r, 1, rank == 1 ? 300 : 8));
    const g::TensorI8 a = rand_i8_tensor(r, shape, -128, 127);
    const g::TensorI8 b = rand_i8_tensor(r, shape, -128, 127);
    const std::int32_t zp1 = rand_zp(r), zp2 = rand_zp(r), zpo = rand_zp(r);
    std::int32_t lo = -128, hi = 127;
    rand_act(r, zpo, lo, hi);
    g::AddParams ap;
    std::string how;
    if (chance(r, 0.5)) {
      // From scales, through both models' Prepare (compared), then the same params to both adds.
      const double s1 = unif(r, 0.5, 2.0) * std::ldexp(1.0, static_cast<int>(uni(r, -10, -3)));
      const double s2 =
          chance(r, 0.1) ? s1
                         : unif(r, 0.5, 2.0) * std::ldexp(1.0, static_cast<int>(uni(r, -10, -3)));
      double so = std::max(s1, s2) * std::ldexp(unif(r, 0.5, 1.0), static_cast<int>(uni(r, -2, 3)));
      if (chance(r, 0.05)) so = std::max(s1, s2) * std::ldexp(1.0, -21);  // Prepare rejects
      how = "scales";
      const std::optional<g::AddParams> agreed =
          compare_add_params(pst, s1, zp1, s2, zp2, so, zpo, lo, hi);
      if (!agreed) continue;
      ap = *agreed;
    } else {
      how = "hand";
      ap.input1_zero_point = zp1;
      ap.input2_zero_point = zp2;
      ap.output_zero_point = zpo;
      ap.act_min = lo;
      ap.act_max = hi;
      const bool wild = chance(r, 0.2);
      ap.left_shift = chance(r, 0.8) ? 20 : static_cast<int>(uni(r, 0, 22));
      ap.input1_multiplier = edge_multiplier(r);
      ap.input2_multiplier = edge_multiplier(r);
      ap.output_multiplier = edge_multiplier(r);
      ap.input1_shift = static_cast<int>(wild ? uni(r, -31, 0) : uni(r, -3, 0));
      ap.input2_shift = static_cast<int>(wild ? uni(r, -31, 0) : uni(r, -3, 0));
      ap.output_shift =
          static_cast<int>(wild ? uni(r, -31, 0) : uni(r, -22, -12) + (20 - ap.left_shift));
      ap.output_shift = std::max(-31, std::min(0, ap.output_shift));
    }
    ap.rounding = chance(r, 0.5) ? g::Rounding::Single : g::Rounding::Double;
    compare_case<std::int8_t>(
        st, [&] { return g::add(a, b, ap); }, [&] { return nv::add(a, b, ap); },
        [&] { return describe_add(ap, shape, how); });
  }
  finish(pst, 0.8);
  finish(st, 0.8);
}

void check_gemm(int n) {
  Rng r = make_rng(208);
  Stats st;
  st.what = "gemm_i32";
  for (int i = 0; i < n; ++i) {
    const std::int64_t M = uni(r, 1, 16), K = uni(r, 1, 64), N = uni(r, 1, 16);
    const g::TensorI8 a = rand_i8_tensor(r, {M, K}, -128, 127);
    const g::TensorI8 b = rand_i8_tensor(r, {K, N}, -128, 127);
    const std::int32_t zp = rand_zp(r);
    compare_case<std::int32_t>(
        st, [&] { return g::gemm_i32(a, b, zp); }, [&] { return nv::gemm_i32(a, b, zp); },
        [&] {
          return "gemm_i32: A " + shape_str(a.shape) + ", B " + shape_str(b.shape) + ", zp_a " +
                 std::to_string(zp);
        });
  }
  // A long reduction that wraps int32: 70000 * (-128 - 127) * (-128) = 2284800000 > 2^31 - 1.
  {
    g::TensorI8 a;
    a.shape = {1, 70000};
    a.data.assign(70000, static_cast<std::int8_t>(-128));
    g::TensorI8 b;
    b.shape = {70000, 2};
    b.data.assign(140000, static_cast<std::int8_t>(-128));
    compare_case<std::int32_t>(
        st, [&] { return g::gemm_i32(a, b, 127); }, [&] { return nv::gemm_i32(a, b, 127); },
        [] { return std::string("gemm_i32 wrap case: K 70000, A -128, B -128, zp_a 127"); });
  }
  finish(st, 0.99);
}

void check_compute_padding(int n) {
  Rng r = make_rng(209);
  Stats st;
  st.what = "compute_padding";
  for (int i = 0; i < n; ++i) {
    const g::PadMode mode = static_cast<g::PadMode>(uni(r, 0, 2));
    g::Padding ep;
    ep.top = static_cast<int>(uni(r, 0, 4));
    ep.bottom = static_cast<int>(uni(r, 0, 4));
    ep.left = static_cast<int>(uni(r, 0, 4));
    ep.right = static_cast<int>(uni(r, 0, 4));
    const int ih = static_cast<int>(uni(r, 1, 40)), iw = static_cast<int>(uni(r, 1, 40));
    const int kh = static_cast<int>(uni(r, 1, 7)), kw = static_cast<int>(uni(r, 1, 7));
    const int sh = static_cast<int>(uni(r, 1, 4)), sw = static_cast<int>(uni(r, 1, 4));
    const int dh = static_cast<int>(uni(r, 1, 3)), dw = static_cast<int>(uni(r, 1, 3));
    std::optional<g::PaddedDims> gd, nd;
    try {
      gd = g::compute_padding(mode, ep, ih, iw, kh, kw, sh, sw, dh, dw);
    } catch (const std::invalid_argument&) {
    }
    try {
      nd = nv::compute_padding(mode, ep, ih, iw, kh, kw, sh, sw, dh, dw);
    } catch (const std::invalid_argument&) {
    }
    ++st.total;
    auto desc = [&] {
      std::ostringstream os;
      os << "compute_padding(" << pad_name(mode) << ", explicit t" << ep.top << " b" << ep.bottom
         << " l" << ep.left << " r" << ep.right << ", in " << ih << "x" << iw << ", kernel " << kh
         << "x" << kw << ", stride " << sh << "x" << sw << ", dilation " << dh << "x" << dw << ")";
      return os.str();
    };
    auto dims = [](const std::optional<g::PaddedDims>& d) {
      if (!d) return std::string("throws");
      std::ostringstream os;
      os << "out " << d->out_h << "x" << d->out_w << " pad t" << d->pad.top << " b" << d->pad.bottom
         << " l" << d->pad.left << " r" << d->pad.right;
      return os.str();
    };
    if (!gd && !nd) {
      ++st.skipped;
      continue;
    }
    ++st.run;
    if (!gd || !nd || !(gd->pad == nd->pad) || gd->out_h != nd->out_h || gd->out_w != nd->out_w) {
      report(st, desc(), "golden " + dims(gd) + "; naive " + dims(nd));
    }
  }
  finish(st, 0.6);
}

void check_output_quant_from_scales(int n) {
  Rng r = make_rng(210);
  Stats st;
  st.what = "output_quant_from_scales";
  for (int i = 0; i < n; ++i) {
    const int channels = static_cast<int>(uni(r, 1, 64));
    const double s_in = static_cast<float>(unif(r, 1e-4, 1.0));
    std::vector<double> ws;
    for (int c = 0; c < channels; ++c) {
      ws.push_back(chance(r, 0.9)
                       ? static_cast<float>(unif(r, 1e-5, 1e-1))
                       : std::ldexp(unif(r, 0.5, 1.0), static_cast<int>(uni(r, -60, 40))));
    }
    const double s_out = static_cast<float>(unif(r, 1e-4, 1.0));
    const std::int32_t zp = rand_zp(r);
    std::int32_t lo = -128, hi = 127;
    rand_act(r, zp, lo, hi);
    const g::Rounding mode = rand_rounding(r);
    const g::OutputQuant gq = g::output_quant_from_scales(s_in, ws, s_out, zp, lo, hi, mode);
    const g::OutputQuant nq = nv::output_quant_from_scales(s_in, ws, s_out, zp, lo, hi, mode);
    ++st.total;
    ++st.run;
    bool same = gq.multiplier == nq.multiplier && gq.shift == nq.shift &&
                gq.output_zero_point == nq.output_zero_point && gq.act_min == nq.act_min &&
                gq.act_max == nq.act_max && gq.rounding == nq.rounding;
    if (!same) {
      std::ostringstream os;
      os.precision(17);
      os << "output_quant_from_scales(s_in " << s_in << ", " << channels << " weight scales, s_out "
         << s_out << ", zp " << zp << ", act [" << lo << "," << hi << "], " << rounding_name(mode)
         << ")";
      std::ostringstream m;
      m << "golden " << describe_quant(gq, "g") << "; naive " << describe_quant(nq, "n");
      for (std::size_t c = 0; c < gq.multiplier.size() && c < nq.multiplier.size(); ++c) {
        if (gq.multiplier[c] != nq.multiplier[c] || gq.shift[c] != nq.shift[c]) {
          m << "; first differing channel " << c << " (w scale " << ws[c] << "): golden "
            << gq.multiplier[c] << "/" << gq.shift[c] << ", naive " << nq.multiplier[c] << "/"
            << nq.shift[c];
          break;
        }
      }
      report(st, os.str(), m.str());
    }
  }
  finish(st, 1.0);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Hand-computed values: anchor the naive model (and the golden one) to numbers worked out on
// paper, so the two cannot agree on a shared misreading of the rules.
// ---------------------------------------------------------------------------------------------

TEST_CASE("the naive model reproduces hand-computed rounding primitives", "[golden][smoke]") {
  for (int model = 0; model < 2; ++model) {
    INFO((model == 0 ? "naive model" : "golden model"));
    auto srdhm = [&](std::int32_t a, std::int32_t b) {
      return model == 0 ? nv::srdhm(a, b) : g::srdhm(a, b);
    };
    auto rdbpot = [&](std::int32_t x, int e) {
      return model == 0 ? nv::rdbpot(x, e) : g::rdbpot(x, e);
    };
    auto mbqm = [&](std::int32_t x, std::int32_t m, int s, g::Rounding mode) {
      return model == 0 ? nv::multiply_by_quantized_multiplier(x, m, s, mode)
                        : g::multiply_by_quantized_multiplier(x, m, s, mode);
    };
    auto qm = [&](double d, g::Rounding mode) {
      return model == 0 ? nv::quantize_multiplier(d, mode) : g::quantize_multiplier(d, mode);
    };
    // SRDHM(a, b) = floor((2ab + 2^31) / 2^32) = a*b/2^31 rounded half up.
    CHECK(srdhm(1 << 30, 1 << 30) == (1 << 29));  // 2^60/2^31 = 2^29 exactly
    CHECK(srdhm(3, 1 << 30) == 2);                // 3*2^30/2^31 = 1.5 -> 2
    CHECK(srdhm(-3, 1 << 30) == -1);              // -1.5 -> -1 (half toward +inf)
    CHECK(srdhm(1, 1 << 30) == 1);                // 0.5 -> 1
    CHECK(srdhm(-1, 1 << 30) == 0);               // -0.5 -> 0
    CHECK(srdhm(100, 1 << 30) == 50);             // 100 * 0.5
    CHECK(srdhm(kMin, kMin) == kMax);             // 2^62/2^31 = 2^31: saturates
    CHECK(srdhm(kMin, kMax) == -(kMax));          // -2^31 (2^31-1)/2^31 = -2^31 + 1 exactly
    // RDBPOT: x / 2^e, ties away from zero.
    CHECK(rdbpot(5, 1) == 3);             // 2.5 -> 3
    CHECK(rdbpot(-5, 1) == -3);           // -2.5 -> -3
    CHECK(rdbpot(7, 2) == 2);             // 1.75 -> 2
    CHECK(rdbpot(-6, 2) == -2);           // -1.5 -> -2
    CHECK(rdbpot(-5, 2) == -1);           // -1.25 -> -1
    CHECK(rdbpot(kMin, 31) == -1);        // -2^31 / 2^31 = -1
    CHECK(rdbpot(kMax, 31) == 1);         // (2^31 - 1)/2^31 = 0.99999 -> 1
    CHECK(rdbpot(1 << 30, 31) == 1);      // 0.5 -> 1
    CHECK(rdbpot(-(1 << 30), 31) == -1);  // -0.5 -> -1
    CHECK(rdbpot(12345, 0) == 12345);
    // MBQM, double rounding: RDBPOT(SRDHM(x 2^left, m), right).
    //   x=3, m=2^30 (0.5), shift -1 -> real 0.75: SRDHM(3, 2^30) = 2 (1.5 up); RDBPOT(2, 1) = 1.
    CHECK(mbqm(3, 1 << 30, -1, g::Rounding::Double) == 1);
    //   single: (3*2^30 + 2^31) >> 32 = 5*2^30 / 2^32 = 1.25 -> 1.
    CHECK(mbqm(3, 1 << 30, -1, g::Rounding::Single) == 1);
    //   x=5, 0.25: double: SRDHM(5, 2^30) = 3 (2.5 up), RDBPOT(3, 1) = 2 (1.5 away) -> 2;
    //   single: (5*2^30 + 2^31) / 2^32 = 7/4 -> floor 1. The two modes differ here.
    CHECK(mbqm(5, 1 << 30, -1, g::Rounding::Double) == 2);
    CHECK(mbqm(5, 1 << 30, -1, g::Rounding::Single) == 1);
    //   x=2^20, m=2^30, shift 12: double: 2^20 * 2^12 = 2^32 wraps to 0 -> 0.
    //   single: (2^50 + 2^18) >> 19 = 2^31 + 0.5 -> floor 2^31 -> saturates to INT32_MAX.
    CHECK(mbqm(1 << 20, 1 << 30, 12, g::Rounding::Double) == 0);
    CHECK(mbqm(1 << 20, 1 << 30, 12, g::Rounding::Single) == kMax);
    //   x=-7, m=2^31-1 (~1.0), shift 0: SRDHM(-7, 2^31-1) = floor((-7(2^31-1) + 2^30)/2^31)
    //   = floor(-7 + 7/2^31 + 0.5) = -7.
    CHECK(mbqm(-7, kMax, 0, g::Rounding::Double) == -7);
    // quantize_multiplier: frexp, Q0.31 half away from zero, carry, flush.
    auto eq = [](g::QuantizedMultiplier q, std::int32_t m, int s) {
      return q.multiplier == m && q.shift == s;
    };
    CHECK(eq(qm(0.5, g::Rounding::Double), 1 << 30, 0));      // 0.5 * 2^0
    CHECK(eq(qm(1.0, g::Rounding::Double), 1 << 30, 1));      // 0.5 * 2^1
    CHECK(eq(qm(0.75, g::Rounding::Double), 1610612736, 0));  // 0.75 * 2^31
    CHECK(eq(qm(0.0, g::Rounding::Double), 0, 0));
    CHECK(eq(qm(std::ldexp(1.0, -32), g::Rounding::Double), 1 << 30, -31));  // 0.5 * 2^-31
    CHECK(eq(qm(std::ldexp(1.0, -33), g::Rounding::Double), 0, 0));          // shift -32: flushed
    //   1 - 2^-40 = 0.99999.. * 2^0; * 2^31 = 2^31 - 2^-9 -> rounds to 2^31 -> carry (2^30, 1).
    CHECK(eq(qm(1.0 - std::ldexp(1.0, -40), g::Rounding::Double), 1 << 30, 1));
    //   (1 - 2^-33) * 2^-32: frexp shift -32 (would flush), but the mantissa carries to -31.
    CHECK(eq(qm(std::ldexp(1.0 - std::ldexp(1.0, -33), -32), g::Rounding::Double), 1 << 30, -31));
    //   tie: (2^30 + 0.5) / 2^31 -> Q0.31 2^30 + 0.5 -> away from zero 2^30 + 1.
    CHECK(eq(qm((std::ldexp(1.0, 30) + 0.5) / std::ldexp(1.0, 31), g::Rounding::Double),
             (1 << 30) + 1, 0));
    //   2^40 = 0.5 * 2^41: shift 41 in double mode; single mode saturates to (2^31 - 1, 30).
    CHECK(eq(qm(std::ldexp(1.0, 40), g::Rounding::Double), 1 << 30, 41));
    CHECK(eq(qm(std::ldexp(1.0, 40), g::Rounding::Single), kMax, 30));
    // requantize(1000, 0.5 * 2^-3): 1000/16 = 62.5 -> 63 (double: SRDHM 500, RDBPOT(500,3) =
    // 62.5 -> 63; single: (1000*2^30 + 2^33) >> 34 = floor(62.5 + 0.5) = 63), + zp 5 = 68.
    const auto rq = [&](std::int32_t acc, std::int32_t m, int s, std::int32_t zp, std::int32_t lo,
                        std::int32_t hi, g::Rounding mode) {
      return static_cast<int>(model == 0 ? nv::requantize(acc, m, s, zp, lo, hi, mode)
                                         : g::requantize(acc, m, s, zp, lo, hi, mode));
    };
    CHECK(rq(1000, 1 << 30, -3, 5, -128, 127, g::Rounding::Double) == 68);
    CHECK(rq(1000, 1 << 30, -3, 5, -128, 127, g::Rounding::Single) == 68);
    CHECK(rq(1000, 1 << 30, 0, 0, -128, 127, g::Rounding::Double) == 127);  // 500 clamps
    CHECK(rq(-1000, 1 << 30, -3, 5, 5, 127, g::Rounding::Double) == 5);     // -63+5 -> ReLU 5
    CHECK(rq(kMax, kMax, 0, 127, -128, 127, g::Rounding::Double) == 127);   // no int32 overflow
  }
}

TEST_CASE("the naive model reproduces hand-computed operator results", "[golden][smoke]") {
  for (int model = 0; model < 2; ++model) {
    INFO((model == 0 ? "naive model" : "golden model"));
    // compute_padding. Same, in 5, k 3, s 2: out ceil(5/2) = 3, total (3-1)*2 + 3 - 5 = 2 -> 1/1.
    //                  Same, in 6, k 3, s 2: out 3, total 4 + 3 - 6 = 1 -> 0 before / 1 after.
    //                  Valid, in 5, k 3, s 2: out ceil((5-3+1)/2) = 2.
    //                  Explicit 1/1, in 5, k 3, s 2: out (5 + 2 - 3)/2 + 1 = 3.
    //                  Same, in 7, k 3, dilation 2 (eff 5), s 1: out 7, total 6 + 5 - 7 = 4 -> 2/2.
    auto cp = [&](g::PadMode m, g::Padding ep, int in, int k, int s, int d) {
      return model == 0 ? nv::compute_padding(m, ep, in, in, k, k, s, s, d, d)
                        : g::compute_padding(m, ep, in, in, k, k, s, s, d, d);
    };
    g::PaddedDims pd = cp(g::PadMode::Same, {}, 5, 3, 2, 1);
    CHECK(pd.out_h == 3);
    CHECK(pd.pad.top == 1);
    CHECK(pd.pad.bottom == 1);
    pd = cp(g::PadMode::Same, {}, 6, 3, 2, 1);
    CHECK(pd.out_w == 3);
    CHECK(pd.pad.left == 0);
    CHECK(pd.pad.right == 1);
    pd = cp(g::PadMode::Valid, {}, 5, 3, 2, 1);
    CHECK(pd.out_h == 2);
    CHECK(pd.pad.top == 0);
    pd = cp(g::PadMode::Explicit, g::Padding{1, 1, 1, 1}, 5, 3, 2, 1);
    CHECK(pd.out_h == 3);
    pd = cp(g::PadMode::Same, {}, 7, 3, 1, 2);
    CHECK(pd.out_h == 7);
    CHECK(pd.pad.top == 2);
    CHECK(pd.pad.bottom == 2);

    // conv2d: input 1x3x3x1 = 1..9 (row-major), zp_in 1, weights 1x2x2x1 = [1 2; 3 4], bias 10,
    // Same, stride 1: out 3x3, total pad (3-1) + 2 - 3 = 1 -> top/left 0, bottom/right 1.
    //   out(0,0) = 1*(1-1) + 2*(2-1) + 3*(4-1) + 4*(5-1) = 0 + 2 + 9 + 16 = 27, + bias = 37
    //   out(2,2) = 1*(9-1) (the other three taps are padding) = 8, + bias = 18
    //   out(0,2) = 1*(3-1) + 3*(6-1) = 2 + 15 = 17, + bias = 27
    g::TensorI8 in;
    in.shape = {1, 3, 3, 1};
    in.data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    g::TensorI8 w;
    w.shape = {1, 2, 2, 1};
    w.data = {1, 2, 3, 4};
    g::TensorI32 bias;
    bias.shape = {1};
    bias.data = {10};
    g::ConvParams p;
    p.pad_mode = g::PadMode::Same;
    p.input_zero_point = 1;
    const g::TensorI32 acc =
        model == 0 ? nv::conv2d_acc(in, w, &bias, p) : g::conv2d_acc(in, w, &bias, p);
    REQUIRE(acc.shape == g::Shape{1, 3, 3, 1});
    CHECK(acc.at4(0, 0, 0, 0) == 37);
    CHECK(acc.at4(0, 2, 2, 0) == 18);
    CHECK(acc.at4(0, 0, 2, 0) == 27);
    // Requantized by 0.5 (m 2^30, shift 0), zp_out -3: 37 -> 18.5 -> 19 - 3 = 16;
    // 18 -> 9 - 3 = 6; 27 -> 13.5 -> 14 - 3 = 11.
    p.quant.multiplier = {1 << 30};
    p.quant.shift = {0};
    p.quant.output_zero_point = -3;
    const g::TensorI8 out = model == 0 ? nv::conv2d(in, w, &bias, p) : g::conv2d(in, w, &bias, p);
    CHECK(static_cast<int>(out.at4(0, 0, 0, 0)) == 16);
    CHECK(static_cast<int>(out.at4(0, 2, 2, 0)) == 6);
    CHECK(static_cast<int>(out.at4(0, 0, 2, 0)) == 11);

    // average_pool 2x2/2, Valid, 1x2x4x1 = [1 2 | -1 -2 ; 3 5 | -3 -5]:
    //   left window 1+2+3+5 = 11 / 4 = 2.75 -> 3; right window -11/4 = -2.75 -> -3.
    // Second input with sums 10 and -10: 2.5 -> 3, -2.5 -> -3 (ties away from zero).
    g::TensorI8 pin;
    pin.shape = {1, 2, 4, 1};
    pin.data = {1, 2, -1, -2, 3, 5, -3, -5};
    g::PoolParams pp;  // 2x2 filter, stride 2, Valid
    g::TensorI8 po = model == 0 ? nv::average_pool(pin, pp) : g::average_pool(pin, pp);
    REQUIRE(po.shape == g::Shape{1, 1, 2, 1});
    CHECK(static_cast<int>(po.data[0]) == 3);
    CHECK(static_cast<int>(po.data[1]) == -3);
    pin.data = {1, 2, -1, -2, 3, 4, -3, -4};
    po = model == 0 ? nv::average_pool(pin, pp) : g::average_pool(pin, pp);
    CHECK(static_cast<int>(po.data[0]) == 3);
    CHECK(static_cast<int>(po.data[1]) == -3);
    po = model == 0 ? nv::max_pool(pin, pp) : g::max_pool(pin, pp);
    CHECK(static_cast<int>(po.data[0]) == 4);
    CHECK(static_cast<int>(po.data[1]) == -1);

    // add with all scales 1, zero points 0: twice_max = 2, m1 = m2 = 0.5 -> (2^30, 0);
    // m_out = 2 / (2^20 * 1) = 2^-19 = 0.5 * 2^-18 -> (2^30, -18).
    //   10 + 20: a' = SRDHM(10 * 2^20, 2^30) = 5 * 2^20, b' = 10 * 2^20, sum 15 * 2^20;
    //   SRDHM(15 * 2^20, 2^30) = 7.5 * 2^20 = 7864320; RDBPOT(7864320, 18) = 30 exactly.
    const g::AddParams ap = model == 0 ? nv::add_params_from_scales(1, 0, 1, 0, 1, 0, -128, 127)
                                       : g::add_params_from_scales(1, 0, 1, 0, 1, 0, -128, 127);
    CHECK(ap.input1_multiplier == (1 << 30));
    CHECK(ap.input1_shift == 0);
    CHECK(ap.output_multiplier == (1 << 30));
    CHECK(ap.output_shift == -18);
    CHECK(ap.left_shift == 20);
    g::TensorI8 a1, a2;
    a1.shape = a2.shape = {2};
    a1.data = {10, 100};
    a2.data = {20, 100};
    const g::TensorI8 s = model == 0 ? nv::add(a1, a2, ap) : g::add(a1, a2, ap);
    CHECK(static_cast<int>(s.data[0]) == 30);
    CHECK(static_cast<int>(s.data[1]) == 127);  // 200 clamps

    // gemm: A = [1 2; 3 4], zp_a 1, B = [5 6; 7 8]: (A - 1) = [0 1; 2 3]
    //   C = [0*5 + 1*7, 0*6 + 1*8; 2*5 + 3*7, 2*6 + 3*8] = [7 8; 31 36].
    g::TensorI8 ga, gb;
    ga.shape = gb.shape = {2, 2};
    ga.data = {1, 2, 3, 4};
    gb.data = {5, 6, 7, 8};
    const g::TensorI32 gc = model == 0 ? nv::gemm_i32(ga, gb, 1) : g::gemm_i32(ga, gb, 1);
    CHECK(gc.data == std::vector<std::int32_t>{7, 8, 31, 36});
  }
}

// ---------------------------------------------------------------------------------------------
// Randomized cross-checks. Smoke: a few hundred layers in total; full: thousands per operator.
// ---------------------------------------------------------------------------------------------

TEST_CASE("golden and naive rounding primitives agree on a quick random sample",
          "[golden][smoke]") {
  check_srdhm(20000);
  check_rdbpot(20000);
  check_mbqm(20000);
  check_requantize(20000);
  check_quantize_multiplier(20000);
  check_output_quant_from_scales(200);
  check_compute_padding(5000);
}

TEST_CASE("golden and naive operators agree on a few hundred random layers", "[golden][smoke]") {
  check_conv2d(80);
  check_conv2d_acc(40);
  check_depthwise(60);
  check_fully_connected(40);
  check_pool(50, true);
  check_pool(50, false);
  check_add(200);
  check_gemm(30);
}

TEST_CASE("golden and naive srdhm and rdbpot agree on millions of edge-biased operands",
          "[golden][full]") {
  check_srdhm(3000000);
  check_rdbpot(3000000);
}

TEST_CASE("golden and naive requantization agree in both rounding modes", "[golden][full]") {
  check_mbqm(2000000);
  check_requantize(2000000);
}

TEST_CASE("golden and naive quantize_multiplier agree across all magnitudes", "[golden][full]") {
  check_quantize_multiplier(2000000);
  check_output_quant_from_scales(50000);
}

TEST_CASE("golden and naive padding rules agree", "[golden][full]") {
  check_compute_padding(1000000);
}

TEST_CASE("golden and naive conv2d agree on random layers", "[golden][full]") {
  check_conv2d(30000);
}

TEST_CASE("golden and naive conv2d accumulators agree on random layers", "[golden][full]") {
  check_conv2d_acc(15000);
}

TEST_CASE("golden and naive depthwise conv2d agree on random layers", "[golden][full]") {
  check_depthwise(30000);
}

TEST_CASE("golden and naive fully connected agree on random layers", "[golden][full]") {
  check_fully_connected(20000);
}

TEST_CASE("golden and naive max and average pooling agree on random layers", "[golden][full]") {
  check_pool(30000, true);
  check_pool(30000, false);
}

TEST_CASE("golden and naive element-wise add agree on random tensors", "[golden][full]") {
  check_add(30000);
}

TEST_CASE("golden and naive int32 gemm agree including wrap-around", "[golden][full]") {
  check_gemm(20000);
}

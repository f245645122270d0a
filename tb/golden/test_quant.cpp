// Rounding primitives and quantize_multiplier: hand-derived vectors (working shown next to each
// check; no expected value comes from the function under test) and random cross-checks against
// independent formulations.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>

#include "nuri/golden/quant.hpp"
#include "nuri/tb/options.hpp"

using namespace nuri::golden;

namespace {
constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();  // -2^31
constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();  // 2^31 - 1
constexpr std::int32_t kHalf = 1 << 30;                                  // 0.5 in Q0.31
}  // namespace

TEST_CASE("srdhm saturates only INT32_MIN times INT32_MIN", "[golden][smoke]") {
  // (-2^31)(-2^31) = 2^62; doubled high word = 2^62 / 2^31 = 2^31 does not fit -> INT32_MAX.
  CHECK(srdhm(kMin, kMin) == kMax);
  // (-2^31)(-2^31 + 1) = 2^62 - 2^31; / 2^31 = 2^31 - 1 exactly: representable, no saturation.
  CHECK(srdhm(kMin, kMin + 1) == kMax);
  // (-2^31)(2^31 - 1) = -2^62 + 2^31; / 2^31 = -2^31 + 1 = -2147483647 exactly.
  CHECK(srdhm(kMin, kMax) == -2147483647);
  // (-2^31)(2^30) / 2^31 = -2^30 exactly.
  CHECK(srdhm(kMin, kHalf) == -1073741824);
}

TEST_CASE("srdhm of INT32_MAX values rounds to nearest", "[golden][smoke]") {
  // (2^31-1)^2 = 2^62 - 2^32 + 1; / 2^31 = 2^31 - 2 + 2^-31 -> nearest 2^31 - 2 = 2147483646.
  CHECK(srdhm(kMax, kMax) == 2147483646);
  // (2^31-1) * 2^30 / 2^31 = 2^30 - 0.5: a tie, rounds up to 2^30.
  CHECK(srdhm(kMax, kHalf) == 1073741824);
  CHECK(srdhm(kHalf, kMax) == 1073741824);
  // x * 1 / 2^31 for x = 2^31 - 1: 0.99999999953 -> 1.
  CHECK(srdhm(kMax, 1) == 1);
  CHECK(srdhm(0, kMax) == 0);
}

TEST_CASE("srdhm rounds a positive half up", "[golden][smoke]") {
  // b = 2^30 is one half: srdhm(a, 2^30) = a / 2 rounded half toward +inf.
  CHECK(srdhm(1, kHalf) == 1);  // 0.5 -> 1
  CHECK(srdhm(3, kHalf) == 2);  // 1.5 -> 2
  CHECK(srdhm(5, kHalf) == 3);  // 2.5 -> 3 (not to even)
  CHECK(srdhm(4, kHalf) == 2);  // 2 exactly
}

TEST_CASE("srdhm rounds a negative half toward plus infinity", "[golden][smoke]") {
  CHECK(srdhm(-1, kHalf) == 0);   // -0.5 -> 0
  CHECK(srdhm(-3, kHalf) == -1);  // -1.5 -> -1
  CHECK(srdhm(-5, kHalf) == -2);  // -2.5 -> -2
  // -(2^31-1) * 2^30 / 2^31 = -2^30 + 0.5 -> -2^30 + 1 = -1073741823.
  CHECK(srdhm(-kMax, kHalf) == -1073741823);
  // Not a tie: -3 * 2^29 / 2^31 = -0.75 -> nearest -1.
  CHECK(srdhm(-3, 1 << 29) == -1);
  // -1 * 2^29 / 2^31 = -0.25 -> 0.
  CHECK(srdhm(-1, 1 << 29) == 0);
}

TEST_CASE("rdbpot rounds ties away from zero for both signs", "[golden][smoke]") {
  CHECK(rdbpot(5, 1) == 3);    // 2.5 -> 3
  CHECK(rdbpot(-5, 1) == -3);  // -2.5 -> -3
  CHECK(rdbpot(3, 1) == 2);    // 1.5 -> 2
  CHECK(rdbpot(-3, 1) == -2);  // -1.5 -> -2
  CHECK(rdbpot(1, 1) == 1);    // 0.5 -> 1
  CHECK(rdbpot(-1, 1) == -1);  // -0.5 -> -1
  CHECK(rdbpot(6, 2) == 2);    // 1.5 -> 2
  CHECK(rdbpot(-6, 2) == -2);  // -1.5 -> -2
  CHECK(rdbpot(5, 2) == 1);    // 1.25 -> 1
  CHECK(rdbpot(-5, 2) == -1);  // -1.25 -> -1
  CHECK(rdbpot(7, 2) == 2);    // 1.75 -> 2
  CHECK(rdbpot(-7, 2) == -2);  // -1.75 -> -2
  CHECK(rdbpot(-8, 2) == -2);  // -2 exactly
}

TEST_CASE("rdbpot with exponent 0 is the identity", "[golden][smoke]") {
  CHECK(rdbpot(kMin, 0) == kMin);
  CHECK(rdbpot(kMax, 0) == kMax);
  CHECK(rdbpot(-1, 0) == -1);
  CHECK(rdbpot(0, 0) == 0);
}

TEST_CASE("rdbpot with exponent 31 and the int32 extremes", "[golden][smoke]") {
  CHECK(rdbpot(kMax, 31) == 1);               // (2^31 - 1) / 2^31 = 0.9999999995 -> 1
  CHECK(rdbpot(kMin, 31) == -1);              // -2^31 / 2^31 = -1 exactly
  CHECK(rdbpot(kHalf, 31) == 1);              // 2^30 / 2^31 = 0.5 -> 1 (away from zero)
  CHECK(rdbpot(-kHalf, 31) == -1);            // -0.5 -> -1
  CHECK(rdbpot(kHalf - 1, 31) == 0);          // 0.49999999953 -> 0
  CHECK(rdbpot(-(kHalf - 1), 31) == 0);       // -0.49999999953 -> 0
  CHECK(rdbpot(kMax, 1) == 1073741824);       // 2^30 - 0.5 -> 2^30 (away from zero)
  CHECK(rdbpot(kMin, 1) == -1073741824);      // -2^30 exactly
  CHECK(rdbpot(kMin + 1, 1) == -1073741824);  // -2^30 + 0.5 -> -2^30 (away from zero)
  CHECK(rdbpot(kMin + 1, 31) == -1);          // -0.9999999995 -> -1
}

TEST_CASE("rdbpot rejects exponents outside 0 to 31", "[golden][smoke]") {
  CHECK_THROWS_AS(rdbpot(1, -1), std::invalid_argument);
  CHECK_THROWS_AS(rdbpot(1, 32), std::invalid_argument);
}

TEST_CASE("mbqm at shift minus 31 in both rounding modes", "[golden][smoke]") {
  // Double: RDBPOT(SRDHM(x, m), 31). SRDHM(2^31-1, 2^31-1) = 2147483646 (see srdhm test);
  // 2147483646 / 2^31 = 0.999999999 -> 1.
  CHECK(multiply_by_quantized_multiplier(kMax, kMax, -31, Rounding::Double) == 1);
  // Single: ((2^62 - 2^32 + 1) + 2^61) >> 62 = floor(1.5 - 2^-30 + 2^-62) = 1.
  CHECK(multiply_by_quantized_multiplier(kMax, kMax, -31, Rounding::Single) == 1);
  // x = -2^31, m = 2^31 - 1. Double: SRDHM = -2147483647; / 2^31 = -0.9999999995 -> -1.
  CHECK(multiply_by_quantized_multiplier(kMin, kMax, -31, Rounding::Double) == -1);
  // Single: (-2^62 + 2^31 + 2^61) >> 62 = floor(-0.5 + 2^-31) = -1.
  CHECK(multiply_by_quantized_multiplier(kMin, kMax, -31, Rounding::Single) == -1);
  // x = m = 2^30. Double: SRDHM = 2^60 / 2^31 = 2^29; 2^29 / 2^31 = 0.25 -> 0.
  CHECK(multiply_by_quantized_multiplier(kHalf, kHalf, -31, Rounding::Double) == 0);
  // Single: (2^60 + 2^61) >> 62 = floor(0.75) = 0.
  CHECK(multiply_by_quantized_multiplier(kHalf, kHalf, -31, Rounding::Single) == 0);
}

TEST_CASE("mbqm at shift plus 30 in both rounding modes", "[golden][smoke]") {
  // x = 1, m = 2^30: Double: 1 << 30 = 2^30; SRDHM(2^30, 2^30) = 2^29 = 536870912.
  CHECK(multiply_by_quantized_multiplier(1, kHalf, 30, Rounding::Double) == 536870912);
  // Single: (2^30 + 2^0) >> 1 = 2^29 (the +1/2 is dropped by the floor).
  CHECK(multiply_by_quantized_multiplier(1, kHalf, 30, Rounding::Single) == 536870912);
  // x = 2: Double: 2 << 30 = 2^31 wraps to -2^31; SRDHM(-2^31, 2^30) = -2^30.
  CHECK(multiply_by_quantized_multiplier(2, kHalf, 30, Rounding::Double) == -1073741824);
  // Single: (2^31 + 1) >> 1 = 2^30, no wrap in 64 bits.
  CHECK(multiply_by_quantized_multiplier(2, kHalf, 30, Rounding::Single) == 1073741824);
  // x = -3: Double: -3 * 2^30 = -3221225472 wraps (+2^32) to 2^30; SRDHM(2^30, 2^30) = 2^29.
  CHECK(multiply_by_quantized_multiplier(-3, kHalf, 30, Rounding::Double) == 536870912);
  // Single: (-3 * 2^30 + 1) >> 1 = floor(-3 * 2^29 + 0.5) = -1610612736.
  CHECK(multiply_by_quantized_multiplier(-3, kHalf, 30, Rounding::Single) == -1610612736);
  // Single saturates: 4 * (2^31 - 1) + 1 = 2^33 - 3; >> 1 = 2^32 - 2 > INT32_MAX.
  CHECK(multiply_by_quantized_multiplier(4, kMax, 30, Rounding::Single) == kMax);
  // -4 * (2^31 - 1) + 1 = -2^33 + 5; >> 1 = -2^32 + 2 < INT32_MIN.
  CHECK(multiply_by_quantized_multiplier(-4, kMax, 30, Rounding::Single) == kMin);
  // Double: 4 << 30 = 2^32 wraps to 0.
  CHECK(multiply_by_quantized_multiplier(4, kMax, 30, Rounding::Double) == 0);
}

TEST_CASE("mbqm double and single rounding differ on ties and double rounding", "[golden][smoke]") {
  // m = 2^30, shift -1: x * 0.25. x = -2: exact -0.5.
  // Double: SRDHM(-2, 2^30) = -1; RDBPOT(-1, 1) = -0.5 -> -1 (away from zero).
  CHECK(multiply_by_quantized_multiplier(-2, kHalf, -1, Rounding::Double) == -1);
  // Single: (-2 * 2^30 + 2^31) >> 32 = 0 >> 32 = 0 (half toward +inf).
  CHECK(multiply_by_quantized_multiplier(-2, kHalf, -1, Rounding::Single) == 0);
  // x = 3, m = 2^30 + 1, shift -2: exact 3 (2^30 + 1) / 2^33 = 0.375 + 3 * 2^-33.
  // Double: SRDHM = 1.5 + 3 * 2^-31 -> 2; RDBPOT(2, 2) = 0.5 -> 1 (the double-rounding case).
  CHECK(multiply_by_quantized_multiplier(3, kHalf + 1, -2, Rounding::Double) == 1);
  // Single: (3 * 2^30 + 3 + 2^32) >> 33 = (7 * 2^30 + 3) >> 33 = floor(0.875 + tiny) = 0.
  CHECK(multiply_by_quantized_multiplier(3, kHalf + 1, -2, Rounding::Single) == 0);
  // m = 0 gives 0.
  CHECK(multiply_by_quantized_multiplier(12345, 0, 0, Rounding::Double) == 0);
  CHECK(multiply_by_quantized_multiplier(12345, 0, 0, Rounding::Single) == 0);
}

TEST_CASE("mbqm rejects a shift outside minus 31 to 30 and a negative multiplier",
          "[golden][smoke]") {
  for (auto r : {Rounding::Double, Rounding::Single}) {
    CHECK_THROWS_AS(multiply_by_quantized_multiplier(1, kHalf, -32, r), std::invalid_argument);
    CHECK_THROWS_AS(multiply_by_quantized_multiplier(1, kHalf, 31, r), std::invalid_argument);
    CHECK_THROWS_AS(multiply_by_quantized_multiplier(1, -1, 0, r), std::invalid_argument);
  }
}

TEST_CASE("quantize_multiplier of exact powers of two", "[golden][smoke]") {
  // 0.5 = 0.5 * 2^0: mantissa 0.5 -> 0.5 * 2^31 = 2^30, shift 0.
  auto q = quantize_multiplier(0.5);
  CHECK(q.multiplier == 1073741824);
  CHECK(q.shift == 0);
  // 1.0 = 0.5 * 2^1: 2^30, shift 1.
  q = quantize_multiplier(1.0);
  CHECK(q.multiplier == 1073741824);
  CHECK(q.shift == 1);
  // 2^-10 = 0.5 * 2^-9.
  q = quantize_multiplier(std::ldexp(1.0, -10));
  CHECK(q.multiplier == 1073741824);
  CHECK(q.shift == -9);
  // 0.75 * 2^31 = 1610612736 exactly.
  q = quantize_multiplier(0.75);
  CHECK(q.multiplier == 1610612736);
  CHECK(q.shift == 0);
  // 0 -> {0, 0}.
  q = quantize_multiplier(0.0);
  CHECK(q.multiplier == 0);
  CHECK(q.shift == 0);
}

TEST_CASE("quantize_multiplier rounds the mantissa half away from zero", "[golden][smoke]") {
  // 0.5 + 2^-32 -> mantissa * 2^31 = 2^30 + 0.5 -> 2^30 + 1 (half-to-even would give 2^30).
  auto q = quantize_multiplier(0.5 + std::ldexp(1.0, -32));
  CHECK(q.multiplier == 1073741825);
  CHECK(q.shift == 0);
  // 0.5 + 2^-33 -> 2^30 + 0.25 -> 2^30.
  q = quantize_multiplier(0.5 + std::ldexp(1.0, -33));
  CHECK(q.multiplier == 1073741824);
  // 0.3 = 0.6 * 2^-1; 0.6 * 2^31 = 1288490188.8 -> 1288490189.
  q = quantize_multiplier(0.3);
  CHECK(q.multiplier == 1288490189);
  CHECK(q.shift == -1);
  // 1 - 2^-31: mantissa * 2^31 = 2^31 - 1 exactly, no carry.
  q = quantize_multiplier(1.0 - std::ldexp(1.0, -31));
  CHECK(q.multiplier == kMax);
  CHECK(q.shift == 0);
}

TEST_CASE("quantize_multiplier carries a mantissa that rounds up to 2^31", "[golden][smoke]") {
  // 1 - 2^-33: frexp gives (1 - 2^-33, 0); * 2^31 = 2^31 - 0.25 -> 2^31 -> halve, shift + 1.
  auto q = quantize_multiplier(1.0 - std::ldexp(1.0, -33));
  CHECK(q.multiplier == 1073741824);
  CHECK(q.shift == 1);
  // 1 - 2^-32: 2^31 - 0.5, a tie rounded away from zero -> 2^31 -> carry.
  q = quantize_multiplier(1.0 - std::ldexp(1.0, -32));
  CHECK(q.multiplier == 1073741824);
  CHECK(q.shift == 1);
  // Scaled by 2^-5: frexp exponent -5, carry to -4.
  q = quantize_multiplier(std::ldexp(1.0 - std::ldexp(1.0, -33), -5));
  CHECK(q.multiplier == 1073741824);
  CHECK(q.shift == -4);
}

TEST_CASE("quantize_multiplier flushes a shift below minus 31 to zero", "[golden][smoke]") {
  // 2^-32 = 0.5 * 2^-31: shift -31 is still representable.
  auto q = quantize_multiplier(std::ldexp(1.0, -32));
  CHECK(q.multiplier == 1073741824);
  CHECK(q.shift == -31);
  // 2^-33 = 0.5 * 2^-32: shift -32 < -31 -> {0, 0}.
  q = quantize_multiplier(std::ldexp(1.0, -33));
  CHECK(q.multiplier == 0);
  CHECK(q.shift == 0);
  q = quantize_multiplier(1e-12);  // ~2^-39.9
  CHECK(q.multiplier == 0);
  CHECK(q.shift == 0);
  // (1 - 2^-33) * 2^-32: frexp exponent -32, but the carry raises it to -31 before the flush
  // test, so it survives as {2^30, -31}.
  q = quantize_multiplier(std::ldexp(1.0 - std::ldexp(1.0, -33), -32));
  CHECK(q.multiplier == 1073741824);
  CHECK(q.shift == -31);
}

TEST_CASE("quantize_multiplier saturates a shift above 30 only in single rounding",
          "[golden][smoke]") {
  // 2^29 = 0.5 * 2^30: shift 30 in both modes.
  auto q = quantize_multiplier(std::ldexp(1.0, 29), Rounding::Single);
  CHECK(q.multiplier == 1073741824);
  CHECK(q.shift == 30);
  // 2^30 = 0.5 * 2^31. Double keeps {2^30, 31}; Single saturates to {2^31 - 1, 30}.
  q = quantize_multiplier(std::ldexp(1.0, 30), Rounding::Double);
  CHECK(q.multiplier == 1073741824);
  CHECK(q.shift == 31);
  q = quantize_multiplier(std::ldexp(1.0, 30), Rounding::Single);
  CHECK(q.multiplier == kMax);
  CHECK(q.shift == 30);
  // 3 * 2^40 = 0.75 * 2^42.
  q = quantize_multiplier(3.0 * std::ldexp(1.0, 40), Rounding::Double);
  CHECK(q.multiplier == 1610612736);
  CHECK(q.shift == 42);
  q = quantize_multiplier(3.0 * std::ldexp(1.0, 40), Rounding::Single);
  CHECK(q.multiplier == kMax);
  CHECK(q.shift == 30);
  // Below the limits the two modes agree: 0.75 in single rounding.
  q = quantize_multiplier(0.75, Rounding::Single);
  CHECK(q.multiplier == 1610612736);
  CHECK(q.shift == 0);
}

TEST_CASE("quantize_multiplier rejects negative and non-finite values", "[golden][smoke]") {
  CHECK_THROWS_AS(quantize_multiplier(-0.5), std::invalid_argument);
  CHECK_THROWS_AS(quantize_multiplier(-1e-30, Rounding::Single), std::invalid_argument);
  CHECK_THROWS_AS(quantize_multiplier(std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(quantize_multiplier(std::numeric_limits<double>::infinity()),
                  std::invalid_argument);
}

TEST_CASE("requantize adds the zero point in 64 bits and clamps", "[golden][smoke]") {
  // m = 2^30, shift 0 is x * 0.5: 100 -> 50; + 10 = 60.
  CHECK(requantize(100, kHalf, 0, 10, -128, 127) == 60);
  CHECK(requantize(1000, kHalf, 0, 0, -128, 127) == 127);    // 500 -> 127
  CHECK(requantize(-1000, kHalf, 0, 0, -128, 127) == -128);  // -500 -> -128
  CHECK(requantize(-10, kHalf, 0, 0, 0, 127) == 0);          // ReLU: -5 -> 0
  CHECK(requantize(20, kHalf, 0, 0, 0, 6) == 6);             // ReLU6-style: 10 -> 6
  // SRDHM(-2^31, 2^31 - 1) = -2147483647; + (-100) = -2147483747 in 64 bits -> -128. An int32
  // sum would wrap to +2147483549 and clamp to 127.
  CHECK(requantize(kMin, kMax, 0, -100, -128, 127) == -128);
  // SRDHM(2^31-1, 2^31-1) = 2147483646; + 100 -> 127 (an int32 sum would wrap negative).
  CHECK(requantize(kMax, kMax, 0, 100, -128, 127) == 127);
  // Single rounding: -2 * 0.25 = -0.5 -> 0 (half up); Double -> -1 (see the mbqm test).
  CHECK(requantize(-2, kHalf, -1, 0, -128, 127, Rounding::Single) == 0);
  CHECK(requantize(-2, kHalf, -1, 0, -128, 127, Rounding::Double) == -1);
}

TEST_CASE("requantize rejects a bad activation range or shift", "[golden][smoke]") {
  CHECK_THROWS_AS(requantize(0, kHalf, 0, 0, 10, 5), std::invalid_argument);
  CHECK_THROWS_AS(requantize(0, kHalf, 0, 0, -129, 5), std::invalid_argument);
  CHECK_THROWS_AS(requantize(0, kHalf, 0, 0, -128, 128), std::invalid_argument);
  CHECK_THROWS_AS(requantize(0, kHalf, 31, 0, -128, 127), std::invalid_argument);
}

// --- Random cross-checks against independent formulations -----------------------------------

namespace {
// TFLite's own SRDHM formulation: nudge then a truncating division.
std::int32_t srdhm_tflite_form(std::int32_t a, std::int32_t b) {
  if (a == kMin && b == kMin) return kMax;
  const std::int64_t ab = static_cast<std::int64_t>(a) * b;
  const std::int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<std::int32_t>((ab + nudge) / (std::int64_t{1} << 31));
}
// Quotient and remainder: round half away from zero.
std::int32_t rdbpot_by_division(std::int32_t x, int e) {
  const std::int64_t d = std::int64_t{1} << e;
  std::int64_t q = static_cast<std::int64_t>(x) / d;  // truncates toward zero
  const std::int64_t r = static_cast<std::int64_t>(x) - q * d;
  if (2 * (r < 0 ? -r : r) >= d) q += (x < 0 ? -1 : 1);
  return static_cast<std::int32_t>(q);
}
std::int32_t random_i32(std::mt19937_64& rng) {
  // Mix edge values with uniform ones.
  switch (rng() % 8) {
    case 0:
      return kMin + static_cast<std::int32_t>(rng() % 4);
    case 1:
      return kMax - static_cast<std::int32_t>(rng() % 4);
    case 2:
      return static_cast<std::int32_t>(rng() % 17) - 8;
    default:
      return static_cast<std::int32_t>(static_cast<std::uint32_t>(rng()));
  }
}
}  // namespace

TEST_CASE("srdhm and rdbpot agree with independent formulations on random inputs",
          "[golden][smoke]") {
  std::mt19937_64 rng(nuri::tb::seed());
  for (int i = 0; i < 20000; ++i) {
    const std::int32_t a = random_i32(rng), b = random_i32(rng);
    INFO("a=" << a << " b=" << b);
    REQUIRE(srdhm(a, b) == srdhm_tflite_form(a, b));
    const int e = static_cast<int>(rng() % 32);
    INFO("e=" << e);
    REQUIRE(rdbpot(a, e) == rdbpot_by_division(a, e));
  }
}

TEST_CASE("mbqm with a quantized real multiplier is within one of the exact product",
          "[golden][smoke]") {
  std::mt19937_64 rng(nuri::tb::seed());
  std::uniform_real_distribution<double> mant(0.5, 1.0);
  for (int i = 0; i < 5000; ++i) {
    const int e = static_cast<int>(rng() % 30) - 24;  // reals in [2^-25, 2^5)
    const double real = std::ldexp(mant(rng), e);
    const std::int32_t x = static_cast<std::int32_t>(rng() % 2000001) - 1000000;
    const double exact = static_cast<double>(x) * real;
    if (std::fabs(exact) > 1e8) continue;  // keeps the multiplier error below 0.1
    for (auto r : {Rounding::Double, Rounding::Single}) {
      const QuantizedMultiplier q = quantize_multiplier(real, r);
      // The quantized multiplier itself is within 2^-31 relative of the real.
      REQUIRE(std::fabs(std::ldexp(static_cast<double>(q.multiplier), q.shift - 31) - real) <=
              real * std::ldexp(1.0, -30));
      const std::int32_t got = multiply_by_quantized_multiplier(x, q.multiplier, q.shift, r);
      INFO("x=" << x << " real=" << real << " rounding=" << static_cast<int>(r));
      REQUIRE(std::fabs(static_cast<double>(got) - exact) <= 1.0);
    }
  }
}

// Unchecked inline forms of the quant.hpp primitives, shared by the operator loops. Arguments
// are validated once per operator call, not per element.
#pragma once

#include <cstdint>
#include <limits>

#include "nuri/golden/quant.hpp"

namespace nuri::golden::detail {

// Wrapping int32 arithmetic without signed-overflow UB.
inline std::int32_t wrap32(std::uint32_t v) { return static_cast<std::int32_t>(v); }
inline std::int32_t wrapping_add(std::int32_t a, std::int32_t b) {
  return wrap32(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}
inline std::int32_t wrapping_sub(std::int32_t a, std::int32_t b) {
  return wrap32(static_cast<std::uint32_t>(a) - static_cast<std::uint32_t>(b));
}
inline std::int32_t wrapping_shl(std::int32_t a, int s) {
  return wrap32(static_cast<std::uint32_t>(a) << s);
}

// floor((a*b + 2^30) / 2^31): the same value as TFLite's nudge (+2^30 or 1-2^30) followed by a
// truncating division by 2^31, i.e. the doubled high word rounded half toward +infinity.
inline std::int32_t srdhm(std::int32_t a, std::int32_t b) {
  if (a == std::numeric_limits<std::int32_t>::min() && b == a) {
    return std::numeric_limits<std::int32_t>::max();
  }
  const std::int64_t ab = static_cast<std::int64_t>(a) * static_cast<std::int64_t>(b);
  // >> on a negative int64 is arithmetic (floor) in C++20 and on every compiler we build with.
  return static_cast<std::int32_t>((ab + (std::int64_t{1} << 30)) >> 31);
}

// Arithmetic shift right by exponent (0..31), ties away from zero (gemmlowp's mask/threshold).
inline std::int32_t rdbpot(std::int32_t x, int exponent) {
  const std::int64_t mask = (std::int64_t{1} << exponent) - 1;
  const std::int64_t remainder = static_cast<std::int64_t>(x) & mask;
  const std::int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return static_cast<std::int32_t>((static_cast<std::int64_t>(x) >> exponent) +
                                   (remainder > threshold ? 1 : 0));
}

inline std::int32_t mbqm(std::int32_t x, std::int32_t m, int shift, Rounding rounding) {
  if (rounding == Rounding::Double) {
    const int left = shift > 0 ? shift : 0;
    const int right = shift > 0 ? 0 : -shift;
    return rdbpot(srdhm(wrapping_shl(x, left), m), right);
  }
  const int total = 31 - shift;  // 1..62
  const std::int64_t round = std::int64_t{1} << (total - 1);
  std::int64_t r = (static_cast<std::int64_t>(x) * m + round) >> total;
  if (r > std::numeric_limits<std::int32_t>::max()) r = std::numeric_limits<std::int32_t>::max();
  if (r < std::numeric_limits<std::int32_t>::min()) r = std::numeric_limits<std::int32_t>::min();
  return static_cast<std::int32_t>(r);
}

inline std::int8_t requantize(std::int32_t acc, std::int32_t m, int shift, std::int32_t zp,
                              std::int32_t act_min, std::int32_t act_max, Rounding rounding) {
  std::int64_t v = static_cast<std::int64_t>(mbqm(acc, m, shift, rounding)) + zp;
  if (v < act_min) v = act_min;
  if (v > act_max) v = act_max;
  return static_cast<std::int8_t>(v);
}

void check_multiplier(std::int32_t multiplier, int shift, const char* who);
void check_activation(std::int32_t act_min, std::int32_t act_max, const char* who);

}  // namespace nuri::golden::detail

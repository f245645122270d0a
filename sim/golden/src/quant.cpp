// Nuri golden model: TFLite int8 requantization arithmetic (see docs/golden-model.md).
#include "nuri/golden/quant.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "quant_impl.hpp"

namespace nuri::golden {

QuantizedMultiplier quantize_multiplier(double real_multiplier, Rounding rounding) {
  if (!std::isfinite(real_multiplier)) {
    throw std::invalid_argument("quantize_multiplier: real_multiplier must be finite");
  }
  if (real_multiplier < 0.0) {
    throw std::invalid_argument("quantize_multiplier: real_multiplier must be >= 0, got " +
                                std::to_string(real_multiplier));
  }
  QuantizedMultiplier q;
  if (real_multiplier == 0.0) return q;
  int exponent = 0;
  const double mantissa = std::frexp(real_multiplier, &exponent);  // in [0.5, 1)
  // std::round rounds half away from zero, as TfLiteRound does.
  std::int64_t fixed = static_cast<std::int64_t>(std::round(mantissa * 2147483648.0));
  if (fixed == (std::int64_t{1} << 31)) {  // mantissa rounded up to 1.0: renormalize
    fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) {  // every bit would be shifted out: exact zero instead
    exponent = 0;
    fixed = 0;
  }
  if (rounding == Rounding::Single && exponent > 30) {
    exponent = 30;
    fixed = (std::int64_t{1} << 31) - 1;
  }
  q.multiplier = static_cast<std::int32_t>(fixed);
  q.shift = exponent;
  return q;
}

std::int32_t srdhm(std::int32_t a, std::int32_t b) { return detail::srdhm(a, b); }

std::int32_t rdbpot(std::int32_t x, int exponent) {
  if (exponent < 0 || exponent > 31) {
    throw std::invalid_argument("rdbpot: exponent must be in 0..31, got " +
                                std::to_string(exponent));
  }
  return detail::rdbpot(x, exponent);
}

void detail::check_multiplier(std::int32_t multiplier, int shift, const char* who) {
  if (shift < -31 || shift > 30) {
    throw std::invalid_argument(std::string(who) + ": shift must be in [-31, 30], got " +
                                std::to_string(shift));
  }
  if (multiplier < 0) {
    throw std::invalid_argument(std::string(who) + ": multiplier must be >= 0, got " +
                                std::to_string(multiplier));
  }
}

void detail::check_activation(std::int32_t act_min, std::int32_t act_max, const char* who) {
  if (act_min < -128 || act_max > 127 || act_min > act_max) {
    throw std::invalid_argument(std::string(who) +
                                ": need -128 <= act_min <= act_max <= 127, got act_min " +
                                std::to_string(act_min) + ", act_max " + std::to_string(act_max));
  }
}

std::int32_t multiply_by_quantized_multiplier(std::int32_t x, std::int32_t multiplier, int shift,
                                              Rounding rounding) {
  detail::check_multiplier(multiplier, shift, "multiply_by_quantized_multiplier");
  return detail::mbqm(x, multiplier, shift, rounding);
}

std::int8_t requantize(std::int32_t acc, std::int32_t multiplier, int shift,
                       std::int32_t output_zero_point, std::int32_t act_min, std::int32_t act_max,
                       Rounding rounding) {
  detail::check_multiplier(multiplier, shift, "requantize");
  detail::check_activation(act_min, act_max, "requantize");
  return detail::requantize(acc, multiplier, shift, output_zero_point, act_min, act_max, rounding);
}

}  // namespace nuri::golden

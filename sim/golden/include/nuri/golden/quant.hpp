// Nuri golden model: exact TensorFlow Lite int8 requantization arithmetic.
//
// Every function here is defined bit for bit in docs/golden-model.md. The RTL post-processing
// unit, the firmware and the tests all use these definitions; nothing here depends on the RTL.
#pragma once

#include <cstdint>

namespace nuri::golden {

// Requantization rounding mode. Double is TFLite's default (SRDHM then RDBPOT); Single is the
// TFLITE_SINGLE_ROUNDING form ((x*m + 2^(30-s)) >> (31-s)). The RTL has the same mode bit.
enum class Rounding : std::uint8_t { Double = 0, Single = 1 };

// A real multiplier expressed as a Q0.31 mantissa and a power-of-two exponent:
// real ~= multiplier * 2^(shift - 31). multiplier is in [2^30, 2^31 - 1] or 0.
struct QuantizedMultiplier {
  std::int32_t multiplier = 0;
  int shift = 0;
};

// TFLite QuantizeMultiplier: frexp, round half away from zero, 2^31 carry, shift < -31 flushes to
// zero. Negative multipliers are rejected (std::invalid_argument). With Rounding::Single the shift
// is additionally saturated at 30 (multiplier 2^31 - 1), as TFLite's single-rounding build does.
QuantizedMultiplier quantize_multiplier(double real_multiplier,
                                        Rounding rounding = Rounding::Double);

// SaturatingRoundingDoublingHighMul: (2ab + 2^31) >> 32 (round half toward +inf), saturating only
// for INT32_MIN * INT32_MIN -> INT32_MAX.
std::int32_t srdhm(std::int32_t a, std::int32_t b);

// RoundingDivideByPOT: arithmetic right shift by exponent (0..31), rounding ties away from zero.
// Throws std::invalid_argument outside 0..31.
std::int32_t rdbpot(std::int32_t x, int exponent);

// MultiplyByQuantizedMultiplier.
//  Double: RDBPOT(SRDHM(x * 2^max(shift,0), m), max(-shift,0)); x * 2^shift wraps in int32
//          (two's complement), as TFLite's int32 expression does on every target it ships on.
//  Single: (x*m + 2^(30-shift)) >> (31-shift) in 64 bits, then saturated to int32.
// shift must be in [-31, 30] (std::invalid_argument otherwise); m must be >= 0.
std::int32_t multiply_by_quantized_multiplier(std::int32_t x, std::int32_t multiplier, int shift,
                                              Rounding rounding = Rounding::Double);

// The full output stage: clamp(MBQM(acc, m, shift) + zp_out, act_min, act_max) -> int8. The sum is
// formed without int32 overflow (64-bit), then clamped. act_min <= act_max within [-128, 127].
std::int8_t requantize(std::int32_t acc, std::int32_t multiplier, int shift,
                       std::int32_t output_zero_point, std::int32_t act_min, std::int32_t act_max,
                       Rounding rounding = Rounding::Double);

}  // namespace nuri::golden

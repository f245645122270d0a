// Helpers shared by the golden-model tests.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "nuri/golden/ops.hpp"

namespace nuri::golden::test {

inline TensorI8 i8(Shape shape, std::vector<int> values) {
  std::vector<std::int8_t> d(values.begin(), values.end());
  return TensorI8(std::move(shape), std::move(d));
}

inline std::vector<int> ints(const TensorI8& t) { return {t.data.begin(), t.data.end()}; }

inline TensorI8 random_i8(Shape shape, std::mt19937& rng, int lo = -128, int hi = 127) {
  TensorI8 t(std::move(shape));
  std::uniform_int_distribution<int> d(lo, hi);
  for (auto& v : t.data) v = static_cast<std::int8_t>(d(rng));
  return t;
}

inline int uniform(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

// Identity requantization (MBQM(x, 2^30, 1) = SRDHM(2x, 2^30) = x) with the full int8 range.
inline OutputQuant identity_quant() {
  OutputQuant q;
  q.multiplier = {1 << 30};
  q.shift = {1};
  return q;
}

}  // namespace nuri::golden::test

// Generic test-bench helpers shared by the array, scratchpad and accumulator-memory benches:
// packing int8 / int32 lanes into Verilator ports, and per-port handshake patterns.
#pragma once

#include <verilated.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <type_traits>
#include <vector>

namespace nuri::tb::array {

// ----- port packing (Verilator maps <= 64-bit ports to integers, wider ones to VlWide) ----------
template <typename T>
std::enable_if_t<std::is_integral_v<T>> set_i8_lanes(T& port, const std::vector<std::int8_t>& v) {
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    x |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(v[i])) << (8 * i);
  }
  port = static_cast<T>(x);
}
template <std::size_t W>
void set_i8_lanes(VlWide<W>& port, const std::vector<std::int8_t>& v) {
  for (std::size_t w = 0; w < W; ++w) port[w] = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    port[i / 4] |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(v[i])) << (8 * (i % 4));
  }
}
template <typename T>
std::enable_if_t<std::is_integral_v<T>, std::int32_t> get_i32_lane(const T& port, std::size_t n) {
  return static_cast<std::int32_t>(
      static_cast<std::uint32_t>(static_cast<std::uint64_t>(port) >> (32 * n)));
}
template <std::size_t W>
std::int32_t get_i32_lane(const VlWide<W>& port, std::size_t n) {
  return static_cast<std::int32_t>(port[n]);
}

// ----- handshake patterns ---------------------------------------------------------------------
// Bursty: open 8 cycles in every 128, long enough closed for a stalled output to fill the
// array's output FIFO (npu_fifo:c_full) on every array size.
enum class Pattern { None, Periodic, Random, Bursty };
inline const char* name(Pattern p) {
  switch (p) {
    case Pattern::None:
      return "none";
    case Pattern::Periodic:
      return "periodic";
    case Pattern::Random:
      return "random";
    case Pattern::Bursty:
      return "bursty";
  }
  return "?";
}

// Decides, cycle by cycle, whether a port is willing (a valid offered, a ready given).
class Gate {
 public:
  Gate(Pattern p, std::uint32_t seed, unsigned period) : pat_(p), rng_(seed), period_(period) {}
  bool open(std::uint64_t cycle) {
    switch (pat_) {
      case Pattern::None:
        return true;
      case Pattern::Periodic:
        return (cycle % period_) < period_ / 2 + 1;
      case Pattern::Random:
        return std::uniform_int_distribution<int>(0, 99)(rng_) < 55;
      case Pattern::Bursty:
        return cycle % 128 < 8;
    }
    return true;
  }

 private:
  Pattern pat_;
  std::mt19937 rng_;
  unsigned period_;
};

}  // namespace nuri::tb::array

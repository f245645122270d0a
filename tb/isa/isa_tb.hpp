// Helpers shared by the ISA test files (tb/isa).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "nuri/isa/isa.hpp"
#include "nuri/isa/isa_sim.hpp"

namespace nuri::isa::tb {

inline constexpr std::uint64_t kDramBase = 0x8000'0000ull;

// An array x array configuration with small memories (fast to allocate and compare).
inline IsaConfig small_config(std::uint32_t array = 4, std::uint64_t spad = 4096,
                              std::uint64_t acc = 4096, std::uint32_t params = 64) {
  return IsaConfig::make(array, array, spad, acc, params);
}

inline std::vector<std::uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<std::uint8_t> out;
  for (int x : v) out.push_back(static_cast<std::uint8_t>(x));
  return out;
}

// A 1-D contiguous transfer of n bytes: DRAM dram <-> local lcl.
inline DmaDesc linear(std::uint64_t dram, std::uint32_t lcl, std::uint32_t n) {
  DmaDesc d;
  d.dram_addr = dram;
  d.lcl_addr = lcl;
  d.size = {n, 1, 1};
  d.len = {n, 1, 1};
  return d;
}

inline Load load(const DmaDesc& d, Space s = Space::Spad, Tokens t = {}, std::uint8_t pad = 0) {
  Load c;
  c.tok = t;
  c.space = s;
  c.desc = d;
  c.pad = pad;
  return c;
}
inline Store store(const DmaDesc& d, Space s = Space::Spad, Tokens t = {}) {
  Store c;
  c.tok = t;
  c.space = s;
  c.desc = d;
  return c;
}

// A 16-byte parameter record: bias, multiplier, shift.
inline std::vector<std::uint8_t> param_record(std::int32_t bias, std::int32_t mult, int shift) {
  std::vector<std::uint8_t> r(kParamRecordBytes, 0);
  for (unsigned i = 0; i < 4; ++i) {
    r[i] = static_cast<std::uint8_t>(static_cast<std::uint32_t>(bias) >> (8 * i));
    r[4 + i] = static_cast<std::uint8_t>(static_cast<std::uint32_t>(mult) >> (8 * i));
  }
  r[8] = static_cast<std::uint8_t>(static_cast<std::int8_t>(shift));
  return r;
}

}  // namespace nuri::isa::tb

// npu_mul_pipe, the DMA plan's two-stage multiplier, against the C++ product: every product
// appears exactly two cycles after its operands, one per cycle, for edge and random operands
// (all ones, one bit set in every 18-bit piece, zero). The expected values are 128-bit C++
// products truncated to the output widths.
#include <catch2/catch.hpp>

#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include "Vmul_pipe_tb.h"
#include "nuri/tb/dut.hpp"
#include "nuri/tb/options.hpp"

namespace {

struct Ops {
  std::uint32_t a;   // 24 bits
  std::uint64_t b;   // 40 bits
  std::uint32_t lb;  // 32 bits
};

constexpr std::uint32_t kAMask = (1u << 24) - 1;
constexpr std::uint64_t kBMask = (std::uint64_t{1} << 40) - 1;

std::vector<Ops> edge_operands() {
  std::vector<std::uint32_t> as = {0,        1,       kAMask, 1u << 17, 1u << 18, (1u << 18) - 1,
                                   1u << 23, 0x15555a};
  std::vector<std::uint64_t> bs = {0,
                                   1,
                                   kBMask,
                                   std::uint64_t{1} << 17,
                                   std::uint64_t{1} << 18,
                                   std::uint64_t{1} << 35,
                                   std::uint64_t{1} << 36,
                                   std::uint64_t{1} << 39,
                                   (std::uint64_t{1} << 36) - 1,
                                   0xaaaaaaaaaa};
  std::vector<Ops> v;
  for (auto a : as) {
    for (auto b : bs) {
      v.push_back({a, b, static_cast<std::uint32_t>(b) ^ static_cast<std::uint32_t>(b >> 8)});
    }
  }
  return v;
}

void run(const std::vector<Ops>& ops) {
  nuri::tb::Dut<Vmul_pipe_tb> dut;
  dut->valid_i = 0;
  dut.reset();
  std::deque<Ops> in_flight;  // operands driven, product not yet checked
  std::size_t checked = 0;
  for (std::size_t t = 0; t < ops.size() + 2; ++t) {
    const bool drive = t < ops.size();
    dut->valid_i = drive;
    if (drive) {
      dut->a_i = ops[t].a;
      dut->b_i = ops[t].b;
      dut->lb_i = ops[t].lb;
      in_flight.push_back(ops[t]);
    }
    dut.tick();
    // After the second tick of an operand pair its product is on the outputs.
    if (t >= 1 && t - 1 < ops.size()) {
      REQUIRE(dut->valid_o);
      const Ops o = in_flight.front();
      in_flight.pop_front();
      const unsigned __int128 full = static_cast<unsigned __int128>(o.a) * o.b;
      const std::uint64_t want = static_cast<std::uint64_t>(full);
      const std::uint32_t want_l = static_cast<std::uint32_t>(std::uint64_t{o.a} * o.lb);
      INFO("a = " << o.a << ", b = " << o.b << ", lb = " << o.lb);
      CHECK(dut->p_o == want);
      CHECK(dut->lp_o == want_l);
      ++checked;
    } else {
      REQUIRE_FALSE(dut->valid_o);
    }
  }
  REQUIRE(checked == ops.size());
}

}  // namespace

TEST_CASE("mul_pipe: edge operands give one product per cycle two cycles late", "[rtl][smoke]") {
  run(edge_operands());
}

TEST_CASE("mul_pipe: random operands", "[rtl][smoke]") {
  std::mt19937_64 rng(nuri::tb::seed());
  std::vector<Ops> ops;
  for (int i = 0; i < 5000; ++i) {
    const std::uint64_t r = rng();
    ops.push_back({static_cast<std::uint32_t>(r) & kAMask, rng() & kBMask,
                   static_cast<std::uint32_t>(r >> 24)});
  }
  run(ops);
}

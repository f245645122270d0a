// npu_token_cnt, one counting token's update in a cycle of the command processor, against the
// token rule written out step by step: every count, every set of gives, with and without a take
// and a unit error (docs/isa.md, "Queues and tokens"; the rule is the header of
// rtl/npu_token_cnt.sv).
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <sstream>
#include <string>

#include <verilated.h>

#include "Vnpu_token_cnt.h"

namespace {

struct Update {
  unsigned cnt;  // the count after the cycle
  bool nz;       // cnt != 0
  unsigned ovf;  // bit q: unit q's give found 255
};

// One cycle, in the order the command processor applies it: the starting command's take (which
// needs a nonzero count), then the gives of units 0, 1, 2. Without a unit error a give at 255 is
// an overflow and leaves the count; with one, the gives count on past 255 and the count wraps
// to 8 bits. The overflow flags are those of the run without an error (the command processor
// ignores them when a unit failed).
Update rule(unsigned cnt, unsigned give, bool take, bool err) {
  Update u{};
  unsigned c = take ? cnt - 1 : cnt;
  unsigned wrapped = c;
  for (unsigned q = 0; q < 3; ++q) {
    if (((give >> q) & 1u) == 0) continue;
    if (c == 255) {
      u.ovf |= 1u << q;
    } else {
      ++c;
    }
    wrapped = (wrapped + 1) & 0xFFu;
  }
  u.cnt = err ? wrapped : c;
  u.nz = u.cnt != 0;
  return u;
}

std::string describe(unsigned cnt, unsigned give, bool take, bool err) {
  std::ostringstream s;
  s << "count " << cnt << ", gives 0b" << ((give >> 2) & 1u) << ((give >> 1) & 1u) << (give & 1u)
    << (take ? ", a take" : ", no take") << (err ? ", a unit error" : ", no unit error");
  return s.str();
}

}  // namespace

TEST_CASE(
    "token counter: all counts and gives with and without a take or a unit error follow the token "
    "rule",
    "[rtl][smoke]") {
  auto ctx = std::make_unique<VerilatedContext>();
  auto dut = std::make_unique<Vnpu_token_cnt>(ctx.get(), "TOP");
  unsigned cases = 0, capped = 0, wrapped = 0, overflows = 0, to_zero = 0;
  for (unsigned err = 0; err < 2; ++err) {
    for (unsigned take = 0; take < 2; ++take) {
      for (unsigned give = 0; give < 8; ++give) {
        for (unsigned cnt = 0; cnt < 256; ++cnt) {
          if (take != 0 && cnt == 0) continue;  // a take needs a nonzero count
          dut->cnt_i = static_cast<std::uint8_t>(cnt);
          dut->give_i = static_cast<std::uint8_t>(give);
          dut->take_i = static_cast<std::uint8_t>(take);
          dut->err_i = static_cast<std::uint8_t>(err);
          dut->eval();
          const Update want = rule(cnt, give, take != 0, err != 0);
          INFO(describe(cnt, give, take != 0, err != 0));
          REQUIRE(static_cast<unsigned>(dut->cnt_o) == want.cnt);
          REQUIRE(static_cast<bool>(dut->nz_o) == want.nz);
          REQUIRE(static_cast<unsigned>(dut->ovf_o) == want.ovf);
          ++cases;
          const unsigned b = cnt - take, n = static_cast<unsigned>(__builtin_popcount(give));
          if (b + n > 255) (err != 0 ? wrapped : capped)++;
          if (want.ovf != 0) ++overflows;
          if (want.cnt == 0 && cnt != 0) ++to_zero;
        }
      }
    }
  }
  dut->final();
  // the corners the sweep is for
  CHECK(cases == 2 * 8 * (256 + 255));
  // b + n above 255: without a take 3 (one give, c = 255) + 3 * 2 (two gives, c >= 254) + 3 (three
  // gives, c >= 253); with one, 3 (two gives, c = 255) + 2 (three gives, c >= 254)
  CHECK(capped == 17);
  CHECK(wrapped == 17);
  CHECK(overflows > 0);
  CHECK(to_zero > 0);
}

// Assertion self-test (see assert_selftest.sv): a correct RTL assertion stays quiet, a
// deliberately broken one fails the run. The CTest test "tb: a deliberately broken RTL assertion
// fails the run" runs the first case below with NURI_SELFTEST_BROKEN=1 and requires a non-zero
// exit status and the assertion's %Error line (tb/selftest/expect_failure.cmake).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "Vassert_selftest_broken.h"
#include "Vassert_selftest_ok.h"
#include "nuri/tb/dut.hpp"

namespace {

bool broken_requested() {
  const char* b = std::getenv("NURI_SELFTEST_BROKEN");
  return b != nullptr && std::string(b) == "1";
}

template <typename Model>
void count(nuri::tb::Dut<Model>& dut, unsigned cycles) {
  dut->en_i = 1;
  for (unsigned i = 0; i < cycles; ++i) dut.tick();
}

}  // namespace

TEST_CASE("selftest counter runs under its assertion", "[rtl][smoke]") {
  if (broken_requested()) {
    // The deliberately broken model, run like any test: the assertion must fail this case.
    nuri::tb::Dut<Vassert_selftest_broken> dut("broken");
    dut.reset();
    count(dut, 40);
    FAIL("the broken assertion did not fire in 40 cycles");
  }
  nuri::tb::Dut<Vassert_selftest_ok> dut("ok");
  dut.reset();
  for (unsigned i = 0; i < 40; ++i) {
    REQUIRE(dut->count_o == i % 10);  // spec: counts 0..Limit-1 and wraps
    count(dut, 1);
  }
  CHECK(dut.context().errorCount() == 0);
}

TEST_CASE("selftest a broken assertion makes Dut tick throw", "[rtl][smoke]") {
  nuri::tb::Dut<Vassert_selftest_broken> dut("broken");
  dut.reset();
  dut->en_i = 1;
  // Counter 0,1,2,3 satisfies the wrong bound; it reaches 4 after the fourth edge, and the
  // assertion samples it at the fifth.
  for (unsigned i = 0; i < 4; ++i) REQUIRE_NOTHROW(dut.tick());
  REQUIRE_THROWS_WITH(count(dut, 4), Catch::Contains("RTL assertion failed"));
  CHECK(dut.context().errorCount() > 0);
}

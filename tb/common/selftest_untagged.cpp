// A deliberately mis-tagged test case: see tb/CMakeLists.txt.
#include <catch2/catch.hpp>

TEST_CASE("a test case without a size tag", "[selftest]") { CHECK(1 + 1 == 2); }

// Catch2 main shared by every Nuri test executable.
//
// Adds to Catch's own command line:
//   --waves            record an FST waveform per test (RTL tests; see nuri/tb/options.hpp)
//   --nuri-list        print "name<TAB>tag;tag" per test case, for CTest discovery
// Every test case must carry exactly one of the size tags [smoke], [full] or [nightly]; the
// listing fails otherwise, so a test can never silently fall out of every CTest label.
// Seeds: Catch's --rng-seed N (default 1) feeds nuri::tb::seed(); a failing test prints the
// command that reruns it with the same seed.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

#include "nuri/tb/options.hpp"

namespace nuri::tb {
namespace {
Options g_options;
std::string g_argv0;
}  // namespace

const Options& options() { return g_options; }

std::uint32_t seed() { return Catch::rngSeed(); }

// "<executable>: <test case>", the CTest name, so that waveforms and coverage files of the same
// case in two executables (tb_array_4x4, tb_array_8x8) run from one folder do not collide.
std::string current_test_name() {
  const auto slash = g_argv0.find_last_of('/');
  const std::string exe = slash == std::string::npos ? g_argv0 : g_argv0.substr(slash + 1);
  return exe + ": " + Catch::getResultCapture().getCurrentTestName();
}
}  // namespace nuri::tb

namespace {

bool bad_name_char(char c) {
  return c == ',' || c == '[' || c == ']' || c == '*' || c == '~' || c == '"' || c == '\\';
}

int list_for_ctest() {
  int errors = 0;
  for (const auto& tc : Catch::getRegistryHub().getTestCaseRegistry().getAllTests()) {
    const auto& info = tc.getTestCaseInfo();
    int size_tags = 0;
    std::string tags;
    for (const auto& t : info.lcaseTags) {
      if (t == "smoke" || t == "full" || t == "nightly") ++size_tags;
      if (!tags.empty()) tags += ';';
      tags += t;
    }
    if (size_tags != 1) {
      std::cerr << "error: test case \"" << info.name << "\" (" << info.lineInfo.file << ":"
                << info.lineInfo.line
                << ") must carry exactly one of the tags [smoke], [full], [nightly]\n";
      ++errors;
      continue;
    }
    for (char c : info.name) {
      if (bad_name_char(c)) {
        std::cerr << "error: test case \"" << info.name
                  << "\" uses one of the characters , [ ] * ~ \" \\ that CTest cannot pass "
                     "back to Catch\n";
        ++errors;
        break;
      }
    }
    std::cout << info.name << '\t' << tags << '\n';
  }
  return errors == 0 ? 0 : 1;
}

// Prints, for every failing test case, the command that reruns it with the same seed.
struct RerunHint : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    if (stats.totals.assertions.failed > 0) {
      std::cerr << "\nnuri: to rerun: " << nuri::tb::g_argv0 << " \"" << stats.testInfo.name
                << "\" --rng-seed " << Catch::rngSeed() << "   (add --waves for an FST)\n";
    }
  }
};
CATCH_REGISTER_LISTENER(RerunHint)

}  // namespace

int main(int argc, char* argv[]) {
  Catch::Session session;
  nuri::tb::g_argv0 = argc > 0 ? argv[0] : "test";
  bool list = false;
  using namespace Catch::clara;
  auto cli = session.cli() |
             Opt(nuri::tb::g_options.waves)["--waves"]("record an FST waveform for each test") |
             Opt(list)["--nuri-list"]("list test cases and tags for CTest");
  session.cli(cli);
  // Default seed 1 (deterministic); Catch's --rng-seed overrides it.
  session.configData().rngSeed = 1;
  if (const char* w = std::getenv("NURI_WAVES"); w != nullptr && *w != '\0' && *w != '0') {
    nuri::tb::g_options.waves = true;
  }
  if (int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  if (list) return list_for_ctest();
  return session.run();
}

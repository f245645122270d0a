// Shared printing helpers of npusim: progress lines, comparisons with the golden model, stats.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "nuri/fw/driver.hpp"
#include "nuri/fw/layers.hpp"
#include "nuri/golden/tensor.hpp"

namespace nuri::npusim {

// "\r<label>: 40% (1234/3085 commands)" on stderr while a layer runs, when enabled.
class Progress {
 public:
  Progress(bool on, std::string label) : on_(on), label_(std::move(label)) {}
  ~Progress() { finish(); }
  fw::ProgressFn fn() {
    if (!on_) return {};
    return [this](std::uint64_t done, std::uint64_t total) {
      const int pct = total ? static_cast<int>(100 * done / total) : 100;
      if (pct == last_) return;
      last_ = pct;
      std::fprintf(stderr, "\r%s: %3d%% (%llu/%llu commands)", label_.c_str(), pct,
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
      std::fflush(stderr);
      printed_ = true;
    };
  }
  void finish() {
    if (printed_) std::fprintf(stderr, "\r\033[K");
    printed_ = false;
  }

 private:
  bool on_;
  std::string label_;
  int last_ = -1;
  bool printed_ = false;
};

// Number of differing elements; prints the first few (NHWC / [N,C] positions) when any.
std::size_t compare_and_report(const golden::TensorI8& expected, const golden::TensorI8& actual,
                               const char* prefix, std::size_t show = 5);

// "12.3%" or "n/a" when cycles are unknown.
std::string utilization_string(const fw::LayerStats& s, const fw::HwInfo& hw);
std::string cycles_string(std::uint64_t cycles);

}  // namespace nuri::npusim

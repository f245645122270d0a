#include "report.hpp"

namespace nuri::npusim {

std::size_t compare_and_report(const golden::TensorI8& expected, const golden::TensorI8& actual,
                               const char* prefix, std::size_t show) {
  if (expected.shape != actual.shape) {
    std::printf("%s: output shape %s differs from the golden model's %s\n", prefix,
                golden::shape_to_string(actual.shape).c_str(),
                golden::shape_to_string(expected.shape).c_str());
    return expected.data.size();
  }
  std::size_t bad = 0;
  for (std::size_t i = 0; i < expected.data.size(); ++i) bad += expected.data[i] != actual.data[i];
  if (bad == 0) return 0;
  std::printf("%s: MISMATCH: %zu of %zu elements differ from the golden model\n", prefix, bad,
              expected.data.size());
  std::size_t shown = 0;
  for (std::size_t i = 0; i < expected.data.size() && shown < show; ++i) {
    if (expected.data[i] == actual.data[i]) continue;
    ++shown;
    // Position as a multi-index over the shape.
    std::string pos;
    std::size_t rest = i;
    for (int d = expected.rank() - 1; d >= 0; --d) {
      const auto n = static_cast<std::size_t>(expected.dim(d));
      pos = std::to_string(rest % n) + (pos.empty() ? "" : ",") + pos;
      rest /= n;
    }
    std::printf("%s:   [%s]: expected %d, got %d\n", prefix, pos.c_str(), expected.data[i],
                actual.data[i]);
  }
  return bad;
}

std::string utilization_string(const fw::LayerStats& s, const fw::HwInfo& hw) {
  if (s.cycles == 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * s.utilization(hw));
  return buf;
}

std::string cycles_string(std::uint64_t cycles) {
  return cycles == 0 ? std::string("n/a") : std::to_string(cycles);
}

}  // namespace nuri::npusim

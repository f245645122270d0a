// Test-bench components for npu_mac_array: port packing, stall patterns, a weight driver, an
// activation driver and an output monitor around one Verilated array, plus a tiled GEMM that
// streams C = A * B through the array (docs/datapath.md has the tiling rules it follows).
//
// The including file defines NURI_ROWS, NURI_COLS, NURI_MODEL (class) and NURI_MODEL_HEADER.
#pragma once

#include <verilated.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include NURI_MODEL_HEADER
#include "bench_util.hpp"
#include "nuri/golden/tensor.hpp"
#include "nuri/tb/dut.hpp"

namespace nuri::tb::array {

using Model = NURI_MODEL;
inline constexpr int kRows = NURI_ROWS;
inline constexpr int kCols = NURI_COLS;

struct Stalls {
  Pattern w = Pattern::None, a = Pattern::None, o = Pattern::None;
};

struct ActRow {
  std::vector<std::int8_t> lanes;  // kRows lanes
  bool first = false;
};

// Drives the three ports of one array. Queue weight beats and activation rows, then run().
class ArrayBench {
 public:
  explicit ArrayBench(Stalls s = {}, std::uint32_t seed = 1, const std::string& tag = "")
      : dut_(tag), wg_(s.w, seed * 3 + 1, 5), ag_(s.a, seed * 5 + 2, 7), og_(s.o, seed * 7 + 3, 4) {
    dut_.reset();
  }

  Dut<Model>& dut() { return dut_; }

  void push_weight_beat(std::vector<std::int8_t> lanes) { wq_.push_back(std::move(lanes)); }
  void push_row(ActRow r) {
    aq_.push_back(std::move(r));
    ++expected_;
  }
  // One tile: Rows beats (row k = W[k][*], zero-filled by the caller as needed).
  void push_tile(const std::vector<std::vector<std::int8_t>>& w) {
    for (const auto& row : w) push_weight_beat(row);
  }

  // Runs until every queued row has produced its output row. Returns the cycles spent (ticks).
  std::uint64_t run(std::uint64_t max_cycles = 0) {
    const std::uint64_t start = dut_.cycles();
    if (max_cycles == 0) max_cycles = 200 + 40 * (expected_ + wq_.size()) + 8 * kRows * kCols;
    while (outputs_.size() < expected_) {
      const std::uint64_t cyc = dut_.cycles();
      // Valid, once offered, stays up until accepted (the DUT asserts it).
      w_offer_ = !wq_.empty() && (w_offer_ || wg_.open(cyc));
      a_offer_ = !aq_.empty() && (a_offer_ || ag_.open(cyc));
      dut_->w_valid_i = w_offer_;
      if (!wq_.empty()) set_i8_lanes(dut_->w_data_i, wq_.front());
      dut_->a_valid_i = a_offer_;
      dut_->a_first_i = !aq_.empty() && aq_.front().first;
      if (!aq_.empty()) set_i8_lanes(dut_->a_data_i, aq_.front().lanes);
      dut_->o_ready_i = og_.open(cyc);
      dut_.eval();
      const bool w_fire = w_offer_ && dut_->w_ready_o;
      const bool a_fire = a_offer_ && dut_->a_ready_o;
      if (dut_->o_valid_o && dut_->o_ready_i) {
        std::vector<std::int32_t> row(kCols);
        for (int n = 0; n < kCols; ++n) {
          row[static_cast<std::size_t>(n)] =
              get_i32_lane(dut_->o_data_o, static_cast<std::size_t>(n));
        }
        outputs_.push_back(std::move(row));
        last_out_cycle_ = cyc;
      }
      if (w_fire) {
        wq_.pop_front();
        w_offer_ = false;
      }
      if (a_fire) {
        if (first_accept_cycle_ == kNever) first_accept_cycle_ = cyc;
        aq_.pop_front();
        a_offer_ = false;
      }
      dut_.tick();
      if (dut_.context().errorCount() != 0) {
        FAIL("RTL assertion failed at cycle " << cyc << " (see the %Error line above)");
      }
      if (dut_.cycles() - start > max_cycles) {
        FAIL("array made no progress: " << outputs_.size() << " of " << expected_
                                        << " rows out after " << max_cycles << " cycles");
      }
    }
    dut_->w_valid_i = 0;
    dut_->a_valid_i = 0;
    return dut_.cycles() - start;
  }

  const std::vector<std::vector<std::int32_t>>& outputs() const { return outputs_; }
  std::uint64_t last_out_cycle() const { return last_out_cycle_; }
  std::uint64_t first_accept_cycle() const { return first_accept_cycle_; }

 private:
  static constexpr std::uint64_t kNever = ~std::uint64_t{0};
  Dut<Model> dut_;
  Gate wg_, ag_, og_;
  std::deque<std::vector<std::int8_t>> wq_;
  std::deque<ActRow> aq_;
  std::vector<std::vector<std::int32_t>> outputs_;
  std::size_t expected_ = 0;
  bool w_offer_ = false, a_offer_ = false;
  std::uint64_t last_out_cycle_ = 0, first_accept_cycle_ = kNever;
};

// ----- tiled GEMM ------------------------------------------------------------------------------
// One array pass: the weight tile (k0, n0) and the M activation rows streamed against it.
struct Pass {
  std::int64_t k0, n0;
};

// Weight tile W[k0 + k][n0 + n] for k < kRows, n < kCols, zero outside B (the feeder's job).
inline std::vector<std::vector<std::int8_t>> weight_tile(const golden::TensorI8& b, std::int64_t k0,
                                                         std::int64_t n0) {
  std::vector<std::vector<std::int8_t>> w(kRows, std::vector<std::int8_t>(kCols, 0));
  for (std::int64_t k = 0; k < kRows && k0 + k < b.dim(0); ++k) {
    for (std::int64_t n = 0; n < kCols && n0 + n < b.dim(1); ++n) {
      w[static_cast<std::size_t>(k)][static_cast<std::size_t>(n)] = b.at2(k0 + k, n0 + n);
    }
  }
  return w;
}

// Activation lanes A[m][k0 + k]; lanes past K carry junk (they meet zero weights), which checks
// that the array really ignores them.
inline std::vector<std::int8_t> act_lanes(const golden::TensorI8& a, std::int64_t m,
                                          std::int64_t k0, std::mt19937& junk) {
  std::vector<std::int8_t> v(kRows);
  for (std::int64_t k = 0; k < kRows; ++k) {
    v[static_cast<std::size_t>(k)] =
        k0 + k < a.dim(1)
            ? a.at2(m, k0 + k)
            : static_cast<std::int8_t>(std::uniform_int_distribution<int>(-128, 127)(junk));
  }
  return v;
}

inline std::vector<Pass> gemm_passes(std::int64_t k, std::int64_t n) {
  std::vector<Pass> p;
  for (std::int64_t n0 = 0; n0 < n; n0 += kCols) {
    for (std::int64_t k0 = 0; k0 < k; k0 += kRows) p.push_back({k0, n0});
  }
  return p;
}

}  // namespace nuri::tb::array

// Test environment of npu_dma: descriptor model (from docs/dma.md), descriptor packing, local
// memory ports and the AXI4 memory model around a Verilated npu_dma. Shared by the tests and the
// bandwidth benchmark (each with its own Verilated model class, hence the template).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "nuri/tb/axi.hpp"
#include "nuri/tb/dut.hpp"

namespace nuri::tb::dma {

using axi::SparseMemory;
using axi::Stall;

// Error codes of npu_dma_pkg::err_e (docs/dma.md).
enum Err : unsigned { kOk = 0, kErrWindow = 1, kErrSlverr = 2, kErrDecerr = 3 };

inline constexpr std::uint64_t kAddrMask = (std::uint64_t{1} << 40) - 1;

// npu_dma_pkg::desc_t
struct Desc {
  std::uint64_t dram_addr = 0, dram_stride2 = 0, dram_stride1 = 0;
  std::uint32_t size[3] = {1, 1, 1};  // size[0] = dim0 (contiguous bytes)
  std::int32_t start[3] = {0, 0, 0};
  std::uint32_t len[3] = {1, 1, 1};
  std::uint32_t lcl_addr = 0, lcl_stride2 = 0, lcl_stride1 = 0;
  std::uint8_t pad = 0;

  std::uint64_t elements() const { return std::uint64_t{len[0]} * len[1] * len[2]; }
  std::string str() const {
    char b[400];
    std::snprintf(
        b, sizeof b,
        "dram 0x%llx s2 %llu s1 %llu size (%u,%u,%u) start (%d,%d,%d) len (%u,%u,%u) "
        "lcl 0x%x ls2 %u ls1 %u pad 0x%02x",
        static_cast<unsigned long long>(dram_addr), static_cast<unsigned long long>(dram_stride2),
        static_cast<unsigned long long>(dram_stride1), size[2], size[1], size[0], start[2],
        start[1], start[0], len[2], len[1], len[0], lcl_addr, lcl_stride2, lcl_stride1, pad);
    return b;
  }
};

// Packs a descriptor into the model's desc_t input (first field = most significant bits).
inline void pack_desc(const Desc& d, std::uint32_t* words) {
  unsigned pos = 443;
  auto put = [&](unsigned w, std::uint64_t v) {
    pos -= w;
    axi::set_bits(words, pos, w, v);
  };
  put(40, d.dram_addr);
  put(40, d.dram_stride2);
  put(40, d.dram_stride1);
  for (int k = 2; k >= 0; --k) put(24, d.size[k]);
  for (int k = 2; k >= 0; --k) put(25, static_cast<std::uint64_t>(std::int64_t{d.start[k]}));
  for (int k = 2; k >= 0; --k) put(24, d.len[k]);
  put(32, d.lcl_addr);
  put(32, d.lcl_stride2);
  put(32, d.lcl_stride1);
  put(8, d.pad);
}

// ------------------------------------------------------------------------------------------------
// Descriptor semantics (docs/dma.md): element (i2, i1, i0) of the window has tensor coordinate
// t = start + i; it is in the tensor when 0 <= t_k < size_k for every k. Its DRAM byte is
// dram_addr + t2*s2 + t1*s1 + t0, its local byte lcl_addr + i2*ls2 + i1*ls1 + i0 (mod 2^32).
// The callback gets (index in traversal order, in_tensor, dram address, local address).
// ------------------------------------------------------------------------------------------------
template <typename F>
void for_each_element(const Desc& d, F&& f) {
  std::uint64_t idx = 0;
  for (std::uint32_t i2 = 0; i2 < d.len[2]; ++i2) {
    const std::int64_t t2 = std::int64_t{d.start[2]} + i2;
    for (std::uint32_t i1 = 0; i1 < d.len[1]; ++i1) {
      const std::int64_t t1 = std::int64_t{d.start[1]} + i1;
      const bool row_in = t2 >= 0 && t2 < d.size[2] && t1 >= 0 && t1 < d.size[1];
      const std::uint32_t lrow = d.lcl_addr + i2 * d.lcl_stride2 + i1 * d.lcl_stride1;
      const std::uint64_t drow = d.dram_addr + static_cast<std::uint64_t>(t2) * d.dram_stride2 +
                                 static_cast<std::uint64_t>(t1) * d.dram_stride1;
      for (std::uint32_t i0 = 0; i0 < d.len[0]; ++i0, ++idx) {
        const std::int64_t t0 = std::int64_t{d.start[0]} + i0;
        const bool in = row_in && t0 >= 0 && t0 < d.size[0];
        f(idx, in, (drow + static_cast<std::uint64_t>(t0)) & kAddrMask,
          static_cast<std::uint32_t>(lrow + i0));
      }
    }
  }
}

inline void model_load(const Desc& d, const SparseMemory& dram, SparseMemory& lcl) {
  for_each_element(d, [&](std::uint64_t, bool in, std::uint64_t a, std::uint32_t l) {
    lcl.write(l, in ? dram.read(a) : d.pad);
  });
}

inline void model_store(const Desc& d, const SparseMemory& lcl, SparseMemory& dram) {
  for_each_element(d, [&](std::uint64_t, bool in, std::uint64_t a, std::uint32_t l) {
    if (in) dram.write(a, lcl.read(l));
  });
}

// [lo, hi) of the DRAM bytes the descriptor touches; lo == hi when none.
struct Range {
  std::uint64_t lo = 0, hi = 0;
  bool empty() const { return lo >= hi; }
};
inline Range dram_range(const Desc& d) {
  Range r{std::numeric_limits<std::uint64_t>::max(), 0};
  for_each_element(d, [&](std::uint64_t, bool in, std::uint64_t a, std::uint32_t) {
    if (in) {
      r.lo = std::min(r.lo, a);
      r.hi = std::max(r.hi, a + 1);
    }
  });
  if (r.hi == 0) r = {0, 0};
  return r;
}

// Footprints (with nothing clipped) for guard-band checks.
inline Range tensor_footprint(const Desc& d) {
  const std::uint64_t ext = std::uint64_t{d.size[2] - 1} * d.dram_stride2 +
                            std::uint64_t{d.size[1] - 1} * d.dram_stride1 + d.size[0];
  return {d.dram_addr, d.dram_addr + ext};
}
inline Range local_footprint(const Desc& d) {
  const std::uint64_t ext = std::uint64_t{d.len[2] - 1} * d.lcl_stride2 +
                            std::uint64_t{d.len[1] - 1} * d.lcl_stride1 + d.len[0];
  return {d.lcl_addr, d.lcl_addr + ext};
}

// ------------------------------------------------------------------------------------------------
// The environment
// ------------------------------------------------------------------------------------------------
struct LocalPortConfig {
  Stall ld_ready;           // load port: ready low
  Stall st_ready;           // store port: ready low
  unsigned st_latency = 1;  // store port: read data latency (>= 1)
};

struct ChannelResult {
  bool done = false;
  unsigned err = kOk;
  std::uint64_t accepted_at = 0, done_at = 0;
};

template <typename Model>
class DmaEnv {
 public:
  static constexpr unsigned kLclBytes = 16;

  explicit DmaEnv(axi::AxiMemoryConfig cfg = {}, LocalPortConfig lcfg = {}, std::uint64_t seed = 1)
      : port_(widths(), dut_->mst_req_o.data(), dut_->mst_rsp_i.data()),
        dram_(widths(), port_, std::move(cfg)),
        lcfg_(lcfg),
        rng_(seed) {
    dut_->dram_base_i = 0;
    dut_->dram_limit_i = kAddrMask;
    dut_->ld_desc_valid_i = 0;
    dut_->st_desc_valid_i = 0;
    dut_->ld_err_clear_i = 0;
    dut_->st_err_clear_i = 0;
    dut_.reset();
  }

  static axi::AxiWidths widths() { return {4, 40, 128}; }

  Dut<Model>& dut() { return dut_; }
  axi::AxiMemory& axi() { return dram_; }
  SparseMemory& dram() { return dram_.mem(); }
  SparseMemory& lcl() { return lcl_; }
  SparseMemory& lcl_written() { return written_; }
  LocalPortConfig& local_config() { return lcfg_; }
  std::uint64_t cycle() const { return cycle_; }
  std::uint64_t lcl_writes() const { return lcl_writes_; }
  std::uint64_t lcl_reads() const { return lcl_reads_; }
  std::vector<std::string>& errors() { return errors_; }  // local-port protocol problems

  void set_window(std::uint64_t base, std::uint64_t limit) {
    dut_->dram_base_i = base;
    dut_->dram_limit_i = limit;
  }

  // Hands a descriptor to a channel (held valid until accepted).
  void submit(bool store, const Desc& d) {
    Pending& p = store ? st_ : ld_;
    if (p.valid) throw std::logic_error("submit: previous descriptor not yet accepted");
    p.valid = true;
    p.desc = d;
    p.result = {};
  }
  bool busy(bool store) const {
    const Pending& p = store ? st_ : ld_;
    return p.valid || p.running;
  }
  const ChannelResult& result(bool store) const { return (store ? st_ : ld_).result; }

  // Clears the sticky error of a channel (one-cycle pulse).
  void clear_error(bool store) {
    (store ? dut_->st_err_clear_i : dut_->ld_err_clear_i) = 1;
    step();
    (store ? dut_->st_err_clear_i : dut_->ld_err_clear_i) = 0;
  }
  unsigned err(bool store) { return store ? dut_->st_err_o : dut_->ld_err_o; }

  // Runs until both channels are idle (or timeout); false on timeout.
  bool run(std::uint64_t timeout = 5'000'000) {
    const std::uint64_t end = cycle_ + timeout;
    while ((busy(false) || busy(true)) && cycle_ < end) step();
    return !busy(false) && !busy(true);
  }

  // Runs one descriptor on one channel to completion.
  ChannelResult transfer(bool store, const Desc& d, std::uint64_t timeout = 5'000'000) {
    submit(store, d);
    if (!run(timeout)) {
      ChannelResult r;
      r.done = false;
      return r;
    }
    return result(store);
  }

  // Idle cycles (lets the memory model drain, e.g. before comparing).
  void idle(unsigned n) {
    for (unsigned i = 0; i < n; ++i) step();
  }

  void step() {
    // Drive: descriptors, local ports, AXI slave.
    drive_desc(false);
    drive_desc(true);
    dut_->ld_lcl_rsp_i[0] = 0;
    dut_->ld_lcl_rsp_i[1] = 0;
    dut_->ld_lcl_rsp_i[2] = 0;
    dut_->ld_lcl_rsp_i[3] = 0;
    dut_->ld_lcl_rsp_i[4] = 0;
    ld_ready_ = !lcfg_.ld_ready.stalled(cycle_, rng_);
    axi::set_bits(dut_->ld_lcl_rsp_i.data(), 129, 1, ld_ready_);
    st_ready_ = !lcfg_.st_ready.stalled(cycle_, rng_);
    std::uint32_t* sr = dut_->st_lcl_rsp_i.data();
    axi::set_bits(sr, 129, 1, st_ready_);
    bool rvalid = false;
    if (!st_rsp_.empty() && st_rsp_.front().first <= cycle_) {
      rvalid = true;
      for (unsigned i = 0; i < kLclBytes; ++i) {
        axi::set_bits(sr, 8 * i, 8, st_rsp_.front().second[i]);
      }
      st_rsp_.pop_front();
    }
    axi::set_bits(sr, 128, 1, rvalid);
    dram_.drive();
    dut_.eval();

    // Sample.
    dram_.sample();
    sample_desc(false);
    sample_desc(true);
    sample_local();
    dut_.tick();
    ++cycle_;
  }

 private:
  struct Pending {
    bool valid = false, running = false;
    Desc desc;
    ChannelResult result;
  };

  void drive_desc(bool store) {
    Pending& p = store ? st_ : ld_;
    if (store) {
      dut_->st_desc_valid_i = p.valid;
      if (p.valid) pack_desc(p.desc, dut_->st_desc_i.data());
    } else {
      dut_->ld_desc_valid_i = p.valid;
      if (p.valid) pack_desc(p.desc, dut_->ld_desc_i.data());
    }
  }

  void sample_desc(bool store) {
    Pending& p = store ? st_ : ld_;
    const bool ready = store ? dut_->st_desc_ready_o : dut_->ld_desc_ready_o;
    const bool done = store ? dut_->st_done_o : dut_->ld_done_o;
    if (done && p.running) {
      p.running = false;
      p.result.done = true;
      p.result.done_at = cycle_;
      p.result.err = store ? dut_->st_err_o : dut_->ld_err_o;
    }
    if (p.valid && ready) {
      p.valid = false;
      p.running = true;
      p.result.accepted_at = cycle_;
    }
  }

  void sample_local() {
    // Load port: writes with strobes.
    const std::uint32_t* lq = dut_->ld_lcl_req_o.data();
    if (axi::get_bits(lq, 177, 1) && ld_ready_) {
      if (!axi::get_bits(lq, 176, 1)) errors_.push_back("load port issued a read");
      const auto addr = static_cast<std::uint32_t>(axi::get_bits(lq, 144, 32));
      if (addr % kLclBytes != 0) errors_.push_back("load port address not word-aligned");
      for (unsigned i = 0; i < kLclBytes; ++i) {
        if (axi::get_bits(lq, 128 + i, 1)) {
          const std::uint32_t a = addr + i;
          lcl_.write(a, static_cast<std::uint8_t>(axi::get_bits(lq, 8 * i, 8)));
          written_.write(a, 1);
        }
      }
      ++lcl_writes_;
    }
    // Store port: reads, answered after st_latency cycles.
    const std::uint32_t* sq = dut_->st_lcl_req_o.data();
    if (axi::get_bits(sq, 177, 1) && st_ready_) {
      if (axi::get_bits(sq, 176, 1)) errors_.push_back("store port issued a write");
      const auto addr = static_cast<std::uint32_t>(axi::get_bits(sq, 144, 32));
      if (addr % kLclBytes != 0) errors_.push_back("store port address not word-aligned");
      std::array<std::uint8_t, kLclBytes> data{};
      for (unsigned i = 0; i < kLclBytes; ++i) data[i] = lcl_.read(addr + i);
      st_rsp_.emplace_back(cycle_ + std::max(1U, lcfg_.st_latency), data);
      ++lcl_reads_;
    }
  }

  Dut<Model> dut_;
  axi::PackedAxiPort port_;
  axi::AxiMemory dram_;
  LocalPortConfig lcfg_;
  std::mt19937_64 rng_;
  SparseMemory lcl_, written_;
  Pending ld_, st_;
  bool ld_ready_ = false, st_ready_ = false;
  std::deque<std::pair<std::uint64_t, std::array<std::uint8_t, kLclBytes>>> st_rsp_;
  std::uint64_t cycle_ = 0, lcl_writes_ = 0, lcl_reads_ = 0;
  std::vector<std::string> errors_;
};

}  // namespace nuri::tb::dma

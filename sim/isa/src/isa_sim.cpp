// Nuri golden ISA simulator (docs/isa.md "Execution model").
#include "nuri/isa/isa_sim.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

#include "nuri/golden/ops.hpp"
#include "nuri/golden/quant.hpp"

namespace nuri::isa {
namespace g = nuri::golden;

namespace {

std::int32_t rd32(const std::vector<std::uint8_t>& m, std::uint64_t a) {
  const std::uint32_t u = std::uint32_t{m[a]} | (std::uint32_t{m[a + 1]} << 8) |
                          (std::uint32_t{m[a + 2]} << 16) | (std::uint32_t{m[a + 3]} << 24);
  return static_cast<std::int32_t>(u);
}
void wr32(std::vector<std::uint8_t>& m, std::uint64_t a, std::int32_t v) {
  const auto u = static_cast<std::uint32_t>(v);
  for (unsigned i = 0; i < 4; ++i) m[a + i] = static_cast<std::uint8_t>(u >> (8 * i));
}
std::int32_t wrap_add(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}
g::Rounding to_golden(RoundingBit r) {
  return r == RoundingBit::Single ? g::Rounding::Single : g::Rounding::Double;
}

// Calls f(in_tensor, dram_address, local_offset) for every element in traversal order (i2, i1, i0).
template <typename F>
void for_each_element(const DmaDesc& d, F&& f) {
  for (std::uint32_t i2 = 0; i2 < d.len[2]; ++i2) {
    const std::int64_t t2 = std::int64_t{d.start[2]} + i2;
    for (std::uint32_t i1 = 0; i1 < d.len[1]; ++i1) {
      const std::int64_t t1 = std::int64_t{d.start[1]} + i1;
      const bool row_in = t2 >= 0 && t2 < d.size[2] && t1 >= 0 && t1 < d.size[1];
      const std::uint64_t lrow = std::uint64_t{d.lcl_addr} + std::uint64_t{i2} * d.lcl_stride2 +
                                 std::uint64_t{i1} * d.lcl_stride1;
      for (std::uint32_t i0 = 0; i0 < d.len[0]; ++i0) {
        const std::int64_t t0 = std::int64_t{d.start[0]} + i0;
        const bool in = row_in && t0 >= 0 && t0 < d.size[0];
        std::uint64_t a = 0;
        if (in) {
          a = d.dram_addr + static_cast<std::uint64_t>(t2) * d.dram_stride2 +
              static_cast<std::uint64_t>(t1) * d.dram_stride1 + static_cast<std::uint64_t>(t0);
        }
        f(in, a, lrow + i0);
      }
    }
  }
}

}  // namespace

IsaConfig IsaConfig::from_generated() {
  IsaConfig c = make(nuri::cfg::kRows, nuri::cfg::kCols, nuri::cfg::kSpadBytes,
                     nuri::cfg::kAccBytes, nuri::cfg::kParamEntries);
  c.queue_depth = nuri::cfg::kQueueDepth;
  c.geometry.vector_ops = nuri::cfg::kVectorOps != 0;
  return c;
}

IsaConfig IsaConfig::make(std::uint32_t rows, std::uint32_t cols, std::uint64_t spad_bytes,
                          std::uint64_t acc_bytes, std::uint32_t param_entries) {
  IsaConfig c;
  c.geometry.rows = rows;
  c.geometry.cols = cols;
  c.geometry.spad_bytes = spad_bytes;
  c.geometry.acc_bytes = acc_bytes;
  c.geometry.param_entries = param_entries;
  return c;
}

IsaSim::IsaSim(const IsaConfig& config, std::uint64_t dram_base, std::uint64_t dram_bytes)
    : cfg_(config),
      dram_base_(dram_base),
      dram_(static_cast<std::size_t>(dram_bytes), 0),
      window_base_(dram_base),
      window_limit_(dram_base + dram_bytes) {
  const Geometry& geo = cfg_.geometry;
  if (geo.rows == 0 || geo.cols == 0 || cfg_.queue_depth == 0 || geo.acc_rows() == 0) {
    throw std::invalid_argument("IsaSim: rows, cols, queue depth and accumulator rows must be > 0");
  }
  spad_.assign(static_cast<std::size_t>(geo.spad_bytes), 0);
  acc_.assign(static_cast<std::size_t>(geo.acc_rows() * geo.cols * 4), 0);
  param_.assign(std::size_t{geo.param_entries} * kParamRecordBytes, 0);
}

void IsaSim::set_window(std::uint64_t base, std::uint64_t limit) {
  window_base_ = base;
  window_limit_ = limit;
}

void IsaSim::write_dram(std::uint64_t addr, const std::vector<std::uint8_t>& bytes) {
  if (addr < dram_base_ || addr - dram_base_ + bytes.size() > dram_.size()) {
    throw std::out_of_range("IsaSim::write_dram: outside the DRAM image");
  }
  std::copy(bytes.begin(), bytes.end(),
            dram_.begin() + static_cast<std::ptrdiff_t>(addr - dram_base_));
}

std::vector<std::uint8_t> IsaSim::read_dram(std::uint64_t addr, std::uint64_t n) const {
  if (addr < dram_base_ || addr - dram_base_ + n > dram_.size()) {
    throw std::out_of_range("IsaSim::read_dram: outside the DRAM image");
  }
  const auto first = dram_.begin() + static_cast<std::ptrdiff_t>(addr - dram_base_);
  return {first, first + static_cast<std::ptrdiff_t>(n)};
}

std::int32_t IsaSim::acc_at(std::uint32_t row, std::uint32_t lane) const {
  return rd32(acc_, (std::uint64_t{row} * cfg_.geometry.cols + lane) * 4);
}

std::vector<std::uint8_t>& IsaSim::space(Space s) {
  return s == Space::Spad ? spad_ : s == Space::Acc ? acc_ : param_;
}

// ---- DMA
// ------------------------------------------------------------------------------------------ Window
// first (the DMA refuses the descriptor before any bus request), then the bus responses.
ErrorCode IsaSim::dram_check(const DmaDesc& d) const {
  bool any = true;
  std::uint64_t lo = d.dram_addr, hi = d.dram_addr;
  for (unsigned k = 0; k < 3; ++k) {
    const std::int64_t first = std::max<std::int64_t>(d.start[k], 0);
    const std::int64_t last =
        std::min<std::int64_t>(std::int64_t{d.start[k]} + d.len[k], d.size[k]) - 1;
    if (last < first) {
      any = false;
      break;
    }
    const std::uint64_t stride = k == 0 ? 1 : k == 1 ? d.dram_stride1 : d.dram_stride2;
    lo += static_cast<std::uint64_t>(first) * stride;
    hi += static_cast<std::uint64_t>(last) * stride;
  }
  if (!any) return ErrorCode::Ok;  // every element is padding: no bus access at all
  if (lo < window_base_ || hi + 1 > window_limit_) return ErrorCode::DramWindow;
  ErrorCode e = ErrorCode::Ok;
  for_each_element(d, [&](bool in, std::uint64_t a, std::uint64_t) {
    if (!in || e != ErrorCode::Ok) return;
    if (a < dram_base_ || a - dram_base_ >= dram_.size()) {
      e = ErrorCode::BusDecerr;
      return;
    }
    for (const auto& r : bus_errors_) {
      if (a >= r.lo && a < r.hi) {
        e = r.decerr ? ErrorCode::BusDecerr : ErrorCode::BusSlverr;
        return;
      }
    }
  });
  return e;
}

ErrorCode IsaSim::exec_load(const Load& c) {
  if (const ErrorCode e = dram_check(c.desc); e != ErrorCode::Ok) return e;
  auto& mem = space(c.space);
  const bool params = c.space == Space::Param;
  for_each_element(c.desc, [&](bool in, std::uint64_t a, std::uint64_t l) {
    // the parameter memory keeps bytes 0-8 of a record; bytes 9-15 are not stored (read as 0)
    if (params && l % kParamRecordBytes >= 9) return;
    mem[l] = in ? dram_[a - dram_base_] : c.pad;
  });
  return ErrorCode::Ok;
}

ErrorCode IsaSim::exec_store(const Store& c) {
  if (const ErrorCode e = dram_check(c.desc); e != ErrorCode::Ok) return e;
  const auto& mem = space(c.space);
  for_each_element(c.desc, [&](bool in, std::uint64_t a, std::uint64_t l) {
    if (in) dram_[a - dram_base_] = mem[l];
  });
  return ErrorCode::Ok;
}

// ---- compute queue
// --------------------------------------------------------------------------------
void IsaSim::exec_matmul(const Matmul& c) {
  const Geometry& geo = cfg_.geometry;
  g::TensorI8 a({c.m, c.k});
  g::TensorI8 w({c.k, c.n});
  for (std::uint32_t m = 0; m < c.m; ++m) {
    const std::uint64_t base =
        (std::uint64_t{c.act_addr} + std::uint64_t{m} * c.act_stride) * geo.rows;
    for (std::uint32_t k = 0; k < c.k; ++k) a.at2(m, k) = static_cast<std::int8_t>(spad_[base + k]);
  }
  for (std::uint32_t k = 0; k < c.k; ++k) {
    const std::uint64_t base = (std::uint64_t{c.w_addr} + std::uint64_t{k} * c.w_stride) * geo.rows;
    for (std::uint32_t n = 0; n < c.n; ++n) w.at2(k, n) = static_cast<std::int8_t>(spad_[base + n]);
  }
  const g::TensorI32 prod = g::gemm_i32(a, w, 0);
  for (std::uint32_t m = 0; m < c.m; ++m) {
    const std::uint64_t row = std::uint64_t{c.acc_addr} + std::uint64_t{m} * c.acc_stride;
    for (std::uint32_t n = 0; n < geo.cols; ++n) {
      // Lanes n >= N meet zero weights: the array delivers 0 there.
      const std::int32_t v = n < c.n ? prod.at2(m, n) : 0;
      const std::uint64_t addr = (row * geo.cols + n) * 4;
      wr32(acc_, addr, c.accumulate ? wrap_add(rd32(acc_, addr), v) : v);
    }
  }
}

ErrorCode IsaSim::exec_ppu(const Ppu& c) {
  const Geometry& geo = cfg_.geometry;
  struct Rec {
    std::int32_t bias, mult;
    int shift;
  };
  std::vector<Rec> rec(c.n);
  for (std::uint32_t n = 0; n < c.n; ++n) {
    const std::uint64_t p = (std::uint64_t{c.param_addr} + n) * kParamRecordBytes;
    rec[n] = {rd32(param_, p), rd32(param_, p + 4), static_cast<std::int8_t>(param_[p + 8])};
    if (rec[n].mult < 0 || rec[n].shift < -31 || rec[n].shift > 30) return ErrorCode::ParamValue;
  }
  for (std::uint32_t m = 0; m < c.m; ++m) {
    const std::uint64_t row = std::uint64_t{c.acc_addr} + std::uint64_t{m} * c.acc_stride;
    const std::uint64_t dst =
        (std::uint64_t{c.dst_addr} + std::uint64_t{m} * c.dst_stride) * geo.rows;
    for (std::uint32_t n = 0; n < c.n; ++n) {
      const std::int32_t acc = wrap_add(rd32(acc_, (row * geo.cols + n) * 4), rec[n].bias);
      spad_[dst + n] = static_cast<std::uint8_t>(g::requantize(
          acc, rec[n].mult, rec[n].shift, c.zp_out, c.act_min, c.act_max, to_golden(c.rounding)));
    }
  }
  return ErrorCode::Ok;
}

void IsaSim::exec_pool(const Pool& c) {
  const Geometry& geo = cfg_.geometry;
  g::TensorI8 in({1, c.in_h, c.in_w, c.lanes});
  for (std::uint32_t y = 0; y < c.in_h; ++y) {
    for (std::uint32_t x = 0; x < c.in_w; ++x) {
      const std::uint64_t base =
          (std::uint64_t{c.src} + std::uint64_t{y} * c.src_line + std::uint64_t{x} * c.src_pixel) *
          geo.rows;
      for (std::uint32_t l = 0; l < c.lanes; ++l) {
        in.at4(0, y, x, l) = static_cast<std::int8_t>(spad_[base + l]);
      }
    }
  }
  // The golden operators take TFLite's explicit padding; bottom/right only size the output, so
  // choose them to give at least out_h x out_w windows (the extra ones, if any, are ignored).
  g::PoolParams p;
  p.filter_h = static_cast<int>(c.kh);
  p.filter_w = static_cast<int>(c.kw);
  p.stride_h = static_cast<int>(c.sh);
  p.stride_w = static_cast<int>(c.sw);
  p.pad_mode = g::PadMode::Explicit;
  auto after = [](std::int64_t in, std::int64_t out, std::int64_t k, std::int64_t s,
                  std::int64_t before) {
    return static_cast<int>(std::max<std::int64_t>((out - 1) * s + k - in - before, 0));
  };
  p.pad = {static_cast<int>(c.pad_top), after(c.in_h, c.out_h, c.kh, c.sh, c.pad_top),
           static_cast<int>(c.pad_left), after(c.in_w, c.out_w, c.kw, c.sw, c.pad_left)};
  p.act_min = c.act_min;
  p.act_max = c.act_max;
  const g::TensorI8 out = c.mode == PoolMode::Max ? g::max_pool(in, p) : g::average_pool(in, p);
  for (std::uint32_t y = 0; y < c.out_h; ++y) {
    for (std::uint32_t x = 0; x < c.out_w; ++x) {
      const std::uint64_t base =
          (std::uint64_t{c.dst} + std::uint64_t{y} * c.dst_line + std::uint64_t{x} * c.dst_pixel) *
          geo.rows;
      for (std::uint32_t l = 0; l < c.lanes; ++l) {
        spad_[base + l] = static_cast<std::uint8_t>(out.at4(0, y, x, l));
      }
    }
  }
}

void IsaSim::exec_add(const Add& c) {
  const Geometry& geo = cfg_.geometry;
  const g::Rounding r = to_golden(c.rounding);
  std::vector<std::uint8_t> out(std::size_t{c.m} * c.lanes);
  for (std::uint32_t m = 0; m < c.m; ++m) {
    const std::uint64_t pa = (std::uint64_t{c.a_addr} + std::uint64_t{m} * c.a_stride) * geo.rows;
    const std::uint64_t pb = (std::uint64_t{c.b_addr} + std::uint64_t{m} * c.b_stride) * geo.rows;
    for (std::uint32_t l = 0; l < c.lanes; ++l) {
      const std::int32_t da = static_cast<std::int8_t>(spad_[pa + l]) - c.zp_a;
      const std::int32_t db = static_cast<std::int8_t>(spad_[pb + l]) - c.zp_b;
      const auto x1 = static_cast<std::int32_t>(static_cast<std::uint32_t>(da) << c.left_shift);
      const auto x2 = static_cast<std::int32_t>(static_cast<std::uint32_t>(db) << c.left_shift);
      const std::int32_t y1 = g::multiply_by_quantized_multiplier(x1, c.mult_a, c.shift_a, r);
      const std::int32_t y2 = g::multiply_by_quantized_multiplier(x2, c.mult_b, c.shift_b, r);
      const std::int32_t raw =
          g::multiply_by_quantized_multiplier(wrap_add(y1, y2), c.mult_out, c.shift_out, r);
      const std::int64_t v = std::int64_t{raw} + c.zp_out;
      out[std::size_t{m} * c.lanes + l] = static_cast<std::uint8_t>(
          static_cast<std::int8_t>(std::clamp<std::int64_t>(v, c.act_min, c.act_max)));
    }
  }
  // Every source byte is read before any destination byte is written (in-place adds are legal).
  for (std::uint32_t m = 0; m < c.m; ++m) {
    const std::uint64_t pd =
        (std::uint64_t{c.dst_addr} + std::uint64_t{m} * c.dst_stride) * geo.rows;
    std::copy_n(out.begin() + static_cast<std::ptrdiff_t>(std::size_t{m} * c.lanes), c.lanes,
                spad_.begin() + static_cast<std::ptrdiff_t>(pd));
  }
}

ErrorCode IsaSim::execute(const Command& cmd) {
  if (const auto* c = std::get_if<Load>(&cmd)) return exec_load(*c);
  if (const auto* c = std::get_if<Store>(&cmd)) return exec_store(*c);
  if (const auto* c = std::get_if<Matmul>(&cmd)) exec_matmul(*c);
  if (const auto* c = std::get_if<Ppu>(&cmd)) return exec_ppu(*c);
  if (const auto* c = std::get_if<Pool>(&cmd)) exec_pool(*c);
  if (const auto* c = std::get_if<Add>(&cmd)) exec_add(*c);
  return ErrorCode::Ok;  // Nop
}

// ---- the three queues and the dispatcher
// ----------------------------------------------------------
RunStatus IsaSim::run(const std::vector<Command>& program, const RunOptions& opt) {
  return run(encode_program(program), opt);
}

RunStatus IsaSim::run(const std::vector<std::uint32_t>& program, const RunOptions& opt) {
  RunStatus st;
  const std::size_t count = program.size() / kCommandWords;
  std::array<std::deque<Entry>, kNumQueues> queues;
  std::array<unsigned, kNumTokens> tokens{};
  std::uint32_t pc = 0;
  bool fetching = true;  // the dispatcher still fetches commands
  bool ended = false;
  ErrorCode dispatch_error = ErrorCode::Ok;
  std::uint32_t dispatch_error_index = 0;
  std::mt19937 rng(opt.seed);
  unsigned rr = 0;

  // The decoded command at pc (decoded once per program index).
  Decoded cur;
  std::uint32_t cur_pc = std::numeric_limits<std::uint32_t>::max();
  auto fetch = [&]() -> const Decoded& {
    if (cur_pc != pc) {
      Words w;
      std::copy_n(program.begin() + static_cast<std::ptrdiff_t>(std::size_t{pc} * kCommandWords),
                  kCommandWords, w.begin());
      cur = decode_and_check(w, cfg_.geometry);
      cur_pc = pc;
    }
    return cur;
  };
  auto queues_empty = [&] {
    return std::all_of(queues.begin(), queues.end(), [](const auto& q) { return q.empty(); });
  };
  auto dispatch_ready = [&]() -> bool {
    if (!fetching) return false;
    if (pc >= count) return true;  // reports NoEnd
    const Decoded& d = fetch();
    if (d.error != ErrorCode::Ok) return true;
    Queue q;
    if (!queue_of(d.command, &q)) return queues_empty();  // FENCE / END wait for every queue
    return queues[static_cast<unsigned>(q)].size() < cfg_.queue_depth;
  };
  auto head_ready = [&](unsigned q) -> bool {
    if (queues[q].empty()) return false;
    const Tokens t = tokens_of(queues[q].front().cmd);
    for (unsigned i = 0; i < kNumTokens; ++i) {
      if (((t.wait >> i) & 1u) && tokens[i] == 0) return false;
    }
    return true;
  };
  auto finish = [&](ErrorCode e, std::uint32_t index) {
    st.code = e;
    st.failing_index = index;
    for (unsigned i = 0; i < kNumTokens; ++i) st.tokens[i] = static_cast<std::uint8_t>(tokens[i]);
    return st;
  };

  for (;;) {
    std::array<bool, 1 + kNumQueues> ready{};
    ready[0] = dispatch_ready();
    for (unsigned q = 0; q < kNumQueues; ++q) ready[1 + q] = head_ready(q);
    int pick = -1;
    if (opt.schedule == Schedule::RoundRobin) {
      for (unsigned i = 0; i < ready.size(); ++i) {
        const unsigned a = (rr + i) % ready.size();
        if (ready[a]) {
          pick = static_cast<int>(a);
          rr = a + 1;
          break;
        }
      }
    } else {
      std::vector<int> cand;
      for (unsigned a = 0; a < ready.size(); ++a) {
        if (ready[a]) cand.push_back(static_cast<int>(a));
      }
      if (!cand.empty()) {
        pick = cand[std::uniform_int_distribution<std::size_t>(0, cand.size() - 1)(rng)];
      }
    }

    if (pick < 0) {
      if (ended) return finish(ErrorCode::Ok, 0);
      if (dispatch_error != ErrorCode::Ok) return finish(dispatch_error, dispatch_error_index);
      // Nothing can move: every non-empty queue waits on a token no one will signal.
      std::uint32_t oldest = std::numeric_limits<std::uint32_t>::max();
      for (const auto& q : queues) {
        if (!q.empty()) oldest = std::min(oldest, q.front().index);
      }
      if (oldest == std::numeric_limits<std::uint32_t>::max()) oldest = pc;
      return finish(ErrorCode::Deadlock, oldest);
    }
    ++st.steps;

    if (pick == 0) {  // dispatcher
      if (pc >= count) {
        fetching = false;
        dispatch_error = ErrorCode::NoEnd;
        dispatch_error_index = pc;
        continue;
      }
      const Decoded d = fetch();
      if (d.error != ErrorCode::Ok) {
        // Nothing from here on is dispatched; what is queued drains, then the error is reported.
        fetching = false;
        dispatch_error = d.error;
        dispatch_error_index = pc;
        continue;
      }
      ++st.dispatched;
      Queue q;
      if (queue_of(d.command, &q)) {
        queues[static_cast<unsigned>(q)].push_back({pc, d.command});
      } else if (std::holds_alternative<End>(d.command)) {
        fetching = false;
        ended = true;
      }
      ++pc;
      continue;
    }

    // Execute the head of a queue: take the tokens, run, give the tokens.
    const unsigned q = static_cast<unsigned>(pick - 1);
    const Entry e = queues[q].front();
    queues[q].pop_front();
    const Tokens t = tokens_of(e.cmd);
    for (unsigned i = 0; i < kNumTokens; ++i) {
      if ((t.wait >> i) & 1u) --tokens[i];
    }
    if (const ErrorCode err = execute(e.cmd); err != ErrorCode::Ok) return finish(err, e.index);
    for (unsigned i = 0; i < kNumTokens; ++i) {
      if (((t.signal >> i) & 1u) && tokens[i] == kTokenMax) {
        return finish(ErrorCode::TokenOverflow, e.index);
      }
    }
    for (unsigned i = 0; i < kNumTokens; ++i) {
      if ((t.signal >> i) & 1u) ++tokens[i];
    }
    ++st.executed[q];
    if (opt.on_complete) opt.on_complete(e.index, static_cast<Queue>(q));
  }
}

}  // namespace nuri::isa

// Nuri command set: encoding, decoding and validation (docs/isa.md).
#include "nuri/isa/isa.hpp"

#include <sstream>
#include <type_traits>

namespace nuri::isa {
namespace {

// ---- bit-field helpers --------------------------------------------------------------------------
constexpr std::uint32_t mask(unsigned width) {
  return width >= 32 ? 0xFFFFFFFFu : ((1u << width) - 1u);
}
void put(Words& w, unsigned word, unsigned lsb, unsigned width, std::uint64_t v) {
  w[word] |= (static_cast<std::uint32_t>(v) & mask(width)) << lsb;
}
std::uint32_t get(const Words& w, unsigned word, unsigned lsb, unsigned width) {
  return (w[word] >> lsb) & mask(width);
}
std::int32_t get_signed(const Words& w, unsigned word, unsigned lsb, unsigned width) {
  const std::uint32_t u = get(w, word, lsb, width);
  const std::uint32_t sign = 1u << (width - 1);
  return static_cast<std::int32_t>((u ^ sign) - sign);
}

void put_header(Words& w, Opcode op, const Tokens& t) {
  put(w, 0, 0, 8, static_cast<std::uint8_t>(op));
  put(w, 0, 8, 8, t.wait);
  put(w, 0, 16, 8, t.signal);
}
Tokens get_tokens(const Words& w) {
  return {static_cast<std::uint8_t>(get(w, 0, 8, 8)), static_cast<std::uint8_t>(get(w, 0, 16, 8))};
}

// ---- per-command layouts (docs/isa.md "Encoding")
// -------------------------------------------------
void put_desc(Words& w, const DmaDesc& d) {
  put(w, 1, 0, 32, d.dram_addr);
  put(w, 2, 0, 8, d.dram_addr >> 32);
  put(w, 2, 8, 24, d.lcl_addr);
  put(w, 3, 0, 32, d.dram_stride1);
  put(w, 4, 0, 32, d.dram_stride2);
  put(w, 5, 0, 24, d.lcl_stride1);
  put(w, 6, 0, 24, d.lcl_stride2);
  for (unsigned k = 0; k < 3; ++k) {
    put(w, 7 + k, 0, 24, d.size[k]);
    put(w, 10 + k, 0, 25, static_cast<std::uint32_t>(d.start[k]));
    put(w, 13 + k, 0, 24, d.len[k]);
  }
}
DmaDesc get_desc(const Words& w) {
  DmaDesc d;
  d.dram_addr = get(w, 1, 0, 32) | (std::uint64_t{get(w, 2, 0, 8)} << 32);
  d.lcl_addr = get(w, 2, 8, 24);
  d.dram_stride1 = get(w, 3, 0, 32);
  d.dram_stride2 = get(w, 4, 0, 32);
  d.lcl_stride1 = get(w, 5, 0, 24);
  d.lcl_stride2 = get(w, 6, 0, 24);
  for (unsigned k = 0; k < 3; ++k) {
    d.size[k] = get(w, 7 + k, 0, 24);
    d.start[k] = get_signed(w, 10 + k, 0, 25);
    d.len[k] = get(w, 13 + k, 0, 24);
  }
  return d;
}

struct Encoder {
  Words w{};
  void operator()(const Load& c) {
    put_header(w, Opcode::Load, c.tok);
    put(w, 0, 24, 2, static_cast<unsigned>(c.space));
    put_desc(w, c.desc);
    put(w, 5, 24, 8, c.pad);
  }
  void operator()(const Store& c) {
    put_header(w, Opcode::Store, c.tok);
    put(w, 0, 24, 2, static_cast<unsigned>(c.space));
    put_desc(w, c.desc);
  }
  void operator()(const Nop& c) {
    const Opcode op = c.queue == Queue::Load      ? Opcode::LoadNop
                      : c.queue == Queue::Compute ? Opcode::ComputeNop
                                                  : Opcode::StoreNop;
    put_header(w, op, c.tok);
  }
  void operator()(const Matmul& c) {
    put_header(w, Opcode::Matmul, c.tok);
    put(w, 0, 24, 1, c.accumulate);
    put(w, 1, 0, 24, c.act_addr);
    put(w, 2, 0, 24, c.act_stride);
    put(w, 3, 0, 16, c.m);
    put(w, 4, 0, 24, c.w_addr);
    put(w, 5, 0, 24, c.w_stride);
    put(w, 6, 0, 16, c.k);
    put(w, 6, 16, 16, c.n);
    put(w, 7, 0, 24, c.acc_addr);
    put(w, 8, 0, 24, c.acc_stride);
  }
  void operator()(const Ppu& c) {
    put_header(w, Opcode::Ppu, c.tok);
    put(w, 0, 24, 1, static_cast<unsigned>(c.rounding));
    put(w, 1, 0, 24, c.acc_addr);
    put(w, 2, 0, 24, c.acc_stride);
    put(w, 3, 0, 16, c.m);
    put(w, 3, 16, 16, c.n);
    put(w, 4, 0, 24, c.dst_addr);
    put(w, 5, 0, 24, c.dst_stride);
    put(w, 6, 0, 24, c.param_addr);
    put(w, 7, 0, 8, static_cast<std::uint8_t>(c.zp_out));
    put(w, 7, 8, 8, static_cast<std::uint8_t>(c.act_min));
    put(w, 7, 16, 8, static_cast<std::uint8_t>(c.act_max));
  }
  void operator()(const Pool& c) {
    put_header(w, Opcode::Pool, c.tok);
    put(w, 0, 24, 1, static_cast<unsigned>(c.mode));
    put(w, 1, 0, 24, c.src);
    put(w, 2, 0, 16, c.src_pixel);
    put(w, 2, 16, 16, c.src_line);
    put(w, 3, 0, 16, c.in_h);
    put(w, 3, 16, 16, c.in_w);
    put(w, 4, 0, 24, c.dst);
    put(w, 5, 0, 16, c.dst_pixel);
    put(w, 5, 16, 16, c.dst_line);
    put(w, 6, 0, 16, c.out_h);
    put(w, 6, 16, 16, c.out_w);
    put(w, 7, 0, 8, c.kh);
    put(w, 7, 8, 8, c.kw);
    put(w, 7, 16, 8, c.sh);
    put(w, 7, 24, 8, c.sw);
    put(w, 8, 0, 8, c.pad_top);
    put(w, 8, 8, 8, c.pad_left);
    put(w, 8, 16, 16, c.lanes);
    put(w, 9, 0, 8, static_cast<std::uint8_t>(c.act_min));
    put(w, 9, 8, 8, static_cast<std::uint8_t>(c.act_max));
  }
  void operator()(const Add& c) {
    put_header(w, Opcode::Add, c.tok);
    put(w, 0, 24, 1, static_cast<unsigned>(c.rounding));
    put(w, 1, 0, 24, c.a_addr);
    put(w, 2, 0, 24, c.b_addr);
    put(w, 3, 0, 24, c.dst_addr);
    put(w, 4, 0, 16, c.a_stride);
    put(w, 4, 16, 16, c.b_stride);
    put(w, 5, 0, 16, c.dst_stride);
    put(w, 5, 16, 16, c.m);
    put(w, 6, 0, 16, c.lanes);
    put(w, 6, 16, 8, c.left_shift);
    put(w, 7, 0, 8, static_cast<std::uint8_t>(c.zp_a));
    put(w, 7, 8, 8, static_cast<std::uint8_t>(c.zp_b));
    put(w, 7, 16, 8, static_cast<std::uint8_t>(c.zp_out));
    put(w, 8, 0, 32, static_cast<std::uint32_t>(c.mult_a));
    put(w, 9, 0, 32, static_cast<std::uint32_t>(c.mult_b));
    put(w, 10, 0, 32, static_cast<std::uint32_t>(c.mult_out));
    put(w, 11, 0, 8, static_cast<std::uint8_t>(c.shift_a));
    put(w, 11, 8, 8, static_cast<std::uint8_t>(c.shift_b));
    put(w, 11, 16, 8, static_cast<std::uint8_t>(c.shift_out));
    put(w, 12, 0, 8, static_cast<std::uint8_t>(c.act_min));
    put(w, 12, 8, 8, static_cast<std::uint8_t>(c.act_max));
  }
  void operator()(const Fence&) { put_header(w, Opcode::Fence, {}); }
  void operator()(const End&) { put_header(w, Opcode::End, {}); }
};

std::int8_t s8(const Words& w, unsigned word, unsigned lsb) {
  return static_cast<std::int8_t>(get_signed(w, word, lsb, 8));
}

// Extracts every defined field; reserved bits are found by re-encoding (see decode()).
bool extract(const Words& w, Command* out) {
  const auto op = static_cast<Opcode>(get(w, 0, 0, 8));
  const Tokens tok = get_tokens(w);
  switch (op) {
    case Opcode::Load: {
      Load c;
      c.tok = tok;
      c.space = static_cast<Space>(get(w, 0, 24, 2));
      c.desc = get_desc(w);
      c.pad = static_cast<std::uint8_t>(get(w, 5, 24, 8));
      *out = c;
      return true;
    }
    case Opcode::Store: {
      Store c;
      c.tok = tok;
      c.space = static_cast<Space>(get(w, 0, 24, 2));
      c.desc = get_desc(w);
      *out = c;
      return true;
    }
    case Opcode::LoadNop:
      *out = Nop{tok, Queue::Load};
      return true;
    case Opcode::ComputeNop:
      *out = Nop{tok, Queue::Compute};
      return true;
    case Opcode::StoreNop:
      *out = Nop{tok, Queue::Store};
      return true;
    case Opcode::Matmul: {
      Matmul c;
      c.tok = tok;
      c.accumulate = get(w, 0, 24, 1) != 0;
      c.act_addr = get(w, 1, 0, 24);
      c.act_stride = get(w, 2, 0, 24);
      c.m = get(w, 3, 0, 16);
      c.w_addr = get(w, 4, 0, 24);
      c.w_stride = get(w, 5, 0, 24);
      c.k = get(w, 6, 0, 16);
      c.n = get(w, 6, 16, 16);
      c.acc_addr = get(w, 7, 0, 24);
      c.acc_stride = get(w, 8, 0, 24);
      *out = c;
      return true;
    }
    case Opcode::Ppu: {
      Ppu c;
      c.tok = tok;
      c.rounding = static_cast<RoundingBit>(get(w, 0, 24, 1));
      c.acc_addr = get(w, 1, 0, 24);
      c.acc_stride = get(w, 2, 0, 24);
      c.m = get(w, 3, 0, 16);
      c.n = get(w, 3, 16, 16);
      c.dst_addr = get(w, 4, 0, 24);
      c.dst_stride = get(w, 5, 0, 24);
      c.param_addr = get(w, 6, 0, 24);
      c.zp_out = s8(w, 7, 0);
      c.act_min = s8(w, 7, 8);
      c.act_max = s8(w, 7, 16);
      *out = c;
      return true;
    }
    case Opcode::Pool: {
      Pool c;
      c.tok = tok;
      c.mode = static_cast<PoolMode>(get(w, 0, 24, 1));
      c.src = get(w, 1, 0, 24);
      c.src_pixel = get(w, 2, 0, 16);
      c.src_line = get(w, 2, 16, 16);
      c.in_h = get(w, 3, 0, 16);
      c.in_w = get(w, 3, 16, 16);
      c.dst = get(w, 4, 0, 24);
      c.dst_pixel = get(w, 5, 0, 16);
      c.dst_line = get(w, 5, 16, 16);
      c.out_h = get(w, 6, 0, 16);
      c.out_w = get(w, 6, 16, 16);
      c.kh = get(w, 7, 0, 8);
      c.kw = get(w, 7, 8, 8);
      c.sh = get(w, 7, 16, 8);
      c.sw = get(w, 7, 24, 8);
      c.pad_top = get(w, 8, 0, 8);
      c.pad_left = get(w, 8, 8, 8);
      c.lanes = get(w, 8, 16, 16);
      c.act_min = s8(w, 9, 0);
      c.act_max = s8(w, 9, 8);
      *out = c;
      return true;
    }
    case Opcode::Add: {
      Add c;
      c.tok = tok;
      c.rounding = static_cast<RoundingBit>(get(w, 0, 24, 1));
      c.a_addr = get(w, 1, 0, 24);
      c.b_addr = get(w, 2, 0, 24);
      c.dst_addr = get(w, 3, 0, 24);
      c.a_stride = get(w, 4, 0, 16);
      c.b_stride = get(w, 4, 16, 16);
      c.dst_stride = get(w, 5, 0, 16);
      c.m = get(w, 5, 16, 16);
      c.lanes = get(w, 6, 0, 16);
      c.left_shift = get(w, 6, 16, 8);
      c.zp_a = s8(w, 7, 0);
      c.zp_b = s8(w, 7, 8);
      c.zp_out = s8(w, 7, 16);
      c.mult_a = static_cast<std::int32_t>(w[8]);
      c.mult_b = static_cast<std::int32_t>(w[9]);
      c.mult_out = static_cast<std::int32_t>(w[10]);
      c.shift_a = s8(w, 11, 0);
      c.shift_b = s8(w, 11, 8);
      c.shift_out = s8(w, 11, 16);
      c.act_min = s8(w, 12, 0);
      c.act_max = s8(w, 12, 8);
      *out = c;
      return true;
    }
    case Opcode::Fence:
      *out = Fence{};
      return true;
    case Opcode::End:
      *out = End{};
      return true;
  }
  return false;
}

// ---- format checks ------------------------------------------------------------------------------
ErrorCode format_check(const Command& cmd) {
  using E = ErrorCode;
  if (const auto* c = std::get_if<Load>(&cmd)) {
    if (static_cast<unsigned>(c->space) > 2) return E::ReservedBits;
    for (auto l : c->desc.len) {
      if (l == 0) return E::BadDimension;
    }
  } else if (const auto* s = std::get_if<Store>(&cmd)) {
    if (static_cast<unsigned>(s->space) > 2) return E::ReservedBits;
    for (auto l : s->desc.len) {
      if (l == 0) return E::BadDimension;
    }
  } else if (const auto* m = std::get_if<Matmul>(&cmd)) {
    if (m->m == 0 || m->k == 0 || m->n == 0) return E::BadDimension;
  } else if (const auto* p = std::get_if<Ppu>(&cmd)) {
    if (p->m == 0 || p->n == 0) return E::BadDimension;
    if (p->act_min > p->act_max) return E::BadField;
  } else if (const auto* q = std::get_if<Pool>(&cmd)) {
    if (q->in_h == 0 || q->in_w == 0 || q->out_h == 0 || q->out_w == 0 || q->lanes == 0 ||
        q->kh == 0 || q->kw == 0 || q->sh == 0 || q->sw == 0 || q->kh > kMaxPoolKernel ||
        q->kw > kMaxPoolKernel) {
      return E::BadDimension;
    }
    // Every window must hold at least one in-image tap. Window starts grow with the output index,
    // so it suffices to check the first window reaches the image and the last starts inside it.
    auto empty = [](std::int64_t in, std::int64_t out, std::int64_t k, std::int64_t s,
                    std::int64_t pad) {
      const std::int64_t first = -pad, last = (out - 1) * s - pad;
      return first + k - 1 < 0 || last >= in;
    };
    if (empty(q->in_h, q->out_h, q->kh, q->sh, q->pad_top) ||
        empty(q->in_w, q->out_w, q->kw, q->sw, q->pad_left)) {
      return E::BadDimension;
    }
    if (q->act_min > q->act_max) return E::BadField;
  } else if (const auto* a = std::get_if<Add>(&cmd)) {
    if (a->m == 0 || a->lanes == 0) return E::BadDimension;
    if (a->left_shift > 31 || a->mult_a < 0 || a->mult_b < 0 || a->mult_out < 0 || a->shift_a > 0 ||
        a->shift_b > 0 || a->shift_out > 0 || a->shift_a < -31 || a->shift_b < -31 ||
        a->shift_out < -31 || a->act_min > a->act_max) {
      return E::BadField;
    }
  }
  return E::Ok;
}

// Last byte + 1 of a 3-D local footprint (64-bit, no wrap).
std::uint64_t local_end(const DmaDesc& d) {
  return std::uint64_t{d.lcl_addr} + std::uint64_t{d.len[2] - 1} * d.lcl_stride2 +
         std::uint64_t{d.len[1] - 1} * d.lcl_stride1 + d.len[0];
}
// End byte of `count` rows of `bytes` bytes starting at spad row `addr`, `stride` rows apart.
std::uint64_t rows_end(const Geometry& g, std::uint64_t addr, std::uint64_t stride,
                       std::uint64_t count, std::uint64_t bytes) {
  return (addr + (count - 1) * stride) * g.rows + bytes;
}

ErrorCode dma_range(Space space, const DmaDesc& d, const Geometry& g) {
  const std::uint64_t end = local_end(d);
  switch (space) {
    case Space::Spad:
      return end <= g.spad_bytes ? ErrorCode::Ok : ErrorCode::SpadRange;
    case Space::Acc:
      return end <= g.acc_rows() * g.cols * 4 ? ErrorCode::Ok : ErrorCode::AccRange;
    case Space::Param:
      return end <= std::uint64_t{g.param_entries} * kParamRecordBytes ? ErrorCode::Ok
                                                                       : ErrorCode::ParamRange;
  }
  return ErrorCode::ReservedBits;
}

}  // namespace

const char* to_string(ErrorCode e) {
  switch (e) {
    case ErrorCode::Ok:
      return "ok";
    case ErrorCode::IllegalOpcode:
      return "illegal opcode";
    case ErrorCode::ReservedBits:
      return "reserved bits set";
    case ErrorCode::BadDimension:
      return "bad dimension";
    case ErrorCode::BadField:
      return "bad field value";
    case ErrorCode::SpadRange:
      return "scratchpad range";
    case ErrorCode::AccRange:
      return "accumulator range";
    case ErrorCode::ParamRange:
      return "parameter memory range";
    case ErrorCode::NoEnd:
      return "program without END";
    case ErrorCode::DramWindow:
      return "DRAM window";
    case ErrorCode::BusSlverr:
      return "bus error SLVERR";
    case ErrorCode::BusDecerr:
      return "bus error DECERR";
    case ErrorCode::ParamValue:
      return "bad parameter record";
    case ErrorCode::TokenOverflow:
      return "token overflow";
    case ErrorCode::Deadlock:
      return "token deadlock";
  }
  return "?";
}

Opcode opcode_of(const Command& c) {
  Words w = encode(c);
  return static_cast<Opcode>(w[0] & 0xFF);
}

bool queue_of(const Command& c, Queue* q) {
  const unsigned cls = (static_cast<unsigned>(opcode_of(c)) >> 4) & 3u;
  if (cls == 3) return false;
  *q = static_cast<Queue>(cls);
  return true;
}

Tokens tokens_of(const Command& c) {
  return std::visit(
      [](const auto& x) -> Tokens {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Fence> || std::is_same_v<T, End>) {
          return {};
        } else {
          return x.tok;
        }
      },
      c);
}

const char* name_of(const Command& c) {
  static const char* const kNames[] = {"LOAD", "STORE", "NOP",   "MATMUL", "PPU",
                                       "POOL", "ADD",   "FENCE", "END"};
  return kNames[c.index()];
}

std::string to_string(const Command& cmd) {
  std::ostringstream o;
  o << name_of(cmd);
  const Tokens t = tokens_of(cmd);
  if (t.wait != 0 || t.signal != 0) {
    o << std::hex << " wait=0x" << unsigned{t.wait} << " sig=0x" << unsigned{t.signal} << std::dec;
  }
  auto desc = [&](const DmaDesc& d, Space s) {
    o << " space=" << static_cast<unsigned>(s) << std::hex << " dram=0x" << d.dram_addr << std::dec
      << " ds=" << d.dram_stride2 << "," << d.dram_stride1 << " size=" << d.size[2] << ","
      << d.size[1] << "," << d.size[0] << " start=" << d.start[2] << "," << d.start[1] << ","
      << d.start[0] << " len=" << d.len[2] << "," << d.len[1] << "," << d.len[0]
      << " lcl=" << d.lcl_addr << " ls=" << d.lcl_stride2 << "," << d.lcl_stride1;
  };
  if (const auto* c = std::get_if<Load>(&cmd)) {
    desc(c->desc, c->space);
    o << " pad=" << unsigned{c->pad};
  } else if (const auto* s = std::get_if<Store>(&cmd)) {
    desc(s->desc, s->space);
  } else if (const auto* n = std::get_if<Nop>(&cmd)) {
    o << " queue=" << static_cast<unsigned>(n->queue);
  } else if (const auto* m = std::get_if<Matmul>(&cmd)) {
    o << (m->accumulate ? " acc" : " ovr") << " act=" << m->act_addr << "+" << m->act_stride
      << " m=" << m->m << " w=" << m->w_addr << "+" << m->w_stride << " k=" << m->k << " n=" << m->n
      << " out=" << m->acc_addr << "+" << m->acc_stride;
  } else if (const auto* p = std::get_if<Ppu>(&cmd)) {
    o << (p->rounding == RoundingBit::Single ? " single" : " double") << " acc=" << p->acc_addr
      << "+" << p->acc_stride << " m=" << p->m << " n=" << p->n << " dst=" << p->dst_addr << "+"
      << p->dst_stride << " param=" << p->param_addr << " zp=" << int{p->zp_out}
      << " clamp=" << int{p->act_min} << ".." << int{p->act_max};
  } else if (const auto* q = std::get_if<Pool>(&cmd)) {
    o << (q->mode == PoolMode::Avg ? " avg" : " max") << " src=" << q->src << "+" << q->src_line
      << "," << q->src_pixel << " in=" << q->in_h << "x" << q->in_w << " dst=" << q->dst << "+"
      << q->dst_line << "," << q->dst_pixel << " out=" << q->out_h << "x" << q->out_w
      << " k=" << q->kh << "x" << q->kw << " s=" << q->sh << "x" << q->sw << " pad=" << q->pad_top
      << "," << q->pad_left << " lanes=" << q->lanes << " clamp=" << int{q->act_min} << ".."
      << int{q->act_max};
  } else if (const auto* a = std::get_if<Add>(&cmd)) {
    o << (a->rounding == RoundingBit::Single ? " single" : " double") << " a=" << a->a_addr << "+"
      << a->a_stride << " b=" << a->b_addr << "+" << a->b_stride << " dst=" << a->dst_addr << "+"
      << a->dst_stride << " m=" << a->m << " lanes=" << a->lanes << " ls=" << a->left_shift
      << " zp=" << int{a->zp_a} << "," << int{a->zp_b} << "," << int{a->zp_out}
      << " mult=" << a->mult_a << "," << a->mult_b << "," << a->mult_out
      << " shift=" << int{a->shift_a} << "," << int{a->shift_b} << "," << int{a->shift_out}
      << " clamp=" << int{a->act_min} << ".." << int{a->act_max};
  }
  return o.str();
}

Words encode(const Command& c) {
  Encoder e;
  std::visit(e, c);
  return e.w;
}

std::vector<std::uint32_t> encode_program(const std::vector<Command>& program) {
  std::vector<std::uint32_t> out;
  out.reserve(program.size() * kCommandWords);
  for (const auto& c : program) {
    const Words w = encode(c);
    out.insert(out.end(), w.begin(), w.end());
  }
  return out;
}

Decoded decode(const Words& w) {
  Decoded d;
  if (!extract(w, &d.command)) {
    d.error = ErrorCode::IllegalOpcode;
    return d;
  }
  // A reserved bit is one encode() does not write: re-encoding the extracted fields must give back
  // the input exactly.
  if (encode(d.command) != w) {
    d.error = ErrorCode::ReservedBits;
    return d;
  }
  d.error = format_check(d.command);
  return d;
}

ErrorCode check(const Command& cmd, const Geometry& g) {
  using E = ErrorCode;
  if (!g.vector_ops && (std::holds_alternative<Pool>(cmd) || std::holds_alternative<Add>(cmd))) {
    return E::IllegalOpcode;
  }
  if (const auto* c = std::get_if<Load>(&cmd)) return dma_range(c->space, c->desc, g);
  if (const auto* s = std::get_if<Store>(&cmd)) return dma_range(s->space, s->desc, g);
  if (const auto* m = std::get_if<Matmul>(&cmd)) {
    if (m->k > g.rows || m->n > g.cols) return E::BadDimension;
    if (rows_end(g, m->act_addr, m->act_stride, m->m, m->k) > g.spad_bytes ||
        rows_end(g, m->w_addr, m->w_stride, m->k, m->n) > g.spad_bytes) {
      return E::SpadRange;
    }
    if (std::uint64_t{m->acc_addr} + std::uint64_t{m->m - 1} * m->acc_stride >= g.acc_rows()) {
      return E::AccRange;
    }
    return E::Ok;
  }
  if (const auto* p = std::get_if<Ppu>(&cmd)) {
    if (p->n > g.cols) return E::BadDimension;
    if (std::uint64_t{p->acc_addr} + std::uint64_t{p->m - 1} * p->acc_stride >= g.acc_rows()) {
      return E::AccRange;
    }
    if (rows_end(g, p->dst_addr, p->dst_stride, p->m, p->n) > g.spad_bytes) return E::SpadRange;
    if (std::uint64_t{p->param_addr} + p->n > g.param_entries) return E::ParamRange;
    return E::Ok;
  }
  if (const auto* q = std::get_if<Pool>(&cmd)) {
    if (q->lanes > g.rows) return E::BadDimension;
    const std::uint64_t src_end =
        (std::uint64_t{q->src} + std::uint64_t{q->in_h - 1} * q->src_line +
         std::uint64_t{q->in_w - 1} * q->src_pixel) *
            g.rows +
        q->lanes;
    const std::uint64_t dst_end =
        (std::uint64_t{q->dst} + std::uint64_t{q->out_h - 1} * q->dst_line +
         std::uint64_t{q->out_w - 1} * q->dst_pixel) *
            g.rows +
        q->lanes;
    if (src_end > g.spad_bytes || dst_end > g.spad_bytes) return E::SpadRange;
    return E::Ok;
  }
  if (const auto* a = std::get_if<Add>(&cmd)) {
    if (a->lanes > g.rows) return E::BadDimension;
    if (rows_end(g, a->a_addr, a->a_stride, a->m, a->lanes) > g.spad_bytes ||
        rows_end(g, a->b_addr, a->b_stride, a->m, a->lanes) > g.spad_bytes ||
        rows_end(g, a->dst_addr, a->dst_stride, a->m, a->lanes) > g.spad_bytes) {
      return E::SpadRange;
    }
    return E::Ok;
  }
  return E::Ok;
}

bool opcode_legal(std::uint8_t opcode, const Geometry& g) {
  switch (static_cast<Opcode>(opcode)) {
    case Opcode::Load:
    case Opcode::LoadNop:
    case Opcode::Matmul:
    case Opcode::Ppu:
    case Opcode::ComputeNop:
    case Opcode::Store:
    case Opcode::StoreNop:
    case Opcode::Fence:
    case Opcode::End:
      return true;
    case Opcode::Pool:
    case Opcode::Add:
      return g.vector_ops;
  }
  return false;
}

Decoded decode_and_check(const Words& w, const Geometry& g) {
  Decoded d = decode(w);
  // The opcode check is the first of all: an opcode the configuration lacks is illegal whatever
  // else the command holds (decode() alone, knowing no configuration, may report a format error).
  if (!opcode_legal(static_cast<std::uint8_t>(w[0] & 0xFFu), g)) {
    d.error = ErrorCode::IllegalOpcode;
    return d;
  }
  if (d.error == ErrorCode::Ok) d.error = check(d.command, g);
  return d;
}

}  // namespace nuri::isa

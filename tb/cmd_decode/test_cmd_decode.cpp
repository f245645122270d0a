// npu_cmd_decode against the golden decoder nuri::isa::decode_and_check (docs/isa.md): random
// commands of every opcode with boundary-seeking addresses and extents, single-bit flips, random
// words and all 256 opcodes, on 4x4, 8x8, 4x8 and 16x16 arrays with and without the vector
// opcodes, under random valid/ready timing on both handshakes. Every output is compared, in order,
// with the golden error code, the command words and the queue; nothing may be lost or duplicated,
// and every command must come out within the cycle count docs/isa.md documents.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "Vnpu_cmd_decode_16x16.h"
#include "Vnpu_cmd_decode_4x4.h"
#include "Vnpu_cmd_decode_4x8.h"
#include "Vnpu_cmd_decode_8x8.h"
#include "Vnpu_cmd_decode_default.h"
#include "nuri/config.hpp"
#include "nuri/isa/isa.hpp"
#include "nuri/isa/isa_sim.hpp"
#include "nuri/tb/dut.hpp"
#include "nuri/tb/options.hpp"

using namespace nuri::isa;

namespace {

// ---- the specification side
// ----------------------------------------------------------------------

// Cycles from the acceptance of a command to its out_valid, which is also the command period with
// a continuous input and no back-pressure (docs/isa.md "RTL decoder").
unsigned documented_cycles(std::uint8_t op, bool vector_ops) {
  switch (op) {
    case 0x01:  // LOAD
    case 0x21:  // STORE
    case 0x12:  // PPU
      return 4;
    case 0x11:  // MATMUL
      return 5;
    case 0x13:  // POOL
      return vector_ops ? 8 : 2;
    case 0x14:  // ADD
      return vector_ops ? 5 : 2;
    default:
      return 2;
  }
}
constexpr unsigned kMaxCyclesPerCommand = 8;

const std::array<std::uint8_t, 11> kOpcodes = {0x01, 0x0F, 0x11, 0x12, 0x13, 0x14,
                                               0x1F, 0x21, 0x2F, 0x31, 0x3F};

// Bits each opcode defines, from the field tables of docs/isa.md (as tb/isa writes them).
Words defined_bits(unsigned op) {
  const std::uint32_t F = 0xFFFFFFFFu, L24 = 0x00FFFFFFu, L16 = 0x0000FFFFu, L25 = 0x01FFFFFFu;
  switch (op) {
    case 0x01:
      return {0x03FFFFFF, F, F, F, F, F, L24, L24, L24, L24, L25, L25, L25, L24, L24, L24};
    case 0x21:
      return {0x03FFFFFF, F, F, F, F, L24, L24, L24, L24, L24, L25, L25, L25, L24, L24, L24};
    case 0x0F:
    case 0x1F:
    case 0x2F:
      return {0x00FFFFFF};
    case 0x11:
      return {0x01FFFFFF, L24, L24, L16, L24, L24, F, L24, L24};
    case 0x12:
      return {0x01FFFFFF, L24, L24, F, L24, L24, L24, L24};
    case 0x13:
      return {0x01FFFFFF, L24, F, F, L24, F, F, F, F, L16};
    case 0x14:
      return {0x01FFFFFF, L24, L24, L24, F, F, L24, L24, F, F, F, L24, L16};
    case 0x31:
    case 0x3F:
      return {0x000000FF};
    default:
      return {};
  }
}

// Queue an output must name for a command without error: 0 load, 1 compute, 2 store, 3 control.
unsigned expected_queue(const Command& c) {
  Queue q{};
  return queue_of(c, &q) ? static_cast<unsigned>(q) : 3u;
}

Geometry geometry(std::uint32_t rows, std::uint32_t cols, std::uint64_t spad, std::uint64_t acc,
                  std::uint32_t params, unsigned vector_ops) {
  Geometry g = IsaConfig::make(rows, cols, spad, acc, params).geometry;
  g.vector_ops = vector_ops != 0;
  return g;
}
// The geometry a model was built with (nuri_verilate exports its parameters as definitions).
#define NURI_CMD_GEOMETRY(P)                                                            \
  geometry(NURI_##P##_Rows, NURI_##P##_Cols, NURI_##P##_SpadBytes, NURI_##P##_AccBytes, \
           NURI_##P##_ParamEntries, NURI_##P##_VectorOps)

std::string hex_words(const Words& w) {
  std::ostringstream o;
  o << std::hex;
  for (unsigned i = 0; i < kCommandWords; ++i) o << (i ? " " : "") << w[i];
  return o.str();
}

// ---- stimulus ----------------------------------------------------------------------------------

class Gen {
 public:
  Gen(std::uint32_t seed, const Geometry& g) : rng_(seed), g_(g) {}

  std::uint32_t bits(unsigned w) {
    const std::uint32_t v = rng_();
    return w >= 32 ? v : (v & ((1u << w) - 1u));
  }
  std::uint32_t range(std::uint32_t lo, std::uint32_t hi) {
    return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng_);
  }
  std::int64_t srange(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  bool chance(unsigned pct) { return range(0, 99) < pct; }

  // A power of two (plus one now and then) inside a field: products of such values are
  // multiples of large powers of two, so a truncated sum in the range arithmetic would come out
  // small and pass a check it must fail (random large values almost never show that).
  std::uint32_t pow2(unsigned width, bool plus_one) {
    const std::uint32_t v = 1u << range(0, width - 1);
    return plus_one && v < (width >= 32 ? 0xFFFFFFFFu : (1u << width) - 1u) ? v + 1 : v;
  }
  // A count field: usually 1..small, sometimes 0, the field maximum, a power of two plus one
  // (so count - 1 is a power of two) or anything.
  std::uint32_t count(std::uint32_t small, unsigned width) {
    const unsigned r = range(0, 39);
    if (r == 0) return 0;
    if (r == 1) return bits(width) | (1u << (width - 1));
    if (r == 2) return width >= 32 ? 0xFFFFFFFFu : (1u << width) - 1u;
    if (r <= 4) return pow2(width, true);
    return range(1, small);
  }
  // A count with an upper limit: usually 1..limit, sometimes limit + 1, 0 or anything.
  std::uint32_t limited(std::uint32_t limit, unsigned width) {
    const unsigned r = range(0, 29);
    if (r == 0) return 0;
    if (r <= 2) return limit + 1;
    if (r == 3) return bits(width);
    return range(1, limit);
  }
  std::uint32_t stride(std::uint32_t small, unsigned width) {
    const unsigned r = range(0, 29);
    if (r <= 2) return 0;
    if (r == 3) return bits(width);
    if (r == 4) return width >= 32 ? 0xFFFFFFFFu : (1u << width) - 1u;
    if (r <= 6) return pow2(width, false);
    return range(1, small);
  }
  // An address around `last_ok` (the largest address that still fits): half the time within two
  // of it, so a range check sees both sides; otherwise anywhere inside or anything.
  std::uint32_t addr_near(std::int64_t last_ok, unsigned width) {
    const std::int64_t max = (std::int64_t{1} << width) - 1;
    std::int64_t a;
    const unsigned r = range(0, 9);
    if (r < 5) {
      a = last_ok + srange(-2, 2);
    } else if (r < 8) {
      a = last_ok > 0 ? srange(0, last_ok) : 0;
    } else {
      a = bits(width);
    }
    return static_cast<std::uint32_t>(a < 0 ? 0 : (a > max ? max : a));
  }
  std::int8_t s8() { return static_cast<std::int8_t>(bits(8)); }
  Tokens tok() { return {static_cast<std::uint8_t>(bits(8)), static_cast<std::uint8_t>(bits(8))}; }
  // act_min <= act_max, except now and then.
  void act(std::int8_t* lo, std::int8_t* hi) {
    std::int8_t a = s8(), b = s8();
    if ((a > b) != chance(8)) std::swap(a, b);
    *lo = a;
    *hi = b;
  }

  Command load_store(bool is_load) {
    DmaDesc d;
    d.dram_addr = bits(32) | (std::uint64_t{bits(8)} << 32);
    d.dram_stride1 = bits(32);
    d.dram_stride2 = bits(32);
    for (unsigned k = 0; k < 3; ++k) {
      d.size[k] = chance(50) ? range(0, 64) : bits(24);
      d.start[k] =
          static_cast<std::int32_t>(chance(50) ? srange(-8, 8) : srange(-(1 << 24), (1 << 24) - 1));
    }
    d.len = {count(64, 24), count(8, 24), count(8, 24)};
    d.lcl_stride1 = stride(128, 24);
    d.lcl_stride2 = stride(1024, 24);
    const auto space = static_cast<Space>(range(0, 2));
    const std::int64_t limit = space == Space::Spad ? static_cast<std::int64_t>(g_.spad_bytes)
                               : space == Space::Acc
                                   ? static_cast<std::int64_t>(g_.acc_rows() * g_.cols * 4)
                                   : std::int64_t{g_.param_entries} * 16;
    auto dec = [](std::uint32_t x) { return x == 0 ? 0 : std::int64_t{x} - 1; };
    const std::int64_t extent =
        dec(d.len[2]) * d.lcl_stride2 + dec(d.len[1]) * d.lcl_stride1 + std::int64_t{d.len[0]};
    d.lcl_addr = addr_near(limit - extent, 24);
    if (is_load) {
      Load c;
      c.tok = tok();
      c.space = space;
      c.desc = d;
      c.pad = static_cast<std::uint8_t>(bits(8));
      return c;
    }
    Store c;
    c.tok = tok();
    c.space = space;
    c.desc = d;
    return c;
  }

  // Last row r with (r + (count-1)*stride) * rows + bytes <= spad.
  std::int64_t last_row(std::uint32_t count, std::uint32_t stride, std::uint32_t bytes) {
    const std::int64_t c = count == 0 ? 0 : std::int64_t{count} - 1;
    return (static_cast<std::int64_t>(g_.spad_bytes) - bytes) / g_.rows - c * stride;
  }
  std::int64_t last_acc_row(std::uint32_t count, std::uint32_t stride) {
    const std::int64_t c = count == 0 ? 0 : std::int64_t{count} - 1;
    return static_cast<std::int64_t>(g_.acc_rows()) - 1 - c * stride;
  }

  Command matmul() {
    Matmul c;
    c.tok = tok();
    c.accumulate = bits(1) != 0;
    c.k = limited(g_.rows, 16);
    c.n = limited(g_.cols, 16);
    c.m = count(40, 16);
    c.act_stride = stride(8, 24);
    c.w_stride = stride(8, 24);
    c.acc_stride = stride(8, 24);
    c.act_addr = addr_near(last_row(c.m, c.act_stride, c.k), 24);
    c.w_addr = addr_near(last_row(c.k, c.w_stride, c.n), 24);
    c.acc_addr = addr_near(last_acc_row(c.m, c.acc_stride), 24);
    return c;
  }

  Command ppu() {
    Ppu c;
    c.tok = tok();
    c.rounding = static_cast<RoundingBit>(bits(1));
    c.m = count(40, 16);
    c.n = limited(g_.cols, 16);
    c.acc_stride = stride(8, 24);
    c.dst_stride = stride(8, 24);
    c.acc_addr = addr_near(last_acc_row(c.m, c.acc_stride), 24);
    c.dst_addr = addr_near(last_row(c.m, c.dst_stride, c.n), 24);
    c.param_addr = addr_near(std::int64_t{g_.param_entries} - c.n, 24);
    c.zp_out = s8();
    act(&c.act_min, &c.act_max);
    return c;
  }

  Command pool() {
    Pool c;
    c.tok = tok();
    c.mode = static_cast<PoolMode>(bits(1));
    c.kh = limited(16, 8);
    c.kw = limited(16, 8);
    c.sh = chance(90) ? range(1, 4) : bits(8);
    c.sw = chance(90) ? range(1, 4) : bits(8);
    // Padding below the kernel keeps the first window in the image; pad >= kernel empties it.
    c.pad_top = chance(90) ? range(0, c.kh == 0 ? 0 : c.kh - 1) : (chance(50) ? c.kh : bits(8));
    c.pad_left = chance(90) ? range(0, c.kw == 0 ? 0 : c.kw - 1) : (chance(50) ? c.kw : bits(8));
    c.in_h = count(20, 16);
    c.in_w = count(20, 16);
    // The last window starts inside the image while (out - 1) * s - pad < in: aim at the edge.
    auto out = [&](std::uint32_t in, std::uint32_t pad, std::uint32_t s) -> std::uint32_t {
      if (s == 0 || in == 0) return count(8, 16);
      const std::int64_t max_out = (std::int64_t{in} - 1 + pad) / s + 1;
      const std::int64_t o = chance(60) ? max_out + srange(-1, 1) : srange(1, max_out);
      return static_cast<std::uint32_t>(o < 0 ? 0 : (o > 0xFFFF ? 0xFFFF : o));
    };
    c.out_h = chance(95) ? out(c.in_h, c.pad_top, c.sh) : bits(16);
    c.out_w = chance(95) ? out(c.in_w, c.pad_left, c.sw) : bits(16);
    c.lanes = limited(g_.rows, 16);
    c.src_line = stride(40, 16);
    c.src_pixel = stride(8, 16);
    c.dst_line = stride(40, 16);
    c.dst_pixel = stride(8, 16);
    auto dec = [](std::uint32_t x) { return x == 0 ? 0 : std::int64_t{x} - 1; };
    const std::int64_t lim = (static_cast<std::int64_t>(g_.spad_bytes) - c.lanes) / g_.rows;
    c.src = addr_near(lim - dec(c.in_h) * c.src_line - dec(c.in_w) * c.src_pixel, 24);
    c.dst = addr_near(lim - dec(c.out_h) * c.dst_line - dec(c.out_w) * c.dst_pixel, 24);
    act(&c.act_min, &c.act_max);
    return c;
  }

  Command add() {
    Add c;
    c.tok = tok();
    c.rounding = static_cast<RoundingBit>(bits(1));
    c.m = count(20, 16);
    c.lanes = limited(g_.rows, 16);
    c.a_stride = stride(8, 16);
    c.b_stride = stride(8, 16);
    c.dst_stride = stride(8, 16);
    c.a_addr = addr_near(last_row(c.m, c.a_stride, c.lanes), 24);
    c.b_addr = addr_near(last_row(c.m, c.b_stride, c.lanes), 24);
    c.dst_addr = addr_near(last_row(c.m, c.dst_stride, c.lanes), 24);
    c.left_shift = chance(95) ? range(0, 31) : range(32, 255);
    c.zp_a = s8();
    c.zp_b = s8();
    c.zp_out = s8();
    auto mult = [&] {
      return static_cast<std::int32_t>(chance(95) ? bits(31) : bits(32) | 1u << 31);
    };
    c.mult_a = mult();
    c.mult_b = mult();
    c.mult_out = mult();
    auto shift = [&] {
      return static_cast<std::int8_t>(
          chance(95) ? srange(-31, 0) : (chance(50) ? srange(1, 127) : srange(-128, -32)));
    };
    c.shift_a = shift();
    c.shift_b = shift();
    c.shift_out = shift();
    act(&c.act_min, &c.act_max);
    return c;
  }

  // A command of the given opcode with random fields aimed at the checks' boundaries.
  Command command(std::uint8_t op) {
    switch (op) {
      case 0x01:
        return load_store(true);
      case 0x21:
        return load_store(false);
      case 0x0F:
        return Nop{tok(), Queue::Load};
      case 0x1F:
        return Nop{tok(), Queue::Compute};
      case 0x2F:
        return Nop{tok(), Queue::Store};
      case 0x11:
        return matmul();
      case 0x12:
        return ppu();
      case 0x13:
        return pool();
      case 0x14:
        return add();
      case 0x31:
        return Fence{};
      default:
        return End{};
    }
  }

  std::uint8_t legal_opcode() { return kOpcodes[range(0, kOpcodes.size() - 1)]; }

  // Random words inside the defined bits of `op` (every field anything, reserved bits clear);
  // some words are powers of two in each half (plus one), as count() and stride() make them.
  Words defined_random(std::uint8_t op) {
    const Words m = defined_bits(op);
    Words w{};
    for (unsigned i = 0; i < kCommandWords; ++i) {
      const unsigned r = range(0, 9);
      const std::uint32_t v = r < 6   ? bits(32)
                              : r < 8 ? (pow2(16, true) << 16) | pow2(16, true)
                                      : pow2(32, r == 8);
      w[i] = v & m[i];
    }
    w[0] = (w[0] & ~0xFFu) | op;
    return w;
  }

  // The mix of the random tests: boundary-seeking commands, single-bit flips of them, random
  // defined fields, random words and opcodes alone.
  Words next() {
    const unsigned r = range(0, 99);
    if (r < 55) return encode(command(legal_opcode()));
    if (r < 80) {
      Words w = encode(command(legal_opcode()));
      const unsigned b = range(0, 511);
      w[b / 32] ^= 1u << (b % 32);
      return w;
    }
    if (r < 90) return defined_random(legal_opcode());
    if (r < 96) {
      Words w{};
      for (auto& x : w) x = bits(32);
      if (chance(50)) w[0] = (w[0] & ~0xFFu) | legal_opcode();
      return w;
    }
    Words w = chance(50) ? Words{} : defined_random(legal_opcode());
    w[0] = (w[0] & ~0xFFu) | bits(8);
    return w;
  }

 private:
  std::mt19937 rng_;
  Geometry g_;
};

// ---- the bench ---------------------------------------------------------------------------------

struct Timing {
  unsigned in_pct, out_pct;  // chance per cycle to offer a command / to accept an output
};

struct Stats {
  std::map<std::pair<unsigned, unsigned>, std::uint64_t> op_err;  // (opcode, error) -> count
  std::uint64_t commands = 0, cycles = 0;
};

template <typename Model>
class Bench {
 public:
  Bench(const Geometry& g, const std::string& tag, std::uint32_t seed)
      : dut_(tag), g_(g), rng_(seed ^ 0x5eedu) {
    dut_.reset();
  }

  // Sends every command, checks every output in order against decode_and_check. Returns false
  // (after a failed CHECK) on the first mismatch.
  bool run(const std::vector<Words>& cmds, Timing t, Stats* stats) {
    struct Pending {
      Words w;
      Decoded d;
      std::uint64_t accepted_at;
      bool seen;
    };
    std::deque<Pending> expect;
    std::size_t sent = 0, received = 0;
    bool offering = false;
    std::uint64_t idle = 0, prev_accept = 0;
    bool have_prev = false;
    std::uint8_t prev_op = 0;
    auto chance = [&](unsigned pct) {
      return std::uniform_int_distribution<unsigned>(0, 99)(rng_) < pct;
    };
    while (received < cmds.size()) {
      if (!offering && sent < cmds.size() && chance(t.in_pct)) offering = true;
      dut_->in_valid_i = offering;
      for (unsigned i = 0; i < kCommandWords; ++i) {
        // Idle input carries garbage: the decoder must ignore it.
        dut_->in_cmd_i[i] = offering ? cmds[sent][i] : static_cast<std::uint32_t>(rng_());
      }
      dut_->out_ready_i = chance(t.out_pct);
      dut_.eval();
      const std::uint64_t now = dut_.cycles();
      const bool accept = offering && dut_->in_ready_o;
      const bool out_valid = dut_->out_valid_o;
      const bool fire = out_valid && dut_->out_ready_i;
      if (out_valid) {
        if (expect.empty()) {
          FAIL_CHECK("out_valid_o without a command in flight at cycle " << now);
          return false;
        }
        Pending& p = expect.front();
        if (!p.seen) {
          p.seen = true;
          const std::uint64_t lat = now - p.accepted_at;
          const unsigned bound = documented_cycles(p.w[0] & 0xFF, g_.vector_ops);
          if (lat > bound || lat > kMaxCyclesPerCommand) {
            FAIL_CHECK("command " << hex_words(p.w) << " took " << lat << " cycles, documented "
                                  << bound);
            return false;
          }
        }
      }
      if (fire) {
        const Pending p = expect.front();
        expect.pop_front();
        Words got{};
        for (unsigned i = 0; i < kCommandWords; ++i) got[i] = dut_->out_cmd_o[i];
        const unsigned err = dut_->out_err_o;
        const unsigned queue = dut_->out_queue_o;
        const bool ok_err = err == static_cast<unsigned>(p.d.error);
        const bool ok_cmd = got == p.w;
        const bool ok_queue = p.d.error != ErrorCode::Ok || queue == expected_queue(p.d.command);
        if (!(ok_err && ok_cmd && ok_queue)) {
          INFO("command #" << received << ": " << hex_words(p.w));
          INFO("golden: " << to_string(p.d.error) << " (" << static_cast<unsigned>(p.d.error) << ")"
                          << (p.d.error == ErrorCode::Ok ? " " + to_string(p.d.command) : ""));
          INFO("rtl: error " << err << " queue " << queue << " words " << hex_words(got));
          INFO("geometry " << g_.rows << "x" << g_.cols << " spad " << g_.spad_bytes << " acc "
                           << g_.acc_bytes << " params " << g_.param_entries << " vector_ops "
                           << g_.vector_ops << ", seed " << nuri::tb::seed());
          FAIL_CHECK("decoder output differs from decode_and_check");
          return false;
        }
        if (stats != nullptr) {
          ++stats->op_err[{p.w[0] & 0xFFu, static_cast<unsigned>(p.d.error)}];
          ++stats->commands;
        }
        ++received;
      }
      if (accept) {
        const Words& w = cmds[sent];
        // Back to back (no stall on either side), a command follows its predecessor after the
        // predecessor's documented cycle count.
        if (t.in_pct == 100 && t.out_pct == 100 && have_prev &&
            now - prev_accept != documented_cycles(prev_op, g_.vector_ops)) {
          FAIL_CHECK("back-to-back period " << (now - prev_accept) << " after opcode 0x" << std::hex
                                            << unsigned{prev_op});
          return false;
        }
        have_prev = true;
        prev_accept = now;
        prev_op = static_cast<std::uint8_t>(w[0] & 0xFF);
        expect.push_back({w, decode_and_check(w, g_), now, false});
        ++sent;
        offering = false;
      }
      idle = (accept || fire) ? 0 : idle + 1;
      if (idle > 200) {
        FAIL_CHECK("no progress for 200 cycles: sent " << sent << ", received " << received);
        return false;
      }
      dut_.tick();
    }
    // Nothing left, nothing extra.
    dut_->in_valid_i = 0;
    dut_->out_ready_i = 1;
    for (unsigned i = 0; i < 10; ++i) {
      dut_.eval();
      if (dut_->out_valid_o) {
        FAIL_CHECK("an extra output after the last command");
        return false;
      }
      dut_.tick();
    }
    if (stats != nullptr) stats->cycles += dut_.cycles();
    return true;
  }

 private:
  nuri::tb::Dut<Model> dut_;
  Geometry g_;
  std::mt19937 rng_;
};

const std::array<Timing, 5> kTimings = {{{100, 100}, {60, 100}, {100, 40}, {50, 50}, {20, 90}}};

// Random commands through one model under every timing; then every opcode and error code the
// configuration can produce must have been seen (so the boundary-seeking really hits both sides).
template <typename Model>
void random_commands(const Geometry& g, const std::string& tag, std::size_t count) {
  const std::uint32_t seed = nuri::tb::seed();
  INFO(tag << " seed " << seed);
  Gen gen(seed * 7919u + static_cast<std::uint32_t>(tag.size()), g);
  Bench<Model> bench(g, tag, seed);
  Stats stats;
  const std::size_t per_run = count / kTimings.size() + 1;
  for (const Timing& t : kTimings) {
    std::vector<Words> cmds;
    for (std::size_t i = 0; i < per_run; ++i) cmds.push_back(gen.next());
    INFO("timing in " << t.in_pct << "% out " << t.out_pct << "%");
    REQUIRE(bench.run(cmds, t, &stats));
  }
  auto seen = [&](unsigned op, ErrorCode e) {
    return stats.op_err.count({op, static_cast<unsigned>(e)}) != 0;
  };
  using E = ErrorCode;
  std::vector<std::pair<unsigned, E>> need = {
      {0x01, E::Ok},         {0x01, E::SpadRange},    {0x01, E::AccRange},
      {0x01, E::ParamRange}, {0x01, E::BadDimension}, {0x01, E::ReservedBits},
      {0x21, E::Ok},         {0x21, E::SpadRange},    {0x21, E::AccRange},
      {0x21, E::ParamRange}, {0x11, E::Ok},           {0x11, E::BadDimension},
      {0x11, E::SpadRange},  {0x11, E::AccRange},     {0x12, E::Ok},
      {0x12, E::BadField},   {0x12, E::SpadRange},    {0x12, E::AccRange},
      {0x12, E::ParamRange}, {0x12, E::BadDimension}, {0x0F, E::Ok},
      {0x31, E::Ok},         {0x3F, E::ReservedBits}};
  if (g.vector_ops) {
    for (E e : {E::Ok, E::BadDimension, E::BadField, E::SpadRange}) {
      need.emplace_back(0x13, e);
      need.emplace_back(0x14, e);
    }
  } else {
    need.emplace_back(0x13, E::IllegalOpcode);
    need.emplace_back(0x14, E::IllegalOpcode);
  }
  for (const auto& [op, e] : need) {
    INFO("opcode 0x" << std::hex << op << std::dec << " with " << to_string(e));
    CHECK(seen(op, e));
  }
  WARN(tag << ": " << stats.commands << " commands in " << stats.cycles << " cycles");
}

// Every single-bit flip of one boundary-seeking command per opcode, and all 256 opcodes (alone,
// with random defined fields and with random words).
template <typename Model>
void flips_and_opcodes(const Geometry& g, const std::string& tag) {
  const std::uint32_t seed = nuri::tb::seed();
  INFO(tag << " seed " << seed);
  Gen gen(seed * 104729u + 3u, g);
  Bench<Model> bench(g, tag, seed);
  std::vector<Words> cmds;
  for (std::uint8_t op : kOpcodes) {
    const Words base = encode(gen.command(op));
    cmds.push_back(base);
    for (unsigned b = 0; b < 512; ++b) {
      Words w = base;
      w[b / 32] ^= 1u << (b % 32);
      cmds.push_back(w);
    }
  }
  for (unsigned op = 0; op < 256; ++op) {
    Words w{};
    w[0] = op;
    cmds.push_back(w);
    w = gen.defined_random(gen.legal_opcode());
    w[0] = (w[0] & ~0xFFu) | op;
    cmds.push_back(w);
    for (auto& x : w) x = gen.bits(32);
    w[0] = (w[0] & ~0xFFu) | op;
    cmds.push_back(w);
  }
  REQUIRE(bench.run(cmds, {70, 70}, nullptr));
}

Geometry default_geometry() { return IsaConfig::from_generated().geometry; }

}  // namespace

TEST_CASE("the decoder agrees with decode_and_check on random commands at every size",
          "[rtl][smoke]") {
  const std::size_t n = 6000;
  random_commands<Vnpu_cmd_decode_4x4>(NURI_CMD_GEOMETRY(npu_cmd_decode_4x4), "4x4", n);
  random_commands<Vnpu_cmd_decode_8x8>(NURI_CMD_GEOMETRY(npu_cmd_decode_8x8), "8x8", n);
  random_commands<Vnpu_cmd_decode_4x8>(NURI_CMD_GEOMETRY(npu_cmd_decode_4x8), "4x8", n);
  random_commands<Vnpu_cmd_decode_16x16>(NURI_CMD_GEOMETRY(npu_cmd_decode_16x16), "16x16", n);
  random_commands<Vnpu_cmd_decode_default>(default_geometry(), "default", n);
}

TEST_CASE("the decoder agrees on every single-bit flip and on all 256 opcodes", "[rtl][smoke]") {
  flips_and_opcodes<Vnpu_cmd_decode_4x4>(NURI_CMD_GEOMETRY(npu_cmd_decode_4x4), "4x4");
  flips_and_opcodes<Vnpu_cmd_decode_8x8>(NURI_CMD_GEOMETRY(npu_cmd_decode_8x8), "8x8");
  flips_and_opcodes<Vnpu_cmd_decode_4x8>(NURI_CMD_GEOMETRY(npu_cmd_decode_4x8), "4x8");
  flips_and_opcodes<Vnpu_cmd_decode_16x16>(NURI_CMD_GEOMETRY(npu_cmd_decode_16x16), "16x16");
  flips_and_opcodes<Vnpu_cmd_decode_default>(default_geometry(), "default");
}

TEST_CASE("the default decoder is the generated configuration without vector opcodes",
          "[rtl][smoke]") {
  // The model built without overrides must match nuri/config.hpp (this build: VectorOps = 0,
  // so POOL and ADD are illegal opcodes whatever else they hold).
  const Geometry g = default_geometry();
  CHECK(g.rows == nuri::cfg::kRows);
  CHECK(g.param_entries == nuri::cfg::kParamEntries);
  CHECK(g.vector_ops == (nuri::cfg::kVectorOps != 0));
  Bench<Vnpu_cmd_decode_default> bench(g, "default", nuri::tb::seed());
  std::vector<Words> cmds = {encode(Pool{}), encode(Add{}), encode(Matmul{}), encode(End{})};
  Stats stats;
  REQUIRE(bench.run(cmds, {100, 100}, &stats));
  const unsigned vec_err =
      static_cast<unsigned>(g.vector_ops ? ErrorCode::Ok : ErrorCode::IllegalOpcode);
  CHECK(stats.op_err.count({0x13u, vec_err}) == 1);
  CHECK(stats.op_err.count({0x14u, vec_err}) == 1);
  CHECK(stats.op_err.count({0x11u, 0u}) == 1);
}

TEST_CASE("the decoder agrees with decode_and_check on many random commands", "[rtl][full]") {
  const std::size_t n = 120000;
  random_commands<Vnpu_cmd_decode_4x4>(NURI_CMD_GEOMETRY(npu_cmd_decode_4x4), "4x4", n);
  random_commands<Vnpu_cmd_decode_8x8>(NURI_CMD_GEOMETRY(npu_cmd_decode_8x8), "8x8", n);
  random_commands<Vnpu_cmd_decode_4x8>(NURI_CMD_GEOMETRY(npu_cmd_decode_4x8), "4x8", n);
  random_commands<Vnpu_cmd_decode_16x16>(NURI_CMD_GEOMETRY(npu_cmd_decode_16x16), "16x16", n);
  random_commands<Vnpu_cmd_decode_default>(default_geometry(), "default", n);
}

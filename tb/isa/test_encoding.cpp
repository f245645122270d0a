// Command encoding: round trips with random field values, hand-checked bit positions, illegal
// opcodes and reserved bits (docs/isa.md "Encoding").
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "isa_tb.hpp"
#include "nuri/tb/options.hpp"

using namespace nuri::isa;

namespace {

struct Rand {
  std::mt19937 rng;
  explicit Rand(std::uint32_t seed) : rng(seed) {}
  std::uint32_t bits(unsigned w) {
    const std::uint32_t v = rng();
    return w >= 32 ? v : (v & ((1u << w) - 1u));
  }
  std::uint32_t range(std::uint32_t lo, std::uint32_t hi) {  // inclusive
    return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng);
  }
  std::int32_t srange(std::int32_t lo, std::int32_t hi) {
    return std::uniform_int_distribution<std::int32_t>(lo, hi)(rng);
  }
  std::int8_t s8() { return static_cast<std::int8_t>(bits(8)); }
  Tokens tok() { return {static_cast<std::uint8_t>(bits(8)), static_cast<std::uint8_t>(bits(8))}; }
  void act(std::int8_t* lo, std::int8_t* hi) {
    std::int8_t a = s8(), b = s8();
    if (a > b) std::swap(a, b);
    *lo = a;
    *hi = b;
  }
  DmaDesc desc() {
    DmaDesc d;
    d.dram_addr = bits(32) | (std::uint64_t{bits(8)} << 32);
    d.dram_stride1 = bits(32);
    d.dram_stride2 = bits(32);
    d.lcl_addr = bits(24);
    d.lcl_stride1 = bits(24);
    d.lcl_stride2 = bits(24);
    for (unsigned k = 0; k < 3; ++k) {
      d.size[k] = bits(24);
      d.start[k] = srange(-(1 << 24), (1 << 24) - 1);
      d.len[k] = range(1, (1u << 24) - 1);
    }
    return d;
  }
};

std::vector<Command> random_commands(Rand& r) {
  std::vector<Command> out;
  Load l;
  l.tok = r.tok();
  l.space = static_cast<Space>(r.range(0, 2));
  l.desc = r.desc();
  l.pad = static_cast<std::uint8_t>(r.bits(8));
  out.emplace_back(l);
  Store s;
  s.tok = r.tok();
  s.space = static_cast<Space>(r.range(0, 2));
  s.desc = r.desc();
  out.emplace_back(s);
  out.emplace_back(Nop{r.tok(), static_cast<Queue>(r.range(0, 2))});
  Matmul m;
  m.tok = r.tok();
  m.accumulate = r.bits(1) != 0;
  m.act_addr = r.bits(24);
  m.act_stride = r.bits(24);
  m.m = r.range(1, 0xFFFF);
  m.w_addr = r.bits(24);
  m.w_stride = r.bits(24);
  m.k = r.range(1, 0xFFFF);
  m.n = r.range(1, 0xFFFF);
  m.acc_addr = r.bits(24);
  m.acc_stride = r.bits(24);
  out.emplace_back(m);
  Ppu p;
  p.tok = r.tok();
  p.rounding = static_cast<RoundingBit>(r.bits(1));
  p.acc_addr = r.bits(24);
  p.acc_stride = r.bits(24);
  p.m = r.range(1, 0xFFFF);
  p.n = r.range(1, 0xFFFF);
  p.dst_addr = r.bits(24);
  p.dst_stride = r.bits(24);
  p.param_addr = r.bits(24);
  p.zp_out = r.s8();
  r.act(&p.act_min, &p.act_max);
  out.emplace_back(p);
  Pool q;
  q.tok = r.tok();
  q.mode = static_cast<PoolMode>(r.bits(1));
  q.src = r.bits(24);
  q.src_pixel = r.bits(16);
  q.src_line = r.bits(16);
  q.dst = r.bits(24);
  q.dst_pixel = r.bits(16);
  q.dst_line = r.bits(16);
  q.kh = r.range(1, 16);
  q.kw = r.range(1, 16);
  q.sh = r.range(1, 255);
  q.sw = r.range(1, 255);
  q.pad_top = r.range(0, q.kh - 1);
  q.pad_left = r.range(0, q.kw - 1);
  q.in_h = r.range(1, 0xFFFF);
  q.in_w = r.range(1, 0xFFFF);
  // Last window must start inside the image: (out - 1) * s - pad < in.
  q.out_h = r.range(1, (q.in_h - 1 + q.pad_top) / q.sh + 1);
  q.out_w = r.range(1, (q.in_w - 1 + q.pad_left) / q.sw + 1);
  q.lanes = r.range(1, 0xFFFF);
  r.act(&q.act_min, &q.act_max);
  out.emplace_back(q);
  Add a;
  a.tok = r.tok();
  a.rounding = static_cast<RoundingBit>(r.bits(1));
  a.a_addr = r.bits(24);
  a.b_addr = r.bits(24);
  a.dst_addr = r.bits(24);
  a.a_stride = r.bits(16);
  a.b_stride = r.bits(16);
  a.dst_stride = r.bits(16);
  a.m = r.range(1, 0xFFFF);
  a.lanes = r.range(1, 0xFFFF);
  a.left_shift = r.range(0, 31);
  a.zp_a = r.s8();
  a.zp_b = r.s8();
  a.zp_out = r.s8();
  a.mult_a = static_cast<std::int32_t>(r.bits(31));
  a.mult_b = static_cast<std::int32_t>(r.bits(31));
  a.mult_out = static_cast<std::int32_t>(r.bits(31));
  a.shift_a = static_cast<std::int8_t>(r.srange(-31, 0));
  a.shift_b = static_cast<std::int8_t>(r.srange(-31, 0));
  a.shift_out = static_cast<std::int8_t>(r.srange(-31, 0));
  r.act(&a.act_min, &a.act_max);
  out.emplace_back(a);
  out.emplace_back(Fence{});
  out.emplace_back(End{});
  return out;
}

// Bits each opcode defines, word by word, written out from the tables in docs/isa.md (not derived
// from the encoder). Every other bit is reserved.
std::map<unsigned, Words> defined_bits() {
  const std::uint32_t F = 0xFFFFFFFFu, L24 = 0x00FFFFFFu, L16 = 0x0000FFFFu, L25 = 0x01FFFFFFu;
  std::map<unsigned, Words> m;
  m[0x01] = {0x03FFFFFF, F, F, F, F, F, L24, L24, L24, L24, L25, L25, L25, L24, L24, L24};
  m[0x21] = {0x03FFFFFF, F, F, F, F, L24, L24, L24, L24, L24, L25, L25, L25, L24, L24, L24};
  m[0x0F] = m[0x1F] = m[0x2F] = {0x00FFFFFF};
  m[0x11] = {0x01FFFFFF, L24, L24, L16, L24, L24, F, L24, L24};
  m[0x12] = {0x01FFFFFF, L24, L24, F, L24, L24, L24, L24};
  m[0x13] = {0x01FFFFFF, L24, F, F, L24, F, F, F, F, L16};
  m[0x14] = {0x01FFFFFF, L24, L24, L24, F, F, L24, L24, F, F, F, L24, L16};
  m[0x31] = m[0x3F] = {0x000000FF};
  return m;
}

}  // namespace

TEST_CASE("every command survives an encode and decode round trip with random fields",
          "[golden][smoke]") {
  Rand r(nuri::tb::seed());
  for (int iter = 0; iter < 300; ++iter) {
    for (const Command& c : random_commands(r)) {
      INFO(name_of(c) << " iteration " << iter);
      const Words w = encode(c);
      const Decoded d = decode(w);
      REQUIRE(d.error == ErrorCode::Ok);
      REQUIRE(d.command.index() == c.index());
      CHECK(d.command == c);
    }
  }
}

TEST_CASE("a MATMUL and a LOAD encode to hand-written words", "[golden][smoke]") {
  Matmul m;
  m.tok = {0x05, 0x82};  // wait tokens 0 and 2, signal tokens 1 and 7
  m.accumulate = true;
  m.act_addr = 0x123;
  m.act_stride = 2;
  m.m = 36;
  m.w_addr = 0x400;
  m.w_stride = 1;
  m.k = 3;
  m.n = 16;
  m.acc_addr = 0x40;
  m.acc_stride = 1;
  // word 0 = accumulate<<24 | signal<<16 | wait<<8 | opcode 0x11.
  const Words wm{0x01820511u, 0x123, 2, 36, 0x400, 1, (16u << 16) | 3u, 0x40, 1, 0,
                 0,           0,     0, 0,  0,     0};
  CHECK(encode(m) == wm);

  Load l;
  l.space = Space::Acc;
  l.pad = 0xFD;
  l.desc.dram_addr = 0xAB'1234'5678ull;
  l.desc.dram_stride1 = 48;
  l.desc.dram_stride2 = 288;
  l.desc.lcl_addr = 0x0100;
  l.desc.lcl_stride1 = 16;
  l.desc.lcl_stride2 = 96;
  l.desc.size = {3, 6, 6};
  l.desc.start = {0, -1, -1};
  l.desc.len = {16, 6, 6};
  // word 0 = space 1 << 24 | opcode 0x01; word 2 = lcl_addr << 8 | dram_addr[39:32];
  // word 5 = pad << 24 | lcl_stride1; start -1 is the 25-bit two's complement 0x1FFFFFF.
  const Words wl{0x01000001u, 0x12345678u, 0x000100ABu, 48,          288, 0xFD000010u, 96, 3, 6,
                 6,           0,           0x01FFFFFFu, 0x01FFFFFFu, 16,  6,           6};
  CHECK(encode(l) == wl);
  const Decoded d = decode(wl);
  REQUIRE(d.error == ErrorCode::Ok);
  CHECK(std::get<Load>(d.command).desc.start[1] == -1);
}

TEST_CASE("decode rejects every opcode outside the table", "[golden][smoke]") {
  const auto defined = defined_bits();
  for (unsigned op = 0; op < 256; ++op) {
    Words w{};
    w[0] = op;
    const Decoded d = decode(w);
    INFO("opcode 0x" << std::hex << op);
    if (defined.count(op) != 0) {
      CHECK(d.error != ErrorCode::IllegalOpcode);
    } else {
      CHECK(d.error == ErrorCode::IllegalOpcode);
    }
  }
}

TEST_CASE("decode rejects a set reserved bit in every reserved position", "[golden][smoke]") {
  Rand r(nuri::tb::seed());
  const auto defined = defined_bits();
  for (const Command& c : random_commands(r)) {
    const Words w = encode(c);
    const unsigned op = w[0] & 0xFF;
    REQUIRE(defined.count(op) == 1);
    const Words& mask = defined.at(op);
    for (unsigned word = 0; word < kCommandWords; ++word) {
      for (unsigned bit = 0; bit < 32; ++bit) {
        if (word == 0 && bit < 8) continue;  // opcode bits select another command
        Words x = w;
        x[word] ^= 1u << bit;
        const Decoded d = decode(x);
        INFO(name_of(c) << " word " << word << " bit " << bit);
        const bool dma = op == 0x01 || op == 0x21;
        if (dma && word == 0 && ((x[0] >> 24) & 3u) == 3u) {
          CHECK(d.error == ErrorCode::ReservedBits);  // space 3 is a reserved value
        } else if ((mask[word] >> bit) & 1u) {
          CHECK(d.error != ErrorCode::ReservedBits);
        } else {
          CHECK(d.error == ErrorCode::ReservedBits);
        }
      }
    }
  }
}

TEST_CASE("decode rejects the reserved space value and zero counts", "[golden][smoke]") {
  Words w = encode(tb::load(tb::linear(0, 0, 4)));
  w[0] |= 3u << 24;  // space 3 is reserved
  CHECK(decode(w).error == ErrorCode::ReservedBits);
  w = encode(tb::load(tb::linear(0, 0, 4)));
  w[14] = 0;  // len1 = 0
  CHECK(decode(w).error == ErrorCode::BadDimension);
  Matmul m;
  m.n = 0;
  CHECK(decode(encode(m)).error == ErrorCode::BadDimension);
  Pool q;
  q.kh = 17;  // kernels are at most 16 taps per dimension
  CHECK(decode(encode(q)).error == ErrorCode::BadDimension);
  q = Pool{};
  q.kh = 3;
  q.pad_top = 3;  // window rows -3..-1: entirely above the image
  CHECK(decode(encode(q)).error == ErrorCode::BadDimension);
  Add a;
  a.shift_out = 1;  // ADD shifts are <= 0
  CHECK(decode(encode(a)).error == ErrorCode::BadField);
  a = Add{};
  a.mult_b = -1;
  CHECK(decode(encode(a)).error == ErrorCode::BadField);
}

TEST_CASE("configuration checks use the array size and memory sizes", "[golden][smoke]") {
  const Geometry g4 = tb::small_config(4, 4096, 1024, 8).geometry;  // 1024 B acc = 64 rows
  Matmul m;
  m.k = 4;
  m.n = 4;
  CHECK(check(m, g4) == ErrorCode::Ok);
  m.k = 5;
  CHECK(check(m, g4) == ErrorCode::BadDimension);
  m.k = 4;
  m.acc_addr = 63;
  CHECK(check(m, g4) == ErrorCode::Ok);
  m.acc_addr = 64;
  CHECK(check(m, g4) == ErrorCode::AccRange);
  m.acc_addr = 0;
  // Activation rows 1023 and 1023 + ... : (1023 + 0) * 4 + 4 = 4096 bytes: the last byte fits.
  m.act_addr = 1023;
  CHECK(check(m, g4) == ErrorCode::Ok);
  m.m = 2;  // second row at 1024: outside
  CHECK(check(m, g4) == ErrorCode::SpadRange);
  Ppu p;
  p.n = 4;
  p.param_addr = 4;  // records 4..7 of 8
  CHECK(check(p, g4) == ErrorCode::Ok);
  p.param_addr = 5;
  CHECK(check(p, g4) == ErrorCode::ParamRange);
  // The same MATMUL is legal on a 16x16 array.
  Matmul big;
  big.k = 16;
  big.n = 16;
  CHECK(check(big, IsaConfig::from_generated().geometry) == ErrorCode::Ok);
  CHECK(check(big, g4) == ErrorCode::BadDimension);
}

TEST_CASE("the disassembly names the command its tokens and its fields", "[golden][smoke]") {
  Matmul m;
  m.tok = {0x01, 0x02};
  m.accumulate = true;
  m.m = 36;
  m.k = 4;
  m.n = 3;
  m.w_addr = 72;
  CHECK(to_string(m) == "MATMUL wait=0x1 sig=0x2 acc act=0+1 m=36 w=72+1 k=4 n=3 out=0+1");
  CHECK(to_string(End{}) == "END");
  CHECK(to_string(Nop{{0, 0x80}, Queue::Store}) == "NOP wait=0x0 sig=0x80 queue=2");
}

TEST_CASE("without vector ops POOL and ADD are illegal opcodes before any other check",
          "[golden][smoke]") {
  Geometry with = tb::small_config(4, 4096, 1024, 8).geometry;
  Geometry without = with;
  without.vector_ops = false;
  Pool q;
  Add a;
  // Legal commands: fine with the vector path, illegal without it.
  REQUIRE(decode_and_check(encode(q), with).error == ErrorCode::Ok);
  REQUIRE(decode_and_check(encode(a), with).error == ErrorCode::Ok);
  CHECK(decode_and_check(encode(q), without).error == ErrorCode::IllegalOpcode);
  CHECK(decode_and_check(encode(a), without).error == ErrorCode::IllegalOpcode);
  CHECK(check(q, without) == ErrorCode::IllegalOpcode);
  CHECK(check(a, without) == ErrorCode::IllegalOpcode);
  // The opcode check comes first: a reserved bit, a zero count, a bad field or a range error of
  // a POOL / ADD still reports IllegalOpcode, while decode() alone (no configuration) reports the
  // format error.
  Words w = encode(q);
  w[15] = 1;  // reserved word
  CHECK(decode(w).error == ErrorCode::ReservedBits);
  CHECK(decode_and_check(w, without).error == ErrorCode::IllegalOpcode);
  CHECK(decode_and_check(w, with).error == ErrorCode::ReservedBits);
  Add bad = a;
  bad.m = 0;
  CHECK(decode_and_check(encode(bad), without).error == ErrorCode::IllegalOpcode);
  CHECK(decode_and_check(encode(bad), with).error == ErrorCode::BadDimension);
  bad = a;
  bad.shift_a = 1;
  CHECK(decode_and_check(encode(bad), without).error == ErrorCode::IllegalOpcode);
  bad = a;
  bad.dst_addr = 5000;  // beyond the 4096-byte scratchpad
  CHECK(decode_and_check(encode(bad), with).error == ErrorCode::SpadRange);
  CHECK(decode_and_check(encode(bad), without).error == ErrorCode::IllegalOpcode);
  // Every other opcode decodes as with the vector path.
  for (unsigned op = 0; op < 256; ++op) {
    Words x{};
    x[0] = op;
    INFO("opcode 0x" << std::hex << op);
    if (op == 0x13 || op == 0x14) continue;
    CHECK(decode_and_check(x, without).error == decode_and_check(x, with).error);
  }
  // The simulator traps on the first POOL of a program under a configuration without vector ops.
  IsaConfig cfg = tb::small_config();
  cfg.geometry.vector_ops = false;
  IsaSim sim(cfg, tb::kDramBase, 4096);
  const RunStatus st = sim.run(std::vector<Command>{Nop{}, q, End{}});
  CHECK(st.code == ErrorCode::IllegalOpcode);
  CHECK(st.failing_index == 1);
  // The generated configuration takes its values from nuri/config.hpp.
  const IsaConfig gen = IsaConfig::from_generated();
  CHECK(gen.geometry.param_entries == nuri::cfg::kParamEntries);
  CHECK(gen.queue_depth == nuri::cfg::kQueueDepth);
  CHECK(gen.geometry.vector_ops == (nuri::cfg::kVectorOps != 0));
}

// Nuri command set: one C++ struct per command, the 64-byte binary encoding (16 little-endian
// 32-bit words) and decoding with validation. The normative description is docs/isa.md; every bit
// position there is the one encode() below writes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace nuri::isa {

inline constexpr unsigned kCommandWords = 16;  // 64 bytes per command
inline constexpr unsigned kNumTokens = 8;      // counting semaphores
inline constexpr unsigned kTokenMax = 255;     // 8-bit counters
inline constexpr unsigned kParamRecordBytes = 16;
inline constexpr unsigned kMaxPoolKernel = 16;

using Words = std::array<std::uint32_t, kCommandWords>;

// Opcodes: bits [5:4] name the queue (0 load, 1 compute, 2 store, 3 control), bits [7:6] are 0.
// Every value not listed is illegal; 0x00 is illegal on purpose (a zeroed ring entry traps).
enum class Opcode : std::uint8_t {
  Load = 0x01,
  LoadNop = 0x0F,
  Matmul = 0x11,
  Ppu = 0x12,
  Pool = 0x13,
  Add = 0x14,
  ComputeNop = 0x1F,
  Store = 0x21,
  StoreNop = 0x2F,
  Fence = 0x31,
  End = 0x3F,
};

enum class Queue : std::uint8_t { Load = 0, Compute = 1, Store = 2 };
inline constexpr unsigned kNumQueues = 3;

// Program status / error codes (the value of the STATUS CSR's code field).
enum class ErrorCode : std::uint8_t {
  Ok = 0,
  IllegalOpcode = 1,  // decode: opcode not in the table
  ReservedBits = 2,   // decode: a reserved bit or a reserved field value is set
  BadDimension = 3,   // decode: a count is zero or larger than allowed, empty pool window
  BadField = 4,       // decode: inconsistent field values (act_min > act_max, shift range, ...)
  SpadRange = 5,      // decode: scratchpad address or extent out of range
  AccRange = 6,       // decode: accumulator address or extent out of range
  ParamRange = 7,     // decode: parameter memory address or extent out of range
  NoEnd = 8,          // fetch: the program ended without END
  DramWindow = 9,     // exec (DMA): a touched DRAM byte lies outside [base, limit)
  BusSlverr = 10,     // exec (DMA): the bus answered SLVERR
  BusDecerr = 11,     // exec (DMA): the bus answered DECERR (nothing mapped there)
  ParamValue = 12,  // exec (PPU): a parameter record has multiplier < 0 or shift outside [-31, 30]
  TokenOverflow = 13,  // exec: a signal would take a token counter past 255
  Deadlock = 14,       // every queue waits on a token that nothing can signal any more
};
const char* to_string(ErrorCode e);

// Token operations of a command: bit t of `wait` = wait for token t (> 0) and take one before
// starting; bit t of `signal` = give one to token t after the command's effects are complete.
struct Tokens {
  std::uint8_t wait = 0, signal = 0;
  auto tie() const { return std::tie(wait, signal); }
};

// Local memory spaces a LOAD writes / a STORE reads. Local addresses are byte addresses.
enum class Space : std::uint8_t { Spad = 0, Acc = 1, Param = 2 };

// The DMA descriptor of LOAD and STORE (npu_dma_pkg::desc_t, docs/dma.md): element (i2, i1, i0),
// 0 <= ik < len[k], has tensor coordinate tk = start[k] + ik; it is in the tensor when 0 <= tk <
// size[k] for all k. DRAM byte dram_addr + t2*dram_stride2 + t1*dram_stride1 + t0; local byte
// lcl_addr + i2*lcl_stride2 + i1*lcl_stride1 + i0. LOAD writes `pad` for elements outside the
// tensor; STORE skips them.
struct DmaDesc {
  std::uint64_t dram_addr = 0;  // 40 bits
  std::uint32_t dram_stride1 = 0, dram_stride2 = 0;
  std::uint32_t lcl_addr = 0;                      // 24 bits
  std::uint32_t lcl_stride1 = 0, lcl_stride2 = 0;  // 24 bits
  std::array<std::uint32_t, 3> size{1, 1, 1};      // 24 bits each
  std::array<std::int32_t, 3> start{0, 0, 0};      // 25-bit signed each
  std::array<std::uint32_t, 3> len{1, 1, 1};       // 24 bits each, >= 1
  auto tie() const {
    return std::tie(dram_addr, dram_stride1, dram_stride2, lcl_addr, lcl_stride1, lcl_stride2, size,
                    start, len);
  }
};

struct Load {
  Tokens tok;
  Space space = Space::Spad;
  DmaDesc desc;
  std::uint8_t pad = 0;  // fill byte for elements outside the tensor
  auto tie() const { return std::tuple_cat(tok.tie(), std::tie(space, pad), desc.tie()); }
};

struct Store {
  Tokens tok;
  Space space = Space::Spad;
  DmaDesc desc;
  auto tie() const { return std::tuple_cat(tok.tie(), std::tie(space), desc.tie()); }
};

// A command that only waits and signals, executed in order in `queue`.
struct Nop {
  Tokens tok;
  Queue queue = Queue::Compute;
  auto tie() const { return std::tuple_cat(tok.tie(), std::tie(queue)); }
};

// acc[acc_addr + m*acc_stride][n] (=|+=) sum_{k<K} A[m][k] * W[k][n] for m < M, n < Cols, where
// A[m][k] = spad byte (act_addr + m*act_stride)*Rows + k, W[k][n] = spad byte
// (w_addr + k*w_stride)*Rows + n for n < N and 0 for n >= N. Addresses in rows.
struct Matmul {
  Tokens tok;
  bool accumulate = false;
  std::uint32_t act_addr = 0, act_stride = 1;  // spad rows (24 bits)
  std::uint32_t m = 1;                         // 16 bits, >= 1
  std::uint32_t w_addr = 0, w_stride = 1;      // spad rows (24 bits)
  std::uint32_t k = 1, n = 1;                  // 16 bits each; 1..Rows, 1..Cols
  std::uint32_t acc_addr = 0, acc_stride = 1;  // acc rows (24 bits)
  auto tie() const {
    return std::tuple_cat(tok.tie(), std::tie(accumulate, act_addr, act_stride, m, w_addr, w_stride,
                                              k, n, acc_addr, acc_stride));
  }
};

enum class RoundingBit : std::uint8_t { Double = 0, Single = 1 };

// spad byte (dst_addr + m*dst_stride)*Rows + n := requantize(acc[acc_addr + m*acc_stride][n] +
// bias[p], mult[p], shift[p], zp_out, act_min, act_max, rounding), p = param_addr + n, n < N.
struct Ppu {
  Tokens tok;
  RoundingBit rounding = RoundingBit::Double;
  std::uint32_t acc_addr = 0, acc_stride = 1;  // acc rows (24 bits)
  std::uint32_t m = 1, n = 1;                  // 16 bits each
  std::uint32_t dst_addr = 0, dst_stride = 1;  // spad rows (24 bits)
  std::uint32_t param_addr = 0;                // parameter records (24 bits)
  std::int8_t zp_out = 0, act_min = -128, act_max = 127;
  auto tie() const {
    return std::tuple_cat(tok.tie(), std::tie(rounding, acc_addr, acc_stride, m, n, dst_addr,
                                              dst_stride, param_addr, zp_out, act_min, act_max));
  }
};

enum class PoolMode : std::uint8_t { Max = 0, Avg = 1 };

// Pooling over an in_h x in_w image of pixels; pixel (y, x) = `lanes` bytes of spad row
// src + y*src_line + x*src_pixel. Output pixel (oy, ox) goes to dst + oy*dst_line + ox*dst_pixel.
struct Pool {
  Tokens tok;
  PoolMode mode = PoolMode::Max;
  std::uint32_t src = 0;                         // spad row (24 bits)
  std::uint32_t src_pixel = 1, src_line = 1;     // spad rows (16 bits each)
  std::uint32_t in_h = 1, in_w = 1;              // 16 bits each
  std::uint32_t dst = 0;                         // spad row (24 bits)
  std::uint32_t dst_pixel = 1, dst_line = 1;     // spad rows (16 bits each)
  std::uint32_t out_h = 1, out_w = 1;            // 16 bits each
  std::uint32_t kh = 1, kw = 1, sh = 1, sw = 1;  // 8 bits each; kernel 1..16, stride >= 1
  std::uint32_t pad_top = 0, pad_left = 0;       // 8 bits each
  std::uint32_t lanes = 1;                       // 16 bits; 1..Rows
  std::int8_t act_min = -128, act_max = 127;
  auto tie() const {
    return std::tuple_cat(tok.tie(), std::tie(mode, src, src_pixel, src_line, in_h, in_w, dst,
                                              dst_pixel, dst_line, out_h, out_w, kh, kw, sh, sw,
                                              pad_top, pad_left, lanes, act_min, act_max));
  }
};

// TFLite int8 element-wise add on M rows of `lanes` bytes (docs/isa.md has the recipe).
struct Add {
  Tokens tok;
  RoundingBit rounding = RoundingBit::Double;
  std::uint32_t a_addr = 0, b_addr = 0, dst_addr = 0;        // spad rows (24 bits)
  std::uint32_t a_stride = 1, b_stride = 1, dst_stride = 1;  // spad rows (16 bits)
  std::uint32_t m = 1, lanes = 1;                            // 16 bits each
  std::uint32_t left_shift = 20;                             // 8-bit field, 0..31
  std::int8_t zp_a = 0, zp_b = 0, zp_out = 0;
  std::int32_t mult_a = 0, mult_b = 0, mult_out = 0;    // >= 0
  std::int8_t shift_a = 0, shift_b = 0, shift_out = 0;  // -31..0
  std::int8_t act_min = -128, act_max = 127;
  auto tie() const {
    return std::tuple_cat(
        tok.tie(), std::tie(rounding, a_addr, b_addr, dst_addr, a_stride, b_stride, dst_stride, m,
                            lanes, left_shift, zp_a, zp_b, zp_out, mult_a, mult_b, mult_out,
                            shift_a, shift_b, shift_out, act_min, act_max));
  }
};

struct Fence {
  auto tie() const { return std::tuple<>(); }
};
struct End {
  auto tie() const { return std::tuple<>(); }
};

using Command = std::variant<Load, Store, Nop, Matmul, Ppu, Pool, Add, Fence, End>;

template <typename T, typename = decltype(std::declval<const T&>().tie())>
bool operator==(const T& a, const T& b) {
  return a.tie() == b.tie();
}

Opcode opcode_of(const Command& c);
// The queue a command executes in; Fence and End are handled by the dispatcher (returns false).
bool queue_of(const Command& c, Queue* q);
Tokens tokens_of(const Command& c);
const char* name_of(const Command& c);
// One-line disassembly, e.g. "MATMUL wait=0x1 sig=0x2 acc act=0+1 m=36 w=72+1 k=4 n=3 out=0+1".
std::string to_string(const Command& c);

// Encoding. Fields wider than their bit field are truncated (encode never fails).
Words encode(const Command& c);
std::vector<std::uint32_t> encode_program(const std::vector<Command>& program);

// Array and memory sizes the configuration-dependent checks use.
struct Geometry {
  std::uint32_t rows = 16, cols = 16;
  std::uint64_t spad_bytes = 262144, acc_bytes = 65536;
  std::uint32_t param_entries = 1024;
  // POOL and ADD are implemented (npu_pkg::VectorOps). When false they are illegal opcodes.
  bool vector_ops = true;
  std::uint64_t acc_rows() const { return acc_bytes / (std::uint64_t{cols} * 4); }
};

struct Decoded {
  ErrorCode error = ErrorCode::Ok;
  Command command = End{};
};

// Format checks, independent of the configuration: opcode, reserved bits and reserved field
// values, zero or oversized counts, inconsistent field values.
Decoded decode(const Words& w);
// Configuration-dependent checks: POOL and ADD without vector_ops (IllegalOpcode), K <= Rows,
// N <= Cols, lanes <= Rows, every local extent inside its memory. Returns Ok or the error.
ErrorCode check(const Command& c, const Geometry& g);
// What the command processor's decoder does for each fetched command: decode() then check(),
// except that the configuration's opcode check (POOL / ADD without vector_ops -> IllegalOpcode)
// comes first, before the format checks, as every opcode check does.
Decoded decode_and_check(const Words& w, const Geometry& g);
// True if the opcode byte names a command this configuration implements.
bool opcode_legal(std::uint8_t opcode, const Geometry& g);

}  // namespace nuri::isa

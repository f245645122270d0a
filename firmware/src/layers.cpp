// Layer compiler: conv2d / fully connected -> tiled, double-buffered command programs.
//
// A convolution is the sum over kernel taps (ky, kx) and input-channel tiles of 1x1 convolutions
// on shifted, strided input windows (docs/isa.md "Lowering a convolution"). The output is cut into
// M blocks of block_h x block_w pixels (bounded by the accumulator rows and the scratchpad) and
// n-tiles of up to Cols channels; per (n-tile, M block) = one "job":
//   for each tap, k-tile: LOAD window -> buffer b, LOAD weight tile -> buffer b, MATMUL (acc +=
//   ...) then PPU (accumulators -> int8 output buffer o) and STORE (output buffer -> DRAM).
// Input buffers, output buffers and accumulator regions alternate (double buffering) so the DMA
// and the array overlap; tokens order every reuse. Programs are cut to fit the ring; each program
// starts with fresh credits and ends with END (local memories, i.e. partial sums, persist).
#include "nuri/fw/layers.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace nuri::fw {

namespace g = nuri::golden;
using namespace nuri::isa;

namespace {

// Tokens (docs/isa.md: one consumer queue per token).
constexpr std::uint8_t kInFull = 1u << 0;     // load -> compute: window + weights in buffer
constexpr std::uint8_t kInFree = 1u << 1;     // compute -> load: input buffer may be reused
constexpr std::uint8_t kOutFull = 1u << 2;    // compute -> store: output tile ready
constexpr std::uint8_t kOutFree = 1u << 3;    // store -> compute: output buffer may be reused
constexpr std::uint8_t kParams = 1u << 4;     // load -> compute: parameter chunk loaded
constexpr std::uint8_t kParamFree = 1u << 5;  // compute -> load: parameter memory may be reused

constexpr std::int64_t kMax24 = (1 << 24) - 1;
constexpr std::int64_t kMaxStart = (1 << 24) - 1;  // 25-bit signed start fields
constexpr std::int64_t kMax32 = 0xFFFF'FFFFll;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return a <= 0 ? 0 : (a + b - 1) / b; }

// One dimension of a shifted, strided window: tensor coordinate t stands for image coordinate
// s*t + residue; output o reads image coordinate s*o + off.
struct Dim {
  std::int64_t start;
  std::int64_t size;
  std::int64_t residue;
};
Dim window_dim(std::int64_t off, std::int64_t extent, std::int64_t s) {
  const std::int64_t start = floor_div(off, s);
  const std::int64_t residue = off - start * s;
  return {start, ceil_div(extent - residue, s), residue};
}

class Emitter {
 public:
  Emitter(std::uint32_t max_cmds, std::uint32_t in_bufs, std::uint32_t out_bufs, CompiledLayer* out)
      : max_(max_cmds), nin_(in_bufs), nout_(out_bufs), out_(out) {
    open();
  }
  // Makes room for n more commands (plus END) in the current program.
  void ensure(std::size_t n) {
    if (cur_.size() + n + 1 > max_) {
      close();
      open();
    }
  }
  // At the start of a job of n commands: begin a new program if the job does not fit in the
  // current one but would fit in an empty one (partial sums then stay inside one program).
  void start_job(std::size_t n) {
    if (cur_.size() + n + 1 > max_ && nop_count_ + n + 1 <= max_ && cur_.size() > nop_count_) {
      close();
      open();
    }
  }
  void push(const Command& c) { cur_.push_back(c); }
  // Parameter chunk handling for the next PPU: returns the extra wait mask for that PPU.
  std::uint8_t need_params(std::int64_t chunk, const Load& chunk_load) {
    if (chunk == chunk_) return 0;
    Load l = chunk_load;
    l.tok = {0, kParams};
    if (chunk_ >= 0) {
      std::get<Ppu>(cur_[last_ppu_]).tok.signal |= kParamFree;
      l.tok.wait = kParamFree;
    }
    push(l);
    chunk_ = chunk;
    return kParams;
  }
  void push_ppu(const Ppu& p) {
    last_ppu_ = cur_.size();
    push(p);
  }
  void finish() {
    if (cur_.size() > nop_count_) close();
  }

 private:
  void open() {
    cur_.clear();
    chunk_ = -1;
    const std::uint32_t nops = std::max(nin_, nout_);
    for (std::uint32_t i = 0; i < nops; ++i) {
      const std::uint8_t sig =
          static_cast<std::uint8_t>((i < nin_ ? kInFree : 0) | (i < nout_ ? kOutFree : 0));
      cur_.emplace_back(Nop{{0, sig}, Queue::Compute});
    }
    nop_count_ = cur_.size();
  }
  void close() {
    cur_.emplace_back(End{});
    out_->commands += cur_.size();
    out_->programs.push_back(encode_program(cur_));
    cur_.clear();
  }

  std::uint32_t max_, nin_, nout_;
  CompiledLayer* out_;
  std::vector<Command> cur_;
  std::size_t nop_count_ = 0, last_ppu_ = 0;
  std::int64_t chunk_ = -1;
};

bool fits(std::int64_t v, std::int64_t max) { return v >= 0 && v <= max; }

}  // namespace

Status compile_conv(const HwInfo& hw, const ConvGeometry& gm, const LayerAddrs& addrs,
                    std::uint32_t max_program_commands, CompiledLayer* out, std::string* why) {
  auto fail = [&](Status s, const std::string& msg) {
    if (why) *why = msg;
    return s;
  };
  *out = CompiledLayer{};
  if (gm.in_h < 1 || gm.in_w < 1 || gm.cin < 1 || gm.cout < 1 || gm.kh < 1 || gm.kw < 1 ||
      gm.stride_h < 1 || gm.stride_w < 1 || gm.dil_h < 1 || gm.dil_w < 1 || gm.out_h < 1 ||
      gm.out_w < 1) {
    return fail(Status::InvalidLayer, "layer dimensions, strides and dilations must be >= 1");
  }
  if (gm.input_zero_point < -128 || gm.input_zero_point > 127 || gm.output_zero_point < -128 ||
      gm.output_zero_point > 127) {
    return fail(Status::InvalidLayer, "zero points must be in [-128, 127]");
  }
  if (gm.act_min < -128 || gm.act_max > 127 || gm.act_min > gm.act_max) {
    return fail(Status::InvalidLayer, "activation clamp must satisfy -128 <= min <= max <= 127");
  }
  const std::int64_t R = hw.rows, C = hw.cols, SR = hw.spad_rows(), AR = hw.acc_rows();
  const std::int64_t P = hw.param_entries;
  if (R < 1 || C < 1 || SR < 1 || AR < 1 || P < 1) {
    return fail(Status::BadConfig, "NPU reports an empty array or memory");
  }
  if (max_program_commands < 12) {
    return fail(Status::BadConfig, "ring too small (need at least 12 commands per program)");
  }
  const std::int64_t H = gm.in_h, W = gm.in_w, Cin = gm.cin, Cout = gm.cout;
  const std::int64_t OH = gm.out_h, OW = gm.out_w, taps = std::int64_t{gm.kh} * gm.kw;
  const std::int64_t CW = ceil_div(C, R);  // scratchpad rows per weight row / output pixel
  const std::int64_t NW = std::min(C, P);  // channels per n-tile
  const std::int64_t n_tiles = ceil_div(Cout, NW), chunk_tiles = P / NW;
  const std::int64_t k_tiles = ceil_div(Cin, R);
  // Small Cin: pack tpg taps into the K dimension of one MATMUL (tap j at lanes j*Cin..).
  // (A step of tpg window LOADs + weight LOAD + MATMUL must fit a program with its NOPs and END.)
  const std::int64_t tpg =
      2 * Cin <= R ? std::max<std::int64_t>(
                         1, std::min({R / Cin, taps, std::int64_t{max_program_commands} - 8}))
                   : 1;
  const std::int64_t steps_per_job = ceil_div(taps, tpg) * k_tiles;
  const std::int64_t KW0 = std::min(R, tpg * Cin);  // reduction rows of one weight tile
  const std::int64_t WT = KW0 * CW;                 // scratchpad rows of one weight tile
  const std::int64_t M = OH * OW;

  // Encoding limits of the DMA descriptors.
  if (!fits(Cin, kMax24) || !fits(Cout, kMax24) || !fits(taps, kMax24) || !fits(H, kMax24) ||
      !fits(W, kMax24) || !fits(OH, kMax24) || !fits(OW, kMax24) ||
      !fits(std::int64_t{gm.stride_h} * W * Cin, kMax32) || !fits(Cin * Cout, kMax32) ||
      !fits(OW * Cout, kMax32) || !fits(Cout * 16, kMax24) ||
      !fits(H + gm.kh * gm.dil_h, kMaxStart) || !fits(W + gm.kw * gm.dil_w, kMaxStart) ||
      !fits(SR, kMax24) || !fits(AR, kMax24)) {
    return fail(Status::TooLarge, "layer dimensions exceed the command encoding");
  }

  // Buffering: prefer double-buffered inputs and outputs; fall back when the scratchpad is small.
  struct Choice {
    std::int64_t nin, nout, mb;
  };
  std::vector<Choice> choices;
  for (auto [nin, nout] : {std::pair<std::int64_t, std::int64_t>{2, 2}, {2, 1}, {1, 1}}) {
    const std::int64_t avail = SR - nin * WT;
    std::int64_t mb = avail <= 0 ? 0 : avail / (nin + nout * CW);
    mb = std::min({mb, M, AR, std::int64_t{65535}});
    choices.push_back({nin, nout, mb});
  }
  Choice ch = choices[0];
  bool found = false;
  for (const Choice& c : choices) {
    if (c.mb >= 1 && c.mb >= std::min(M, R)) {
      ch = c;
      found = true;
      break;
    }
  }
  if (!found) {
    for (const Choice& c : choices) {
      if (c.mb > ch.mb) ch = c;
    }
  }
  if (ch.mb < 1) {
    return fail(Status::BadConfig, "scratchpad too small for one weight tile and one pixel");
  }
  const std::int64_t bw = std::min(OW, ch.mb);
  const std::int64_t bh = std::min(OH, ch.mb / bw);
  const std::int64_t mbe = bw * bh;
  const std::int64_t nacc = 2 * mbe <= AR ? 2 : 1;
  const std::int64_t blocks_y = ceil_div(OH, bh), blocks_x = ceil_div(OW, bw);

  TilePlan& plan = out->plan;
  plan.block_h = static_cast<std::uint32_t>(bh);
  plan.block_w = static_cast<std::uint32_t>(bw);
  plan.m_blocks = static_cast<std::uint32_t>(blocks_y * blocks_x);
  plan.n_width = static_cast<std::uint32_t>(NW);
  plan.n_tiles = static_cast<std::uint32_t>(n_tiles);
  plan.k_tiles = static_cast<std::uint32_t>(k_tiles);
  plan.taps = static_cast<std::uint32_t>(taps);
  plan.taps_per_step = static_cast<std::uint32_t>(tpg);
  plan.param_chunk_tiles = static_cast<std::uint32_t>(chunk_tiles);
  plan.in_buffers = static_cast<std::uint32_t>(ch.nin);
  plan.out_buffers = static_cast<std::uint32_t>(ch.nout);
  plan.acc_buffers = static_cast<std::uint32_t>(nacc);
  plan.spad_rows_used = static_cast<std::uint32_t>(ch.nin * (mbe + WT) + ch.nout * mbe * CW);
  plan.acc_rows_used = static_cast<std::uint32_t>(nacc * mbe);

  // Scratchpad layout (rows): input windows, weight tiles, output tiles. Accumulator: regions.
  auto act_row = [&](std::int64_t b) { return static_cast<std::uint32_t>(b * mbe); };
  auto w_row = [&](std::int64_t b) { return static_cast<std::uint32_t>(ch.nin * mbe + b * WT); };
  auto out_row = [&](std::int64_t o) {
    return static_cast<std::uint32_t>(ch.nin * (mbe + WT) + o * mbe * CW);
  };
  auto acc_row = [&](std::int64_t a) { return static_cast<std::uint32_t>(a * mbe); };
  const auto u32 = [](std::int64_t v) { return static_cast<std::uint32_t>(v); };
  const auto zp_byte = static_cast<std::uint8_t>(static_cast<std::int8_t>(gm.input_zero_point));

  Emitter em(max_program_commands, u32(ch.nin), u32(ch.nout), out);
  std::int64_t step = 0, job = 0;
  for (std::int64_t nt = 0; nt < n_tiles; ++nt) {
    const std::int64_t n = std::min(NW, Cout - nt * NW);
    const std::int64_t chunk = nt / chunk_tiles;
    const std::int64_t chunk_first = chunk * chunk_tiles * NW;
    const std::int64_t chunk_records = std::min(chunk_tiles * NW, Cout - chunk_first);
    Load pload;
    pload.space = Space::Param;
    pload.desc.dram_addr = addrs.params + std::uint64_t(chunk_first) * kParamRecordBytes;
    pload.desc.lcl_addr = 0;
    pload.desc.size = {u32(chunk_records * kParamRecordBytes), 1, 1};
    pload.desc.len = pload.desc.size;
    for (std::int64_t by = 0; by < blocks_y; ++by) {
      for (std::int64_t bx = 0; bx < blocks_x; ++bx, ++job) {
        const std::int64_t oy0 = by * bh, ox0 = bx * bw;
        const std::int64_t bhh = std::min(bh, OH - oy0), bww = std::min(bw, OW - ox0);
        const std::int64_t m = bhh * bww;
        const std::int64_t a = job % nacc, o = job % ch.nout;
        em.start_job(static_cast<std::size_t>(steps_per_job * (tpg + 2) + 3));
        bool first = true;
        // One step = one MATMUL over k = ntap * kc reduction lanes: ntap taps packed side by
        // side (lane offset j * Cin, only when 2 * Cin <= Rows), or one tap's k-tile kt.
        for (std::int64_t t0 = 0; t0 < taps; t0 += tpg) {
          const std::int64_t ntap = std::min(tpg, taps - t0);
          for (std::int64_t kt = 0; kt < k_tiles; ++kt, ++step) {
            const std::int64_t b = step % ch.nin;
            const std::int64_t kc = std::min(R, Cin - kt * R);  // lanes of one tap
            const std::int64_t k = ntap * kc;
            em.ensure(static_cast<std::size_t>(ntap + 2));
            for (std::int64_t j = 0; j < ntap; ++j) {
              const std::int64_t ky = (t0 + j) / gm.kw, kx = (t0 + j) % gm.kw;
              const Dim dy = window_dim(ky * gm.dil_h - gm.pad_top, H, gm.stride_h);
              const Dim dx = window_dim(kx * gm.dil_w - gm.pad_left, W, gm.stride_w);
              Load win;
              win.tok = {static_cast<std::uint8_t>(j == 0 ? kInFree : 0), 0};
              win.pad = zp_byte;
              DmaDesc& d = win.desc;
              d.dram_addr = addrs.input + std::uint64_t(dy.residue * W + dx.residue) * Cin;
              d.dram_stride1 = u32(gm.stride_w * Cin);
              d.dram_stride2 = u32(gm.stride_h * W * Cin);
              d.size = {u32(Cin), u32(dx.size), u32(dy.size)};
              d.start = {static_cast<std::int32_t>(kt * R),
                         static_cast<std::int32_t>(dx.start + ox0),
                         static_cast<std::int32_t>(dy.start + oy0)};
              d.len = {u32(kc), u32(bww), u32(bhh)};
              d.lcl_addr = u32(act_row(b) * R + j * kc);
              d.lcl_stride1 = u32(R);
              d.lcl_stride2 = u32(bww * R);
              em.push(win);
            }
            // Weight rows of the ntap taps are consecutive in HWIO: one LOAD (dim 2 = tap).
            Load wt;
            wt.tok = {0, kInFull};
            DmaDesc& e = wt.desc;
            e.dram_addr = addrs.weights;
            e.dram_stride1 = u32(Cout);
            e.dram_stride2 = u32(Cin * Cout);
            e.size = {u32(Cout), u32(Cin), u32(taps)};
            e.start = {static_cast<std::int32_t>(nt * NW), static_cast<std::int32_t>(kt * R),
                       static_cast<std::int32_t>(t0)};
            e.len = {u32(n), u32(kc), u32(ntap)};
            e.lcl_addr = u32(w_row(b) * R);
            e.lcl_stride1 = u32(CW * R);
            e.lcl_stride2 = u32(kc * CW * R);
            em.push(wt);
            Matmul mm;
            mm.tok = {kInFull, kInFree};
            mm.accumulate = !first;
            mm.act_addr = act_row(b);
            mm.act_stride = 1;
            mm.m = u32(m);
            mm.w_addr = w_row(b);
            mm.w_stride = u32(CW);
            mm.k = u32(k);
            mm.n = u32(n);
            mm.acc_addr = acc_row(a);
            mm.acc_stride = 1;
            em.push(mm);
            first = false;
          }
        }
        em.ensure(3);
        Ppu p;
        p.tok.wait = static_cast<std::uint8_t>(kOutFree | em.need_params(chunk, pload));
        p.tok.signal = kOutFull;
        p.rounding = gm.rounding == g::Rounding::Single ? RoundingBit::Single : RoundingBit::Double;
        p.acc_addr = acc_row(a);
        p.acc_stride = 1;
        p.m = u32(m);
        p.n = u32(n);
        p.dst_addr = out_row(o);
        p.dst_stride = u32(CW);
        p.param_addr = u32((nt % chunk_tiles) * NW);
        p.zp_out = static_cast<std::int8_t>(gm.output_zero_point);
        p.act_min = static_cast<std::int8_t>(gm.act_min);
        p.act_max = static_cast<std::int8_t>(gm.act_max);
        em.push_ppu(p);
        Store st;
        st.tok = {kOutFull, kOutFree};
        DmaDesc& d = st.desc;
        d.dram_addr = addrs.output;
        d.dram_stride1 = u32(Cout);
        d.dram_stride2 = u32(OW * Cout);
        d.size = {u32(Cout), u32(OW), u32(OH)};
        d.start = {static_cast<std::int32_t>(nt * NW), static_cast<std::int32_t>(ox0),
                   static_cast<std::int32_t>(oy0)};
        d.len = {u32(n), u32(bww), u32(bhh)};
        d.lcl_addr = u32(out_row(o) * R);
        d.lcl_stride1 = u32(CW * R);
        d.lcl_stride2 = u32(bww * CW * R);
        em.push(st);
      }
    }
  }
  em.finish();
  return Status::Ok;
}

std::vector<std::uint8_t> pack_weights_hwio(const g::TensorI8& w) {
  const std::int64_t cout = w.dim(0), kh = w.dim(1), kw = w.dim(2), cin = w.dim(3);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(cout * kh * kw * cin));
  for (std::int64_t c = 0; c < cout; ++c) {
    for (std::int64_t y = 0; y < kh; ++y) {
      for (std::int64_t x = 0; x < kw; ++x) {
        for (std::int64_t i = 0; i < cin; ++i) {
          out[static_cast<std::size_t>(((y * kw + x) * cin + i) * cout + c)] =
              static_cast<std::uint8_t>(w.at4(c, y, x, i));
        }
      }
    }
  }
  return out;
}

std::vector<std::uint8_t> pack_param_records(const g::TensorI8& w, const g::TensorI32* bias,
                                             std::int32_t zp_in, const g::OutputQuant& q) {
  const std::int64_t cout = w.dim(0);
  const std::size_t per = w.data.size() / static_cast<std::size_t>(cout);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(cout) * kParamRecordBytes, 0);
  for (std::int64_t c = 0; c < cout; ++c) {
    std::uint32_t wsum = 0;
    for (std::size_t i = 0; i < per; ++i) {
      wsum +=
          static_cast<std::uint32_t>(std::int32_t{w.data[static_cast<std::size_t>(c) * per + i]});
    }
    const std::uint32_t b =
        (bias ? static_cast<std::uint32_t>(bias->data[static_cast<std::size_t>(c)]) : 0u) -
        static_cast<std::uint32_t>(zp_in) * wsum;
    const std::size_t qi = q.multiplier.size() == 1 ? 0 : static_cast<std::size_t>(c);
    const auto mult = static_cast<std::uint32_t>(q.multiplier[qi]);
    std::uint8_t* r = &out[static_cast<std::size_t>(c) * kParamRecordBytes];
    for (unsigned i = 0; i < 4; ++i) {
      r[i] = static_cast<std::uint8_t>(b >> (8 * i));
      r[4 + i] = static_cast<std::uint8_t>(mult >> (8 * i));
    }
    r[8] = static_cast<std::uint8_t>(static_cast<std::int8_t>(q.shift[qi]));
  }
  return out;
}

Status conv_geometry(const g::TensorI8& input, const g::TensorI8& weights, const g::TensorI32* bias,
                     const g::ConvParams& p, ConvGeometry* gm, std::string* why) {
  auto fail = [&](const std::string& msg) {
    if (why) *why = msg;
    return Status::InvalidLayer;
  };
  if (input.rank() != 4 || input.dim(0) != 1) return fail("input must be [1, H, W, Cin]");
  if (weights.rank() != 4) return fail("weights must be [Cout, KH, KW, Cin]");
  if (weights.dim(3) != input.dim(3)) {
    return fail("weights have " + std::to_string(weights.dim(3)) + " input channels, input has " +
                std::to_string(input.dim(3)));
  }
  const std::int64_t cout = weights.dim(0);
  if (input.dim(1) < 1 || input.dim(2) < 1 || input.dim(3) < 1 || cout < 1 || weights.dim(1) < 1 ||
      weights.dim(2) < 1) {
    return fail("empty tensor");
  }
  if (bias && (bias->rank() != 1 || bias->dim(0) != cout)) {
    return fail("bias must be [" + std::to_string(cout) + "]");
  }
  const g::OutputQuant& q = p.quant;
  const std::size_t nq = q.multiplier.size();
  if (nq == 0 || nq != q.shift.size() || (nq != 1 && nq != static_cast<std::size_t>(cout))) {
    return fail("output multiplier / shift must have 1 or Cout entries");
  }
  for (std::size_t i = 0; i < nq; ++i) {
    if (q.multiplier[i] < 0) return fail("output multiplier must be >= 0");
    if (q.shift[i] < -31 || q.shift[i] > 30) return fail("output shift must be in [-31, 30]");
  }
  if (p.stride_h < 1 || p.stride_w < 1) return fail("stride must be >= 1");
  if (p.dilation_h < 1 || p.dilation_w < 1) return fail("dilation must be >= 1");
  g::PaddedDims pd;
  try {
    pd = g::compute_padding(p.pad_mode, p.pad, static_cast<int>(input.dim(1)),
                            static_cast<int>(input.dim(2)), static_cast<int>(weights.dim(1)),
                            static_cast<int>(weights.dim(2)), p.stride_h, p.stride_w, p.dilation_h,
                            p.dilation_w);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  ConvGeometry& o = *gm;
  o.in_h = static_cast<int>(input.dim(1));
  o.in_w = static_cast<int>(input.dim(2));
  o.cin = static_cast<int>(input.dim(3));
  o.cout = static_cast<int>(cout);
  o.kh = static_cast<int>(weights.dim(1));
  o.kw = static_cast<int>(weights.dim(2));
  o.stride_h = p.stride_h;
  o.stride_w = p.stride_w;
  o.dil_h = p.dilation_h;
  o.dil_w = p.dilation_w;
  o.pad_top = pd.pad.top;
  o.pad_left = pd.pad.left;
  o.out_h = pd.out_h;
  o.out_w = pd.out_w;
  o.input_zero_point = p.input_zero_point;
  o.output_zero_point = q.output_zero_point;
  o.act_min = q.act_min;
  o.act_max = q.act_max;
  o.rounding = q.rounding;
  if (o.input_zero_point < -128 || o.input_zero_point > 127) {
    return fail("input zero point must be in [-128, 127]");
  }
  if (o.output_zero_point < -128 || o.output_zero_point > 127) {
    return fail("output zero point must be in [-128, 127]");
  }
  if (o.act_min < -128 || o.act_max > 127 || o.act_min > o.act_max) {
    return fail("activation clamp must satisfy -128 <= min <= max <= 127");
  }
  return Status::Ok;
}

Status run_conv2d(Npu& npu, const g::TensorI8& input, const g::TensorI8& weights,
                  const g::TensorI32* bias, const g::ConvParams& params, g::TensorI8* out,
                  LayerStats* stats, const ProgressFn& progress) {
  LayerStats local;
  LayerStats& s = stats ? *stats : local;
  s = LayerStats{};
  if (!npu.probed()) {
    npu.set_error("layer run before a successful probe()");
    return Status::NotProbed;
  }
  ConvGeometry gm;
  std::string why;
  if (const Status st = conv_geometry(input, weights, bias, params, &gm, &why); st != Status::Ok) {
    npu.set_error("conv2d: " + why);
    return st;
  }
  s.macs = gm.macs();
  DramAllocator& dram = npu.dram();
  const std::uint64_t mark = dram.mark();
  const std::uint64_t out_bytes = std::uint64_t(gm.out_h) * gm.out_w * gm.cout;
  LayerAddrs la;
  const std::vector<std::uint8_t> wb = pack_weights_hwio(weights);
  const std::vector<std::uint8_t> pb =
      pack_param_records(weights, bias, params.input_zero_point, params.quant);
  if (!dram.alloc(input.data.size(), 64, &la.input) || !dram.alloc(wb.size(), 64, &la.weights) ||
      !dram.alloc(pb.size(), 64, &la.params) || !dram.alloc(out_bytes, 64, &la.output)) {
    dram.release(mark);
    npu.set_error("conv2d: tensors do not fit in device DRAM (" + std::to_string(dram.available()) +
                  " bytes free)");
    return Status::NoMemory;
  }
  CompiledLayer cl;
  if (const Status st = compile_conv(npu.info(), gm, la, npu.max_program_commands(), &cl, &why);
      st != Status::Ok) {
    dram.release(mark);
    npu.set_error("conv2d: " + why);
    return st;
  }
  s.plan = cl.plan;
  s.commands = cl.commands;
  Hal& hal = npu.hal();
  hal.write_mem(la.input, input.data.data(), input.data.size());
  hal.write_mem(la.weights, wb.data(), wb.size());
  hal.write_mem(la.params, pb.data(), pb.size());
  {
    // Poison the output so that an element the programs fail to write cannot pass by accident.
    const std::vector<std::uint8_t> poison(static_cast<std::size_t>(out_bytes), 0xA5);
    hal.write_mem(la.output, poison.data(), poison.size());
  }
  std::uint64_t done = 0;
  for (std::size_t i = 0; i < cl.programs.size(); ++i) {
    const auto& prog = cl.programs[i];
    ProgressFn pf;
    if (progress) {
      pf = [&](std::uint64_t d, std::uint64_t) { progress(done + d, cl.commands); };
    }
    const RunResult r = npu.run_program(prog, pf);
    s.last = r;
    s.cycles += r.cycles;
    ++s.programs;
    if (!r.ok()) {
      s.failed_program = static_cast<std::uint32_t>(i);
      dram.release(mark);
      npu.set_error("conv2d: program " + std::to_string(i + 1) + "/" +
                    std::to_string(cl.programs.size()) + ": " + npu.last_error());
      return r.status;
    }
    done += prog.size() / kCommandWords;
  }
  *out = g::TensorI8({1, gm.out_h, gm.out_w, gm.cout});
  hal.read_mem(la.output, out->data.data(), out->data.size());
  dram.release(mark);
  return Status::Ok;
}

Status run_fully_connected(Npu& npu, const g::TensorI8& input, const g::TensorI8& weights,
                           const g::TensorI32* bias, const g::FcParams& params, g::TensorI8* out,
                           LayerStats* stats, const ProgressFn& progress) {
  if (input.rank() != 2 || weights.rank() != 2 || input.dim(1) != weights.dim(1)) {
    npu.set_error("fully_connected: input must be [N, K] and weights [Cout, K]");
    return Status::InvalidLayer;
  }
  const std::int64_t N = input.dim(0), K = input.dim(1), cout = weights.dim(0);
  // [N, K] x [Cout, K] is the 1x1 VALID convolution of [1, 1, N, K].
  const g::TensorI8 x({1, 1, N, K}, input.data);
  const g::TensorI8 w({cout, 1, 1, K}, weights.data);
  g::ConvParams cp;
  cp.pad_mode = g::PadMode::Valid;
  cp.input_zero_point = params.input_zero_point;
  cp.quant = params.quant;
  g::TensorI8 y;
  const Status st = run_conv2d(npu, x, w, bias, cp, &y, stats, progress);
  if (st != Status::Ok) {
    std::string e = npu.last_error();
    if (e.rfind("conv2d: ", 0) == 0) e = "fully_connected: " + e.substr(8);
    npu.set_error(e);
    return st;
  }
  *out = g::TensorI8({N, cout}, std::move(y.data));
  return Status::Ok;
}

}  // namespace nuri::fw

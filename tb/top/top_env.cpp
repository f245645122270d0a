#include "top_env.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "nuri/fw/npu_regs.hpp"

namespace nuri::tb::top {

namespace isa = nuri::isa;
namespace regs = nuri::fw::regs;
using L = Layout;

isa::IsaConfig config_for(unsigned array) {
  isa::IsaConfig c;
  switch (array) {
    case 4:
      c = isa::IsaConfig::make(4, 4, 32768, 8192, 1024);
      break;
    case 8:
      c = isa::IsaConfig::make(8, 8, 65536, 16384, 1024);
      break;
    default:
      c = isa::IsaConfig::make(16, 16, 262144, 65536, 1024);
      break;
  }
  c.geometry.vector_ops = false;  // no vector unit in the RTL: POOL and ADD are illegal
  return c;
}

namespace {
constexpr std::uint32_t kRingSlots = 1024;

void write_u32(std::vector<std::uint8_t>& v, std::size_t off, std::uint32_t x) {
  for (int i = 0; i < 4; ++i) v[off + i] = static_cast<std::uint8_t>(x >> (8 * i));
}
}  // namespace

void start_rtl(nuri::rtl::RtlHal& hal, const std::vector<std::uint8_t>& image,
               const std::vector<std::uint32_t>& program, std::uint32_t ring_base_low) {
  if (ring_base_low > 0x3F) throw std::invalid_argument("start_rtl: ring_base_low above bit 5");
  const std::size_t n = program.size() / 16;
  if (n + 1 > kRingSlots) throw std::invalid_argument("run_rtl: program longer than the ring");
  hal.write_mem(L::kBase, image.data(), image.size());
  const std::uint32_t head = hal.read_reg(regs::kRingHead);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t slot = (head + i) % kRingSlots;
    hal.write_mem(L::kRing + 64 * slot, &program[16 * i], 64);
  }
  hal.write_reg(regs::kRingBaseLo, static_cast<std::uint32_t>(L::kRing) | ring_base_low);
  hal.write_reg(regs::kRingBaseHi, static_cast<std::uint32_t>(L::kRing >> 32));
  hal.write_reg(regs::kRingSize, kRingSlots);
  hal.write_reg(regs::kRingTail, static_cast<std::uint32_t>((head + n) % kRingSlots));
  hal.write_reg(regs::kDramBaseLo, static_cast<std::uint32_t>(L::kBase));
  hal.write_reg(regs::kDramBaseHi, static_cast<std::uint32_t>(L::kBase >> 32));
  hal.write_reg(regs::kDramLimitLo, static_cast<std::uint32_t>(L::kBase + L::kBytes));
  hal.write_reg(regs::kDramLimitHi, static_cast<std::uint32_t>((L::kBase + L::kBytes) >> 32));
  hal.write_reg(regs::kIrqEnable, 3);
  hal.write_reg(regs::kCtrl, regs::kCtrlStart);
}

Outcome run_rtl(nuri::rtl::RtlHal& hal, const std::vector<std::uint8_t>& image,
                const std::vector<std::uint32_t>& program, std::uint64_t max_cycles,
                std::uint32_t ring_base_low) {
  const std::uint64_t c0 = hal.cycles();
  start_rtl(hal, image, program, ring_base_low);
  if (!hal.wait_irq(max_cycles)) {
    throw std::runtime_error("run_rtl: no interrupt within " + std::to_string(max_cycles) +
                             " cycles (STATUS = " + std::to_string(hal.read_reg(regs::kStatus)) +
                             ", RING_HEAD = " + std::to_string(hal.read_reg(regs::kRingHead)) +
                             ")");
  }
  Outcome o;
  o.cycles = hal.cycles() - c0;
  const std::uint32_t status = hal.read_reg(regs::kStatus);
  o.code = (status & regs::kStatusErrCodeMask) >> regs::kStatusErrCodeShift;
  o.index = hal.read_reg(regs::kErrIndex);
  hal.write_reg(regs::kIrqStatus, 3);
  o.dram.resize(L::kBytes);
  hal.read_mem(L::kBase, o.dram.data(), o.dram.size());
  return o;
}

Outcome run_isa(const isa::IsaConfig& cfg, const std::vector<std::uint8_t>& image,
                const std::vector<std::uint32_t>& program,
                const std::vector<nuri::rtl::BusError>& bus_errors) {
  isa::IsaSim sim(cfg, L::kBase, L::kBytes);
  sim.write_dram(L::kBase, image);
  sim.set_window(L::kBase, L::kBase + L::kBytes);
  for (const auto& e : bus_errors) sim.add_bus_error({e.lo, e.hi, e.decerr});
  const isa::RunStatus st = sim.run(program);
  Outcome o;
  o.code = static_cast<unsigned>(st.code);
  o.index = st.failing_index;
  o.dram = sim.read_dram(L::kBase, L::kBytes);
  return o;
}

std::vector<std::uint8_t> random_image(std::mt19937_64& rng, std::uint32_t param_entries) {
  std::vector<std::uint8_t> img(L::kBytes, 0);
  std::uniform_int_distribution<int> byte(0, 255);
  for (std::uint64_t a = L::kIn - L::kBase; a < L::kIn - L::kBase + L::kInBytes; ++a) {
    img[a] = static_cast<std::uint8_t>(byte(rng));
  }
  for (std::uint64_t a = L::kOut - L::kBase; a < L::kBytes; ++a) {
    img[a] = static_cast<std::uint8_t>(byte(rng));
  }
  for (std::uint32_t p = 0; p < param_entries; ++p) {
    const std::size_t off = L::kParams - L::kBase + 16 * std::size_t{p};
    const bool realistic = (rng() & 1) != 0;
    const auto bias = static_cast<std::uint32_t>(
        realistic ? std::uniform_int_distribution<int>(-5000, 5000)(rng) : rng());
    const auto mult = static_cast<std::uint32_t>(
        realistic ? std::uniform_int_distribution<std::int32_t>(1 << 30, 0x7FFF'FFFF)(rng)
                  : std::uniform_int_distribution<std::int32_t>(0, 0x7FFF'FFFF)(rng));
    const int shift = realistic ? std::uniform_int_distribution<int>(-12, 1)(rng)
                                : std::uniform_int_distribution<int>(-31, 30)(rng);
    write_u32(img, off, bias);
    write_u32(img, off + 4, mult);
    img[off + 8] = static_cast<std::uint8_t>(static_cast<std::int8_t>(shift));
    for (int i = 9; i < 16; ++i) img[off + i] = static_cast<std::uint8_t>(byte(rng));
  }
  return img;
}

namespace {

struct Gen {
  std::mt19937_64& rng;
  const isa::IsaConfig& cfg;

  std::uint32_t uni(std::uint32_t lo, std::uint32_t hi) {
    return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng);
  }
  std::int32_t sint(std::int32_t lo, std::int32_t hi) {
    return std::uniform_int_distribution<std::int32_t>(lo, hi)(rng);
  }
  bool coin(unsigned pct) { return uni(0, 99) < pct; }

  std::uint64_t space_bytes(isa::Space s) const {
    const auto& g = cfg.geometry;
    switch (s) {
      case isa::Space::Spad:
        return g.spad_bytes;
      case isa::Space::Acc:
        return g.acc_rows() * g.cols * 4;
      default:
        return std::uint64_t{g.param_entries} * 16;
    }
  }

  // A random 3-D window over a random tensor in [region, region + bytes) with a local footprint
  // inside `lcl_bytes`. Windows stick out of the tensor on any side (padding / skipped elements).
  isa::DmaDesc window(std::uint64_t region, std::uint64_t bytes, std::uint64_t lcl_bytes) {
    isa::DmaDesc d;
    const std::uint32_t max0 = static_cast<std::uint32_t>(std::min<std::uint64_t>(64, lcl_bytes));
    d.len[0] = uni(1, max0);
    d.len[1] = uni(1, 6);
    d.len[2] = uni(1, 3);
    d.lcl_stride1 = coin(20) ? uni(0, d.len[0]) : d.len[0] + uni(0, 20);
    d.lcl_stride2 = d.len[1] * d.lcl_stride1 + uni(0, 40);
    std::uint64_t ext = std::uint64_t{d.len[2] - 1} * d.lcl_stride2 +
                        std::uint64_t{d.len[1] - 1} * d.lcl_stride1 + d.len[0];
    while (ext > lcl_bytes) {  // shrink until it fits (small local memories)
      d.len[2] = 1;
      d.len[1] = 1;
      ext = d.len[0];
    }
    d.lcl_addr = static_cast<std::uint32_t>(uni(0, static_cast<std::uint32_t>(lcl_bytes - ext)));
    for (int k = 0; k < 3; ++k) {
      d.size[k] = coin(5) ? 0 : uni(1, k == 0 ? 80 : 8);
      const std::int32_t sz = static_cast<std::int32_t>(d.size[k]);
      d.start[k] = coin(60) ? sint(0, std::max(0, sz - static_cast<std::int32_t>(d.len[k])))
                            : sint(-static_cast<std::int32_t>(d.len[k]) - 2, sz + 2);
    }
    d.dram_stride1 = d.size[0] + uni(0, 48);
    d.dram_stride2 = d.size[1] * d.dram_stride1 + uni(0, 64);
    const std::uint64_t span = std::uint64_t{d.size[2]} * d.dram_stride2 + d.dram_stride1 + 64;
    d.dram_addr = region + uni(0, static_cast<std::uint32_t>(bytes > span ? bytes - span : 0));
    return d;
  }

  isa::Command load() {
    isa::Load l;
    const unsigned s = uni(0, 9);
    l.space = s < 7 ? isa::Space::Spad : s < 9 ? isa::Space::Acc : isa::Space::Param;
    if (l.space == isa::Space::Param) {  // whole records of valid parameters
      const std::uint32_t entries = cfg.geometry.param_entries;
      const std::uint32_t cnt = uni(1, std::min<std::uint32_t>(entries, 64));
      const std::uint32_t p0 = uni(0, entries - cnt);
      const std::uint32_t src = uni(0, entries - cnt);
      l.desc.dram_addr = Layout::kParams + 16ull * src;
      l.desc.size = {16 * cnt, 1, 1};
      l.desc.len = {16 * cnt, 1, 1};
      l.desc.lcl_addr = 16 * p0;
      l.desc.lcl_stride1 = 16 * cnt;
      l.desc.lcl_stride2 = 16 * cnt;
    } else {
      l.desc = window(Layout::kIn, Layout::kInBytes, space_bytes(l.space));
      l.pad = static_cast<std::uint8_t>(uni(0, 255));
    }
    return l;
  }

  isa::Command store() {
    isa::Store st;
    const unsigned s = uni(0, 9);
    st.space = s < 6 ? isa::Space::Spad : s < 9 ? isa::Space::Acc : isa::Space::Param;
    st.desc = window(Layout::kOut, Layout::kOutBytes, space_bytes(st.space));
    return st;
  }

  isa::Command matmul() {
    const auto& g = cfg.geometry;
    const std::uint32_t spad_rows = static_cast<std::uint32_t>(g.spad_bytes / g.rows);
    const auto acc_rows = static_cast<std::uint32_t>(g.acc_rows());
    isa::Matmul m;
    m.accumulate = coin(50);
    m.k = coin(50) ? g.rows : uni(1, g.rows);
    m.n = coin(50) ? g.cols : uni(1, g.cols);
    m.m = coin(10) ? 1 : uni(1, 60);
    m.act_stride = coin(10) ? 0 : uni(1, 3);
    m.w_stride = uni(1, 3);
    m.acc_stride = coin(10) ? 0 : uni(1, 2);
    m.act_addr = uni(0, spad_rows - 1 - (m.m - 1) * m.act_stride);
    m.w_addr = uni(0, spad_rows - 1 - (m.k - 1) * m.w_stride);
    m.acc_addr = uni(0, acc_rows - 1 - (m.m - 1) * m.acc_stride);
    return m;
  }

  isa::Command ppu() {
    const auto& g = cfg.geometry;
    const std::uint32_t spad_rows = static_cast<std::uint32_t>(g.spad_bytes / g.rows);
    const auto acc_rows = static_cast<std::uint32_t>(g.acc_rows());
    isa::Ppu p;
    p.rounding = coin(50) ? isa::RoundingBit::Single : isa::RoundingBit::Double;
    p.n = coin(50) ? g.cols : uni(1, g.cols);
    p.m = uni(1, 60);
    p.acc_stride = coin(10) ? 0 : uni(1, 2);
    p.dst_stride = coin(10) ? 0 : uni(1, 3);
    p.acc_addr = uni(0, acc_rows - 1 - (p.m - 1) * p.acc_stride);
    p.dst_addr = uni(0, spad_rows - 1 - (p.m - 1) * p.dst_stride);
    p.param_addr = uni(0, g.param_entries - p.n);
    p.zp_out = static_cast<std::int8_t>(sint(-128, 127));
    std::int32_t lo = sint(-128, 127), hi = sint(-128, 127);
    if (lo > hi) std::swap(lo, hi);
    if (coin(40)) {
      lo = -128;
      hi = 127;
    }
    p.act_min = static_cast<std::int8_t>(lo);
    p.act_max = static_cast<std::int8_t>(hi);
    return p;
  }
};

// Race-free chaining: command i gives one to the token of the queue of command i + 1, which
// waits for it. Only that command can take it: everything before it in its queue has completed
// (the chain), and everything after it is behind it in the same in-order queue.
isa::Tokens* tokens(isa::Command& c) {
  if (auto* x = std::get_if<isa::Load>(&c)) return &x->tok;
  if (auto* x = std::get_if<isa::Store>(&c)) return &x->tok;
  if (auto* x = std::get_if<isa::Matmul>(&c)) return &x->tok;
  if (auto* x = std::get_if<isa::Ppu>(&c)) return &x->tok;
  if (auto* x = std::get_if<isa::Nop>(&c)) return &x->tok;
  return nullptr;
}

isa::Load whole(isa::Space s, std::uint64_t src, std::uint64_t bytes) {
  isa::Load l;
  l.space = s;
  // rows of 256 bytes so every extent stays in the 24-bit fields
  const auto rows = static_cast<std::uint32_t>(bytes / 256);
  l.desc.dram_addr = src;
  l.desc.size = {256, rows, 1};
  l.desc.len = {256, rows, 1};
  l.desc.dram_stride1 = 256;
  l.desc.dram_stride2 = 256 * rows;
  l.desc.lcl_addr = 0;
  l.desc.lcl_stride1 = 256;
  l.desc.lcl_stride2 = 256 * rows;
  return l;
}

isa::Store dump(isa::Space s, std::uint64_t dst, std::uint64_t bytes) {
  const isa::Load l = whole(s, dst, bytes);
  isa::Store st;
  st.space = s;
  st.desc = l.desc;
  return st;
}

}  // namespace

std::vector<isa::Command> random_program(std::mt19937_64& rng, const isa::IsaConfig& cfg,
                                         unsigned n) {
  Gen g{rng, cfg};
  const auto& geo = cfg.geometry;
  const std::uint64_t spad = geo.spad_bytes, acc = geo.acc_rows() * geo.cols * 4,
                      par = std::uint64_t{geo.param_entries} * 16;
  std::vector<isa::Command> p;
  // Initialise the local memories (scratchpad from the source data, accumulators from it too,
  // parameters from the valid records).
  p.push_back(
      whole(isa::Space::Spad, Layout::kIn, std::min<std::uint64_t>(spad, Layout::kInBytes)));
  p.push_back(whole(isa::Space::Acc, Layout::kIn, acc));
  p.push_back(whole(isa::Space::Param, Layout::kParams, par));
  // NURI_TOP_KINDS (debugging aid): restrict the mix to some of l(oad) s(tore) m(atmul) p(pu)
  // n(op) f(ence), e.g. NURI_TOP_KINDS=lm.
  const char* kinds_env = std::getenv("NURI_TOP_KINDS");
  const std::string kinds = kinds_env != nullptr && *kinds_env != '\0' ? kinds_env : "lsmpnf";
  const auto allowed = [&](unsigned k) {
    const char c = k < 25 ? 'l' : k < 45 ? 's' : k < 70 ? 'm' : k < 90 ? 'p' : k < 96 ? 'n' : 'f';
    return kinds.find(c) != std::string::npos;
  };
  for (unsigned i = 0; i < n; ++i) {
    unsigned k = g.uni(0, 99);
    while (!allowed(k)) k = g.uni(0, 99);
    if (k < 25) {
      p.push_back(g.load());
    } else if (k < 45) {
      p.push_back(g.store());
    } else if (k < 70) {
      p.push_back(g.matmul());
    } else if (k < 90) {
      p.push_back(g.ppu());
    } else if (k < 96) {
      isa::Nop nop;
      nop.queue = static_cast<isa::Queue>(g.uni(0, 2));
      p.push_back(nop);
    } else {
      p.push_back(isa::Fence{});
    }
  }
  p.push_back(dump(isa::Space::Spad, Layout::kDump, spad));
  p.push_back(dump(isa::Space::Acc, Layout::kDump + spad, acc));
  p.push_back(dump(isa::Space::Param, Layout::kDump + spad + acc, par));
  isa::Tokens* prev = nullptr;
  for (auto& c : p) {
    isa::Tokens* t = tokens(c);
    isa::Queue q;
    if (t == nullptr || !isa::queue_of(c, &q)) continue;  // FENCE
    const auto bit = static_cast<std::uint8_t>(1u << static_cast<unsigned>(q));
    if (prev != nullptr) {
      prev->signal = bit;
      t->wait = bit;
    }
    prev = t;
  }
  p.push_back(isa::End{});
  return p;
}

}  // namespace nuri::tb::top

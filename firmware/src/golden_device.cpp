// GoldenDevice: CSR-level model of the NPU around nuri::isa::IsaSim (CSR map: regmap / docs).
#include "nuri/fw/golden_device.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "nuri/config.hpp"
#include "regs.hpp"

namespace nuri::fw {

namespace {
constexpr std::uint64_t lo32(std::uint64_t v) { return v & 0xFFFF'FFFFull; }
constexpr std::uint64_t set_lo(std::uint64_t v, std::uint32_t x) {
  return (v & ~0xFFFF'FFFFull) | x;
}
constexpr std::uint64_t set_hi8(std::uint64_t v, std::uint32_t x) {
  return (v & 0xFFFF'FFFFull) | (std::uint64_t{x & 0xFFu} << 32);
}
}  // namespace

GoldenDevice::GoldenDevice(const isa::IsaConfig& config, std::uint64_t dram_base,
                           std::uint64_t dram_bytes)
    : sim_(config, dram_base, dram_bytes) {
  sim_.set_window(0, 0);  // DRAM_BASE / DRAM_LIMIT reset to 0: every DMA access is refused
  static_assert(kNumPerfCounters == regs::kNumPerf);
}

std::uint32_t GoldenDevice::read_reg(std::uint32_t offset) {
  using namespace regs;
  const isa::Geometry& g = sim_.config().geometry;
  switch (offset) {
    case kId:
      return kIdValue;
    case kVersion:
      return kVersionMajor << 16;
    case kHwArray:
      return (g.rows & 0xFFFFu) | (g.cols << 16);
    case kHwSpadBytes:
      return static_cast<std::uint32_t>(g.spad_bytes);
    case kHwAccBytes:
      return static_cast<std::uint32_t>(g.acc_bytes);
    case kHwParams:
      return (g.param_entries & 0xFFFFu) | ((sim_.config().queue_depth & 0xFFu) << 16) |
             (((nuri::cfg::kAxiDataW / 8) & 0xFFu) << 24);
    case kHwFeatures:
      return 0;  // no vector unit in this build: POOL / ADD are not offered
    case kCtrl:
      return 0;
    case kIrqEnable:
      return irq_enable_;
    case kIrqStatus:
      return irq_status_;
    case kStatus:
      return status_;
    case kErrIndex:
      return err_index_;
    case kRingBaseLo:
      return static_cast<std::uint32_t>(lo32(ring_base_));
    case kRingBaseHi:
      return static_cast<std::uint32_t>(ring_base_ >> 32);
    case kRingSize:
      return ring_size_;
    case kRingHead:
      return ring_head_;
    case kRingTail:
      return ring_tail_;
    case kDramBaseLo:
      return static_cast<std::uint32_t>(lo32(dram_lo_));
    case kDramBaseHi:
      return static_cast<std::uint32_t>(dram_lo_ >> 32);
    case kDramLimitLo:
      return static_cast<std::uint32_t>(lo32(dram_hi_));
    case kDramLimitHi:
      return static_cast<std::uint32_t>(dram_hi_ >> 32);
    default:
      break;
  }
  if (offset >= kPerfBase && offset < kPerfBase + kPerfStride * kNumPerf && (offset & 3u) == 0) {
    const unsigned i = (offset - kPerfBase) / kPerfStride;
    return static_cast<std::uint32_t>((offset & 4u) ? perf_[i] >> 32 : lo32(perf_[i]));
  }
  return 0;  // unmapped (the bus would answer SLVERR)
}

void GoldenDevice::write_reg(std::uint32_t offset, std::uint32_t value) {
  using namespace regs;
  switch (offset) {
    case kCtrl:
      if (value & kCtrlSoftReset) soft_reset();
      if (value & kCtrlPerfClear) perf_.fill(0);
      if ((value & kCtrlStart) && !(status_ & kStatusBusy)) start();
      break;
    case kIrqEnable:
      irq_enable_ = value & (kIrqDone | kIrqError);
      break;
    case kIrqStatus:
      irq_status_ &= ~(value & (kIrqDone | kIrqError));
      break;
    case kRingBaseLo:
      ring_base_ = set_lo(ring_base_, value);
      break;
    case kRingBaseHi:
      ring_base_ = set_hi8(ring_base_, value);
      break;
    case kRingSize:
      ring_size_ = value & 0x1FFFFu;
      break;
    case kRingTail:
      ring_tail_ = value & 0xFFFFu;
      break;
    case kDramBaseLo:
      dram_lo_ = set_lo(dram_lo_, value);
      break;
    case kDramBaseHi:
      dram_lo_ = set_hi8(dram_lo_, value);
      break;
    case kDramLimitLo:
      dram_hi_ = set_lo(dram_hi_, value);
      break;
    case kDramLimitHi:
      dram_hi_ = set_hi8(dram_hi_, value);
      break;
    default:
      break;  // read-only or unmapped: ignored
  }
  if (offset >= kDramBaseLo && offset <= kDramLimitHi) sim_.set_window(dram_lo_, dram_hi_);
}

void GoldenDevice::soft_reset() {
  status_ = 0;
  err_index_ = 0;
  irq_status_ = 0;
  ring_head_ = ring_tail_;
}

void GoldenDevice::start() {
  using namespace regs;
  ++starts_;
  status_ = kStatusBusy;
  const std::uint32_t size = ring_size_;
  const std::uint32_t count = size == 0 ? 0 : (ring_tail_ + size - ring_head_ % size) % size;
  // Fetch: commands head .. tail (wrapping), stopping after the first END opcode (commands after
  // END are not fetched). A slot outside the DRAM image answers DECERR.
  std::vector<std::uint32_t> words;
  words.reserve(std::size_t{count} * isa::kCommandWords);
  std::uint32_t fetched = 0;
  bool fetch_error = false;
  const std::uint64_t img_lo = sim_.dram_base(), img_hi = img_lo + sim_.dram().size();
  while (fetched < count) {
    const std::uint64_t a = (ring_base_ & ~0x3Full) + 64ull * ((ring_head_ + fetched) % size);
    if (a < img_lo || a + 64 > img_hi) {
      fetch_error = true;
      break;
    }
    const auto bytes = sim_.read_dram(a, 64);
    std::uint32_t w[isa::kCommandWords];
    std::memcpy(w, bytes.data(), 64);
    words.insert(words.end(), w, w + isa::kCommandWords);
    ++fetched;
    if ((w[0] & 0xFFu) == static_cast<std::uint32_t>(isa::Opcode::End)) break;
  }
  const isa::RunStatus st = sim_.run(words, run_opts_);
  isa::ErrorCode code = st.code;
  std::uint32_t index = st.failing_index;
  if (fetch_error && code == isa::ErrorCode::NoEnd && index == fetched) {
    code = isa::ErrorCode::BusDecerr;
  }
  std::uint32_t consumed = fetched;
  if (code != isa::ErrorCode::Ok) consumed = std::min(fetched, index + 1);
  perf_[kPerfFetched] += consumed;
  if (size != 0) ring_head_ = (ring_head_ + consumed) % size;
  if (code == isa::ErrorCode::Ok) {
    status_ = kStatusDone;
    err_index_ = 0;
    irq_status_ |= kIrqDone;
  } else {
    status_ = kStatusError | (static_cast<std::uint32_t>(code) << kStatusErrCodeShift);
    err_index_ = index;
    irq_status_ |= kIrqError;
  }
}

void GoldenDevice::write_mem(std::uint64_t addr, const void* data, std::size_t bytes) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  sim_.write_dram(addr, std::vector<std::uint8_t>(p, p + bytes));
}

void GoldenDevice::read_mem(std::uint64_t addr, void* data, std::size_t bytes) {
  const auto v = sim_.read_dram(addr, bytes);
  if (bytes) std::memcpy(data, v.data(), bytes);
}

bool GoldenDevice::wait_irq(std::uint64_t /*max_cycles*/) {
  return (irq_status_ & irq_enable_) != 0;
}

}  // namespace nuri::fw

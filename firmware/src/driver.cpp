// Nuri driver: probe, DRAM allocator, ring management, program execution, perf counters.
#include "nuri/fw/driver.hpp"

#include <algorithm>
#include <cstdio>

#include "regs.hpp"

namespace nuri::fw {

const char* to_string(Status s) {
  switch (s) {
    case Status::Ok:
      return "ok";
    case Status::NotProbed:
      return "NPU not probed";
    case Status::BadId:
      return "no NPU (bad ID)";
    case Status::BadVersion:
      return "unsupported NPU version";
    case Status::BadConfig:
      return "unusable NPU configuration";
    case Status::NoMemory:
      return "out of device memory";
    case Status::TooLarge:
      return "program or field too large";
    case Status::InvalidLayer:
      return "invalid layer";
    case Status::DeviceError:
      return "device error";
    case Status::Timeout:
      return "timeout";
    case Status::NoStatus:
      return "interrupt without status";
  }
  return "?";
}

static_assert(PerfCounters::kCount == regs::kNumPerf, "perf counter table out of date");

const char* PerfCounters::name(unsigned i) {
  static const char* const kNames[kCount] = {"cycles",       "array",          "dma_rd_bytes",
                                             "dma_wr_bytes", "stall_load",     "stall_compute",
                                             "stall_store",  "stall_dispatch", "fetched"};
  return i < kCount ? kNames[i] : "?";
}

// ---- DRAM allocator ----------------------------------------------------------------------------

void DramAllocator::init(std::uint64_t base, std::uint64_t bytes) {
  base_ = next_ = base;
  limit_ = base + bytes;
}

bool DramAllocator::alloc(std::uint64_t bytes, std::uint64_t align, std::uint64_t* addr) {
  if (align == 0) align = 1;
  const std::uint64_t a = (next_ + align - 1) / align * align;
  if (a < next_ || a > limit_ || bytes > limit_ - a) return false;
  *addr = a;
  next_ = a + bytes;
  return true;
}

void DramAllocator::release(std::uint64_t mark) {
  if (mark >= base_ && mark <= next_) next_ = mark;
}

// ---- Npu ----------------------------------------------------------------------------------------

Npu::Npu(Hal& hal, const NpuOptions& opt) : hal_(hal), opt_(opt) {}

Status Npu::probe() {
  using namespace regs;
  probed_ = false;
  char buf[200];
  const std::uint32_t id = hal_.read_reg(kId);
  if (id != kIdValue) {
    std::snprintf(buf, sizeof buf,
                  "no Nuri NPU: ID register reads 0x%08x, expected 0x%08x (\"NURI\")", id,
                  kIdValue);
    last_error_ = buf;
    return Status::BadId;
  }
  info_ = HwInfo{};
  info_.id = id;
  info_.version = hal_.read_reg(kVersion);
  const std::uint32_t major = (info_.version & kVersionMajorMask) >> kVersionMajorShift;
  if (major != kVersionMajor) {
    std::snprintf(buf, sizeof buf, "unsupported NPU version %u.%u (driver supports %u.x)", major,
                  (info_.version & kVersionMinorMask) >> kVersionMinorShift, kVersionMajor);
    last_error_ = buf;
    return Status::BadVersion;
  }
  const std::uint32_t arr = hal_.read_reg(kHwArray);
  info_.rows = (arr & kHwArrayRowsMask) >> kHwArrayRowsShift;
  info_.cols = (arr & kHwArrayColsMask) >> kHwArrayColsShift;
  info_.spad_bytes = hal_.read_reg(kHwSpadBytes);
  info_.acc_bytes = hal_.read_reg(kHwAccBytes);
  const std::uint32_t params = hal_.read_reg(kHwParams);
  info_.param_entries = (params & kHwParamsParamEntriesMask) >> kHwParamsParamEntriesShift;
  info_.queue_depth = (params & kHwParamsQueueDepthMask) >> kHwParamsQueueDepthShift;
  info_.axi_bytes = (params & kHwParamsAxiBytesMask) >> kHwParamsAxiBytesShift;
  info_.features = hal_.read_reg(kHwFeatures);
  if (info_.rows == 0 || info_.cols == 0 || info_.spad_rows() == 0 || info_.acc_rows() == 0 ||
      info_.param_entries == 0) {
    std::snprintf(buf, sizeof buf,
                  "unusable NPU configuration: array %ux%u, scratchpad %u B, accumulators %u B, "
                  "%u parameter entries",
                  info_.rows, info_.cols, info_.spad_bytes, info_.acc_bytes, info_.param_entries);
    last_error_ = buf;
    return Status::BadConfig;
  }
  ring_slots_ = std::clamp<std::uint32_t>(opt_.ring_slots, 16, 65536);
  dram_.init(hal_.dram_base(), hal_.dram_bytes());
  if (!dram_.alloc(std::uint64_t{ring_slots_} * 64, 64, &ring_addr_)) {
    std::snprintf(buf, sizeof buf, "device DRAM (%llu bytes) too small for a %u-slot ring",
                  static_cast<unsigned long long>(hal_.dram_bytes()), ring_slots_);
    last_error_ = buf;
    return Status::NoMemory;
  }
  hal_.write_reg(kRingBaseLo, static_cast<std::uint32_t>(ring_addr_));
  hal_.write_reg(kRingBaseHi, static_cast<std::uint32_t>(ring_addr_ >> 32) & kRingBaseHiAddrMask);
  hal_.write_reg(kRingSize, ring_slots_);
  hal_.write_reg(kRingTail, 0);
  tail_ = 0;
  const std::uint64_t lo = hal_.dram_base(), hi = hal_.dram_base() + hal_.dram_bytes();
  hal_.write_reg(kDramBaseLo, static_cast<std::uint32_t>(lo));
  hal_.write_reg(kDramBaseHi, static_cast<std::uint32_t>(lo >> 32) & kDramBaseHiAddrMask);
  hal_.write_reg(kDramLimitLo, static_cast<std::uint32_t>(hi));
  hal_.write_reg(kDramLimitHi, static_cast<std::uint32_t>(hi >> 32) & kDramLimitHiAddrMask);
  hal_.write_reg(kIrqEnable, kIrqDone | kIrqError);
  soft_reset();
  if (hal_.read_reg(kRingSize) != ring_slots_ || hal_.read_reg(kRingHead) != 0 ||
      hal_.read_reg(kRingTail) != 0) {
    last_error_ = "ring registers do not hold their values (RING_SIZE / RING_HEAD / RING_TAIL)";
    return Status::BadConfig;
  }
  last_error_.clear();
  probed_ = true;
  return Status::Ok;
}

void Npu::soft_reset() {
  hal_.write_reg(regs::kCtrl, regs::kCtrlSoftReset);
  hal_.write_reg(regs::kIrqStatus, regs::kIrqDone | regs::kIrqError);
}

void Npu::clear_perf() { hal_.write_reg(regs::kCtrl, regs::kCtrlPerfClear); }

std::uint64_t Npu::read_perf_counter(unsigned i) {
  // HI, LO, HI again: retry if the low word wrapped in between.
  for (;;) {
    const std::uint32_t hi = hal_.read_reg(regs::perf_hi(i));
    const std::uint32_t lo = hal_.read_reg(regs::perf_lo(i));
    if (hal_.read_reg(regs::perf_hi(i)) == hi) return (std::uint64_t{hi} << 32) | lo;
  }
}

PerfCounters Npu::read_perf() {
  PerfCounters p;
  for (unsigned i = 0; i < PerfCounters::kCount; ++i) p.v[i] = read_perf_counter(i);
  return p;
}

RunResult Npu::run_program(const std::uint32_t* words, std::size_t commands,
                           const ProgressFn& progress) {
  using namespace regs;
  RunResult r;
  r.commands = static_cast<std::uint32_t>(commands);
  char buf[200];
  if (!probed_) {
    last_error_ = "run_program before a successful probe()";
    r.status = Status::NotProbed;
    return r;
  }
  if (commands == 0 || commands > max_program_commands()) {
    std::snprintf(buf, sizeof buf, "program of %zu commands does not fit a %u-slot ring", commands,
                  ring_slots_);
    last_error_ = buf;
    r.status = Status::TooLarge;
    return r;
  }
  // Write the commands after the tail, in at most two contiguous pieces (wrap-around).
  const std::uint32_t start = tail_;
  std::size_t done = 0;
  while (done < commands) {
    const std::uint32_t slot = static_cast<std::uint32_t>((start + done) % ring_slots_);
    const std::size_t n = std::min<std::size_t>(commands - done, ring_slots_ - slot);
    hal_.write_mem(ring_addr_ + std::uint64_t{slot} * 64, words + done * 16, n * 64);
    done += n;
  }
  tail_ = static_cast<std::uint32_t>((start + commands) % ring_slots_);
  hal_.write_reg(kIrqStatus, kIrqDone | kIrqError);
  hal_.write_reg(kRingTail, tail_);
  const std::uint64_t c0 = hal_.cycles();
  hal_.write_reg(kCtrl, kCtrlStart);

  bool irq = false;
  std::uint64_t waited = 0;
  for (std::uint32_t call = 0; call < opt_.max_wait_calls && waited < opt_.timeout_cycles; ++call) {
    irq = hal_.wait_irq(opt_.wait_chunk_cycles);
    waited += opt_.wait_chunk_cycles;
    if (irq) break;
    if (progress) {
      const std::uint32_t head = hal_.read_reg(kRingHead);
      progress((head + ring_slots_ - start) % ring_slots_, commands);
    }
  }
  r.cycles = hal_.cycles() - c0;
  if (!irq) {
    std::snprintf(buf, sizeof buf,
                  "no interrupt after %llu cycles (RING_HEAD %u, program at slot %u, %zu commands)",
                  static_cast<unsigned long long>(waited), hal_.read_reg(kRingHead), start,
                  commands);
    last_error_ = buf;
    r.status = Status::Timeout;
    soft_reset();
    return r;
  }
  const std::uint32_t status = hal_.read_reg(kStatus);
  r.perf = read_perf();
  if (status & kStatusError) {
    r.status = Status::DeviceError;
    r.error_code = static_cast<std::uint8_t>((status & kStatusErrCodeMask) >> kStatusErrCodeShift);
    r.error_index = hal_.read_reg(kErrIndex);
    std::snprintf(buf, sizeof buf, "NPU error %u at command %u of %zu", r.error_code, r.error_index,
                  commands);
    last_error_ = buf;
    soft_reset();
    return r;
  }
  if (!(status & kStatusDone)) {
    std::snprintf(buf, sizeof buf, "interrupt with STATUS 0x%08x (neither DONE nor ERROR)", status);
    last_error_ = buf;
    r.status = Status::NoStatus;
    soft_reset();
    return r;
  }
  hal_.write_reg(kIrqStatus, kIrqDone | kIrqError);
  if (progress) progress(commands, commands);
  return r;
}

}  // namespace nuri::fw

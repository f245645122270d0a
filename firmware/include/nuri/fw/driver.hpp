// The Nuri driver: probes the NPU through a Hal, manages a DRAM allocator and the command ring,
// runs command programs (ring protocol of docs/programmers-guide.md) and reads perf counters.
// Layer compilation (conv2d, fully connected) is in nuri/fw/layers.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nuri/fw/hal.hpp"

namespace nuri::fw {

enum class Status : std::uint8_t {
  Ok = 0,
  NotProbed,     // probe() has not succeeded yet
  BadId,         // ID register is not "NURI": no NPU at this address
  BadVersion,    // unsupported major version
  BadConfig,     // HW_* registers describe an unusable NPU, or ring registers do not respond
  NoMemory,      // the DRAM allocator is exhausted
  TooLarge,      // a program does not fit in the ring, or a field overflows its encoding
  InvalidLayer,  // a layer description is inconsistent (message in Npu::last_error())
  DeviceError,   // the NPU stopped with an error code (RunResult::error_code / error_index)
  Timeout,       // no interrupt within the time limit (the NPU was soft-reset)
  NoStatus,      // interrupt without DONE or ERROR in STATUS
};
const char* to_string(Status s);

// What the HW_* registers report.
struct HwInfo {
  std::uint32_t id = 0, version = 0;
  std::uint32_t rows = 0, cols = 0;
  std::uint32_t spad_bytes = 0, acc_bytes = 0;
  std::uint32_t param_entries = 0, queue_depth = 0, axi_bytes = 0;
  std::uint32_t features = 0;
  std::uint32_t spad_rows() const { return rows ? spad_bytes / rows : 0; }
  std::uint32_t acc_rows() const { return cols ? acc_bytes / (4 * cols) : 0; }
  bool has_vector() const { return (features & 1u) != 0; }
};

// The perf counters (64-bit each), in CSR order.
struct PerfCounters {
  enum : unsigned {
    kCycles,
    kArray,
    kDmaRdBytes,
    kDmaWrBytes,
    kStallLoad,
    kStallCompute,
    kStallStore,
    kStallDispatch,
    kFetched,
    kCount
  };
  std::array<std::uint64_t, kCount> v{};
  static const char* name(unsigned i);
  std::uint64_t operator[](unsigned i) const { return v[i]; }
};

struct RunResult {
  Status status = Status::Ok;
  std::uint8_t error_code = 0;    // STATUS.ERR_CODE (docs/isa.md codes) when DeviceError
  std::uint32_t error_index = 0;  // ERR_INDEX: program index of the failing command
  std::uint32_t commands = 0;     // commands in the program
  std::uint64_t cycles = 0;       // device cycles from the HAL (0 where unknown)
  PerfCounters perf;              // counters after the run (cumulative since the last clear)
  bool ok() const { return status == Status::Ok; }
};

// Called from the wait loop: done of total commands fetched so far.
using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct NpuOptions {
  std::uint32_t ring_slots = 4096;             // 64-byte command slots (16 .. 65536)
  std::uint64_t wait_chunk_cycles = 1u << 16;  // wait_irq() granularity (progress updates)
  std::uint64_t timeout_cycles = 1ull << 30;   // give up after this many cycles without irq
  std::uint32_t max_wait_calls = 1u << 24;     // also give up after this many wait_irq() calls
};

// Bump allocator over [base, base + bytes) with stack-like release.
class DramAllocator {
 public:
  void init(std::uint64_t base, std::uint64_t bytes);
  // Returns false (and leaves *addr alone) when the region is exhausted.
  bool alloc(std::uint64_t bytes, std::uint64_t align, std::uint64_t* addr);
  std::uint64_t mark() const { return next_; }
  void release(std::uint64_t mark);  // frees everything allocated after mark()
  std::uint64_t base() const { return base_; }
  std::uint64_t used() const { return next_ - base_; }
  std::uint64_t available() const { return limit_ - next_; }

 private:
  std::uint64_t base_ = 0, limit_ = 0, next_ = 0;
};

class Npu {
 public:
  explicit Npu(Hal& hal, const NpuOptions& opt = {});

  // Checks ID and VERSION, reads the HW_* registers, allocates the ring, programs RING_*, the DMA
  // window (the whole HAL DRAM region) and IRQ_ENABLE, soft-resets the NPU.
  Status probe();
  bool probed() const { return probed_; }
  const HwInfo& info() const { return info_; }
  // One line describing the last failure (probe, run, layer).
  const std::string& last_error() const { return last_error_; }

  Hal& hal() { return hal_; }
  DramAllocator& dram() { return dram_; }
  const NpuOptions& options() const { return opt_; }
  std::uint32_t ring_slots() const { return ring_slots_; }
  std::uint64_t ring_addr() const { return ring_addr_; }
  // Largest program run_program() accepts (ring_slots - 1).
  std::uint32_t max_program_commands() const { return ring_slots_ ? ring_slots_ - 1 : 0; }

  // Writes the program (16 words per command) into the ring after RING_TAIL (wrapping), moves
  // RING_TAIL, writes CTRL.START, waits for the interrupt in chunks (calling progress with the
  // commands fetched so far), reads STATUS / ERR_INDEX, clears IRQ_STATUS and reads the perf
  // counters. After an error or a timeout the NPU is soft-reset, so the next program starts clean.
  RunResult run_program(const std::uint32_t* words, std::size_t commands,
                        const ProgressFn& progress = {});
  RunResult run_program(const std::vector<std::uint32_t>& words, const ProgressFn& progress = {}) {
    return run_program(words.data(), words.size() / 16, progress);
  }

  // CTRL.SOFT_RESET: aborts everything, clears STATUS, tokens, queues; RING_HEAD := RING_TAIL.
  // Also clears IRQ_STATUS.
  void soft_reset();
  PerfCounters read_perf();
  void clear_perf();

  void set_error(std::string msg) { last_error_ = std::move(msg); }

 private:
  std::uint64_t read_perf_counter(unsigned i);

  Hal& hal_;
  NpuOptions opt_;
  HwInfo info_;
  DramAllocator dram_;
  bool probed_ = false;
  std::string last_error_;
  std::uint64_t ring_addr_ = 0;
  std::uint32_t ring_slots_ = 0, tail_ = 0;
};

}  // namespace nuri::fw

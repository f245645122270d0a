// Nuri golden ISA simulator: executes a command program (docs/isa.md) on a DRAM image with exact
// semantics. Commands are atomic; the three queues (load, compute, store) and the dispatcher are
// interleaved by a deterministic round-robin or a seeded random schedule, so tests can show that a
// race-free program's result does not depend on the schedule.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "nuri/config.hpp"
#include "nuri/isa/isa.hpp"

namespace nuri::isa {

struct IsaConfig {
  Geometry geometry;
  // Depth of each command queue between the dispatcher and its unit (a full queue stalls the
  // dispatcher, as in hardware). Must be >= 1.
  unsigned queue_depth = 8;

  // The generated default configuration (nuri/config.hpp): array, memory sizes, parameter
  // records, queue depth and whether POOL / ADD exist (VectorOps).
  static IsaConfig from_generated();
  // A configuration with a rows x cols array and the given memory sizes.
  static IsaConfig make(std::uint32_t rows, std::uint32_t cols, std::uint64_t spad_bytes,
                        std::uint64_t acc_bytes, std::uint32_t param_entries = 1024);
};

// A DRAM range [lo, hi) on which the bus answers with an error response.
struct BusErrorRange {
  std::uint64_t lo = 0, hi = 0;
  bool decerr = false;  // false: SLVERR, true: DECERR
};

enum class Schedule : std::uint8_t { RoundRobin, Random };

struct RunOptions {
  RunOptions() = default;
  RunOptions(Schedule sched, std::uint32_t s) : schedule(sched), seed(s) {}
  Schedule schedule = Schedule::RoundRobin;
  std::uint32_t seed = 1;  // for Schedule::Random
  // Called after each command completes (program index, queue), in completion order.
  std::function<void(std::uint32_t, Queue)> on_complete;
};

struct RunStatus {
  ErrorCode code = ErrorCode::Ok;
  std::uint32_t failing_index = 0;  // program index of the failing command (when code != Ok)
  std::uint64_t dispatched = 0;     // commands that left the dispatcher (FENCE/END included)
  std::array<std::uint64_t, kNumQueues> executed{};  // commands completed per queue
  std::array<std::uint8_t, kNumTokens> tokens{};     // token counters at the end
  std::uint64_t steps = 0;
  bool ok() const { return code == ErrorCode::Ok; }
};

class IsaSim {
 public:
  // DRAM image: `dram_bytes` bytes at bus address `dram_base`, zero-filled. The address window
  // (the DRAM_BASE / DRAM_LIMIT CSRs) defaults to the image.
  IsaSim(const IsaConfig& config, std::uint64_t dram_base, std::uint64_t dram_bytes);

  const IsaConfig& config() const { return cfg_; }

  // Address window every LOAD/STORE must stay inside: [base, limit).
  void set_window(std::uint64_t base, std::uint64_t limit);
  void add_bus_error(const BusErrorRange& r) { bus_errors_.push_back(r); }

  // DRAM image access (addresses are bus addresses; outside the image -> std::out_of_range).
  void write_dram(std::uint64_t addr, const std::vector<std::uint8_t>& bytes);
  std::vector<std::uint8_t> read_dram(std::uint64_t addr, std::uint64_t n) const;
  const std::vector<std::uint8_t>& dram() const { return dram_; }
  std::uint64_t dram_base() const { return dram_base_; }

  // Local memories (byte images; the accumulator holds little-endian int32, Cols per row; the
  // parameter memory holds 16-byte records). Exposed for tests and debugging.
  std::vector<std::uint8_t>& spad() { return spad_; }
  std::vector<std::uint8_t>& acc() { return acc_; }
  std::vector<std::uint8_t>& param() { return param_; }
  std::int32_t acc_at(std::uint32_t row, std::uint32_t lane) const;

  // Runs a program (16 words per command). Local memories and DRAM keep their contents between
  // runs; token counters start at zero on every run.
  RunStatus run(const std::vector<std::uint32_t>& program, const RunOptions& opt = {});
  RunStatus run(const std::vector<Command>& program, const RunOptions& opt = {});

 private:
  struct Entry {
    std::uint32_t index;
    Command cmd;
  };
  ErrorCode execute(const Command& c);
  ErrorCode exec_load(const Load& c);
  ErrorCode exec_store(const Store& c);
  void exec_matmul(const Matmul& c);
  ErrorCode exec_ppu(const Ppu& c);
  void exec_pool(const Pool& c);
  void exec_add(const Add& c);
  ErrorCode dram_check(const DmaDesc& d) const;
  std::vector<std::uint8_t>& space(Space s);

  IsaConfig cfg_;
  std::uint64_t dram_base_;
  std::vector<std::uint8_t> dram_;
  std::uint64_t window_base_, window_limit_;
  std::vector<BusErrorRange> bus_errors_;
  std::vector<std::uint8_t> spad_, acc_, param_;
};

}  // namespace nuri::isa

// Reusable AXI4 slave memory model with protocol checker (library nuri_tb_axi; docs/dma.md
// "AXI4 memory model").
//
//   SparseMemory   byte-addressed memory in 4 KiB pages, allocated on first write
//   AxiPort        adapter between a Verilated model's AXI4 master port and plain C++ structs
//   PackedAxiPort  adapter for npu_axi_pkg::axi_req_t / axi_rsp_t packed-struct ports
//   AxiMemory      the slave: latency, bandwidth limit, stalls on every channel, several
//                  transactions in flight, SLVERR/DECERR injection, protocol checking
//
// Clocking (transaction level, matching nuri::tb::Dut): every cycle the test calls drive()
// (slave outputs for the next rising edge), then Dut::eval(), then sample() (reads the master's
// outputs with the clock still low and books the handshakes that happen at the edge), then
// Dut::tick().
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace nuri::tb::axi {

// ------------------------------------------------------------------------------------------------
// Bit access into Verilator's wide signals (arrays of 32-bit words, bit 0 = LSB of word 0).
// ------------------------------------------------------------------------------------------------
std::uint64_t get_bits(const std::uint32_t* words, unsigned lsb, unsigned width);
void set_bits(std::uint32_t* words, unsigned lsb, unsigned width, std::uint64_t value);

// ------------------------------------------------------------------------------------------------
// Sparse memory
// ------------------------------------------------------------------------------------------------
class SparseMemory {
 public:
  static constexpr std::uint64_t kPage = 4096;

  std::uint8_t read(std::uint64_t addr) const;
  void write(std::uint64_t addr, std::uint8_t value);
  void read(std::uint64_t addr, std::uint8_t* out, std::size_t n) const;
  void write(std::uint64_t addr, const std::uint8_t* data, std::size_t n);
  // Fills [addr, addr + n) with bytes from rng.
  void randomize(std::uint64_t addr, std::size_t n, std::mt19937_64& rng);
  std::size_t pages() const { return pages_.size(); }
  void clear() { pages_.clear(); }

 private:
  std::unordered_map<std::uint64_t, std::unique_ptr<std::array<std::uint8_t, kPage>>> pages_;
};

// ------------------------------------------------------------------------------------------------
// Signals of one AXI4 port, seen as plain values.
// ------------------------------------------------------------------------------------------------
struct AxiWidths {
  unsigned id = 4;
  unsigned addr = 40;
  unsigned data = 128;  // bits; a multiple of 8, at most 1024
  unsigned bytes() const { return data / 8; }
};

struct AxChan {
  std::uint32_t id = 0;
  std::uint64_t addr = 0;
  unsigned len = 0;  // beats - 1
  unsigned size = 0;
  unsigned burst = 0;
  unsigned lock = 0, cache = 0, prot = 0, qos = 0, region = 0;
  bool operator==(const AxChan& o) const;
};

struct WChan {
  std::vector<std::uint8_t> data;
  std::vector<bool> strb;
  bool last = false;
  bool operator==(const WChan& o) const {
    return data == o.data && strb == o.strb && last == o.last;
  }
};

// Driven by the master.
struct MasterSignals {
  bool aw_valid = false, w_valid = false, b_ready = false, ar_valid = false, r_ready = false;
  AxChan aw, ar;
  WChan w;
};

// Driven by the slave.
struct SlaveSignals {
  bool aw_ready = false, w_ready = false, ar_ready = false;
  bool b_valid = false;
  std::uint32_t b_id = 0;
  unsigned b_resp = 0;
  bool r_valid = false;
  std::uint32_t r_id = 0;
  std::vector<std::uint8_t> r_data;
  unsigned r_resp = 0;
  bool r_last = false;
};

// Adapter between a Verilated model and the plain signals. A test bench for another top writes
// its own (a few lines) or uses PackedAxiPort.
class AxiPort {
 public:
  virtual ~AxiPort() = default;
  virtual void sample(MasterSignals& m) const = 0;  // read the master's outputs
  virtual void drive(const SlaveSignals& s) = 0;    // write the master's inputs
};

// npu_axi_pkg::axi_req_t (master output) and axi_rsp_t (master input) as packed structs: pass
// the model's signals, e.g. PackedAxiPort(w, dut->mst_req_o.data(), dut->mst_rsp_i.data()).
class PackedAxiPort : public AxiPort {
 public:
  PackedAxiPort(const AxiWidths& w, const std::uint32_t* req, std::uint32_t* rsp);
  void sample(MasterSignals& m) const override;
  void drive(const SlaveSignals& s) override;
  unsigned req_bits() const { return req_bits_; }
  unsigned rsp_bits() const { return rsp_bits_; }

 private:
  struct AxOff {
    unsigned id, addr, len, size, burst, lock, cache, prot, qos, region;
  };
  void read_ax(const AxOff& o, AxChan& c) const;
  AxiWidths w_;
  const std::uint32_t* req_;
  std::uint32_t* rsp_;
  unsigned req_bits_ = 0, rsp_bits_ = 0;
  AxOff aw_{}, ar_{};
  unsigned aw_valid_ = 0, w_data_ = 0, w_strb_ = 0, w_last_ = 0, w_valid_ = 0, b_ready_ = 0;
  unsigned ar_valid_ = 0, r_ready_ = 0;
  unsigned aw_ready_ = 0, ar_ready_ = 0, w_ready_ = 0, b_valid_ = 0, b_id_ = 0, b_resp_ = 0;
  unsigned r_valid_ = 0, r_id_ = 0, r_data_ = 0, r_resp_ = 0, r_last_ = 0;
};

// ------------------------------------------------------------------------------------------------
// Handshake patterns
// ------------------------------------------------------------------------------------------------
struct Stall {
  enum class Kind { None, Periodic, Random };
  Kind kind = Kind::None;
  unsigned period = 4;  // Periodic: stalled for `busy` cycles out of every `period`
  unsigned busy = 1;
  unsigned percent = 30;  // Random: probability (%) of a stalled cycle

  static Stall none() { return {}; }
  static Stall periodic(unsigned period, unsigned busy) {
    return {Kind::Periodic, period, busy, 0};
  }
  static Stall random(unsigned percent) { return {Kind::Random, 4, 1, percent}; }
  bool stalled(std::uint64_t cycle, std::mt19937_64& rng) const;
  std::string name() const;
};

// ------------------------------------------------------------------------------------------------
// The slave
// ------------------------------------------------------------------------------------------------
struct ErrorRange {
  std::uint64_t lo = 0, hi = 0;  // [lo, hi)
  unsigned resp = 2;             // 2 = SLVERR, 3 = DECERR
  bool on_read = true, on_write = true;
};

struct AxiMemoryConfig {
  unsigned read_latency = 0;         // cycles from AR accepted to the first R beat offered
  unsigned write_latency = 0;        // cycles from a burst's last W beat (and its AW) to B offered
  double read_bytes_per_cycle = 0;   // bandwidth limit of R (0: one beat per cycle)
  double write_bytes_per_cycle = 0;  // bandwidth limit of W
  unsigned max_reads = 64;           // AR accepted but not fully answered
  unsigned max_writes = 64;          // AW accepted but B not yet accepted
  Stall aw, w, b, ar, r;             // ready low (aw, w, ar) / valid held back (b, r)
  std::vector<std::uint32_t> allowed_ids;  // IDs the master may use (empty: any)
  std::vector<ErrorRange> errors;
  std::uint64_t seed = 1;
};

struct Transaction {
  bool write = false;
  AxChan ax;
  std::uint64_t cycle = 0;  // cycle of the address handshake
  unsigned resp = 0;
};

class AxiMemory {
 public:
  AxiMemory(const AxiWidths& w, AxiPort& port, AxiMemoryConfig cfg = {});

  SparseMemory& mem() { return mem_; }
  const SparseMemory& mem() const { return mem_; }
  AxiMemoryConfig& config() { return cfg_; }

  void drive();   // before Dut::eval(): outputs for the coming edge
  void sample();  // after Dut::eval(): book this cycle's handshakes, then the clock edge follows

  // Protocol violations seen so far (each with its cycle); tests REQUIRE this to be empty.
  const std::vector<std::string>& violations() const { return violations_; }
  // Every accepted AR and AW, in order.
  const std::vector<Transaction>& log() const { return log_; }
  // Every accepted B response (cycle of the handshake, ID, resp), in order.
  struct BRecord {
    std::uint64_t cycle;
    std::uint32_t id;
    unsigned resp;
  };
  const std::vector<BRecord>& b_log() const { return b_log_; }
  // Every accepted R beat with a non-OKAY response (cycle, ID, resp).
  const std::vector<BRecord>& r_error_log() const { return r_err_log_; }
  void clear_log() {
    log_.clear();
    b_log_.clear();
    r_err_log_.clear();
  }
  bool idle() const;  // nothing in flight
  std::uint64_t cycle() const { return cycle_; }
  std::uint64_t r_beats() const { return r_beats_; }
  std::uint64_t w_beats() const { return w_beats_; }

 private:
  struct ReadBurst {
    AxChan ax;
    unsigned beat = 0;
    std::uint64_t ready_at = 0;
  };
  struct WriteBurst {
    AxChan ax;
    std::uint64_t accepted = 0;
  };
  struct PendingB {
    std::uint32_t id;
    unsigned resp;
    std::uint64_t ready_at;
  };
  void violation(const std::string& what);
  void check_ax(const AxChan& a, const char* ch);
  unsigned error_resp(std::uint64_t lo, std::uint64_t hi, bool write) const;
  std::uint64_t beat_addr(const AxChan& a, unsigned beat) const;
  void complete_writes();

  AxiWidths w_;
  AxiPort& port_;
  AxiMemoryConfig cfg_;
  SparseMemory mem_;
  std::mt19937_64 rng_;
  std::uint64_t cycle_ = 0;
  SlaveSignals out_;
  MasterSignals prev_;  // master outputs of the previous cycle
  SlaveSignals prev_out_;
  std::deque<ReadBurst> reads_;
  std::deque<WriteBurst> aws_;
  std::deque<WChan> wbeats_;
  std::deque<PendingB> bs_;
  unsigned writes_open_ = 0;
  double r_tokens_ = 0, w_tokens_ = 0;
  std::vector<std::string> violations_;
  std::vector<Transaction> log_;
  std::vector<BRecord> b_log_, r_err_log_;
  std::uint64_t r_beats_ = 0, w_beats_ = 0;
};

}  // namespace nuri::tb::axi

// Test environment of npu_csr: a Verilated npu_csr, the inputs the NPU core would drive, and an
// AXI4-Lite master with randomized timing (AW / W / AR valid delays chosen independently, so AW
// and W come in either order or together; B / R back-pressure) that checks the slave's response
// rules on every cycle. Each cycle also records the CTRL pulse outputs and irq_o.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vnpu_csr.h"
#include "nuri/tb/dut.hpp"

namespace nuri::tb::csr {

// AXI4-Lite responses (AXI spec).
inline constexpr unsigned kOkay = 0;
inline constexpr unsigned kSlvErr = 2;

inline constexpr unsigned kNumPerf = 9;  // npu_csr's default NumPerf (CSR map: counters 0..8)

// Bit access into Verilator's wide signals (32-bit words, bit 0 = LSB of word 0).
inline std::uint64_t get_bits(const std::uint32_t* w, unsigned lsb, unsigned width) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    v |= std::uint64_t{(w[b / 32] >> (b % 32)) & 1u} << i;
  }
  return v;
}
inline void set_bits(std::uint32_t* w, unsigned lsb, unsigned width, std::uint64_t value) {
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    const std::uint32_t m = 1u << (b % 32);
    w[b / 32] = ((value >> i) & 1u) != 0 ? (w[b / 32] | m) : (w[b / 32] & ~m);
  }
}  // npu_csr's default NumPerf (CSR map: counters 0..8)

// Bit positions in npu_axi_pkg::lite_req_t and lite_rsp_t (packed: first field = MSB).
namespace req {
inline constexpr unsigned kRReady = 0, kArValid = 1, kArProt = 2, kArAddr = 5, kBReady = 37,
                          kWValid = 38, kWStrb = 39, kWData = 43, kAwValid = 75, kAwProt = 76,
                          kAwAddr = 79;
}  // namespace req
namespace rsp {
inline constexpr unsigned kRResp = 0, kRData = 2, kRValid = 34, kBResp = 35, kBValid = 37,
                          kWReady = 38, kArReady = 39, kAwReady = 40;
}  // namespace rsp

// Handshake timing of the master.
struct Timing {
  const char* name;
  unsigned max_delay;  // AW / W / AR valid come 0..max_delay cycles after the request (random)
  double ready_prob;   // probability that b_ready / r_ready is high in a cycle
};
inline constexpr Timing kEager{"eager", 0, 1.0};
inline constexpr Timing kRandom{"random", 3, 0.5};
inline constexpr Timing kSlow{"slow", 8, 0.15};

// Values on the block's status inputs.
struct Inputs {
  std::uint32_t hw_array = 0, hw_spad_bytes = 0, hw_acc_bytes = 0, hw_params = 0, hw_features = 0;
  bool busy = false, done = false, error = false;
  std::uint8_t err_code = 0;
  std::uint32_t err_index = 0;
  std::uint16_t ring_head = 0;
  std::array<std::uint64_t, kNumPerf> perf{};
};

// Outputs sampled after a clock edge.
struct Sample {
  bool start, soft_reset, perf_clear, irq;
};

struct ReadResult {
  std::uint32_t data;
  unsigned resp;
};

// One write; a delay < 0 is chosen at random from the timing.
struct Write {
  std::uint32_t addr, data;
  unsigned strb = 0xF;
  int aw_delay = -1, w_delay = -1;
};

class CsrEnv {
 public:
  CsrEnv(const Timing& t, std::uint32_t seed, const std::string& tag = "")
      : dut_(tag), timing_(t), rng_(seed) {
    drive();
    dut_.reset();
    trace.clear();
  }

  Vnpu_csr& model() { return dut_.model(); }
  Dut<Vnpu_csr>& dut() { return dut_; }
  std::mt19937& rng() { return rng_; }

  Inputs in;                  // applied before every cycle
  std::vector<Sample> trace;  // one entry per cycle since construction (or since cleared)

  unsigned write(std::uint32_t addr, std::uint32_t data, unsigned strb = 0xF) {
    return write(Write{addr, data, strb});
  }
  unsigned write(const Write& w) {
    unsigned b = 0;
    ReadResult r{};
    transact(&w, nullptr, &b, &r);
    return b;
  }
  ReadResult read(std::uint32_t addr) {
    unsigned b = 0;
    ReadResult r{};
    transact(nullptr, &addr, &b, &r);
    return r;
  }
  // A write and a read in flight at the same time.
  void write_and_read(const Write& w, std::uint32_t raddr, unsigned* bresp, ReadResult* r) {
    transact(&w, &raddr, bresp, r);
  }
  // Reads a register that must answer OKAY.
  std::uint32_t rd(std::uint32_t addr) {
    const ReadResult r = read(addr);
    if (r.resp != kOkay) throw std::runtime_error("read of a mapped register got SLVERR");
    return r.data;
  }

  // Cycles with an idle bus; evt_done / evt_error high in the first of them.
  void idle(unsigned cycles, bool evt_done = false, bool evt_error = false) {
    for (unsigned i = 0; i < cycles; ++i) {
      evt_done_ = i == 0 && evt_done;
      evt_error_ = i == 0 && evt_error;
      cycle();
    }
    evt_done_ = evt_error_ = false;
  }

  // Count of cycles in the trace where the given output was high.
  template <typename F>
  unsigned count(F&& f) const {
    unsigned n = 0;
    for (const Sample& s : trace) n += f(s) ? 1 : 0;
    return n;
  }

 private:
  bool coin(double p) { return std::bernoulli_distribution(p)(rng_); }
  int delay() {
    return static_cast<int>(std::uniform_int_distribution<unsigned>(0, timing_.max_delay)(rng_));
  }
  std::uint32_t junk() { return static_cast<std::uint32_t>(rng_()); }

  // Drives the request for the current cycle from the transaction state (payloads are random
  // while their valid is low) and the status inputs.
  void drive() {
    Vnpu_csr& m = dut_.model();
    std::uint32_t* q = m.lite_req_i.data();
    const bool aw_valid = aw_pending_ && cycle_ >= aw_delay_;
    const bool w_valid = w_pending_ && cycle_ >= w_delay_;
    const bool ar_valid = ar_pending_ && cycle_ >= ar_delay_;
    set_bits(q, req::kAwAddr, 32, aw_valid ? wr_.addr : junk());
    set_bits(q, req::kAwProt, 3, junk());
    set_bits(q, req::kAwValid, 1, aw_valid);
    set_bits(q, req::kWData, 32, w_valid ? wr_.data : junk());
    set_bits(q, req::kWStrb, 4, w_valid ? wr_.strb : junk());
    set_bits(q, req::kWValid, 1, w_valid);
    set_bits(q, req::kBReady, 1, coin(timing_.ready_prob));
    set_bits(q, req::kArAddr, 32, ar_valid ? raddr_ : junk());
    set_bits(q, req::kArProt, 3, junk());
    set_bits(q, req::kArValid, 1, ar_valid);
    set_bits(q, req::kRReady, 1, coin(timing_.ready_prob));

    m.hw_array_i = in.hw_array;
    m.hw_spad_bytes_i = in.hw_spad_bytes;
    m.hw_acc_bytes_i = in.hw_acc_bytes;
    m.hw_params_i = in.hw_params;
    m.hw_features_i = in.hw_features;
    m.busy_i = in.busy;
    m.done_i = in.done;
    m.error_i = in.error;
    m.err_code_i = in.err_code;
    m.err_index_i = in.err_index;
    m.ring_head_i = in.ring_head;
    m.evt_done_i = evt_done_;
    m.evt_error_i = evt_error_;
    for (unsigned i = 0; i < kNumPerf; ++i) set_bits(m.perf_i.data(), 64 * i, 64, in.perf[i]);
  }

  static unsigned bit(std::uint64_t v, unsigned pos, unsigned w = 1) {
    return static_cast<unsigned>((v >> pos) & ((std::uint64_t{1} << w) - 1));
  }

  // One clock cycle: drive, check the response rules, clock, record handshakes and outputs.
  void cycle() {
    drive();
    Vnpu_csr& m = dut_.model();
    m.eval();
    const std::uint32_t* q = m.lite_req_i.data();
    const std::uint64_t r = m.lite_rsp_o;
    const bool b_valid = bit(r, rsp::kBValid), r_valid = bit(r, rsp::kRValid);
    const bool b_ready = get_bits(q, req::kBReady, 1) != 0;
    const bool r_ready = get_bits(q, req::kRReady, 1) != 0;
    const unsigned b_resp = bit(r, rsp::kBResp, 2);
    const std::uint32_t r_data = static_cast<std::uint32_t>(bit(r, rsp::kRData, 32));
    const unsigned r_resp = bit(r, rsp::kRResp, 2);
    // B only for a write whose AW and W were both accepted; R only for an accepted AR.
    if (b_valid && !(b_expected_ && !aw_pending_ && !w_pending_)) fail("B valid without a write");
    if (r_valid && !(r_expected_ && !ar_pending_)) fail("R valid without an accepted AR");
    // A response stays valid and stable until accepted.
    if (b_hold_ && (!b_valid || b_resp != b_hold_resp_)) fail("B dropped or changed before ready");
    if (r_hold_ && (!r_valid || r_data != r_hold_data_ || r_resp != r_hold_resp_)) {
      fail("R dropped or changed before ready");
    }
    const bool aw_hs = get_bits(q, req::kAwValid, 1) && bit(r, rsp::kAwReady);
    const bool w_hs = get_bits(q, req::kWValid, 1) && bit(r, rsp::kWReady);
    const bool ar_hs = get_bits(q, req::kArValid, 1) && bit(r, rsp::kArReady);
    b_hold_ = b_valid && !b_ready;
    b_hold_resp_ = b_resp;
    r_hold_ = r_valid && !r_ready;
    r_hold_data_ = r_data;
    r_hold_resp_ = r_resp;

    dut_.tick();
    ++cycle_;
    trace.push_back(Sample{m.start_o != 0, m.soft_reset_o != 0, m.perf_clear_o != 0, m.irq_o != 0});

    if (aw_hs) aw_pending_ = false;
    if (w_hs) w_pending_ = false;
    if (ar_hs) ar_pending_ = false;
    if (b_valid && b_ready) {
      b_expected_ = false;
      *bresp_ = b_resp;
    }
    if (r_valid && r_ready) {
      r_expected_ = false;
      *rres_ = ReadResult{r_data, r_resp};
    }
  }

  void transact(const Write* w, const std::uint32_t* raddr, unsigned* bresp, ReadResult* rres) {
    cycle_ = 0;
    bresp_ = bresp;
    rres_ = rres;
    if (w != nullptr) {
      wr_ = *w;
      aw_delay_ = w->aw_delay >= 0 ? w->aw_delay : delay();
      w_delay_ = w->w_delay >= 0 ? w->w_delay : delay();
      aw_pending_ = w_pending_ = b_expected_ = true;
    }
    if (raddr != nullptr) {
      raddr_ = *raddr;
      ar_delay_ = delay();
      ar_pending_ = r_expected_ = true;
    }
    while (b_expected_ || r_expected_) {
      if (cycle_ > 1000) fail("AXI4-Lite transaction timed out");
      cycle();
    }
  }

  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("AXI4-Lite: " + what + " (cycle " + std::to_string(dut_.cycles()) +
                             ", timing " + timing_.name + ")");
  }

  Dut<Vnpu_csr> dut_;
  Timing timing_;
  std::mt19937 rng_;
  bool evt_done_ = false, evt_error_ = false;
  // Transaction state.
  int cycle_ = 0, aw_delay_ = 0, w_delay_ = 0, ar_delay_ = 0;
  Write wr_{0, 0};
  std::uint32_t raddr_ = 0;
  bool aw_pending_ = false, w_pending_ = false, ar_pending_ = false;
  bool b_expected_ = false, r_expected_ = false;
  unsigned* bresp_ = nullptr;
  ReadResult* rres_ = nullptr;
  // Response-hold checks.
  bool b_hold_ = false, r_hold_ = false;
  unsigned b_hold_resp_ = 0, r_hold_resp_ = 0;
  std::uint32_t r_hold_data_ = 0;
};

}  // namespace nuri::tb::csr

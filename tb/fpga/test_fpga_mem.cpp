// npu_fpga_mem (AXI4 slave test memory of the FPGA top) against a byte-array model written from
// its header comment: INCR bursts of any length with full-width beats and byte strobes, addresses
// modulo Bytes at any base, one transaction at a time with reads and writes taking turns when
// both wait, OKAY responses carrying the request's ID. A randomized AXI4 master (valid gaps,
// B / R back-pressure) drives it and checks the AXI response rules on every cycle.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vnpu_fpga_mem_1k.h"
#include "nuri/tb/axi.hpp"
#include "nuri/tb/dut.hpp"
#include "nuri/tb/options.hpp"

namespace {

constexpr unsigned kBytes = NURI_npu_fpga_mem_1k_Bytes;  // Bytes parameter (CMakeLists.txt)
constexpr unsigned kBeat = 16;                           // bytes per beat: DataW = 128
constexpr unsigned kWords = kBytes / kBeat;
constexpr unsigned kOkay = 0, kIncr = 1, kSizeFull = 4;

// Bit positions in npu_axi_pkg::axi_req_t / axi_rsp_t (packed structs: first field = MSB). An AW
// or AR channel holds region, qos, prot, cache, lock, burst, size, len, addr, id from bit 0 up.
namespace ax {
constexpr unsigned kBurst = 16, kSize = 18, kLen = 21, kAddr = 29, kId = 69;
}  // namespace ax
namespace req {
constexpr unsigned kRReady = 0, kArValid = 1, kAr = 2, kBReady = 75, kWValid = 76, kWLast = 77,
                   kWStrb = 78, kWData = 94, kAwValid = 222, kAw = 223, kBits = 296;
}  // namespace req
namespace rsp {
constexpr unsigned kRLast = 0, kRResp = 1, kRData = 3, kRId = 131, kRValid = 135, kBResp = 136,
                   kBId = 138, kBValid = 142, kWReady = 143, kArReady = 144, kAwReady = 145;
}  // namespace rsp

using nuri::tb::axi::get_bits;
using nuri::tb::axi::set_bits;

struct Burst {
  std::uint32_t id = 0;
  std::uint64_t addr = 0;  // byte address of the first beat, a multiple of kBeat
  unsigned beats = 1;
  std::vector<std::uint8_t> data;   // writes: beats * kBeat bytes
  std::vector<std::uint16_t> strb;  // writes: one strobe mask per beat
};

// Word of the memory that beat `beat` of a burst lands on (addresses wrap modulo Bytes).
unsigned word_of(const Burst& b, unsigned beat) {
  return static_cast<unsigned>((b.addr % kBytes) / kBeat + beat) % kWords;
}

// Master timing: chance per cycle that an idle AW / W / AR channel raises valid (the gap before
// each request and each W beat), and that b_ready / r_ready is high.
struct Timing {
  const char* name;
  double valid_prob, ready_prob;
};
constexpr Timing kEager{"eager", 1.0, 1.0};
constexpr Timing kRandom{"random", 0.5, 0.5};
constexpr Timing kSlow{"slow", 0.2, 0.2};

class MemEnv {
 public:
  explicit MemEnv(const Timing& t) : dut_(t.name), t_(t), rng_(nuri::tb::seed()) {
    drive();
    dut_.reset();
  }

  std::mt19937& rng() { return rng_; }
  void write(const Burst& b) { wr_.push_back(Wr{b, false, 0}); }
  void read(const Burst& b) { rd_.push_back(Rd{b, false, 0, {}, {}}); }

  // Runs until every queued burst has been answered, then idles: nothing more may come.
  void run() {
    std::uint64_t beats = 0;
    for (const Wr& w : wr_) beats += w.b.beats;
    for (const Rd& r : rd_) beats += r.b.beats;
    const std::uint64_t limit = dut_.cycles() + 1000 + 50 * beats;
    while (!wr_.empty() || !rd_.empty()) {
      if (dut_.cycles() > limit) {
        fail("timeout: " + std::to_string(wr_.size()) + " writes and " +
             std::to_string(rd_.size()) + " reads unanswered (handshake stuck?)");
      }
      cycle();
    }
    for (int i = 0; i < 16; ++i) cycle();
  }

  // Results, in order: read data of each finished read, the address handshakes.
  struct Grant {
    bool write, both_waiting;
  };
  std::vector<std::vector<std::uint8_t>> reads;
  std::vector<Grant> grants;
  unsigned b_count = 0, r_stalls = 0;

 private:
  struct Wr {
    Burst b;
    bool aw_done;
    unsigned w_beats;
  };
  struct Rd {
    Burst b;
    bool ar_done;
    unsigned r_beats;
    std::vector<int> expect;  // model bytes at the AR handshake (-1: never written)
    std::vector<std::uint8_t> got;
  };

  bool coin(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T, typename F>
  static T* first(std::deque<T>& q, F&& pred) {
    for (T& x : q) {
      if (pred(x)) return &x;
    }
    return nullptr;
  }
  Wr* aw_next() {
    return first(wr_, [](const Wr& w) { return !w.aw_done; });
  }
  Wr* w_next() {
    return first(wr_, [](const Wr& w) { return w.w_beats < w.b.beats; });
  }
  Rd* ar_next() {
    return first(rd_, [](const Rd& r) { return !r.ar_done; });
  }

  static void put_ax(std::uint32_t* q, unsigned lsb, const Burst& b) {
    set_bits(q, lsb + ax::kId, 4, b.id);
    set_bits(q, lsb + ax::kAddr, 40, b.addr);
    set_bits(q, lsb + ax::kLen, 8, b.beats - 1);
    set_bits(q, lsb + ax::kSize, 3, kSizeFull);
    set_bits(q, lsb + ax::kBurst, 2, kIncr);
  }

  // Request for the coming edge: random junk everywhere, then the channels that are valid. A
  // valid, once raised, stays up with a stable payload until its handshake.
  void drive() {
    std::uint32_t* q = dut_->slv_req_i.data();
    for (unsigned i = 0; i < (req::kBits + 31) / 32; ++i) q[i] = rng_();
    q[req::kBits / 32] &= (1u << (req::kBits % 32)) - 1;
    const Wr* aw = aw_next();
    const Wr* w = w_next();
    const Rd* ar = ar_next();
    aw_valid_ = aw != nullptr && (aw_valid_ || coin(t_.valid_prob));
    w_valid_ = w != nullptr && (w_valid_ || coin(t_.valid_prob));
    ar_valid_ = ar != nullptr && (ar_valid_ || coin(t_.valid_prob));
    b_ready_ = coin(t_.ready_prob);
    r_ready_ = coin(t_.ready_prob);
    set_bits(q, req::kAwValid, 1, aw_valid_);
    set_bits(q, req::kWValid, 1, w_valid_);
    set_bits(q, req::kArValid, 1, ar_valid_);
    set_bits(q, req::kBReady, 1, b_ready_);
    set_bits(q, req::kRReady, 1, r_ready_);
    if (aw_valid_) put_ax(q, req::kAw, aw->b);
    if (ar_valid_) put_ax(q, req::kAr, ar->b);
    if (w_valid_) {
      for (unsigned i = 0; i < kBeat; ++i) {
        set_bits(q, req::kWData + 8 * i, 8, w->b.data[w->w_beats * kBeat + i]);
      }
      set_bits(q, req::kWStrb, kBeat, w->b.strb[w->w_beats]);
      set_bits(q, req::kWLast, 1, w->w_beats + 1 == w->b.beats);
    }
  }

  // Whether bits [lsb, lsb + width) of the response equal those of the previous cycle.
  bool held(const std::uint32_t* s, unsigned lsb, unsigned width) const {
    for (unsigned i = lsb; i < lsb + width; ++i) {
      if (get_bits(s, i, 1) != get_bits(held_.data(), i, 1)) return false;
    }
    return true;
  }

  // One clock cycle: drive, check the slave's outputs, clock, book the handshakes.
  void cycle() {
    drive();
    dut_.eval();
    const std::uint32_t* s = dut_->slv_rsp_o.data();
    const bool aw_hs = aw_valid_ && get_bits(s, rsp::kAwReady, 1);
    const bool w_hs = w_valid_ && get_bits(s, rsp::kWReady, 1);
    const bool ar_hs = ar_valid_ && get_bits(s, rsp::kArReady, 1);
    const bool b_valid = get_bits(s, rsp::kBValid, 1) != 0,
               r_valid = get_bits(s, rsp::kRValid, 1) != 0;

    // Once valid, B and R hold valid and payload until their ready.
    if (b_hold_ && !held(s, rsp::kBResp, rsp::kBValid + 1 - rsp::kBResp)) {
      fail("B dropped or changed before b_ready");
    }
    if (r_hold_ && !held(s, 0, rsp::kRValid + 1)) fail("R dropped or changed before r_ready");
    b_hold_ = b_valid && !b_ready_;
    r_hold_ = r_valid && !r_ready_;
    r_stalls += r_hold_ ? 1 : 0;
    std::copy(s, s + held_.size(), held_.begin());

    if (b_valid) {
      if (wr_.empty() || !wr_.front().aw_done) fail("B valid without an accepted AW");
      const Wr& w = wr_.front();
      if (w.w_beats < w.b.beats) fail("B valid before the last W beat");
      if (get_bits(s, rsp::kBId, 4) != w.b.id) fail("BID is not the AW's ID");
      if (get_bits(s, rsp::kBResp, 2) != kOkay) fail("BRESP is not OKAY");
    }
    if (r_valid) {
      if (rd_.empty() || !rd_.front().ar_done) fail("R valid without an accepted AR");
      Rd& r = rd_.front();
      const std::string at =
          " (read beat " + std::to_string(r.r_beats + 1) + " of " + std::to_string(r.b.beats) + ")";
      if (get_bits(s, rsp::kRId, 4) != r.b.id) fail("RID is not the AR's ID" + at);
      if (get_bits(s, rsp::kRResp, 2) != kOkay) fail("RRESP is not OKAY" + at);
      if ((get_bits(s, rsp::kRLast, 1) != 0) != (r.r_beats + 1 == r.b.beats))
        fail("RLAST wrong" + at);
      for (unsigned i = 0; i < kBeat; ++i) {
        const int want = r.expect[r.r_beats * kBeat + i];
        const auto got = static_cast<std::uint8_t>(get_bits(s, rsp::kRData + 8 * i, 8));
        if (r_ready_) r.got.push_back(got);
        if (want >= 0 && got != want) {
          fail("R data byte " + std::to_string(i) + " of word " +
               std::to_string(word_of(r.b, r.r_beats)) + " is " + std::to_string(got) + ", model " +
               std::to_string(want) + at);
        }
      }
    }
    // One transaction at a time: an address is accepted only when no other one is open.
    if (aw_hs || ar_hs) {
      const bool open =
          (!wr_.empty() && wr_.front().aw_done) || (!rd_.empty() && rd_.front().ar_done);
      if ((aw_hs && ar_hs) || open) fail("address accepted while another transaction is open");
      const bool both = aw_valid_ && ar_valid_;
      if (both && !grants.empty() && grants.back().write == aw_hs) {
        fail("AW and AR both waiting, but the same kind was served twice in a row");
      }
      grants.push_back(Grant{aw_hs, both});
    }

    dut_.tick();

    if (aw_hs) {
      aw_next()->aw_done = true;
      aw_valid_ = false;
    }
    if (w_hs) {
      Wr& w = *w_next();
      const unsigned word = word_of(w.b, w.w_beats);
      for (unsigned i = 0; i < kBeat; ++i) {
        if ((w.b.strb[w.w_beats] >> i) & 1u) {
          model_[word * kBeat + i] = w.b.data[w.w_beats * kBeat + i];
        }
      }
      ++w.w_beats;
      w_valid_ = false;
    }
    if (ar_hs) {
      Rd& r = *ar_next();
      r.ar_done = true;
      for (unsigned beat = 0; beat < r.b.beats; ++beat) {
        const unsigned word = word_of(r.b, beat);
        r.expect.insert(r.expect.end(), &model_[word * kBeat], &model_[word * kBeat] + kBeat);
      }
      ar_valid_ = false;
    }
    if (b_valid && b_ready_) {
      wr_.pop_front();
      ++b_count;
    }
    if (r_valid && r_ready_) {
      Rd& r = rd_.front();
      if (++r.r_beats == r.b.beats) {
        reads.push_back(r.got);
        rd_.pop_front();
      }
    }
  }

  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("npu_fpga_mem: " + what + " at cycle " +
                             std::to_string(dut_.cycles()) + ", timing " + t_.name);
  }

  nuri::tb::Dut<Vnpu_fpga_mem_1k> dut_;
  Timing t_;
  std::mt19937 rng_;
  std::deque<Wr> wr_;  // writes until their B is accepted
  std::deque<Rd> rd_;  // reads until their last R beat is accepted
  // The model: the memory's bytes, -1 where never written.
  std::vector<int> model_ = std::vector<int>(kBytes, -1);
  bool aw_valid_ = false, w_valid_ = false, ar_valid_ = false, b_ready_ = false, r_ready_ = false;
  bool b_hold_ = false, r_hold_ = false;
  std::array<std::uint32_t, 5> held_{};
};

const Timing& pick_timing() {
  static const Timing kAll[] = {kEager, kRandom, kSlow};
  return kAll[GENERATE(0, 1, 2)];
}

// A burst at a random base (any high address bits) and start word, 1..max_beats beats; writes
// get random data and per-beat strobes (all-zero and all-one masks included).
Burst random_burst(std::mt19937& rng, unsigned max_beats, bool write) {
  Burst b;
  b.id = rng() % 16;
  b.addr = (std::uniform_int_distribution<std::uint64_t>(0, (std::uint64_t{1} << 40) - 1)(rng)) &
           ~std::uint64_t{kBeat - 1};
  b.beats = 1 + rng() % max_beats;
  if (write) {
    for (unsigned i = 0; i < b.beats * kBeat; ++i) {
      b.data.push_back(static_cast<std::uint8_t>(rng()));
    }
    for (unsigned i = 0; i < b.beats; ++i) {
      const unsigned kind = rng() % 8;
      b.strb.push_back(kind == 0 ? 0 : kind == 1 ? 0xFFFF : static_cast<std::uint16_t>(rng()));
    }
  }
  return b;
}

// A write burst with random data and all strobes on (reads ignore data and strobes).
Burst full_burst(std::mt19937& rng, std::uint64_t addr, unsigned beats) {
  Burst b = random_burst(rng, 1, false);
  b.addr = addr;
  b.beats = beats;
  for (unsigned i = 0; i < beats * kBeat; ++i) b.data.push_back(static_cast<std::uint8_t>(rng()));
  b.strb.assign(beats, 0xFFFF);
  return b;
}

// Writes (random data) or reads the whole memory in 16-beat bursts from word 0.
void whole_memory(MemEnv& env, bool write) {
  for (unsigned w = 0; w < kWords; w += 16) {
    const Burst b = full_burst(env.rng(), w * kBeat, 16);
    write ? env.write(b) : env.read(b);
  }
  env.run();
}

}  // namespace

TEST_CASE("fpga mem random write bursts with random strobes read back byte for byte",
          "[rtl][smoke]") {
  MemEnv env(pick_timing());
  whole_memory(env, true);
  for (int i = 0; i < 40; ++i) env.write(random_burst(env.rng(), 16, true));
  env.run();
  CHECK(env.b_count == kWords / 16 + 40);
  whole_memory(env, false);  // every byte against the model
  CHECK(env.reads.size() == kWords / 16);
}

TEST_CASE("fpga mem read bursts hold R under back-pressure and end with RLAST", "[rtl][smoke]") {
  static const Timing kReady[] = {{"r_ready_0.2", 1.0, 0.2}, {"r_ready_0.6", 1.0, 0.6}};
  MemEnv env(kReady[GENERATE(0, 1)]);
  whole_memory(env, true);
  for (int i = 0; i < 40; ++i) env.read(random_burst(env.rng(), 16, false));
  env.run();
  CHECK(env.reads.size() == 40);
  CHECK(env.r_stalls > 100);  // the hold rule was exercised
}

TEST_CASE("fpga mem bursts past the last word wrap to word 0", "[rtl][smoke]") {
  MemEnv env(kRandom);
  std::mt19937& rng = env.rng();
  whole_memory(env, true);
  // 8 beats from the third-last word at a high base: beats 3..7 land on words 0..4.
  const Burst w = full_burst(rng, 0x12'3400'0000 + (kWords - 3) * kBeat, 8);
  env.write(w);
  env.run();
  env.read(full_burst(rng, 0, 5));               // words 0..4
  env.read(full_burst(rng, 0xFF'FFFF'FFF0, 4));  // last word of the 40-bit space, words 0..2
  env.run();
  REQUIRE(env.reads.size() == 2);
  CHECK(std::vector<std::uint8_t>(w.data.begin() + 3 * kBeat, w.data.end()) == env.reads[0]);
  CHECK(std::vector<std::uint8_t>(w.data.begin() + 2 * kBeat, w.data.begin() + 6 * kBeat) ==
        env.reads[1]);
  // 256-beat bursts run around the memory four times; the last lap stays.
  for (int i = 0; i < 2; ++i) {
    Burst l = full_burst(rng, random_burst(rng, 1, false).addr, 256);
    l.strb.assign(256, static_cast<std::uint16_t>(rng()));
    env.write(l);
  }
  env.run();
  whole_memory(env, false);
}

TEST_CASE("fpga mem serves AW and AR waiting together in turns and loses none", "[rtl][smoke]") {
  const Timing& t = pick_timing();
  MemEnv env(t);
  whole_memory(env, true);
  for (int i = 0; i < 30; ++i) {
    env.write(random_burst(env.rng(), 16, true));
    env.read(random_burst(env.rng(), 16, false));
  }
  const std::size_t before = env.grants.size();
  env.run();
  CHECK(env.b_count == kWords / 16 + 30);
  CHECK(env.reads.size() == 30);
  unsigned both = 0;
  for (std::size_t i = before; i < env.grants.size(); ++i) both += env.grants[i].both_waiting;
  CHECK(both > (t.valid_prob == 1.0 ? 55u : 10u));
}

TEST_CASE("fpga mem random mix of reads and writes of any length", "[rtl][full]") {
  MemEnv env(pick_timing());
  std::mt19937& rng = env.rng();
  whole_memory(env, true);
  for (int i = 0; i < 400; ++i) {
    const unsigned max_beats = rng() % 10 == 0 ? 256 : 16;
    if (rng() % 2 == 0) {
      env.write(random_burst(rng, max_beats, true));
    } else {
      env.read(random_burst(rng, max_beats, false));
    }
  }
  env.run();
  whole_memory(env, false);
}

// npu_spad_wbuf (the scratchpad's two-entry write buffer, docs/datapath.md): a registered ready,
// full rate, writes out in order and unchanged, and the read-after-write flag, against a
// reference queue. Model: AddrW = 6, DataW = 32 (4 strobe bits).
#include <catch2/catch.hpp>

#include <cstdint>
#include <deque>
#include <random>

#include "Vnpu_spad_wbuf_small.h"
#include "nuri/tb/dut.hpp"
#include "nuri/tb/options.hpp"

namespace {

using Wbuf = Vnpu_spad_wbuf_small;

struct Write {
  std::uint32_t addr, data, strb;
  bool operator==(const Write& o) const {
    return addr == o.addr && data == o.data && strb == o.strb;
  }
};

class Bench {
 public:
  Bench() { dut_.reset(); }
  // One cycle: offer `in` (if any) and out_ready; returns whether `in` was taken. Checks the
  // contract in this cycle against the reference queue of buffered writes.
  bool cycle(const Write* in, bool out_ready, std::uint32_t rd_addr) {
    dut_->in_valid_i = in != nullptr;
    if (in != nullptr) {
      dut_->in_addr_i = in->addr;
      dut_->in_data_i = in->data;
      dut_->in_strb_i = in->strb;
    }
    dut_->out_ready_i = out_ready;
    dut_->rd_addr_i = rd_addr;
    dut_.eval();
    // ready is "fewer than two writes buffered", whatever this cycle's inputs
    CHECK(static_cast<bool>(dut_->in_ready_o) == (ref_.size() < 2));
    CHECK(static_cast<bool>(dut_->out_valid_o) == !ref_.empty());
    if (!ref_.empty()) {
      const Write head{dut_->out_addr_o, dut_->out_data_o, dut_->out_strb_o};
      CHECK(head == ref_.front());
    }
    bool hazard = false;
    for (const Write& w : ref_) hazard = hazard || w.addr == rd_addr;
    CHECK(static_cast<bool>(dut_->hazard_o) == hazard);
    const bool taken = in != nullptr && dut_->in_ready_o;
    if (dut_->out_valid_o && out_ready) {
      out_.push_back(ref_.front());
      ref_.pop_front();
    }
    if (taken) ref_.push_back(*in);
    dut_.tick();
    return taken;
  }
  std::size_t buffered() const { return ref_.size(); }
  const std::deque<Write>& out() const { return out_; }

 private:
  nuri::tb::Dut<Wbuf> dut_;
  std::deque<Write> ref_;  // writes taken, not yet out, oldest first
  std::deque<Write> out_;  // writes handed to the scratchpad, in order
};

Write nth(std::uint32_t i) { return {i % 64, 0x9E3779B9u * (i + 1), (i * 5 + 1) % 16}; }

}  // namespace

TEST_CASE("spad write buffer: one write per cycle passes at full rate and one cycle later",
          "[rtl][smoke]") {
  Bench b;
  for (std::uint32_t i = 0; i < 40; ++i) {
    const Write w = nth(i);
    REQUIRE(b.cycle(&w, true, 63));
    CHECK(b.buffered() == 1);
  }
  b.cycle(nullptr, true, 63);
  REQUIRE(b.out().size() == 40);
  for (std::uint32_t i = 0; i < 40; ++i) CHECK(b.out()[i] == nth(i));
}

TEST_CASE("spad write buffer: holds two writes while the scratchpad waits and then drains in order",
          "[rtl][smoke]") {
  Bench b;
  const Write w0 = nth(0), w1 = nth(1), w2 = nth(2);
  CHECK(b.cycle(&w0, false, 0));
  CHECK(b.cycle(&w1, false, 0));
  for (int i = 0; i < 5; ++i) CHECK_FALSE(b.cycle(&w2, false, 0));  // full: not taken
  CHECK(b.out().empty());
  CHECK_FALSE(b.cycle(&w2, true, 0));  // one leaves; ready is still low in this cycle
  CHECK(b.cycle(&w2, true, 0));
  b.cycle(nullptr, true, 0);
  b.cycle(nullptr, true, 0);
  REQUIRE(b.out().size() == 3);
  CHECK(b.out()[0] == w0);
  CHECK(b.out()[1] == w1);
  CHECK(b.out()[2] == w2);
}

TEST_CASE(
    "spad write buffer: the hazard flag names a buffered address in the first or second entry",
    "[rtl][smoke]") {
  Bench b;
  const Write a{5, 1, 15}, c{9, 2, 15};
  b.cycle(&a, false, 5);       // not yet buffered in this cycle: no hazard (checked inside)
  b.cycle(&c, false, 9);       // a buffered: 9 is not it
  b.cycle(nullptr, false, 9);  // c is the second entry
  b.cycle(nullptr, false, 5);
  b.cycle(nullptr, true, 9);   // a leaves at the end of this cycle
  b.cycle(nullptr, false, 5);  // only c is left
  b.cycle(nullptr, true, 9);
  b.cycle(nullptr, true, 9);  // empty
  CHECK(b.out().size() == 2);
}

TEST_CASE("spad write buffer: random traffic against a reference queue", "[rtl][smoke]") {
  std::mt19937 rng(nuri::tb::seed());
  Bench b;
  std::uint32_t next = 0, sent = 0;
  const Write* offered = nullptr;
  Write cur{};
  for (int cyc = 0; cyc < 4000; ++cyc) {
    if (offered == nullptr && rng() % 4 != 0) {  // a writer keeps its write until taken
      cur = {static_cast<std::uint32_t>(rng() % 8), static_cast<std::uint32_t>(rng()),
             static_cast<std::uint32_t>(rng() % 16)};
      offered = &cur;
      ++next;
    }
    const bool taken = b.cycle(offered, rng() % 3 != 0, static_cast<std::uint32_t>(rng() % 8));
    if (taken) {
      offered = nullptr;
      ++sent;
    }
  }
  for (int i = 0; i < 3; ++i) b.cycle(nullptr, true, 0);
  CHECK(sent + (offered != nullptr ? 1 : 0) == next);
  CHECK(b.out().size() == sent);
  CHECK(sent > 2000);
}

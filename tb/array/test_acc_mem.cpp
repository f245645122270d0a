// npu_acc_mem: overwrite, accumulate (including back-to-back to one address, which needs the
// forwarding path) and read, under response back-pressure, against a reference model.
#include <catch2/catch.hpp>

#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include NURI_MODEL_HEADER
#include "bench_util.hpp"
#include "nuri/tb/dut.hpp"
#include "nuri/tb/options.hpp"

namespace {

using AccMem = NURI_MODEL;
using nuri::tb::array::Gate;
using nuri::tb::array::get_i32_lane;
using nuri::tb::array::Pattern;
constexpr std::uint32_t kLanes = NURI_ACC_LANES;
constexpr std::uint32_t kDepth = NURI_ACC_DEPTH;

enum Op : std::uint8_t { kWrite = 0, kAdd = 1, kRead = 2 };
using Row = std::vector<std::int32_t>;

template <typename T>
void set_row(T& port, const Row& r) {
  if constexpr (std::is_integral_v<T>) {
    std::uint64_t x = 0;
    for (std::uint32_t i = 0; i < kLanes; ++i) {
      x |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(r[i])) << (32 * i);
    }
    port = static_cast<T>(x);
  } else {
    for (std::uint32_t i = 0; i < kLanes; ++i) port[i] = static_cast<std::uint32_t>(r[i]);
  }
}

struct Req {
  Op op;
  std::uint32_t addr;
  Row data;
};

class AccBench {
 public:
  explicit AccBench(std::uint32_t seed, Pattern req = Pattern::None, Pattern rsp = Pattern::None)
      : ref_(kDepth, Row(kLanes, 0)), qg_(req, seed + 1, 3), pg_(rsp, seed + 2, 4) {
    dut_.reset();
  }
  void push(Op op, std::uint32_t addr, Row data = Row(kLanes, 0)) {
    q_.push_back({op, addr, std::move(data)});
  }
  // Runs the queue; every read response is checked against the reference. Returns cycles.
  std::uint64_t run() {
    const std::uint64_t start = dut_.cycles();
    bool off = false;
    while (!q_.empty() || !expect_.empty()) {
      const std::uint64_t cyc = dut_.cycles();
      off = !q_.empty() && (off || qg_.open(cyc));
      dut_->req_valid_i = off;
      if (!q_.empty()) {
        dut_->req_op_i = q_.front().op;
        dut_->req_addr_i = q_.front().addr;
        set_row(dut_->req_data_i, q_.front().data);
      }
      dut_->rsp_ready_i = pg_.open(cyc);
      dut_.eval();
      if (dut_->rsp_valid_o && dut_->rsp_ready_i) {
        REQUIRE_FALSE(expect_.empty());
        Row got(kLanes);
        for (std::uint32_t i = 0; i < kLanes; ++i) got[i] = get_i32_lane(dut_->rsp_data_o, i);
        REQUIRE(got == expect_.front());
        expect_.pop_front();
        ++reads_;
      }
      if (off && dut_->req_ready_o) {
        const Req& r = q_.front();
        Row& row = ref_[r.addr];
        if (r.op == kWrite) row = r.data;
        if (r.op == kAdd) {
          for (std::uint32_t i = 0; i < kLanes; ++i) {
            row[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(row[i]) +
                                               static_cast<std::uint32_t>(r.data[i]));
          }
        }
        if (r.op == kRead) expect_.push_back(row);
        q_.pop_front();
        off = false;
      }
      dut_.tick();
      REQUIRE(dut_.context().errorCount() == 0);
      REQUIRE(dut_.cycles() - start < 1000000);
    }
    dut_->req_valid_i = 0;
    return dut_.cycles() - start;
  }
  std::uint64_t reads() const { return reads_; }

 private:
  nuri::tb::Dut<AccMem> dut_;
  std::vector<Row> ref_;
  Gate qg_, pg_;
  std::deque<Req> q_;
  std::deque<Row> expect_;
  std::uint64_t reads_ = 0;
};

Row random_row(std::mt19937& rng) {
  Row r(kLanes);
  for (auto& v : r) v = static_cast<std::int32_t>(rng());
  return r;
}

}  // namespace

TEST_CASE("accumulator memory accumulates back to back into one address", "[rtl][smoke]") {
  std::mt19937 rng(nuri::tb::seed());
  AccBench b(nuri::tb::seed());
  b.push(kWrite, 5, random_row(rng));
  for (int i = 0; i < 50; ++i) b.push(kAdd, 5, random_row(rng));  // every one needs forwarding
  b.push(kRead, 5);
  for (int i = 0; i < 10; ++i) {  // alternate two addresses (no forwarding, distance two)
    b.push(kAdd, 6, random_row(rng));
    b.push(kAdd, 7, random_row(rng));
  }
  b.push(kRead, 6);
  b.push(kRead, 7);
  b.push(kAdd, 6, random_row(rng));
  b.push(kRead, 6);  // read right after an accumulate
  // 1 + 50 + 1 + 20 + 2 + 2 requests at one per cycle, plus the last response cycle.
  CHECK(b.run() == 76 + 1);
  CHECK(b.reads() == 4);
}

TEST_CASE("accumulator memory overwrites then accumulates and reads back every row",
          "[rtl][smoke]") {
  std::mt19937 rng(nuri::tb::seed());
  AccBench b(nuri::tb::seed());
  for (std::uint32_t a = 0; a < kDepth; ++a) b.push(kWrite, a, random_row(rng));
  for (std::uint32_t a = 0; a < kDepth; ++a) b.push(kAdd, kDepth - 1 - a, random_row(rng));
  for (std::uint32_t a = 0; a < kDepth; a += 3) b.push(kWrite, a, random_row(rng));  // overwrite
  for (std::uint32_t a = 0; a < kDepth; ++a) b.push(kRead, a);
  b.run();
  CHECK(b.reads() == kDepth);
}

TEST_CASE("accumulator memory random operations under stalls match a reference", "[rtl][full]") {
  const Pattern pats[] = {Pattern::None, Pattern::Periodic, Pattern::Random};
  std::mt19937 rng(nuri::tb::seed());
  for (Pattern rq : pats) {
    for (Pattern rs : pats) {
      AccBench b(static_cast<std::uint32_t>(rng()), rq, rs);
      std::uniform_int_distribution<std::uint32_t> addr(0, 7), op(0, 2);
      for (int i = 0; i < 20000; ++i) {
        b.push(static_cast<Op>(op(rng)), addr(rng), random_row(rng));
      }
      b.run();
    }
  }
}

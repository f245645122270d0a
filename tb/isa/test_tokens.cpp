// The queue and token model: counting tokens, double buffering, the program-order rule with
// bounded queues, and schedule independence of race-free programs (docs/isa.md "Queues and
// tokens").
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "isa_tb.hpp"
#include "nuri/golden/ops.hpp"
#include "nuri/tb/options.hpp"

using namespace nuri::isa;
using nuri::isa::tb::kDramBase;

namespace {

constexpr std::uint8_t kInFull = 1u << 0, kInFree = 1u << 1, kOutFull = 1u << 2, kOutFree = 1u << 3;

// Eight 16-byte tiles: LOAD into one of two input buffers, ADD (x + x) into one of two output
// buffers, STORE. Four counting tokens give two credits each way.
std::vector<Command> pipeline_program(const nuri::golden::AddParams& ap) {
  std::vector<Command> p;
  p.emplace_back(Nop{{0, kInFree}, Queue::Compute});
  p.emplace_back(Nop{{0, kInFree}, Queue::Compute});
  p.emplace_back(Nop{{0, kOutFree}, Queue::Store});
  p.emplace_back(Nop{{0, kOutFree}, Queue::Store});
  for (std::uint32_t i = 0; i < 8; ++i) {
    const std::uint32_t in_row = (i % 2) * 4, out_row = 8 + (i % 2) * 4;  // 4 rows of 4 bytes
    p.emplace_back(
        tb::load(tb::linear(kDramBase + 16 * i, in_row * 4, 16), Space::Spad, {kInFree, kInFull}));
    Add a;
    a.tok = {static_cast<std::uint8_t>(kInFull | kOutFree),
             static_cast<std::uint8_t>(kInFree | kOutFull)};
    a.a_addr = a.b_addr = in_row;
    a.dst_addr = out_row;
    a.m = 4;
    a.lanes = 4;
    a.left_shift = static_cast<std::uint32_t>(ap.left_shift);
    a.zp_a = static_cast<std::int8_t>(ap.input1_zero_point);
    a.zp_b = static_cast<std::int8_t>(ap.input2_zero_point);
    a.zp_out = static_cast<std::int8_t>(ap.output_zero_point);
    a.mult_a = ap.input1_multiplier;
    a.mult_b = ap.input2_multiplier;
    a.mult_out = ap.output_multiplier;
    a.shift_a = static_cast<std::int8_t>(ap.input1_shift);
    a.shift_b = static_cast<std::int8_t>(ap.input2_shift);
    a.shift_out = static_cast<std::int8_t>(ap.output_shift);
    p.emplace_back(a);
    p.emplace_back(tb::store(tb::linear(kDramBase + 0x100 + 16 * i, out_row * 4, 16), Space::Spad,
                             {kOutFull, kOutFree}));
  }
  p.emplace_back(End{});
  return p;
}

}  // namespace

TEST_CASE("a double buffered pipeline gives the same DRAM under every schedule and queue depth",
          "[golden][smoke]") {
  std::mt19937 rng(nuri::tb::seed());
  std::uniform_int_distribution<int> byte(-128, 127);
  const auto ap = nuri::golden::add_params_from_scales(0.1, 3, 0.1, 3, 0.15, -4);
  nuri::golden::TensorI8 x({8, 16});
  for (auto& v : x.data) v = static_cast<std::int8_t>(byte(rng));
  const auto ref = nuri::golden::add(x, x, ap);
  const auto prog = pipeline_program(ap);
  for (unsigned depth : {1u, 2u, 8u}) {
    for (int r = 0; r < 12; ++r) {
      IsaConfig cfg = tb::small_config();
      cfg.queue_depth = depth;
      IsaSim sim(cfg, kDramBase, 4096);
      sim.write_dram(kDramBase, {x.data.begin(), x.data.end()});
      const RunOptions opt =
          r == 0 ? RunOptions{} : RunOptions{Schedule::Random, nuri::tb::seed() * 100u + r};
      const RunStatus st = sim.run(prog, opt);
      INFO("depth " << depth << " run " << r << ": " << to_string(st.code));
      REQUIRE(st.ok());
      CHECK(sim.read_dram(kDramBase + 0x100, 128) ==
            std::vector<std::uint8_t>(ref.data.begin(), ref.data.end()));
      // Every credit is returned: two free input and two free output buffers remain.
      CHECK(st.tokens[1] == 2);
      CHECK(st.tokens[3] == 2);
      CHECK(st.tokens[0] == 0);
      CHECK(st.tokens[2] == 0);
    }
  }
}

TEST_CASE("the random schedule really reorders a program with a race", "[golden][smoke]") {
  // LOAD then STORE of the same bytes without a token: the STORE may run first (a race), so the
  // stored bytes depend on the schedule. This shows the random schedule explores orders.
  std::set<std::vector<std::uint8_t>> outcomes;
  for (std::uint32_t r = 0; r < 40; ++r) {
    IsaSim sim(tb::small_config(), kDramBase, 4096);
    sim.write_dram(kDramBase, tb::bytes({1, 2, 3, 4}));
    const std::vector<Command> prog = {tb::load(tb::linear(kDramBase, 0, 4)),
                                       tb::store(tb::linear(kDramBase + 64, 0, 4)), End{}};
    REQUIRE(sim.run(prog, {Schedule::Random, nuri::tb::seed() + r}).ok());
    outcomes.insert(sim.read_dram(kDramBase + 64, 4));
  }
  CHECK(outcomes.size() == 2);  // {0,0,0,0} (store first) and {1,2,3,4}
}

TEST_CASE("waiting on a later signal deadlocks once the queue fills", "[golden][smoke]") {
  // Three LOADs wait for token 0, which three later compute NOPs give. This breaks the
  // program-order rule: it completes only while the load queue can hold all three LOADs.
  std::vector<Command> prog;
  for (int i = 0; i < 3; ++i)
    prog.emplace_back(tb::load(tb::linear(kDramBase, 0, 4), Space::Spad, {1, 0}));
  for (int i = 0; i < 3; ++i) prog.emplace_back(Nop{{0, 1}, Queue::Compute});
  prog.emplace_back(End{});
  for (unsigned depth : {2u, 3u}) {
    IsaConfig cfg = tb::small_config();
    cfg.queue_depth = depth;
    IsaSim sim(cfg, kDramBase, 4096);
    const RunStatus st = sim.run(prog);
    INFO("queue depth " << depth);
    if (depth == 2) {
      CHECK(st.code == ErrorCode::Deadlock);
      CHECK(st.failing_index == 0);  // the oldest blocked command
    } else {
      CHECK(st.ok());
    }
  }
}

TEST_CASE("a counting token lets one signal pair with exactly one wait", "[golden][smoke]") {
  // Two compute NOPs give token 2 twice; three store NOPs take it: two run, the third deadlocks.
  const std::vector<Command> prog = {Nop{{0, 0x04}, Queue::Compute}, Nop{{0, 0x04}, Queue::Compute},
                                     Nop{{0x04, 0}, Queue::Store},   Nop{{0x04, 0}, Queue::Store},
                                     Nop{{0x04, 0}, Queue::Store},   End{}};
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  const RunStatus st = sim.run(prog);
  CHECK(st.code == ErrorCode::Deadlock);
  CHECK(st.failing_index == 4);
  CHECK(st.executed[1] == 2);
  CHECK(st.executed[2] == 2);
}

TEST_CASE("a command waiting on two tokens takes both at once", "[golden][smoke]") {
  // The store NOP waits tokens 0 and 1: it runs only after both the load and the compute NOP.
  const std::vector<Command> prog = {Nop{{0, 0x01}, Queue::Load}, Nop{{0, 0x02}, Queue::Compute},
                                     Nop{{0x03, 0x04}, Queue::Store}, End{}};
  for (std::uint32_t r = 0; r < 10; ++r) {
    IsaSim sim(tb::small_config(), kDramBase, 4096);
    const RunStatus st = sim.run(prog, {Schedule::Random, r});
    REQUIRE(st.ok());
    CHECK(st.tokens[0] == 0);
    CHECK(st.tokens[1] == 0);
    CHECK(st.tokens[2] == 1);
  }
}

TEST_CASE("a token waited on by two queues can deadlock a program in program order",
          "[golden][smoke]") {
  // 0 load: give t. 1 compute: take t, give u. 2 store: take u, give t. 3 load: take t.
  // In program order nothing blocks, but the LOAD at 3 may take t before the compute command at 1
  // does; then 1 waits on t, 2 on u: deadlock. Token t has two consumer queues (rule 1b broken).
  const std::vector<Command> bad = {Nop{{0, 0x01}, Queue::Load}, Nop{{0x01, 0x02}, Queue::Compute},
                                    Nop{{0x02, 0x01}, Queue::Store}, Nop{{0x01, 0}, Queue::Load},
                                    End{}};
  // Fixed: the last LOAD waits on its own token v, given by the store command.
  const std::vector<Command> good = {Nop{{0, 0x01}, Queue::Load}, Nop{{0x01, 0x02}, Queue::Compute},
                                     Nop{{0x02, 0x04}, Queue::Store}, Nop{{0x04, 0}, Queue::Load},
                                     End{}};
  int deadlocks = 0, completions = 0;
  for (std::uint32_t r = 0; r < 200; ++r) {
    IsaSim sim(tb::small_config(), kDramBase, 4096);
    const RunStatus st = sim.run(bad, {Schedule::Random, nuri::tb::seed() * 1000u + r});
    if (st.code == ErrorCode::Deadlock) {
      ++deadlocks;
      CHECK(st.failing_index == 1);
    } else {
      ++completions;
      CHECK(st.ok());
    }
    IsaSim sim2(tb::small_config(), kDramBase, 4096);
    CHECK(sim2.run(good, {Schedule::Random, nuri::tb::seed() * 1000u + r}).ok());
  }
  CHECK(deadlocks > 0);
  CHECK(completions > 0);
}

// Every error code: provoked by one command in the middle of a program, reported with that
// command's index, with everything before it done and nothing after it taking effect.
#include <catch2/catch.hpp>

#include <functional>

#include "isa_tb.hpp"

using namespace nuri::isa;
using nuri::isa::tb::bytes;
using nuri::isa::tb::kDramBase;

namespace {

constexpr std::uint64_t kR1 = kDramBase + 0x100;  // written by command 1 (before the failure)
constexpr std::uint64_t kR2 = kDramBase + 0x200;  // written by command 3 (after the failure)

struct Case {
  const char* name;
  std::function<Words()> bad;  // command 2
  ErrorCode expect;
  std::function<void(IsaSim&)> setup = [](IsaSim&) {};
};

// Command 2 waits for token 2 (given by command 1, so everything before it is complete) and gives
// token 1, which command 3 waits for: command 3 can only run after command 2 succeeded.
Words with_tokens(Command c) {
  Words w = encode(c);
  w[0] |= (0x04u << 8) | (0x02u << 16);
  return w;
}

std::vector<std::uint32_t> program_around(const Words& bad) {
  std::vector<Command> head = {tb::load(tb::linear(kDramBase, 0, 4), Space::Spad, {0, 0x01}),
                               tb::store(tb::linear(kR1, 0, 4), Space::Spad, {0x01, 0x04})};
  std::vector<std::uint32_t> prog = encode_program(head);
  prog.insert(prog.end(), bad.begin(), bad.end());
  const auto tail =
      encode_program({tb::store(tb::linear(kR2, 0, 4), Space::Spad, {0x02, 0}), End{}});
  prog.insert(prog.end(), tail.begin(), tail.end());
  return prog;
}

std::vector<Case> cases() {
  std::vector<Case> c;
  c.push_back({"illegal opcode", [] { return Words{}; }, ErrorCode::IllegalOpcode});
  c.push_back({"reserved bit",
               [] {
                 Words w = with_tokens(Matmul{});
                 w[9] = 1;  // MATMUL defines words 0..8 only
                 return w;
               },
               ErrorCode::ReservedBits});
  c.push_back({"K larger than the array",
               [] {
                 Matmul m;
                 m.k = 5;
                 return with_tokens(m);
               },
               ErrorCode::BadDimension});
  c.push_back({"zero length load",
               [] {
                 DmaDesc d = tb::linear(kDramBase, 0, 4);
                 d.len[2] = 0;
                 return with_tokens(tb::load(d));
               },
               ErrorCode::BadDimension});
  c.push_back({"act_min above act_max",
               [] {
                 Ppu p;
                 p.act_min = 10;
                 p.act_max = 0;
                 return with_tokens(p);
               },
               ErrorCode::BadField});
  c.push_back({"scratchpad extent",
               [] { return with_tokens(tb::load(tb::linear(kDramBase, 4090, 8))); },
               ErrorCode::SpadRange});
  c.push_back({"accumulator row",
               [] {
                 Matmul m;
                 m.acc_addr = 256;  // 4096 B / (4 lanes * 4 B) = 256 rows
                 return with_tokens(m);
               },
               ErrorCode::AccRange});
  c.push_back({"parameter records",
               [] {
                 Ppu p;
                 p.n = 4;
                 p.param_addr = 61;  // records 61..64 of 64
                 return with_tokens(p);
               },
               ErrorCode::ParamRange});
  c.push_back(
      {"DRAM window", [] { return with_tokens(tb::load(tb::linear(kDramBase + 0x7FE, 0, 4))); },
       ErrorCode::DramWindow, [](IsaSim& s) { s.set_window(kDramBase, kDramBase + 0x800); }});
  c.push_back({"SLVERR", [] { return with_tokens(tb::load(tb::linear(kDramBase + 0x30C, 0, 8))); },
               ErrorCode::BusSlverr,
               [](IsaSim& s) {
                 s.add_bus_error({kDramBase + 0x310, kDramBase + 0x320, false});
               }});
  c.push_back({"DECERR outside the image",
               [] { return with_tokens(tb::store(tb::linear(kDramBase + 0x1000, 0, 4))); },
               ErrorCode::BusDecerr,
               [](IsaSim& s) { s.set_window(kDramBase, kDramBase + 0x2000); }});
  c.push_back({"bad parameter record",
               [] {
                 Ppu p;
                 p.n = 2;
                 return with_tokens(p);
               },
               ErrorCode::ParamValue, [](IsaSim& s) { s.param()[16 + 8] = 31; }});  // shift 31
  return c;
}

}  // namespace

TEST_CASE("each error code names the failing command and nothing after it takes effect",
          "[golden][smoke]") {
  for (const Case& c : cases()) {
    for (const Schedule sched : {Schedule::RoundRobin, Schedule::Random}) {
      INFO(c.name << (sched == Schedule::Random ? " random" : " round robin"));
      IsaSim sim(tb::small_config(), kDramBase, 4096);
      sim.write_dram(kDramBase, bytes({1, 2, 3, 4}));
      c.setup(sim);
      const RunStatus st = sim.run(program_around(c.bad()), {sched, 7});
      CHECK(st.code == c.expect);
      CHECK(st.failing_index == 2);
      CHECK(sim.read_dram(kR1, 4) == bytes({1, 2, 3, 4}));  // commands 0 and 1 completed
      CHECK(sim.read_dram(kR2, 4) == bytes({0, 0, 0, 0}));  // command 3 never ran
      CHECK(st.executed[2] == 1);
    }
  }
}

TEST_CASE("a failing load or store has no effect in the simulator", "[golden][smoke]") {
  // The bus error hits the second of four bytes: the ISA leaves the destination undefined; the
  // simulator checks every response before writing, so the scratchpad keeps its old contents.
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  sim.write_dram(kDramBase, bytes({1, 2, 3, 4}));
  sim.add_bus_error({kDramBase + 1, kDramBase + 2, true});
  sim.spad()[0] = 0xAA;
  const RunStatus st = sim.run(std::vector<Command>{tb::load(tb::linear(kDramBase, 0, 4)), End{}});
  CHECK(st.code == ErrorCode::BusDecerr);
  CHECK(st.failing_index == 0);
  CHECK(sim.spad()[0] == 0xAA);
}

TEST_CASE("a load made only of padding touches no DRAM and passes any window", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  sim.set_window(kDramBase + 0x800, kDramBase + 0x900);
  DmaDesc d = tb::linear(0, 0, 4);  // DRAM address 0 is far outside the window...
  d.size = {0, 1, 1};               // ...but size0 = 0: every element is padding
  const RunStatus st = sim.run(std::vector<Command>{tb::load(d, Space::Spad, {}, 0x5A), End{}});
  REQUIRE(st.ok());
  CHECK(sim.spad()[3] == 0x5A);
}

TEST_CASE("a program without END reports the index past its last command", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  sim.write_dram(kDramBase, bytes({5, 6, 7, 8}));
  const RunStatus st = sim.run(std::vector<Command>{tb::load(tb::linear(kDramBase, 0, 4))});
  CHECK(st.code == ErrorCode::NoEnd);
  CHECK(st.failing_index == 1);
  CHECK(sim.spad()[0] == 5);  // the command before it completed
}

TEST_CASE("token overflow stops at the 256th signal", "[golden][smoke]") {
  IsaSim sim(tb::small_config(), kDramBase, 4096);
  std::vector<Command> prog(256, Nop{{0, 0x20}, Queue::Compute});  // token 5, no waits
  Matmul m;  // after the overflow in the same queue: must not run
  prog.emplace_back(m);
  prog.emplace_back(End{});
  for (std::size_t i = 0; i < 16; ++i) sim.acc()[i] = 0x11;
  const RunStatus st = sim.run(prog);
  CHECK(st.code == ErrorCode::TokenOverflow);
  CHECK(st.failing_index == 255);  // indices 0..254 raise token 5 to 255
  CHECK(st.tokens[5] == 255);
  CHECK(st.executed[1] == 255);
  CHECK(sim.acc()[0] == 0x11);
}

TEST_CASE("a token deadlock is reported at the oldest blocked command", "[golden][smoke]") {
  for (const Schedule sched : {Schedule::RoundRobin, Schedule::Random}) {
    IsaSim sim(tb::small_config(), kDramBase, 4096);
    sim.write_dram(kDramBase, bytes({1, 2, 3, 4}));
    const std::vector<Command> prog = {
        tb::load(tb::linear(kDramBase, 0, 4), Space::Spad, {0, 0x01}),
        Nop{{0x08, 0x10}, Queue::Compute},                         // waits token 3: nobody gives it
        tb::store(tb::linear(kR2, 0, 4), Space::Spad, {0x10, 0}),  // waits for the NOP
        End{}};
    const RunStatus st = sim.run(prog, {sched, 3});
    CHECK(st.code == ErrorCode::Deadlock);
    CHECK(st.failing_index == 1);
    CHECK(st.tokens[0] == 1);  // the LOAD ran and signalled
    CHECK(sim.read_dram(kR2, 4) == bytes({0, 0, 0, 0}));
  }
}

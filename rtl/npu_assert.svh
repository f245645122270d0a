// Nuri assertion and coverage macros.
//
// Under Verilator (--assert, --coverage-user) they become concurrent SystemVerilog assertions and
// cover properties. Under synthesis (Yosys defines SYNTHESIS) they expand to nothing, so every
// synthesizable file reads in both tools.
//
//   `NPU_ASSERT(name, prop)          prop holds at every rising clk_i while rst_ni is high
//   `NPU_ASSERT_NEVER(name, prop)    prop never holds (same clocking)
//   `NPU_ASSERT_KNOWN(name, sig)     sig carries no X/Z (meaningful in four-state simulators)
//   `NPU_ASSERT_INIT(name, cond)     elaboration-time legality check of parameters
//   `NPU_COVER(name, prop)           functional cover point (counted with --coverage-user)
// The enclosing module must have clk_i and rst_ni. Names are labels: unique per module.
`ifndef NPU_ASSERT_SVH
`define NPU_ASSERT_SVH

`ifdef SYNTHESIS
  `define NPU_ASSERT(name, prop)
  `define NPU_ASSERT_NEVER(name, prop)
  `define NPU_ASSERT_KNOWN(name, sig)
  `define NPU_ASSERT_INIT(name, cond)
  `define NPU_COVER(name, prop)
`else
  `define NPU_ASSERT(name, prop) \
    name: assert property (@(posedge clk_i) disable iff (!rst_ni) (prop)) \
      else $error("assertion %m failed: %s", `"prop`");
  `define NPU_ASSERT_NEVER(name, prop) \
    name: assert property (@(posedge clk_i) disable iff (!rst_ni) !(prop)) \
      else $error("assertion %m failed: never %s", `"prop`");
  `define NPU_ASSERT_KNOWN(name, sig) \
    name: assert property (@(posedge clk_i) disable iff (!rst_ni) !$isunknown(sig)) \
      else $error("assertion %m failed: %s is unknown", `"sig`");
  `define NPU_ASSERT_INIT(name, cond) \
    initial begin : name \
      if (!(cond)) $fatal(1, "parameter check %m failed: %s", `"cond`"); \
    end
  `define NPU_COVER(name, prop) \
    name: cover property (@(posedge clk_i) disable iff (!rst_ni) (prop));
`endif

`endif  // NPU_ASSERT_SVH

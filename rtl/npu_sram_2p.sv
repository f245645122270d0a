// npu_sram_2p: generic simple dual-port SRAM (one write port, one read port, one clock), written
// so that synthesis infers block RAM.
//
// we_i writes wdata_i at waddr_i; re_i reads raddr_i and rdata_o holds the word from the next
// cycle on, until the next read (registered read, no reset). A read and a write of the same
// address in the same cycle return the OLD word or, on some technologies, an undefined one:
// users must not rely on it (npu_acc_mem forwards around it). Technology-specific versions are
// sibling files with the same ports.
`include "npu_assert.svh"

module npu_sram_2p #(
  parameter int unsigned Width = 32,
  parameter int unsigned Depth = 1024
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             we_i,
  input  logic [$clog2(Depth)-1:0] waddr_i,
  input  logic [Width-1:0] wdata_i,
  input  logic             re_i,
  input  logic [$clog2(Depth)-1:0] raddr_i,
  output logic [Width-1:0] rdata_o
);

  `NPU_ASSERT_INIT(p_depth_at_least_two, Depth >= 2)

  logic [Width-1:0] mem_q [Depth];
  logic [Width-1:0] rdata_q;

  // Memory inference template (no reset; see npu_sram_sp).
  always_ff @(posedge clk_i) begin
    if (we_i) begin
      mem_q[waddr_i] <= wdata_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (re_i) begin
      rdata_q <= mem_q[raddr_i];
    end
  end

  assign rdata_o = rdata_q;

  `NPU_ASSERT(a_waddr_in_range, we_i |-> 32'(waddr_i) < Depth)
  `NPU_ASSERT(a_raddr_in_range, re_i |-> 32'(raddr_i) < Depth)

endmodule : npu_sram_2p

// npu_fifo, iCE40 version: replaces rtl/npu_fifo.sv in the iCE40 FPGA flow (scripts/fpga/run
// ice40 picks rtl/fpga/ice40/<name>.sv over rtl/<name>; docs/fpga.md). The iCE40 has no LUT RAM,
// so the generic register FIFO costs a flip-flop per bit and a wide read multiplexer; this one
// keeps the entries in block RAM (SB_RAM40_4K) and reads ahead: the RAM reads the entry that will
// be the head in the next cycle (rd_ptr_d), and a push into that very entry (the FIFO is empty or
// about to be) is forwarded from a bypass register. Ports, timing and behaviour are those of the
// generic FIFO, described below.
//
// Generic description:
//
// The writer must never push into a full FIFO (asserted): it is meant for producers that reserve
// space in advance (credits), such as the MAC array's output queue, and need no ready. The head
// entry is visible on data_o while valid_o is high (no fall-through: an entry pushed in cycle t
// can be popped from cycle t+1). Storage has no reset.
`include "npu_assert.svh"

module npu_fifo #(
  parameter int unsigned Width = 32,
  parameter int unsigned Depth = 4
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  // write side (no ready: check full_o / use credits)
  input  logic             push_i,
  input  logic [Width-1:0] data_i,
  output logic             full_o,
  // read side
  output logic             valid_o,
  input  logic             ready_i,
  output logic [Width-1:0] data_o
);

  `NPU_ASSERT_INIT(p_depth_at_least_two, Depth >= 2)
  `NPU_ASSERT_INIT(p_width_positive, Width >= 1)

  localparam int unsigned PtrW = $clog2(Depth);
  localparam int unsigned CntW = $clog2(Depth + 1);

  logic [Width-1:0] mem_q [Depth];
  logic [PtrW-1:0]  wr_ptr_d, wr_ptr_q, rd_ptr_d, rd_ptr_q;
  logic [CntW-1:0]  count_d, count_q;
  logic             pop;

  assign pop = valid_o && ready_i;

  always_comb begin
    wr_ptr_d = wr_ptr_q;
    rd_ptr_d = rd_ptr_q;
    count_d  = count_q;
    if (push_i) begin
      wr_ptr_d = (wr_ptr_q == PtrW'(Depth - 1)) ? '0 : wr_ptr_q + 1'b1;
    end
    if (pop) begin
      rd_ptr_d = (rd_ptr_q == PtrW'(Depth - 1)) ? '0 : rd_ptr_q + 1'b1;
    end
    if (push_i && !pop) begin
      count_d = count_q + 1'b1;
    end else if (pop && !push_i) begin
      count_d = count_q - 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_ptr_q <= '0;
      rd_ptr_q <= '0;
      count_q  <= '0;
    end else begin
      wr_ptr_q <= wr_ptr_d;
      rd_ptr_q <= rd_ptr_d;
      count_q  <= count_d;
    end
  end

  logic [Width-1:0] rdata_q, bypass_data_q;
  logic             bypass_q;

  // Memory inference template (no reset): write port and a registered read of the next head.
  always_ff @(posedge clk_i) begin
    if (push_i) begin
      mem_q[wr_ptr_q] <= data_i;
    end
    rdata_q <= mem_q[rd_ptr_d];
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      bypass_q <= 1'b0;
    end else begin
      bypass_q <= push_i && (wr_ptr_q == rd_ptr_d);
    end
  end

  always_ff @(posedge clk_i) begin
    bypass_data_q <= data_i;
  end

  assign valid_o = count_q != '0;
  assign full_o  = count_q == CntW'(Depth);
  assign data_o  = bypass_q ? bypass_data_q : rdata_q;

  `NPU_ASSERT(a_no_push_when_full, push_i |-> !full_o)
  `NPU_ASSERT(a_count_in_range, count_q <= CntW'(Depth))
  `NPU_ASSERT(a_out_stable_while_stalled, valid_o && !ready_i |=> valid_o && $stable(data_o))
  `NPU_COVER(c_full, full_o)
  `NPU_COVER(c_push_pop_same_cycle, push_i && pop)

endmodule : npu_fifo

// npu_dma_fifo: synchronous FIFO in registers with valid/ready on both sides and a synchronous
// clear, used by the DMA for its burst-info, tag and response queues.
//
// The output is read from storage (no fall-through), so there is no combinational path from the
// input side to the output side, and ready_o / valid_o depend on registered state only. clear_i
// empties the FIFO (entries are dropped). Depth >= 1 (Depth = 1: one register, a push only
// into an empty FIFO).
//
// WriteFree = 1: the storage slot behind the last entry is written whenever it is free (not
// full), whether or not valid_i pushes; only the pointers and the fill level follow the push.
// The slot is not read before a push makes it an entry, so the FIFO behaves the same, but the
// storage write enable depends on the fill level alone, not on valid_i: a late valid_i then
// reaches a few pointer flip-flops rather than the write enable of every storage cell (on
// FPGAs, of every LUT-RAM cell).
//
// RegOut = 1: data_o is a register that holds the head entry, loaded with the entry the head
// will be in the next cycle (the one behind the head on a pop, the input on a push into an
// empty FIFO). The storage reads then have registered addresses and end at that register, so a
// consumer that decides on data_o starts from a flip-flop rather than a LUT-RAM read; ready_i
// only selects between the two candidates. The timing of valid_o, ready_o and the entries is
// that of RegOut = 0.
`include "npu_assert.svh"

module npu_dma_fifo #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 4,
  parameter bit          WriteFree = 1'b0,
  parameter bit          RegOut = 1'b0
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             clear_i,
  // write side
  input  logic             valid_i,
  output logic             ready_o,
  input  logic [Width-1:0] data_i,
  // read side
  output logic             valid_o,
  input  logic             ready_i,
  output logic [Width-1:0] data_o
);

  `NPU_ASSERT_INIT(p_depth_positive, Depth >= 1)

  localparam int unsigned PtrW = Depth > 1 ? $clog2(Depth) : 1;  // pointers stay 0 at Depth 1
  localparam int unsigned CntW = $clog2(Depth + 1);

  logic [Width-1:0] mem_q [Depth];
  logic [PtrW-1:0]  wptr_d, wptr_q, rptr_d, rptr_q;
  logic [CntW-1:0]  cnt_d, cnt_q;
  logic             push, pop;

  assign ready_o = cnt_q != CntW'(Depth);
  assign valid_o = cnt_q != '0;
  assign push    = valid_i && ready_o;
  assign pop     = valid_o && ready_i;

  function automatic logic [PtrW-1:0] incr(logic [PtrW-1:0] p);
    incr = (32'(p) == Depth - 1) ? '0 : p + PtrW'(1);
  endfunction

  always_comb begin
    wptr_d = wptr_q;
    rptr_d = rptr_q;
    cnt_d  = cnt_q;
    if (push) begin
      wptr_d = incr(wptr_q);
    end
    if (pop) begin
      rptr_d = incr(rptr_q);
    end
    if (push && !pop) begin
      cnt_d = cnt_q + CntW'(1);
    end else if (pop && !push) begin
      cnt_d = cnt_q - CntW'(1);
    end
    if (clear_i) begin
      wptr_d = '0;
      rptr_d = '0;
      cnt_d  = '0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wptr_q <= '0;
      rptr_q <= '0;
      cnt_q  <= '0;
    end else begin
      wptr_q <= wptr_d;
      rptr_q <= rptr_d;
      cnt_q  <= cnt_d;
    end
  end

  // Storage needs no reset: entries are qualified by the fill level.
  logic mem_we;
  assign mem_we = WriteFree ? ready_o : push;
  always_ff @(posedge clk_i) begin
    if (mem_we) begin
      mem_q[wptr_q] <= data_i;
    end
  end

  if (RegOut) begin : g_reg_out
    // The head slot next cycle is rptr_q, or the slot behind it on a pop; a push writes that
    // slot only into an empty FIFO (the head's slot) or behind a single entry (the next slot).
    logic [Width-1:0] out_q, cur, nxt, head;
    logic [PtrW-1:0]  rnext;
    assign rnext = incr(rptr_q);
    assign cur   = (push && wptr_q == rptr_q) ? data_i : mem_q[rptr_q];
    assign nxt   = (push && wptr_q == rnext) ? data_i : mem_q[rnext];
    // No reset: read only while valid_o. The choice is written as AND-OR, not as a multiplexer:
    // Yosys's resource sharing (`share`, in synth_ecp5 and synth) merges two reads of one
    // memory whose results meet only in a multiplexer into one read port whose address is
    // multiplexed, which put ready_i in front of the LUT-RAM read address again (the worst path
    // of one routed placement of the 4x4 NPU, docs/fpga.md). A read used outside a
    // multiplexer is not shared, so the two reads stay two (the storage is duplicated, one
    // LUT-RAM per read address); scripts/rtl_check.py synth fails if any read is merged.
    always_ff @(posedge clk_i) begin
      out_q <= (nxt & {Width{pop}}) | (cur & {Width{!pop}});
    end
    assign data_o = out_q;
    // The head as RegOut = 0 reads it (a net of its own: Verilator 5.006 fails on an array
    // select inside an assertion).
    assign head   = mem_q[rptr_q];
    `NPU_ASSERT(a_reg_out_is_head, valid_o |-> out_q == head)
  end else begin : g_mem_out
    assign data_o = mem_q[rptr_q];
  end

  `NPU_ASSERT(a_count_in_range, 32'(cnt_q) <= Depth)

endmodule : npu_dma_fifo

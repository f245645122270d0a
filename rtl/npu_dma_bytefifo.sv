// npu_dma_bytefifo: byte-granular FIFO that realigns a byte stream between two lane alignments.
//
// Push: lanes [push_lo_i, push_lo_i + push_cnt_i) of push_data_i enter in lane order. The caller
// pushes only while space_o (at least Lanes bytes free, from the registered fill level).
// Pop: lane i of head_o holds the FIFO byte at index head_base_i + i (modulo Depth). rptr_o is
// the index of the oldest byte, so a caller that wants the Lanes oldest bytes from lane lo up
// (lane lo + j = byte j, byte 0 = oldest) passes rptr_o - lo; the lanes below lo then hold bytes
// it must not use. pop_i removes pop_cnt_i bytes; the caller pops only up to count_o bytes.
// clear_i empties the FIFO and sets rptr_o to 0.
//
// Placing the bytes at the caller's lane is part of the read multiplexers (one shared index plus
// each lane's constant), so they reach the caller through one 64-to-1 multiplexer per lane rather
// than through that and a shifter behind it; a caller that knows the index ahead can pass it
// from a register (docs/dma.md, docs/fpga.md).
`include "npu_assert.svh"

module npu_dma_bytefifo #(
  parameter int unsigned Lanes = 16,
  parameter int unsigned Depth = 64,
  localparam int unsigned LaneW = $clog2(Lanes),
  localparam int unsigned CntW  = $clog2(Depth + 1),
  localparam int unsigned PtrW  = $clog2(Depth)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               clear_i,
  input  logic               push_i,
  input  logic [Lanes*8-1:0] push_data_i,
  input  logic [LaneW-1:0]   push_lo_i,
  input  logic [LaneW:0]     push_cnt_i,
  output logic               space_o,
  input  logic               pop_i,
  input  logic [LaneW:0]     pop_cnt_i,
  input  logic [PtrW-1:0]    head_base_i,
  output logic [PtrW-1:0]    rptr_o,
  output logic [Lanes*8-1:0] head_o,
  output logic [CntW-1:0]    count_o
);

  `NPU_ASSERT_INIT(p_depth_pow2, (Depth & (Depth - 1)) == 0 && Depth >= 2 * Lanes)
  `NPU_ASSERT_INIT(p_lanes_pow2, (Lanes & (Lanes - 1)) == 0 && Lanes >= 2)

  logic [8*Depth-1:0] mem_d, mem_q;  // byte j at [8*j +: 8]
  logic [PtrW-1:0]    wptr_q, rptr_q, wptr_d, rptr_d;
  logic [CntW-1:0]    cnt_q, cnt_d, cnt_push;
  logic [PtrW-1:0]    off;
  logic [LaneW-1:0]   wbase;

  assign space_o = 32'(cnt_q) + Lanes <= Depth;
  assign count_o = cnt_q;
  assign rptr_o  = rptr_q;
  // Storage byte j = wptr + off takes push lane push_lo_i + off: lane j + wbase (modulo Lanes,
  // which a_push_in_lanes keeps from wrapping for the bytes written). One rotation of the push
  // data by wbase, shared by the storage bytes, not a shift by push_lo_i and then a rotation by
  // wptr behind it (the board memory's R data into this storage was the worst path of one
  // routed placement, docs/fpga.md).
  assign wbase = push_lo_i - LaneW'(wptr_q);

  always_comb begin
    mem_d = mem_q;
    for (int unsigned j = 0; j < Depth; j++) begin
      off = PtrW'(j) - wptr_q;
      if (push_i && {1'b0, off} < (PtrW + 1)'(push_cnt_i)) begin
        mem_d[8*j +: 8] = push_data_i[8*LaneW'(LaneW'(j) + wbase) +: 8];
      end
    end
    // The byte index wraps at Depth: head_base_i + i is cast to PtrW bits before it scales the
    // part-select (8 * (head_base_i + i) alone is evaluated 32 bits wide and would read past the
    // end of mem_q, a value simulators and synthesis tools are free to disagree on). One base
    // for all lanes, each lane a constant offset from it: Yosys then shares most of the lanes'
    // multiplexers (docs/fpga.md, "A read pointer per byte FIFO lane").
    for (int unsigned i = 0; i < Lanes; i++) begin
      head_o[8*i +: 8] = mem_q[8*PtrW'(head_base_i + PtrW'(i)) +: 8];
    end
    wptr_d = wptr_q;
    rptr_d = rptr_q;
    cnt_d  = cnt_q;
    if (push_i) begin
      wptr_d = wptr_q + PtrW'(push_cnt_i);
    end
    if (pop_i) begin
      rptr_d = rptr_q + PtrW'(pop_cnt_i);
    end
    // The pop decision arrives late (the caller compares its count with count_o), so both fill
    // levels are computed beside it and pop_i only selects one.
    cnt_push = cnt_q + (push_i ? CntW'(push_cnt_i) : '0);
    cnt_d    = pop_i ? cnt_push - CntW'(pop_cnt_i) : cnt_push;
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

  // Storage needs no reset: bytes are qualified by the fill level.
  always_ff @(posedge clk_i) begin
    mem_q <= mem_d;
  end

  `NPU_ASSERT(a_push_has_space, push_i |-> space_o)
  `NPU_ASSERT(a_push_in_lanes, push_i |-> 32'(push_lo_i) + 32'(push_cnt_i) <= Lanes)
  `NPU_ASSERT(a_pop_available, pop_i |-> pop_cnt_i <= (LaneW + 1)'(cnt_q) || 32'(cnt_q) > Lanes)

endmodule : npu_dma_bytefifo

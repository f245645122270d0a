// npu_spad_wbuf: two-entry write buffer in front of the scratchpad's write port (npu_top).
//
// The scratchpad's write ready depends on its read request (a read and a write to the same bank
// cannot both be served, npu_spad), so without the buffer the writers (DMA load, PPU) waited on
// the read side's arbitration and the read and write sides' valid/ready logic formed one long
// combinational path across the NPU (docs/fpga.md). Here in_ready_o is a register (the buffer is
// not full), so a writer's handshake depends on nothing outside it; a stream of one write per
// cycle still passes at full rate (one entry in, one out).
//
// Writes leave in order, each when the scratchpad takes it. hazard_o[i] tells the read side that
// a write to rd_addr_i[i] is still buffered (one flag per reader, NumRd readers, so that the
// compare runs beside the readers' arbitration, not after it): npu_top holds such a read back
// until the write is done,
// so a read issued after a write's handshake never returns the older data. (A read that already
// waits at the scratchpad when a write to its address arrives is older than that write and is
// not held back; without the buffer the two would have been ordered by the bank-conflict rule.)
`include "npu_assert.svh"

module npu_spad_wbuf #(
  parameter int unsigned AddrW = 14,
  parameter int unsigned DataW = 128,
  parameter int unsigned NumRd = 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // from the writers' arbiter
  input  logic               in_valid_i,
  output logic               in_ready_o,
  input  logic [AddrW-1:0]   in_addr_i,
  input  logic [DataW-1:0]   in_data_i,
  input  logic [DataW/8-1:0] in_strb_i,
  // to the scratchpad's write port
  output logic               out_valid_o,
  input  logic               out_ready_i,
  output logic [AddrW-1:0]   out_addr_o,
  output logic [DataW-1:0]   out_data_o,
  output logic [DataW/8-1:0] out_strb_o,
  // read-after-write check
  input  logic [NumRd*AddrW-1:0] rd_addr_i,
  output logic [NumRd-1:0]       hazard_o   // [i]: a buffered write has address rd_addr_i[i]
);

  localparam int unsigned EntW = AddrW + DataW + DataW / 8;

  // entry 0 is the head; entry 1 is valid only with entry 0
  logic [1:0]      valid_q;
  logic [EntW-1:0] ent0_q, ent1_q;
  logic [EntW-1:0] in_ent;
  logic            push, pop;

  assign in_ent     = {in_addr_i, in_strb_i, in_data_i};
  assign in_ready_o = !valid_q[1];
  assign push       = in_valid_i && in_ready_o;
  assign pop        = valid_q[0] && out_ready_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else begin
      unique case ({pop, push})
        2'b01:   valid_q <= valid_q[0] ? 2'b11 : 2'b01;
        2'b10:   valid_q <= {1'b0, valid_q[1]};
        default: valid_q <= valid_q;  // none, or one out and one in
      endcase
    end
  end

  always_ff @(posedge clk_i) begin
    if (pop) begin
      // the second entry (or the new write) moves to the head
      ent0_q <= valid_q[1] ? ent1_q : in_ent;  // (no push while full)
    end else if (push) begin
      if (valid_q[0]) begin
        ent1_q <= in_ent;
      end else begin
        ent0_q <= in_ent;
      end
    end
  end

  assign out_valid_o = valid_q[0];
  assign out_addr_o  = ent0_q[EntW-1 -: AddrW];
  assign out_strb_o  = ent0_q[DataW +: DataW / 8];
  assign out_data_o  = ent0_q[DataW-1:0];
  for (genvar i = 0; i < NumRd; i++) begin : g_rd
    assign hazard_o[i] = (valid_q[0] && ent0_q[EntW-1 -: AddrW] == rd_addr_i[i*AddrW +: AddrW])
                         || (valid_q[1] && ent1_q[EntW-1 -: AddrW] == rd_addr_i[i*AddrW +: AddrW]);
  end

  `NPU_ASSERT(a_second_with_first, valid_q[1] |-> valid_q[0])
  `NPU_ASSERT(a_in_valid_held, in_valid_i && !in_ready_o |=> in_valid_i)
  `NPU_COVER(c_full, valid_q == 2'b11)
  `NPU_COVER(c_one_out_one_in, valid_q == 2'b01 && pop && push)
  `NPU_COVER(c_hazard, hazard_o != '0)

endmodule : npu_spad_wbuf

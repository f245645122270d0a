// npu_skid: one-entry skid buffer whose input ready is a register.
//
// ready_o is "the skid is empty", a flip-flop, so the input side never sees the output side's
// ready through logic (on the ECP5 such ready chains ran across the NPU: docs/fpga.md). An input
// passes straight through when the skid is empty (valid_o = valid_i, data_o = data_i), so an
// unstalled stream keeps its timing; one that the output does not take that cycle stays in the
// skid and goes first. The data register loads in every cycle the skid is empty, taken or not:
// it is read only once full, and it fills only in a cycle that loads it, so its enables are the
// full flag alone. Used by the PPU's accumulator response port and by the command processor in
// front of its decoder.
`include "npu_assert.svh"

module npu_skid #(
  parameter int unsigned Width = 32
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             valid_i,
  output logic             ready_o,  // the skid is empty (a register)
  input  logic [Width-1:0] data_i,
  output logic             valid_o,
  input  logic             ready_i,
  output logic [Width-1:0] data_o
);

  logic             full_q;
  logic [Width-1:0] data_q;

  assign ready_o = !full_q;
  assign valid_o = full_q || valid_i;
  assign data_o  = full_q ? data_q : data_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      full_q <= 1'b0;
    end else begin
      full_q <= valid_o && !ready_i;
    end
  end

  // No reset: read only while full_q.
  always_ff @(posedge clk_i) begin
    if (!full_q) begin
      data_q <= data_i;
    end
  end

  `NPU_ASSERT(a_held, full_q && !ready_i |=> full_q && $stable(data_o))
  `NPU_ASSERT(a_first_out, valid_o && !ready_i && !full_q |=> full_q && data_o == $past(data_i))

endmodule : npu_skid

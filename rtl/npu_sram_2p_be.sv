// npu_sram_2p_be: generic simple dual-port SRAM with per-byte write enables (one write port, one
// read port, one clock), written so that synthesis infers block RAM with byte enables.
//
// Same behaviour as npu_sram_2p except that we_i is a byte mask: byte b (bits [8b +: 8]) of the
// word at waddr_i is written when we_i[b] is set; other bytes keep their value. Registered read,
// no reset of the array or of the read register. Read-during-write of one address returns old or
// undefined data; users must not rely on it.
`include "npu_assert.svh"

module npu_sram_2p_be #(
  parameter int unsigned Bytes = 4,
  parameter int unsigned Depth = 1024
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic [Bytes-1:0]         we_i,
  input  logic [$clog2(Depth)-1:0] waddr_i,
  input  logic [Bytes*8-1:0]       wdata_i,
  input  logic                     re_i,
  input  logic [$clog2(Depth)-1:0] raddr_i,
  output logic [Bytes*8-1:0]       rdata_o
);

  `NPU_ASSERT_INIT(p_depth_at_least_two, Depth >= 2)

  logic [Bytes*8-1:0] mem_q [Depth];
  logic [Bytes*8-1:0] rdata_q;

  // Memory inference template with byte enables (no reset; see npu_sram_sp).
  always_ff @(posedge clk_i) begin
    for (int unsigned b = 0; b < Bytes; b++) begin
      if (we_i[b]) begin
        mem_q[waddr_i][8*b +: 8] <= wdata_i[8*b +: 8];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (re_i) begin
      rdata_q <= mem_q[raddr_i];
    end
  end

  assign rdata_o = rdata_q;

  `NPU_ASSERT(a_waddr_in_range, |we_i |-> 32'(waddr_i) < Depth)
  `NPU_ASSERT(a_raddr_in_range, re_i |-> 32'(raddr_i) < Depth)

endmodule : npu_sram_2p_be

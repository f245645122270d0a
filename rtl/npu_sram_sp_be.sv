// npu_sram_sp_be: generic single-port SRAM with byte write enables, written so that synthesis
// infers block RAM with byte enables.
//
// One access per cycle: req_i && we_i writes the bytes of wdata_i whose be_i bit is set at
// addr_i; req_i && !we_i reads addr_i and rdata_o holds the word from the next cycle on, until the
// next read (registered read, no output reset, no reset of the array). A technology-specific
// macro is a sibling file with the same ports, chosen by the build; this generic one stays plain.
`include "npu_assert.svh"

module npu_sram_sp_be #(
  parameter int unsigned Width = 32,  // a multiple of 8
  parameter int unsigned Depth = 1024
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   req_i,
  input  logic                   we_i,
  input  logic [$clog2(Depth)-1:0] addr_i,
  input  logic [Width-1:0]       wdata_i,
  input  logic [Width/8-1:0]     be_i,
  output logic [Width-1:0]       rdata_o
);

  `NPU_ASSERT_INIT(p_depth_at_least_two, Depth >= 2)
  `NPU_ASSERT_INIT(p_width_bytes, Width % 8 == 0)

  logic [Width-1:0] mem_q [Depth];
  logic [Width-1:0] rdata_q;

  // Memory inference template: the array and the read register are written in one clocked
  // process without reset (the exception to the _d/_q rule, so tools recognise the RAM).
  always_ff @(posedge clk_i) begin
    if (req_i) begin
      if (we_i) begin
        for (int unsigned b = 0; b < Width / 8; b++) begin
          if (be_i[b]) begin
            mem_q[addr_i][b*8 +: 8] <= wdata_i[b*8 +: 8];
          end
        end
      end else begin
        rdata_q <= mem_q[addr_i];
      end
    end
  end

  assign rdata_o = rdata_q;

  `NPU_ASSERT(a_addr_in_range, req_i |-> 32'(addr_i) < Depth)

endmodule : npu_sram_sp_be

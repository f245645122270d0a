// npu_fpga_ram: single-port RAM with byte write enables, written so that synthesis infers block
// RAM (ECP5 DP16KD, iCE40 SB_RAM40_4K, Xilinx RAMB36E1). Backing store of npu_fpga_mem.
//
// req_i && |be_i writes the enabled bytes of wdata_i at addr_i; req_i && !|be_i reads addr_i and
// rdata_o holds the word from the next cycle on, until the next read (registered read, no reset).
module npu_fpga_ram #(
  parameter int unsigned Bytes = 16,   // bytes per word
  parameter int unsigned Depth = 4096  // words
) (
  input  logic                     clk_i,
  input  logic                     req_i,
  input  logic [Bytes-1:0]         be_i,
  input  logic [$clog2(Depth)-1:0] addr_i,
  input  logic [Bytes*8-1:0]       wdata_i,
  output logic [Bytes*8-1:0]       rdata_o
);

  logic [Bytes*8-1:0] mem_q [Depth];
  logic [Bytes*8-1:0] rdata_q;

  // Memory inference template (no reset; see rtl/npu_sram_sp.sv).
  always_ff @(posedge clk_i) begin
    if (req_i) begin
      for (int unsigned b = 0; b < Bytes; b++) begin
        if (be_i[b]) begin
          mem_q[addr_i][b*8 +: 8] <= wdata_i[b*8 +: 8];
        end
      end
      if (be_i == '0) begin
        rdata_q <= mem_q[addr_i];
      end
    end
  end

  assign rdata_o = rdata_q;

endmodule : npu_fpga_ram

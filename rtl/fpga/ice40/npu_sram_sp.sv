// npu_sram_sp, iCE40 UltraPlus version: replaces rtl/npu_sram_sp.sv in the iCE40 FPGA flow
// (scripts/fpga/run ice40 picks rtl/fpga/ice40/<name>.sv over rtl/<name>; docs/fpga.md).
// Same ports and behaviour: registered read, rdata_o holds the last word read until the next
// read. Memories of 4096 to 16384 words and at most 32 bits map to SB_SPRAM256KA (16K x 16,
// one or two side by side); anything else uses the generic inference template (EBR or LUTs).
// The UP5K has four SPRAMs in all: the configuration decides which memories get them.
`include "npu_assert.svh"

module npu_sram_sp #(
  parameter int unsigned Width = 32,
  parameter int unsigned Depth = 1024
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             req_i,
  input  logic             we_i,
  input  logic [$clog2(Depth)-1:0] addr_i,
  input  logic [Width-1:0] wdata_i,
  output logic [Width-1:0] rdata_o
);

  `NPU_ASSERT_INIT(p_depth_at_least_two, Depth >= 2)

  localparam bit          UseSpram = Depth >= 4096 && Depth <= 16384 && Width <= 32;
  localparam int unsigned Tiles    = (Width + 15) / 16;

  if (UseSpram) begin : g_spram
    logic [Tiles*16-1:0] wdata, dout;
    logic [13:0]         addr;
    logic                rd_q;
    logic [Width-1:0]    hold_q;

    assign wdata = (Tiles * 16)'(wdata_i);
    assign addr  = 14'(addr_i);

    for (genvar t = 0; t < Tiles; t++) begin : g_tile
      SB_SPRAM256KA u_spram (
        .ADDRESS   (addr),
        .DATAIN    (wdata[t*16 +: 16]),
        .MASKWREN  (4'b1111),
        .WREN      (we_i),
        .CHIPSELECT(req_i),
        .CLOCK     (clk_i),
        .STANDBY   (1'b0),
        .SLEEP     (1'b0),
        .POWEROFF  (1'b1),
        .DATAOUT   (dout[t*16 +: 16])
      );
    end

    // The SPRAM output is only defined after a read: keep the last word read in a register so
    // rdata_o holds across writes and idle cycles, as the generic memory's does.
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        rd_q <= 1'b0;
      end else begin
        rd_q <= req_i && !we_i;
      end
    end

    always_ff @(posedge clk_i) begin
      if (rd_q) begin
        hold_q <= dout[Width-1:0];
      end
    end

    assign rdata_o = rd_q ? dout[Width-1:0] : hold_q;
  end else begin : g_generic
    logic [Width-1:0] mem_q [Depth];
    logic [Width-1:0] rdata_q;

    always_ff @(posedge clk_i) begin
      if (req_i) begin
        if (we_i) begin
          mem_q[addr_i] <= wdata_i;
        end else begin
          rdata_q <= mem_q[addr_i];
        end
      end
    end

    assign rdata_o = rdata_q;
  end

  `NPU_ASSERT(a_addr_in_range, req_i |-> 32'(addr_i) < Depth)

endmodule : npu_sram_sp

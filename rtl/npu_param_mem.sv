// npu_param_mem: the PPU's parameter memory (docs/ppu.md).
//
// Entries records of 16 bytes, one record per address:
//   bytes 0-3 bias (int32 LE), 4-7 multiplier (int32 LE), byte 8 shift (int8), bytes 9-15 ignored.
// Only bytes 0-8 are stored (one npu_sram_2p_be of 9 byte lanes); bytes 9-15 of a write are
// dropped and read back as zero.
//
// Write port (DMA LOAD, space 2): one record per beat with byte strobes; always ready.
// Read port (PPU): always ready; r_rdata_o is valid with r_rvalid_o exactly one cycle after the
// request and holds until the next request (no back-pressure on the response).
// A read and a write of the same record in the same cycle return old or undefined data; the
// command processor orders LOAD and PPU with dependency tokens, so this never happens.
`include "npu_assert.svh"

module npu_param_mem #(
  parameter int unsigned Entries = npu_pkg::ParamEntries
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  // write port: one record per beat, byte strobes
  input  logic                       w_valid_i,
  output logic                       w_ready_o,
  input  logic [$clog2(Entries)-1:0] w_addr_i,
  input  logic [127:0]               w_data_i,
  input  logic [15:0]                w_strb_i,
  // read port: rdata one cycle after an accepted request
  input  logic                       r_valid_i,
  output logic                       r_ready_o,
  input  logic [$clog2(Entries)-1:0] r_addr_i,
  output logic                       r_rvalid_o,
  output logic [127:0]               r_rdata_o
);

  `NPU_ASSERT_INIT(p_entries_at_least_two, Entries >= 2)

  localparam int unsigned StoredBytes = 9;  // bias, multiplier, shift

  logic [StoredBytes*8-1:0] rdata;
  logic [StoredBytes-1:0]   we;
  logic                     rvalid_q;

  assign we = w_valid_i ? w_strb_i[StoredBytes-1:0] : {StoredBytes{1'b0}};

  assign w_ready_o = 1'b1;
  assign r_ready_o = 1'b1;

  npu_sram_2p_be #(
    .Bytes(StoredBytes),
    .Depth(Entries)
  ) u_mem (
    .clk_i,
    .rst_ni,
    .we_i   (we),
    .waddr_i(w_addr_i),
    .wdata_i(w_data_i[StoredBytes*8-1:0]),
    .re_i   (r_valid_i),
    .raddr_i(r_addr_i),
    .rdata_o(rdata)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rvalid_q <= 1'b0;
    end else begin
      rvalid_q <= r_valid_i;
    end
  end

  assign r_rvalid_o = rvalid_q;
  assign r_rdata_o  = {{(128 - StoredBytes * 8) {1'b0}}, rdata};

  // Bytes 9-15 of a write and their strobes are ignored by design.
  logic unused_w;
  assign unused_w = ^{w_data_i[127:StoredBytes*8], w_strb_i[15:StoredBytes]};

  `NPU_ASSERT(a_waddr_in_range, w_valid_i |-> 32'(w_addr_i) < Entries)
  `NPU_ASSERT(a_raddr_in_range, r_valid_i |-> 32'(r_addr_i) < Entries)
  `NPU_COVER(c_read_and_write, r_valid_i && w_valid_i)
  `NPU_COVER(c_partial_strobe, w_valid_i && w_strb_i[StoredBytes-1:0] != '1
                               && w_strb_i[StoredBytes-1:0] != '0)

endmodule : npu_param_mem

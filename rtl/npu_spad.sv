// npu_spad: the int8 scratchpad. Capacity Bytes, organised as rows of RowBytes bytes (one array
// input vector), interleaved over Banks single-port SRAM banks by the low row-address bits
// (bank = addr % Banks, bank row = addr / Banks). docs/datapath.md has the full description.
//
// Two ports work in the same cycle:
//   write (DMA side):   w_valid_i / w_ready_o, w_addr_i, w_data_i, w_strb_i (bytes of one row)
//   read (array side):  r_valid_i / r_ready_o, r_addr_i; the row appears on r_rdata_o with
//                       r_rvalid_o exactly one cycle after the handshake (no back-pressure on
//                       the response: request only what you can take).
// Conflict rule: a read and a write to the SAME BANK in the same cycle cannot both be served;
// one of them sees ready low and must hold its request. The winner alternates (the loser of the
// last conflict wins the next one; reads win the first), so neither port can starve. Accesses to
// different banks never wait, so row-sequential streams on both ports run at full rate after at
// most one conflict cycle. ready depends combinationally on the other port's valid and address
// (never on its own valid), so no loop can form.
`include "npu_assert.svh"

module npu_spad #(
  parameter int unsigned Bytes    = npu_pkg::SpadBytes,
  parameter int unsigned RowBytes = npu_pkg::SpadRowBytes,
  parameter int unsigned Banks    = 4
) (
  input  logic                                clk_i,
  input  logic                                rst_ni,
  // write port (DMA)
  input  logic                                w_valid_i,
  output logic                                w_ready_o,
  input  logic [$clog2(Bytes/RowBytes)-1:0]   w_addr_i,
  input  logic [RowBytes*8-1:0]               w_data_i,
  input  logic [RowBytes-1:0]                 w_strb_i,   // byte enables
  // read port (array feeder)
  input  logic                                r_valid_i,
  output logic                                r_ready_o,
  input  logic [$clog2(Bytes/RowBytes)-1:0]   r_addr_i,
  output logic                                r_rvalid_o,
  output logic [RowBytes*8-1:0]               r_rdata_o
);

  localparam int unsigned Depth     = Bytes / RowBytes;
  localparam int unsigned AddrW     = $clog2(Depth);
  localparam int unsigned BankW     = $clog2(Banks);
  localparam int unsigned BankDepth = Depth / Banks;
  localparam int unsigned RowW      = RowBytes * 8;

  `NPU_ASSERT_INIT(p_banks_power_of_two, Banks >= 2 && (Banks & (Banks - 1)) == 0)
  `NPU_ASSERT_INIT(p_depth_power_of_two, (Depth & (Depth - 1)) == 0)
  `NPU_ASSERT_INIT(p_capacity_whole_rows, Bytes % (RowBytes * Banks) == 0 && Depth >= 2 * Banks)

  logic [BankW-1:0] w_bank, r_bank, rbank_q;
  logic             conflict, w_prio_d, w_prio_q, w_fire, r_fire, rvalid_q;

  assign w_bank    = w_addr_i[BankW-1:0];
  assign r_bank    = r_addr_i[BankW-1:0];
  assign conflict  = w_valid_i && r_valid_i && (w_bank == r_bank);
  assign r_ready_o = !conflict || !w_prio_q;
  assign w_ready_o = !conflict || w_prio_q;
  assign w_fire    = w_valid_i && w_ready_o;
  assign r_fire    = r_valid_i && r_ready_o;

  always_comb begin
    w_prio_d = w_prio_q;
    if (conflict) begin
      w_prio_d = !w_prio_q;  // the loser of this conflict wins the next one
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_prio_q <= 1'b0;
      rvalid_q <= 1'b0;
    end else begin
      w_prio_q <= w_prio_d;
      rvalid_q <= r_fire;
    end
  end

  always_ff @(posedge clk_i) begin
    if (r_fire) begin
      rbank_q <= r_bank;
    end
  end

  logic [Banks*RowW-1:0] bank_rdata;
  for (genvar b = 0; b < Banks; b++) begin : g_bank
    logic w_hit, r_hit;
    assign w_hit = w_fire && (w_bank == BankW'(b));
    assign r_hit = r_fire && (r_bank == BankW'(b));
    npu_sram_sp_be #(.Width(RowW), .Depth(BankDepth)) u_sram (
      .clk_i,
      .rst_ni,
      .req_i  (w_hit || r_hit),
      .we_i   (w_hit),
      .addr_i (w_hit ? w_addr_i[AddrW-1:BankW] : r_addr_i[AddrW-1:BankW]),
      .wdata_i(w_data_i),
      .be_i   (w_strb_i),
      .rdata_o(bank_rdata[b*RowW +: RowW])
    );
    `NPU_ASSERT_NEVER(a_one_access_per_bank, w_hit && r_hit)
  end

  assign r_rvalid_o = rvalid_q;
  assign r_rdata_o  = bank_rdata[rbank_q*RowW +: RowW];

  `NPU_ASSERT(a_w_valid_held, w_valid_i && !w_ready_o |=> w_valid_i)
  `NPU_ASSERT(a_w_payload_stable, w_valid_i && !w_ready_o |=> $stable(w_addr_i) && $stable(w_data_i)
                                                              && $stable(w_strb_i))
  `NPU_ASSERT(a_r_valid_held, r_valid_i && !r_ready_o |=> r_valid_i)
  `NPU_ASSERT(a_r_addr_stable, r_valid_i && !r_ready_o |=> $stable(r_addr_i))
  `NPU_ASSERT_NEVER(a_both_lose, conflict && !w_ready_o && !r_ready_o)
  `NPU_COVER(c_same_cycle_read_write, w_fire && r_fire)
  `NPU_COVER(c_conflict_read_wins, conflict && r_ready_o)
  `NPU_COVER(c_conflict_write_wins, conflict && w_ready_o)

endmodule : npu_spad

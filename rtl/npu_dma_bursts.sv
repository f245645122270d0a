// npu_dma_bursts: splits the in-tensor rows of a descriptor into AXI4 INCR bursts.
//
// Rows: n1 x n2 rows of nd bytes, the first at dram_lo, row stride s1, plane stride s2. Each row
// is cut at every BurstBytes-aligned address (BurstBytes = min(MaxBurst beats, 4 KiB)), so no
// burst crosses a 4 KiB boundary or exceeds MaxBurst beats. The current burst is offered on
// valid_o; next_i takes it. Bursts start at the beat-aligned address; lane_o and bytes_o say
// which bytes of the beats belong to the row.
//
// The row's end is kept in registers beside its start (row_end_m1_q = end - 1, row_end_lo_q = the
// end's low bits), advanced by the strides as the rows are, so the burst outputs start at
// registers: the row ends in the current burst when end - 1 lies in the burst's BurstBytes
// block (an equality, no sum), and the byte and beat counts are BbW-bit differences. Before,
// the row end sum, a compare and the byte count ran in series into the channels' info FIFOs
// (docs/fpga.md). The sums of that form stay as the reference of assertions.
`include "npu_assert.svh"

module npu_dma_bursts #(
  parameter int unsigned MaxBurst = npu_pkg::AxiMaxBurst,
  localparam int unsigned Lanes = npu_axi_pkg::StrbW,
  localparam int unsigned LaneW = $clog2(Lanes),
  localparam int unsigned BurstBytes = (MaxBurst * Lanes < 4096) ? MaxBurst * Lanes : 4096,
  localparam int unsigned BbW = $clog2(BurstBytes),
  localparam int unsigned BytesW = BbW + 1
) (
  input  logic                                clk_i,
  input  logic                                rst_ni,
  input  logic                                start_i,
  input  logic                                clear_i,
  input  logic [npu_pkg::AxiAddrW-1:0]        dram_lo_i,
  input  logic [npu_dma_pkg::DimW-1:0]        nd_i,
  input  logic [npu_dma_pkg::DimW-1:0]        n1_i,
  input  logic [npu_dma_pkg::DimW-1:0]        n2_i,
  input  logic [npu_pkg::AxiAddrW-1:0]        s1_i,
  input  logic [npu_pkg::AxiAddrW-1:0]        s2_i,
  output logic                                valid_o,
  input  logic                                next_i,
  output logic [npu_pkg::AxiAddrW-1:0]        addr_o,
  output logic [7:0]                          len_o,
  output logic [LaneW-1:0]                    lane_o,
  output logic [BytesW-1:0]                   bytes_o
);

  localparam int unsigned AddrW = npu_pkg::AxiAddrW;
  localparam int unsigned DimW  = npu_dma_pkg::DimW;

  `NPU_ASSERT_INIT(p_max_burst,
                   MaxBurst >= 1 && MaxBurst <= 256 && (MaxBurst & (MaxBurst - 1)) == 0)

  logic             active_q, active_d;
  logic [AddrW-1:0] row_q, row_d, plane_q, plane_d, cur_q, cur_d;
  logic [DimW-1:0]  r1_q, r1_d, r2_q, r2_d;
  // end - 1 and the end's low BbW + 1 bits of the current row and of the current plane's first row
  logic [AddrW:0]   row_end_m1_q, row_end_m1_d, plane_end_m1_q, plane_end_m1_d;
  logic [BbW:0]     row_end_lo_q, row_end_lo_d, plane_end_lo_q, plane_end_lo_d;

  logic [AddrW-1:0] blk_last;   // the last byte of the current burst's BurstBytes block
  logic [AddrW-1:0] boundary;   // the block's end (the next block's start)
  logic             row_last;   // the current burst ends its row

  always_comb begin
    blk_last = cur_q | {{(AddrW - BbW){1'b0}}, {BbW{1'b1}}};
    boundary = {cur_q[AddrW-1:BbW] + (AddrW - BbW)'(1), BbW'(0)};
    row_last = row_end_m1_q[AddrW:BbW] == {1'b0, cur_q[AddrW-1:BbW]};
    valid_o  = active_q;
    addr_o   = {cur_q[AddrW-1:LaneW], LaneW'(0)};
    lane_o   = cur_q[LaneW-1:0];
    if (row_last) begin
      bytes_o = BytesW'(row_end_lo_q - cur_q[BbW:0]);
      len_o   = 8'((row_end_m1_q[AddrW-1:0] >> LaneW) - (cur_q >> LaneW));
    end else begin
      bytes_o = BytesW'(BurstBytes) - BytesW'(cur_q[BbW-1:0]);
      len_o   = 8'((blk_last >> LaneW) - (cur_q >> LaneW));
    end
  end

  always_comb begin
    active_d       = active_q;
    row_d          = row_q;
    plane_d        = plane_q;
    cur_d          = cur_q;
    r1_d           = r1_q;
    r2_d           = r2_q;
    row_end_m1_d   = row_end_m1_q;
    plane_end_m1_d = plane_end_m1_q;
    row_end_lo_d   = row_end_lo_q;
    plane_end_lo_d = plane_end_lo_q;
    if (start_i) begin
      active_d       = 1'b1;
      row_d          = dram_lo_i;
      plane_d        = dram_lo_i;
      cur_d          = dram_lo_i;
      r1_d           = '0;
      r2_d           = '0;
      row_end_m1_d   = {1'b0, dram_lo_i} + (AddrW + 1)'(nd_i) - (AddrW + 1)'(1);
      plane_end_m1_d = row_end_m1_d;
      row_end_lo_d   = (BbW + 1)'(dram_lo_i) + (BbW + 1)'(nd_i);
      plane_end_lo_d = row_end_lo_d;
    end else if (next_i && active_q) begin
      if (row_last) begin
        if (r1_q + DimW'(1) < n1_i) begin
          r1_d         = r1_q + DimW'(1);
          row_d        = row_q + s1_i;
          cur_d        = row_q + s1_i;
          row_end_m1_d = row_end_m1_q + (AddrW + 1)'(s1_i);
          row_end_lo_d = row_end_lo_q + (BbW + 1)'(s1_i);
        end else if (r2_q + DimW'(1) < n2_i) begin
          r1_d           = '0;
          r2_d           = r2_q + DimW'(1);
          plane_d        = plane_q + s2_i;
          row_d          = plane_q + s2_i;
          cur_d          = plane_q + s2_i;
          plane_end_m1_d = plane_end_m1_q + (AddrW + 1)'(s2_i);
          row_end_m1_d   = plane_end_m1_q + (AddrW + 1)'(s2_i);
          plane_end_lo_d = plane_end_lo_q + (BbW + 1)'(s2_i);
          row_end_lo_d   = plane_end_lo_q + (BbW + 1)'(s2_i);
        end else begin
          active_d = 1'b0;
        end
      end else begin
        cur_d = boundary;  // the row goes on in the next block
      end
    end
    if (clear_i) begin
      active_d = 1'b0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q       <= 1'b0;
      row_q          <= '0;
      plane_q        <= '0;
      cur_q          <= '0;
      r1_q           <= '0;
      r2_q           <= '0;
      row_end_m1_q   <= '0;
      plane_end_m1_q <= '0;
      row_end_lo_q   <= '0;
      plane_end_lo_q <= '0;
    end else begin
      active_q       <= active_d;
      row_q          <= row_d;
      plane_q        <= plane_d;
      cur_q          <= cur_d;
      r1_q           <= r1_d;
      r2_q           <= r2_d;
      row_end_m1_q   <= row_end_m1_d;
      plane_end_m1_q <= plane_end_m1_d;
      row_end_lo_q   <= row_end_lo_d;
      plane_end_lo_q <= plane_end_lo_d;
    end
  end

  // Reference: the burst from the row's start and length by sums (the form before the end
  // registers). Simulation only; the outputs above must equal it.
  logic [AddrW:0] row_end, ref_boundary, burst_end;
  always_comb begin
    row_end      = {1'b0, row_q} + (AddrW + 1)'(nd_i);
    ref_boundary = {1'b0, cur_q[AddrW-1:BbW], BbW'(0)} + (AddrW + 1)'(BurstBytes);
    burst_end    = row_end < ref_boundary ? row_end : ref_boundary;
  end

  `NPU_ASSERT(a_burst_in_4k, valid_o |-> (32'(addr_o[11:0]) + (32'(len_o) + 1) * Lanes) <= 4096)
  `NPU_ASSERT(a_burst_not_empty, valid_o |-> bytes_o != '0)
  `NPU_ASSERT(a_row_last, valid_o |-> row_last == (burst_end == row_end))
  `NPU_ASSERT(a_row_end, valid_o |-> row_end_m1_q == row_end - (AddrW + 1)'(1)
                                     && row_end_lo_q == row_end[BbW:0])
  `NPU_ASSERT(a_bytes, valid_o |-> bytes_o == BytesW'(burst_end - {1'b0, cur_q}))
  `NPU_ASSERT(a_len, valid_o |-> len_o == 8'(((burst_end - (AddrW + 1)'(1)) >> LaneW)
                                             - ({1'b0, cur_q} >> LaneW)))
  `NPU_ASSERT(a_next_block, valid_o && !row_last |-> {1'b0, boundary} == ref_boundary)
  `NPU_COVER(c_row_split_at_4k, valid_o && next_i && burst_end == ref_boundary
                                && burst_end != row_end && ref_boundary[11:0] == 12'd0)
  `NPU_COVER(c_row_ends_at_4k, valid_o && next_i && burst_end == row_end && row_end[11:0] == 12'd0)
  `NPU_COVER(c_start_unaligned, valid_o && next_i && lane_o != '0)
  `NPU_COVER(c_end_unaligned, valid_o && next_i && burst_end[LaneW-1:0] != '0)
  `NPU_COVER(c_full_burst, valid_o && next_i && 32'(len_o) == MaxBurst - 1)
  // every start lane (address low bits) and every end lane of a burst (docs/testplan.md)
  // (unrolled: Verilator 5.006 merges cover points of generate-loop iterations into one;
  // 16 lanes = the 128-bit AXI data bus of npu_axi_pkg)
  `NPU_COVER(c_start_lane_0, valid_o && next_i && 32'(lane_o) == 0)
  `NPU_COVER(c_start_lane_1, valid_o && next_i && 32'(lane_o) == 1)
  `NPU_COVER(c_start_lane_2, valid_o && next_i && 32'(lane_o) == 2)
  `NPU_COVER(c_start_lane_3, valid_o && next_i && 32'(lane_o) == 3)
  `NPU_COVER(c_start_lane_4, valid_o && next_i && 32'(lane_o) == 4)
  `NPU_COVER(c_start_lane_5, valid_o && next_i && 32'(lane_o) == 5)
  `NPU_COVER(c_start_lane_6, valid_o && next_i && 32'(lane_o) == 6)
  `NPU_COVER(c_start_lane_7, valid_o && next_i && 32'(lane_o) == 7)
  `NPU_COVER(c_start_lane_8, valid_o && next_i && 32'(lane_o) == 8)
  `NPU_COVER(c_start_lane_9, valid_o && next_i && 32'(lane_o) == 9)
  `NPU_COVER(c_start_lane_10, valid_o && next_i && 32'(lane_o) == 10)
  `NPU_COVER(c_start_lane_11, valid_o && next_i && 32'(lane_o) == 11)
  `NPU_COVER(c_start_lane_12, valid_o && next_i && 32'(lane_o) == 12)
  `NPU_COVER(c_start_lane_13, valid_o && next_i && 32'(lane_o) == 13)
  `NPU_COVER(c_start_lane_14, valid_o && next_i && 32'(lane_o) == 14)
  `NPU_COVER(c_start_lane_15, valid_o && next_i && 32'(lane_o) == 15)
  `NPU_COVER(c_end_lane_0, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 0)
  `NPU_COVER(c_end_lane_1, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 1)
  `NPU_COVER(c_end_lane_2, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 2)
  `NPU_COVER(c_end_lane_3, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 3)
  `NPU_COVER(c_end_lane_4, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 4)
  `NPU_COVER(c_end_lane_5, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 5)
  `NPU_COVER(c_end_lane_6, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 6)
  `NPU_COVER(c_end_lane_7, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 7)
  `NPU_COVER(c_end_lane_8, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 8)
  `NPU_COVER(c_end_lane_9, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 9)
  `NPU_COVER(c_end_lane_10, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 10)
  `NPU_COVER(c_end_lane_11, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 11)
  `NPU_COVER(c_end_lane_12, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 12)
  `NPU_COVER(c_end_lane_13, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 13)
  `NPU_COVER(c_end_lane_14, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 14)
  `NPU_COVER(c_end_lane_15, valid_o && next_i && 32'(burst_end[LaneW-1:0]) == 15)
  `NPU_COVER(c_multi_row, valid_o && next_i && burst_end == row_end && r1_q != '0)
  `NPU_COVER(c_multi_plane, valid_o && next_i && burst_end == row_end && r2_q != '0)

endmodule : npu_dma_bursts

// npu_mac_array: weight-stationary systolic MAC array, Rows x Cols PEs, int8 x int8 -> int32.
// Theory of operation, timing diagram and caller rules: docs/datapath.md.
//
//  * PE(r,c) holds W[k=r][n=c]. An activation row (Rows int8 lanes, lane k = A[m][k]) enters on
//    the left; lane k is skewed by k cycles inside this block, travels right, and partial sums
//    travel down the columns. Column c is de-skewed by Cols-1-c cycles, so one aligned output row
//    (Cols int32, lane n = sum_k A[m][k] * W[k][n]) leaves per input row, in input order.
//  * Weights: the next tile loads into the shadow weights through the w_ port while the current
//    tile computes: exactly Rows beats, beat k = weight row k (Cols lanes, lane n = W[k][n]).
//    Beat k is written into row k of the shadow with the same column skew as the activations.
//  * A row offered with a_first_i = 1 starts a new tile: it is accepted only when all Rows shadow
//    beats are in; a swap flag then travels with that row, so PE(r,c) switches to the new weight
//    exactly when the row reaches it. Tiles follow each other without a bubble.
//  * Back-pressure: rows are accepted only while the output FIFO has room for every row in
//    flight (credits), so the systolic pipeline never stalls; o_ready_i does not reach any
//    valid combinationally.
//  * Ragged tiles: the caller zero-fills weight rows k >= K and weight columns n >= N (output
//    lanes n >= N are then 0 and ignored); activation lanes k >= K may hold anything.
//  * Latency: a row accepted in cycle t is on o_data_o (o_valid_o = 1) from cycle t + Rows +
//    Cols + 2 (the PE registers its product: one cycle more than the skew alone). Weight beat k
//    of the next tile is accepted no earlier than cycle t0 + 1 + k, t0 being the cycle the
//    current tile's first row was accepted; tiles of T >= Rows + 1 rows therefore stream back
//    to back at one row per cycle.
`include "npu_assert.svh"

module npu_mac_array #(
  parameter int unsigned Rows     = npu_pkg::Rows,
  parameter int unsigned Cols     = npu_pkg::Cols,
  parameter int unsigned DataW    = npu_pkg::DataW,
  parameter int unsigned AccW     = npu_pkg::AccW,
  // output FIFO entries; Rows + Cols + 3 sustains one row per cycle without back-pressure
  parameter int unsigned OutDepth = Rows + Cols + 3
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // weight rows of the next tile (Rows beats per tile, row k = 0 first)
  input  logic                  w_valid_i,
  output logic                  w_ready_o,
  input  logic [Cols*DataW-1:0] w_data_i,
  // activation rows (lane k = bits [k*DataW +: DataW]); a_first_i marks a tile's first row
  input  logic                  a_valid_i,
  output logic                  a_ready_o,
  input  logic                  a_first_i,
  input  logic [Rows*DataW-1:0] a_data_i,
  // result rows (lane n = bits [n*AccW +: AccW], signed)
  output logic                  o_valid_o,
  input  logic                  o_ready_i,
  output logic [Cols*AccW-1:0]  o_data_o
);

  // Partial sums inside the array: a product needs 2*DataW bits, Rows of them clog2(Rows) more.
  localparam int unsigned PsumW   = 2 * DataW + $clog2(Rows);
  localparam int unsigned RowIdxW = $clog2(Rows);
  localparam int unsigned RowCntW = $clog2(Rows + Cols + 1);
  localparam int unsigned OccW    = $clog2(OutDepth + 1);
  // accept edge to FIFO push edge: Rows + Cols through skew, grid and de-skew, plus the PE's
  // product register
  localparam int unsigned Latency = Rows + Cols + 1;

  `NPU_ASSERT_INIT(p_rows_at_least_two, Rows >= 2)
  `NPU_ASSERT_INIT(p_cols_at_least_two, Cols >= 2)
  `NPU_ASSERT_INIT(p_data_w_is_8, DataW == 8)
  `NPU_ASSERT_INIT(p_acc_holds_psum, AccW >= PsumW && AccW == 32)
  `NPU_ASSERT_INIT(p_out_depth_at_least_two, OutDepth >= 2)

  // ---------------------------------------------------------------------------------------------
  // Handshakes, credits and the shadow-weight loader.
  // ---------------------------------------------------------------------------------------------
  logic               w_fire, a_fire, o_fire, commit;
  logic               shadow_full_d, shadow_full_q;  // all Rows beats of the next tile are in
  logic [RowIdxW-1:0] w_cnt_d, w_cnt_q;              // next shadow row to write
  logic [RowCntW-1:0] since_d, since_q;              // cycles since the last commit (checks only)
  logic [OccW-1:0]    outstanding_d, outstanding_q;  // rows accepted and not yet popped
  logic               started_d, started_q;          // a tile has been started since reset

  // Shadow row k may be overwritten once the previous tile's swap has passed PE(k,0), i.e. from
  // cycle t0 + 1 + k on (t0: the cycle the tile start was accepted); later columns are written
  // with the same skew as the swap travels. Beats arrive at most one per cycle and the first
  // can be accepted in cycle t0 + 1 at the earliest (the shadow is full until t0), so beat k is
  // never early: no extra condition is needed (a_weight_beat_after_swap checks it).
  assign w_ready_o = !shadow_full_q;
  assign a_ready_o = (outstanding_q < OccW'(OutDepth)) && (!a_first_i || shadow_full_q);
  assign w_fire    = w_valid_i && w_ready_o;
  assign a_fire    = a_valid_i && a_ready_o;
  assign o_fire    = o_valid_o && o_ready_i;
  assign commit    = a_fire && a_first_i;

  always_comb begin
    shadow_full_d = shadow_full_q;
    w_cnt_d       = w_cnt_q;
    since_d       = since_q;
    outstanding_d = outstanding_q;
    started_d     = started_q;
    if (since_q != RowCntW'(Rows + Cols)) begin
      since_d = since_q + 1'b1;
    end
    if (w_fire) begin
      if (w_cnt_q == RowIdxW'(Rows - 1)) begin
        w_cnt_d       = '0;
        shadow_full_d = 1'b1;
      end else begin
        w_cnt_d = w_cnt_q + 1'b1;
      end
    end
    if (commit) begin
      shadow_full_d = 1'b0;
      since_d       = '0;
      started_d     = 1'b1;
    end
    if (a_fire && !o_fire) begin
      outstanding_d = outstanding_q + 1'b1;
    end else if (o_fire && !a_fire) begin
      outstanding_d = outstanding_q - 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      shadow_full_q <= 1'b0;
      w_cnt_q       <= '0;
      since_q       <= RowCntW'(Rows + Cols);
      outstanding_q <= '0;
      started_q     <= 1'b0;
    end else begin
      shadow_full_q <= shadow_full_d;
      w_cnt_q       <= w_cnt_d;
      since_q       <= since_d;
      outstanding_q <= outstanding_d;
      started_q     <= started_d;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Weight write skew: column c sees the beat (enable, row index, its lane) c cycles after the
  // handshake; column 0 is written at the handshake edge.
  // ---------------------------------------------------------------------------------------------
  logic [Cols-1:0]         col_we;
  logic [Cols*RowIdxW-1:0] col_idx;
  logic [Cols*DataW-1:0]   col_w;

  for (genvar c = 0; c < Cols; c++) begin : g_wskew
    npu_delay #(.Width(1), .Depth(c), .Reset(1'b1)) u_we (
      .clk_i, .rst_ni, .d_i(w_fire), .q_o(col_we[c])
    );
    npu_delay #(.Width(RowIdxW + DataW), .Depth(c), .Reset(1'b0)) u_wd (
      .clk_i, .rst_ni,
      .d_i({w_cnt_q, w_data_i[c*DataW +: DataW]}),
      .q_o({col_idx[c*RowIdxW +: RowIdxW], col_w[c*DataW +: DataW]})
    );
  end

  // ---------------------------------------------------------------------------------------------
  // Activation skew: lane k (and its swap flag) reaches PE(k,0) in cycle t + 1 + k.
  // ---------------------------------------------------------------------------------------------
  // a_h / swap_h: horizontal links, entry (r, c) feeds PE(r,c); c = Cols is the right edge.
  logic [Rows*(Cols+1)*DataW-1:0] a_h;
  logic [Rows*(Cols+1)-1:0]       swap_h;
  // ps_v: vertical links, entry (r, c) feeds PE(r,c); r = Rows is the bottom edge.
  logic [(Rows+1)*Cols*PsumW-1:0] ps_v;

  for (genvar r = 0; r < Rows; r++) begin : g_askew
    npu_delay #(.Width(DataW), .Depth(r + 1), .Reset(1'b0)) u_a (
      .clk_i, .rst_ni,
      .d_i(a_data_i[r*DataW +: DataW]),
      .q_o(a_h[(r*(Cols+1))*DataW +: DataW])
    );
    npu_delay #(.Width(1), .Depth(r + 1), .Reset(1'b1)) u_swap (
      .clk_i, .rst_ni, .d_i(commit), .q_o(swap_h[r*(Cols+1)])
    );
  end

  assign ps_v[Cols*PsumW-1:0] = '0;

  // ---------------------------------------------------------------------------------------------
  // The PE grid.
  // ---------------------------------------------------------------------------------------------
  for (genvar r = 0; r < Rows; r++) begin : g_row
    for (genvar c = 0; c < Cols; c++) begin : g_col
      logic pe_we;
      assign pe_we = col_we[c] && (col_idx[c*RowIdxW +: RowIdxW] == RowIdxW'(r));
      npu_pe #(.DataW(DataW), .PsumW(PsumW)) u_pe (
        .clk_i,
        .rst_ni,
        .a_i   (a_h[(r*(Cols+1)+c)*DataW +: DataW]),
        .swap_i(swap_h[r*(Cols+1)+c]),
        .a_o   (a_h[(r*(Cols+1)+c+1)*DataW +: DataW]),
        .swap_o(swap_h[r*(Cols+1)+c+1]),
        .psum_i(ps_v[(r*Cols+c)*PsumW +: PsumW]),
        .psum_o(ps_v[((r+1)*Cols+c)*PsumW +: PsumW]),
        .w_we_i(pe_we),
        .w_i   (col_w[c*DataW +: DataW])
      );
    end
  end

  // The right edge carries nothing further.
  logic [Rows-1:0] unused_right_edge;
  for (genvar r = 0; r < Rows; r++) begin : g_edge
    assign unused_right_edge[r] = ^{a_h[(r*(Cols+1)+Cols)*DataW +: DataW], swap_h[r*(Cols+1)+Cols]};
  end

  // ---------------------------------------------------------------------------------------------
  // De-skew, valid pipeline and the output FIFO.
  // ---------------------------------------------------------------------------------------------
  logic [Cols*AccW-1:0] row_out;
  logic                 row_valid;
  logic                 fifo_full;

  for (genvar c = 0; c < Cols; c++) begin : g_deskew
    logic [PsumW-1:0] col_out;
    npu_delay #(.Width(PsumW), .Depth(Cols - 1 - c), .Reset(1'b0)) u_d (
      .clk_i, .rst_ni, .d_i(ps_v[(Rows*Cols+c)*PsumW +: PsumW]), .q_o(col_out)
    );
    assign row_out[c*AccW +: AccW] = AccW'($signed(col_out));
  end

  npu_delay #(.Width(1), .Depth(Latency), .Reset(1'b1)) u_valid (
    .clk_i, .rst_ni, .d_i(a_fire), .q_o(row_valid)
  );

  npu_fifo #(.Width(Cols * AccW), .Depth(OutDepth)) u_out_fifo (
    .clk_i,
    .rst_ni,
    .push_i (row_valid),
    .data_i (row_out),
    .full_o (fifo_full),
    .valid_o(o_valid_o),
    .ready_i(o_ready_i),
    .data_o (o_data_o)
  );

  // ---------------------------------------------------------------------------------------------
  // Assertions and cover points.
  // ---------------------------------------------------------------------------------------------
  `NPU_ASSERT(a_w_valid_held, w_valid_i && !w_ready_o |=> w_valid_i)
  `NPU_ASSERT(a_w_data_stable, w_valid_i && !w_ready_o |=> $stable(w_data_i))
  `NPU_ASSERT(a_a_valid_held, a_valid_i && !a_ready_o |=> a_valid_i)
  `NPU_ASSERT(a_a_payload_stable,
              a_valid_i && !a_ready_o |=> $stable(a_data_i) && $stable(a_first_i))
  `NPU_ASSERT(a_first_row_starts_tile, a_fire && !started_q |-> a_first_i)
  `NPU_ASSERT(a_weight_beat_after_swap, w_fire |-> since_q >= RowCntW'(w_cnt_q))
  `NPU_ASSERT(a_credits_in_range, outstanding_q <= OccW'(OutDepth))
  `NPU_ASSERT(a_fifo_never_overflows, row_valid |-> !fifo_full)
  `NPU_ASSERT_NEVER(a_pop_without_row, o_fire && outstanding_q == '0)
  `NPU_COVER(c_tile_commit, commit)
  // a new tile starts while the previous tile's swap is still travelling through the array
  `NPU_COVER(c_back_to_back_tiles, commit && since_q < RowCntW'(Rows + Cols - 2))
  `NPU_COVER(c_first_row_waits_for_weights, a_valid_i && a_first_i && !shadow_full_q)
  `NPU_COVER(c_credit_stall, a_valid_i && outstanding_q == OccW'(OutDepth))
  `NPU_COVER(c_output_stall, o_valid_o && !o_ready_i)

endmodule : npu_mac_array

// npu_dma_load: DRAM -> local channel of the DMA (docs/dma.md).
//
//   descriptor -> plan (clip, window check) -> bursts -> AR register ----> AXI AR
//   AXI R -> lane extraction -> byte FIFO -> local word builder (+ pad bytes) -> local write port
//
// Read bursts use one ID, so R data returns in order; up to Outstanding bursts are in flight (the
// burst-info FIFO that the R side walks has Outstanding entries). On an SLVERR / DECERR beat the
// channel records the error, drops that beat and everything after it, stops issuing AR and
// stops writing the local memory, drains the R beats still owed, and finishes.
`include "npu_assert.svh"

module npu_dma_load #(
  parameter int unsigned Outstanding = npu_pkg::DmaOutstanding,
  parameter int unsigned MaxBurst    = npu_pkg::AxiMaxBurst,
  parameter int unsigned AxiId       = 0
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic [npu_pkg::AxiAddrW-1:0]  dram_base_i,
  input  logic [npu_pkg::AxiAddrW-1:0]  dram_limit_i,
  input  logic                          desc_valid_i,
  output logic                          desc_ready_o,
  input  npu_dma_pkg::desc_t            desc_i,
  output logic                          busy_o,
  output logic                          done_o,
  output npu_dma_pkg::err_e             err_o,
  input  logic                          err_clear_i,
  output npu_dma_pkg::lcl_req_t         lcl_req_o,
  input  npu_dma_pkg::lcl_rsp_t         lcl_rsp_i,
  output npu_axi_pkg::axi_ar_chan_t     ar_o,
  output logic                          ar_valid_o,
  input  logic                          ar_ready_i,
  input  npu_axi_pkg::axi_r_chan_t      r_i,
  input  logic                          r_valid_i,
  output logic                          r_ready_o
);

  localparam int unsigned Lanes  = npu_axi_pkg::StrbW;
  localparam int unsigned IdW    = npu_axi_pkg::IdW;
  localparam int unsigned LaneW  = $clog2(Lanes);
  localparam int unsigned DimW   = npu_dma_pkg::DimW;
  localparam int unsigned LAddrW = npu_dma_pkg::LclAddrW;
  localparam int unsigned BurstBytes = (MaxBurst * Lanes < 4096) ? MaxBurst * Lanes : 4096;
  localparam int unsigned BytesW = $clog2(BurstBytes) + 1;
  localparam int unsigned BfDepth = 4 * Lanes;
  localparam int unsigned BfCntW  = $clog2(BfDepth + 1);

  `NPU_ASSERT_INIT(p_outstanding, Outstanding >= 2)
  `NPU_ASSERT_INIT(p_lcl_width, npu_dma_pkg::LclStrbW == Lanes)

  typedef enum logic [1:0] {Idle, Plan, Run} state_e;

  typedef struct packed {
    logic [LaneW-1:0]  lane;
    logic [BytesW-1:0] bytes;
  } rinfo_t;

  state_e             state_q, state_d;
  npu_dma_pkg::desc_t desc_q, desc_d;
  npu_dma_pkg::err_e  err_q, err_d;
  logic               go_q, go_d, done_q, done_d;

  // ---------------------------------------------------------------------------------------------
  // Plan and burst generator
  // ---------------------------------------------------------------------------------------------
  logic            plan_done, empty, any, window_ok;
  logic [DimW-1:0] nd, pl, n1, i1lo, n2, i2lo;
  logic [npu_pkg::AxiAddrW-1:0] dram_lo;
  logic [LAddrW-1:0] lcl_lo_unused;

  npu_dma_plan u_plan (
    .clk_i, .rst_ni,
    .desc_i       (desc_q),
    .dram_base_i,
    .dram_limit_i,
    .start_i      (go_q),
    .done_o       (plan_done),
    .empty_o      (empty),
    .any_o        (any),
    .nd_o         (nd),
    .pl_o         (pl),
    .n1_o         (n1),
    .i1lo_o       (i1lo),
    .n2_o         (n2),
    .i2lo_o       (i2lo),
    .dram_lo_o    (dram_lo),
    .lcl_lo_o     (lcl_lo_unused),
    .window_ok_o  (window_ok)
  );

  logic              run_start, finish;
  logic              bu_valid, bu_next;
  logic [npu_pkg::AxiAddrW-1:0] bu_addr;
  logic [7:0]        bu_len;
  logic [LaneW-1:0]  bu_lane;
  logic [BytesW-1:0] bu_bytes;

  assign run_start = plan_done && !empty && window_ok;

  npu_dma_bursts #(.MaxBurst(MaxBurst)) u_bursts (
    .clk_i, .rst_ni,
    .start_i   (run_start && any),
    .clear_i   (finish),
    .dram_lo_i (dram_lo),
    .nd_i      (nd),
    .n1_i      (n1),
    .n2_i      (n2),
    .s1_i      (desc_q.dram_stride1),
    .s2_i      (desc_q.dram_stride2),
    .valid_o   (bu_valid),
    .next_i    (bu_next),
    .addr_o    (bu_addr),
    .len_o     (bu_len),
    .lane_o    (bu_lane),
    .bytes_o   (bu_bytes)
  );

  // ---------------------------------------------------------------------------------------------
  // AR register and the burst-info FIFO (one entry per burst in flight)
  // ---------------------------------------------------------------------------------------------
  logic                      ar_valid_q, ar_valid_d;
  npu_axi_pkg::axi_ar_chan_t ar_q, ar_d;
  logic   info_push, info_ready, info_valid, info_pop;
  rinfo_t info_in, info_head;

  always_comb begin
    ar_valid_d = ar_valid_q;
    ar_d       = ar_q;
    bu_next    = 1'b0;
    info_push  = 1'b0;
    info_in.lane  = bu_lane;
    info_in.bytes = bu_bytes;
    if (!ar_valid_q || ar_ready_i) begin
      ar_valid_d = 1'b0;
      if (state_q == Run && bu_valid && info_ready && err_q == npu_dma_pkg::DmaOk) begin
        ar_valid_d   = 1'b1;
        ar_d         = '0;
        ar_d.id      = IdW'(AxiId);
        ar_d.addr    = bu_addr;
        ar_d.len     = bu_len;
        ar_d.size    = npu_axi_pkg::SizeFull;
        ar_d.burst   = npu_axi_pkg::BurstIncr;
        ar_d.cache   = 4'b0011;  // normal non-cacheable bufferable
        bu_next      = 1'b1;
        info_push    = 1'b1;
      end
    end
  end

  npu_dma_fifo #(.Width(LaneW + BytesW), .Depth(Outstanding)) u_info (
    .clk_i, .rst_ni,
    .clear_i (go_q),
    .valid_i (info_push),
    .ready_o (info_ready),
    .data_i  (info_in),
    .valid_o (info_valid),
    .ready_i (info_pop),
    .data_o  (info_head)
  );

  // ---------------------------------------------------------------------------------------------
  // R side: lane extraction into the byte FIFO
  // ---------------------------------------------------------------------------------------------
  logic              r_first_q, r_first_d;
  logic [BytesW-1:0] r_rem_q, r_rem_d, r_rem;
  logic [LaneW-1:0]  r_lo;
  logic [LaneW:0]    r_cnt;
  logic              r_hs, r_err;
  logic              bf_push, bf_space, bf_pop;
  logic [LaneW:0]    bf_pop_cnt;
  logic [Lanes*8-1:0] bf_head;
  logic [BfCntW-1:0] bf_count;

  always_comb begin
    r_ready_o = info_valid && (err_q != npu_dma_pkg::DmaOk || bf_space);
    r_hs      = r_valid_i && r_ready_o;
    r_err     = r_i.resp[1];
    r_lo      = r_first_q ? info_head.lane : '0;
    r_rem     = r_first_q ? info_head.bytes : r_rem_q;
    r_cnt     = (BytesW'(Lanes) - BytesW'(r_lo)) < r_rem ? (LaneW + 1)'(Lanes - 32'(r_lo))
                                                         : (LaneW + 1)'(r_rem);
    r_first_d = r_first_q;
    r_rem_d   = r_rem_q;
    info_pop  = 1'b0;
    bf_push   = 1'b0;
    if (r_hs) begin
      r_rem_d   = r_rem - BytesW'(r_cnt);
      r_first_d = r_i.last;
      info_pop  = r_i.last;
      bf_push   = !r_err && err_q == npu_dma_pkg::DmaOk;
    end
    if (go_q) begin
      r_first_d = 1'b1;
    end
  end

  npu_dma_bytefifo #(.Lanes(Lanes), .Depth(BfDepth)) u_bytes (
    .clk_i, .rst_ni,
    .clear_i     (go_q),
    .push_i      (bf_push),
    .push_data_i (r_i.data),
    .push_lo_i   (r_lo),
    .push_cnt_i  (r_cnt),
    .space_o     (bf_space),
    .pop_i       (bf_pop),
    .pop_cnt_i   (bf_pop_cnt),
    .head_o      (bf_head),
    .count_o     (bf_count)
  );

  // ---------------------------------------------------------------------------------------------
  // Local writer: walks every window row (in-tensor or not), one local word per cycle
  // ---------------------------------------------------------------------------------------------
  logic              lw_active_q, lw_active_d;
  logic [LAddrW-1:0] lrow_q, lrow_d, lplane_q, lplane_d;
  logic [DimW-1:0]   i1_q, i1_d, i2_q, i2_d, pos_q, pos_d;
  logic              lw_valid_q, lw_valid_d;
  logic [LAddrW-1:0] lw_addr_q, lw_addr_d;
  logic [Lanes-1:0]  lw_strb_q, lw_strb_d;
  logic [Lanes*8-1:0] lw_data_q, lw_data_d;

  logic              in_tensor;
  logic [DimW-1:0]   dpl, dnd, chunk, dl, dh, k;
  logic [DimW:0]     room;
  logic [LAddrW-1:0] waddr;
  logic [LaneW-1:0]  wlane;
  logic [LaneW:0]    p;
  logic [Lanes-1:0]  strb, dmask;
  logic [Lanes*8-1:0] shifted_head, bytemask;
  logic              lw_load;

  always_comb begin
    in_tensor = any && i1_q >= i1lo && i1_q - i1lo < n1 && i2_q >= i2lo && i2_q - i2lo < n2;
    dpl    = in_tensor ? pl : desc_q.len0;
    dnd    = in_tensor ? nd : '0;
    waddr  = lrow_q + LAddrW'(pos_q);
    wlane  = waddr[LaneW-1:0];
    room   = (DimW + 1)'(desc_q.len0) - (DimW + 1)'(pos_q);
    chunk  = (DimW + 1)'(Lanes - 32'(wlane)) < room ? DimW'(Lanes - 32'(wlane)) : DimW'(room);
    dl     = pos_q > dpl ? pos_q : dpl;
    dh     = (pos_q + chunk) < (dpl + dnd) ? pos_q + chunk : dpl + dnd;
    k      = dh > dl ? dh - dl : '0;
    p      = (LaneW + 1)'(wlane) + (LaneW + 1)'(dl - pos_q);
    strb   = Lanes'(((Lanes + 1)'(1) << chunk) - (Lanes + 1)'(1)) << wlane;
    dmask  = Lanes'(((Lanes + 1)'(1) << k) - (Lanes + 1)'(1)) << p;
    shifted_head = bf_head << {p, 3'b000};
    for (int unsigned i = 0; i < Lanes; i++) begin
      bytemask[8*i +: 8] = {8{dmask[i]}};
    end
  end

  always_comb begin
    lw_active_d = lw_active_q;
    lrow_d      = lrow_q;
    lplane_d    = lplane_q;
    i1_d        = i1_q;
    i2_d        = i2_q;
    pos_d       = pos_q;
    lw_valid_d  = lw_valid_q;
    lw_addr_d   = lw_addr_q;
    lw_strb_d   = lw_strb_q;
    lw_data_d   = lw_data_q;
    bf_pop      = 1'b0;
    bf_pop_cnt  = (LaneW + 1)'(k);
    lw_load     = 1'b0;
    if (!lw_valid_q || lcl_rsp_i.ready) begin
      lw_valid_d = 1'b0;
      if (lw_active_q && err_q == npu_dma_pkg::DmaOk && DimW'(bf_count) >= k) begin
        lw_load    = 1'b1;
        lw_valid_d = 1'b1;
        lw_addr_d  = {waddr[LAddrW-1:LaneW], LaneW'(0)};
        lw_strb_d  = strb;
        lw_data_d  = (shifted_head & bytemask) | ({Lanes{desc_q.pad}} & ~bytemask);
        bf_pop     = k != '0;
        if (pos_q + chunk == desc_q.len0) begin
          pos_d = '0;
          if (i1_q + DimW'(1) < desc_q.len1) begin
            i1_d   = i1_q + DimW'(1);
            lrow_d = lrow_q + desc_q.lcl_stride1;
          end else if (i2_q + DimW'(1) < desc_q.len2) begin
            i1_d     = '0;
            i2_d     = i2_q + DimW'(1);
            lplane_d = lplane_q + desc_q.lcl_stride2;
            lrow_d   = lplane_q + desc_q.lcl_stride2;
          end else begin
            lw_active_d = 1'b0;
          end
        end else begin
          pos_d = pos_q + chunk;
        end
      end
    end
    if (run_start) begin
      lw_active_d = 1'b1;
      lrow_d      = desc_q.lcl_addr;
      lplane_d    = desc_q.lcl_addr;
      i1_d        = '0;
      i2_d        = '0;
      pos_d       = '0;
    end
  end

  always_comb begin
    lcl_req_o       = '0;
    lcl_req_o.valid = lw_valid_q;
    lcl_req_o.we    = 1'b1;
    lcl_req_o.addr  = lw_addr_q;
    lcl_req_o.strb  = lw_strb_q;
    lcl_req_o.wdata = lw_data_q;
  end

  // ---------------------------------------------------------------------------------------------
  // Control
  // ---------------------------------------------------------------------------------------------
  logic idle_all;
  assign idle_all = !ar_valid_q && !info_valid && !lw_valid_q;

  always_comb begin
    state_d = state_q;
    desc_d  = desc_q;
    err_d   = err_q;
    go_d    = 1'b0;
    done_d  = 1'b0;
    finish  = 1'b0;
    if (err_clear_i && state_q == Idle) begin
      err_d = npu_dma_pkg::DmaOk;
    end
    unique case (state_q)
      Idle: begin
        if (desc_valid_i && desc_ready_o) begin
          desc_d  = desc_i;
          go_d    = 1'b1;
          state_d = Plan;
        end
      end
      Plan: begin
        if (plan_done) begin
          if (empty) begin
            finish = 1'b1;
          end else if (!window_ok) begin
            err_d  = npu_dma_pkg::DmaErrWindow;
            finish = 1'b1;
          end else begin
            state_d = Run;
          end
        end
      end
      Run: begin
        if (err_q != npu_dma_pkg::DmaOk) begin
          finish = idle_all;
        end else begin
          finish = idle_all && !bu_valid && !lw_active_q;
        end
      end
      default: state_d = Idle;
    endcase
    if (r_hs && r_err && err_q == npu_dma_pkg::DmaOk) begin
      err_d = r_i.resp[0] ? npu_dma_pkg::DmaErrDecerr : npu_dma_pkg::DmaErrSlverr;
    end
    if (finish) begin
      state_d = Idle;
      done_d  = 1'b1;
    end
  end

  assign desc_ready_o = state_q == Idle && err_q == npu_dma_pkg::DmaOk;
  assign busy_o       = state_q != Idle;
  assign done_o       = done_q;
  assign err_o        = err_q;
  assign ar_valid_o   = ar_valid_q;
  assign ar_o         = ar_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= Idle;
      desc_q      <= '0;
      err_q       <= npu_dma_pkg::DmaOk;
      go_q        <= 1'b0;
      done_q      <= 1'b0;
      ar_valid_q  <= 1'b0;
      ar_q        <= '0;
      r_first_q   <= 1'b1;
      r_rem_q     <= '0;
      lw_active_q <= 1'b0;
      lrow_q      <= '0;
      lplane_q    <= '0;
      i1_q        <= '0;
      i2_q        <= '0;
      pos_q       <= '0;
      lw_valid_q  <= 1'b0;
      lw_addr_q   <= '0;
      lw_strb_q   <= '0;
      lw_data_q   <= '0;
    end else begin
      state_q     <= state_d;
      desc_q      <= desc_d;
      err_q       <= err_d;
      go_q        <= go_d;
      done_q      <= done_d;
      ar_valid_q  <= ar_valid_d;
      ar_q        <= ar_d;
      r_first_q   <= r_first_d;
      r_rem_q     <= r_rem_d;
      lw_active_q <= lw_active_d && !finish;
      lrow_q      <= lrow_d;
      lplane_q    <= lplane_d;
      i1_q        <= i1_d;
      i2_q        <= i2_d;
      pos_q       <= pos_d;
      lw_valid_q  <= lw_valid_d;
      lw_addr_q   <= lw_addr_d;
      lw_strb_q   <= lw_strb_d;
      lw_data_q   <= lw_data_d;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Assertions and coverage
  // ---------------------------------------------------------------------------------------------
  `NPU_ASSERT(a_r_id, r_valid_i |-> r_i.id == IdW'(AxiId))
  `NPU_ASSERT(a_r_only_when_expected, r_valid_i |-> info_valid)
  `NPU_ASSERT(a_r_last_matches_bytes, r_hs && !r_err && err_q == npu_dma_pkg::DmaOk |->
                                      (r_i.last == (r_rem == BytesW'(r_cnt))))
  `NPU_ASSERT(a_lcl_valid_held, lcl_req_o.valid && !lcl_rsp_i.ready |=> lcl_req_o.valid &&
                                $stable(lcl_req_o))
  `NPU_ASSERT(a_lcl_strb_nonzero, lcl_req_o.valid |-> lcl_req_o.strb != '0)
  `NPU_COVER(c_pad_left, lw_load && in_tensor && k != '0 && pos_q < pl)
  `NPU_COVER(c_pad_right, lw_load && in_tensor && pos_q + chunk > pl + nd)
  `NPU_COVER(c_pad_row_before, lw_load && !in_tensor && any && i1_q < i1lo)
  `NPU_COVER(c_pad_row_after, lw_load && !in_tensor && any && i1_q >= i1lo + n1)
  `NPU_COVER(c_pad_plane_before, lw_load && !in_tensor && any && i2_q < i2lo)
  `NPU_COVER(c_pad_plane_after, lw_load && !in_tensor && any && i2_q >= i2lo + n2)
  `NPU_COVER(c_all_pad, run_start && !any)
  `NPU_COVER(c_lcl_unaligned, lw_load && wlane != '0)
  `NPU_COVER(c_r_error, r_hs && r_err)
  `NPU_COVER(c_window_refused, plan_done && !empty && !window_ok)
  `NPU_COVER(c_in_flight_full, state_q == Run && !info_ready)

endmodule : npu_dma_load

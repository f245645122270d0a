// npu_dma_store: local -> DRAM channel of the DMA (docs/dma.md).
//
//   descriptor -> plan (clip, window check) -> local reader -> response FIFO -> byte FIFO
//              -> bursts -> AW register -> AXI AW;  W builder (byte FIFO -> DRAM lanes) -> AXI W
//
// Only in-tensor elements are stored (out-of-tensor window elements are skipped). Up to
// Outstanding write bursts are in flight (AW issued, B not yet received); W follows AW. On an
// SLVERR / DECERR response the channel records the error and stops issuing AW; the W beats still
// owed for bursts already issued go out with WSTRB = 0 (nothing more is committed); the channel
// finishes once every B and every local read has come back.
`include "npu_assert.svh"

module npu_dma_store #(
  parameter int unsigned Outstanding = npu_pkg::DmaOutstanding,
  parameter int unsigned MaxBurst    = npu_pkg::AxiMaxBurst,
  parameter int unsigned LclRdDepth  = 8,
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
  output npu_axi_pkg::axi_aw_chan_t     aw_o,
  output logic                          aw_valid_o,
  input  logic                          aw_ready_i,
  output npu_axi_pkg::axi_w_chan_t      w_o,
  output logic                          w_valid_o,
  input  logic                          w_ready_i,
  input  npu_axi_pkg::axi_b_chan_t      b_i,
  input  logic                          b_valid_i,
  output logic                          b_ready_o
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
  localparam int unsigned BfPtrW  = $clog2(BfDepth);
  localparam int unsigned OutW    = $clog2(Outstanding + 1);
  localparam int unsigned CredW   = $clog2(LclRdDepth + 1);

  `NPU_ASSERT_INIT(p_outstanding, Outstanding >= 2)
  `NPU_ASSERT_INIT(p_rd_depth, LclRdDepth >= 2)
  `NPU_ASSERT_INIT(p_lcl_width, npu_dma_pkg::LclStrbW == Lanes)

  typedef enum logic [1:0] {Idle, Plan, Run} state_e;

  typedef struct packed {
    logic [LaneW-1:0]  lane;
    logic [BytesW-1:0] bytes;
    logic [7:0]        len;
    logic [LaneW:0]    cnt;   // bytes of the first beat: min(Lanes - lane, bytes)
    logic [BfPtrW-1:0] base;  // the byte FIFO's read index minus lane, at the first beat
  } winfo_t;
  localparam int unsigned WinfoW = LaneW + BytesW + 8 + LaneW + 1 + BfPtrW;  // $bits(winfo_t)
  `NPU_ASSERT_INIT(p_winfo_w, WinfoW == $bits(winfo_t))

  typedef struct packed {
    logic [LaneW-1:0] lane;
    logic [LaneW:0]   cnt;
  } tag_t;

  state_e             state_q, state_d;
  npu_dma_pkg::desc_t desc_q, desc_d;
  npu_dma_pkg::err_e  err_q, err_d;
  logic               go_q, go_d, done_q, done_d;
  logic               ok;

  assign ok = err_q == npu_dma_pkg::DmaOk;

  // ---------------------------------------------------------------------------------------------
  // Plan and burst generator
  // ---------------------------------------------------------------------------------------------
  logic            plan_done, empty, any, window_ok;
  logic [DimW-1:0] nd, pl_unused, n1, i1lo_unused, n2, i2lo_unused;
  logic [npu_pkg::AxiAddrW-1:0] dram_lo;
  logic [LAddrW-1:0] lcl_lo;

  npu_dma_plan u_plan (
    .clk_i, .rst_ni,
    .desc_i       (desc_q),
    .next_start2_i (desc_i.start2),
    .next_stride2_i(desc_i.dram_stride2),
    .dram_base_i,
    .dram_limit_i,
    .start_i      (go_q),
    .done_o       (plan_done),
    .empty_o      (empty),
    .any_o        (any),
    .nd_o         (nd),
    .pl_o         (pl_unused),
    .n1_o         (n1),
    .i1lo_o       (i1lo_unused),
    .n2_o         (n2),
    .i2lo_o       (i2lo_unused),
    .dram_lo_o    (dram_lo),
    .lcl_lo_o     (lcl_lo),
    .window_ok_o  (window_ok)
  );

  logic              run_start, finish;
  logic              bu_valid, bu_next;
  logic [npu_pkg::AxiAddrW-1:0] bu_addr;
  logic [7:0]        bu_len;
  logic [LaneW-1:0]  bu_lane;
  logic [BytesW-1:0] bu_bytes;

  assign run_start = plan_done && !empty && any && window_ok;

  npu_dma_bursts #(.MaxBurst(MaxBurst)) u_bursts (
    .clk_i, .rst_ni,
    .start_i   (run_start),
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
  // Local reader: in-tensor rows only, one word request per cycle, credit-limited so every
  // response has a place in the response FIFO. Its position is the read address itself and the
  // bytes left in the row, counted down by each word's byte count, so a word's lane and count
  // need only (LaneW + 1)-bit arithmetic on registers (as the load's walker); the row and plane
  // starts are added only when a row ends. pos_q (bytes of the row already read) is kept for the
  // assertion that ties the address back to row start + position.
  // ---------------------------------------------------------------------------------------------
  logic              rd_active_q, rd_active_d;
  logic [LAddrW-1:0] lrow_q, lrow_d, lplane_q, lplane_d, raddr_q, raddr_d;
  logic [DimW-1:0]   r1_q, r1_d, r2_q, r2_d, room_q, room_d, pos_q, pos_d;
  logic              rd_valid_q, rd_valid_d;
  logic [LAddrW-1:0] rd_addr_q, rd_addr_d;
  logic [CredW-1:0]  cred_q, cred_d;
  logic [LaneW-1:0]  rlane;
  logic [LaneW:0]    left, room_sat, rchunk;
  logic              row_end;
  logic              tag_push, tag_ready, tag_valid, tag_pop, rsp_valid, rsp_ready_unused;
  tag_t              tag_in, tag_head;
  logic [Lanes*8-1:0] rsp_data;
  logic              drain;

  always_comb begin
    rlane    = raddr_q[LaneW-1:0];
    left     = (LaneW + 1)'(Lanes) - (LaneW + 1)'(rlane);
    room_sat = room_q >= DimW'(Lanes) ? (LaneW + 1)'(Lanes) : (LaneW + 1)'(room_q);
    row_end  = room_q <= DimW'(Lanes) && room_sat <= left;  // room_q <= left
    rchunk   = row_end ? room_sat : left;
    tag_in.lane = rlane;
    tag_in.cnt  = rchunk;
  end

  always_comb begin
    rd_active_d = rd_active_q;
    lrow_d      = lrow_q;
    lplane_d    = lplane_q;
    raddr_d     = raddr_q;
    r1_d        = r1_q;
    r2_d        = r2_q;
    room_d      = room_q;
    pos_d       = pos_q;
    rd_valid_d  = rd_valid_q;
    rd_addr_d   = rd_addr_q;
    tag_push    = 1'b0;
    if (!rd_valid_q || lcl_rsp_i.ready) begin
      rd_valid_d = 1'b0;
      if (rd_active_q && ok && cred_q != '0) begin
        rd_valid_d = 1'b1;
        rd_addr_d  = {raddr_q[LAddrW-1:LaneW], LaneW'(0)};
        tag_push   = 1'b1;
        if (row_end) begin
          room_d = nd;
          pos_d  = '0;
          if (r1_q + DimW'(1) < n1) begin
            r1_d    = r1_q + DimW'(1);
            lrow_d  = lrow_q + desc_q.lcl_stride1;
            raddr_d = lrow_q + desc_q.lcl_stride1;
          end else if (r2_q + DimW'(1) < n2) begin
            r1_d     = '0;
            r2_d     = r2_q + DimW'(1);
            lplane_d = lplane_q + desc_q.lcl_stride2;
            lrow_d   = lplane_q + desc_q.lcl_stride2;
            raddr_d  = lplane_q + desc_q.lcl_stride2;
          end else begin
            rd_active_d = 1'b0;
          end
        end else begin
          // Not the row's last word: the next one starts at lane 0 of the next word.
          raddr_d = {raddr_q[LAddrW-1:LaneW] + (LAddrW - LaneW)'(1), LaneW'(0)};
          room_d  = room_q - DimW'(left);
          pos_d   = pos_q + DimW'(left);
        end
      end
    end
    if (run_start) begin
      rd_active_d = 1'b1;
      lrow_d      = lcl_lo;
      lplane_d    = lcl_lo;
      raddr_d     = lcl_lo;
      r1_d        = '0;
      r2_d        = '0;
      room_d      = nd;
      pos_d       = '0;
    end
    cred_d = cred_q - (tag_push ? CredW'(1) : '0) + (drain ? CredW'(1) : '0);
  end

  always_comb begin
    lcl_req_o       = '0;
    lcl_req_o.valid = rd_valid_q;
    lcl_req_o.addr  = rd_addr_q;
  end

  // WriteFree: tag_push waits on the scratchpad's ready and the credits; the tag storage's
  // enables then follow the fill level only (the deepest estimated path of the 4x4 NPU ended
  // there, docs/fpga.md). RegOut (here and on u_winfo): the head is a register, so the byte
  // FIFO's push and the W builder start at flip-flops, not at LUT-RAM reads (routed worst paths
  // at two placements). Cycle-identical. RegOut on u_rsp as well: its read address fanned out to
  // every LUT-RAM cell of the 128-bit data and then into the byte FIFO's lane rotation (a routed
  // worst path, docs/fpga.md); the rotation now starts at flip-flops.
  npu_dma_fifo #(.Width(2 * LaneW + 1), .Depth(LclRdDepth), .WriteFree(1'b1), .RegOut(1'b1))
      u_tags (
    .clk_i, .rst_ni,
    .clear_i (go_q),
    .valid_i (tag_push),
    .ready_o (tag_ready),
    .data_i  (tag_in),
    .valid_o (tag_valid),
    .ready_i (tag_pop),
    .data_o  (tag_head)
  );

  npu_dma_fifo #(.Width(Lanes * 8), .Depth(LclRdDepth), .RegOut(1'b1)) u_rsp (
    .clk_i, .rst_ni,
    .clear_i (go_q),
    .valid_i (lcl_rsp_i.rvalid),
    .ready_o (rsp_ready_unused),
    .data_i  (lcl_rsp_i.rdata),
    .valid_o (rsp_valid),
    .ready_i (drain),
    .data_o  (rsp_data)
  );

  // Response FIFO -> byte FIFO (after an error the responses are only drained).
  logic               bf_push, bf_space, bf_pop;
  logic [LaneW:0]     bf_pop_cnt;
  logic [Lanes*8-1:0] bf_head;
  logic [BfCntW-1:0]  bf_count;
  logic [BfPtrW-1:0]  bf_rptr, bf_base;

  assign drain   = rsp_valid && (!ok || bf_space);
  assign tag_pop = drain;
  assign bf_push = drain && ok;

  npu_dma_bytefifo #(.Lanes(Lanes), .Depth(BfDepth)) u_bytes (
    .clk_i, .rst_ni,
    .clear_i     (go_q),
    .push_i      (bf_push),
    .push_data_i (rsp_data),
    .push_lo_i   (tag_head.lane),
    .push_cnt_i  (tag_head.cnt),
    .space_o     (bf_space),
    .pop_i       (bf_pop),
    .pop_cnt_i   (bf_pop_cnt),
    .head_base_i (bf_base),
    .rptr_o      (bf_rptr),
    .head_o      (bf_head),
    .count_o     (bf_count)
  );

  // ---------------------------------------------------------------------------------------------
  // AW register; W info is pushed when the AW handshake happens, so W never precedes its AW.
  // ---------------------------------------------------------------------------------------------
  logic                      aw_valid_q, aw_valid_d;
  npu_axi_pkg::axi_aw_chan_t aw_q, aw_d;
  winfo_t                    awinfo_q, awinfo_d;
  logic [OutW-1:0]           outst_q, outst_d;
  logic                      winfo_push, winfo_ready, winfo_valid, winfo_pop;
  winfo_t                    winfo_head;
  logic                      aw_load, b_hs;
  // The byte FIFO's read index at the next burst's first beat: the bytes of the bursts before
  // it, counted from the FIFO's clear. The burst's W information carries apos - lane, the index
  // the FIFO's read multiplexers need to place the first beat's bytes at its lane, so they start
  // at the W information's head register (later beats start at lane 0: the read pointer itself)
  // instead of at a subtraction behind it (docs/fpga.md).
  logic [BfPtrW-1:0]         apos_q, apos_d;

  always_comb begin
    aw_valid_d = aw_valid_q;
    aw_d       = aw_q;
    awinfo_d   = awinfo_q;
    apos_d     = apos_q;
    bu_next    = 1'b0;
    aw_load    = 1'b0;
    winfo_push = aw_valid_q && aw_ready_i;
    if (!aw_valid_q || aw_ready_i) begin
      aw_valid_d = 1'b0;
      if (state_q == Run && bu_valid && ok && 32'(outst_q) < Outstanding) begin
        aw_load    = 1'b1;
        aw_valid_d = 1'b1;
        aw_d       = '0;
        aw_d.id    = IdW'(AxiId);
        aw_d.addr  = bu_addr;
        aw_d.len   = bu_len;
        aw_d.size  = npu_axi_pkg::SizeFull;
        aw_d.burst = npu_axi_pkg::BurstIncr;
        aw_d.cache = 4'b0011;
        awinfo_d.lane  = bu_lane;
        awinfo_d.bytes = bu_bytes;
        awinfo_d.len   = bu_len;
        awinfo_d.cnt   = npu_dma_pkg::beat_bytes(bu_lane, 32'(bu_bytes));
        awinfo_d.base  = apos_q - BfPtrW'(bu_lane);
        apos_d         = apos_q + BfPtrW'(bu_bytes);
        bu_next    = 1'b1;
      end
    end
    if (go_q) begin
      apos_d = '0;  // the byte FIFO is cleared with the descriptor
    end
    b_hs    = b_valid_i && b_ready_o;
    outst_d = outst_q + (aw_load ? OutW'(1) : '0) - (b_hs ? OutW'(1) : '0);
  end

  npu_dma_fifo #(.Width(WinfoW), .Depth(Outstanding), .RegOut(1'b1)) u_winfo (
    .clk_i, .rst_ni,
    .clear_i (go_q),
    .valid_i (winfo_push),
    .ready_o (winfo_ready),
    .data_i  (awinfo_q),
    .valid_o (winfo_valid),
    .ready_i (winfo_pop),
    .data_o  (winfo_head)
  );

  // ---------------------------------------------------------------------------------------------
  // W builder: byte FIFO -> DRAM lanes, one beat per cycle.
  // ---------------------------------------------------------------------------------------------
  logic               w_valid_q, w_valid_d;
  npu_axi_pkg::axi_w_chan_t w_q, w_d;
  logic               w_first_q, w_first_d;
  logic [BytesW-1:0]  w_rem_q, w_rem_d, w_rem;
  logic [7:0]         w_beat_q, w_beat_d;
  logic [LaneW-1:0]   w_lo;
  logic [LaneW:0]     w_cnt, w_cnt_ref, w_ncnt_q, w_ncnt_d;
  logic               w_last;

  // Outside the block below, which reads the byte FIFO's head: the head depends on w_lo. The
  // head's byte j at lane w_lo + j: bf_base = rptr - w_lo, from registers (a_w_base).
  assign w_lo    = w_first_q ? winfo_head.lane : '0;
  assign bf_base = w_first_q ? winfo_head.base : bf_rptr;

  // A beat's byte count comes from registers, not from arithmetic on the burst-info head: the
  // first beat's is in the head (cnt, computed when the AW is loaded), a later beat's (lane 0,
  // min(Lanes, bytes left)) in w_ncnt_q, computed when the beat before it is built. The byte
  // FIFO compare that decides the beat, and so the pop of the head, starts there. w_cnt_ref is
  // the count from the head's fields, for the assertion.
  always_comb begin
    w_rem     = w_first_q ? winfo_head.bytes : w_rem_q;
    w_cnt_ref = npu_dma_pkg::beat_bytes(w_lo, 32'(w_rem));
    w_cnt     = w_first_q ? winfo_head.cnt : w_ncnt_q;
    w_last    = (w_first_q ? 8'd0 : w_beat_q) == winfo_head.len;
    w_valid_d  = w_valid_q;
    w_d        = w_q;
    w_first_d  = w_first_q;
    w_rem_d    = w_rem_q;
    w_ncnt_d   = w_ncnt_q;
    w_beat_d   = w_beat_q;
    winfo_pop  = 1'b0;
    bf_pop     = 1'b0;
    bf_pop_cnt = w_cnt;
    if (!w_valid_q || w_ready_i) begin
      w_valid_d = 1'b0;
      // The beat's data, strobes and last flag are loaded whenever the W register can take a
      // beat, whether or not one is built (they are read only while w_valid_q): their 145
      // enables then follow the W ready alone, not the byte FIFO compare below (that decision,
      // fanning out to all of them, was on the routed 4x4 NPU's worst path at one placement,
      // docs/fpga.md). The byte FIFO's head has byte j at lane w_lo + j (bf_base); the lanes
      // outside the strobes carry other FIFO bytes, below w_lo as above w_lo + w_cnt.
      w_d.data = bf_head;
      w_d.strb = ok ? Lanes'(((Lanes + 1)'(1) << w_cnt) - (Lanes + 1)'(1)) << w_lo : '0;
      w_d.last = w_last;
      if (winfo_valid && (!ok || (BfCntW + 1)'(bf_count) >= (BfCntW + 1)'(w_cnt))) begin
        w_valid_d = 1'b1;
        bf_pop    = ok;
        w_rem_d   = w_rem - BytesW'(w_cnt);
        w_ncnt_d  = npu_dma_pkg::beat_bytes('0, 32'(w_rem_d));
        w_beat_d  = (w_first_q ? 8'd0 : w_beat_q) + 8'd1;
        w_first_d = w_last;
        winfo_pop = w_last;
      end
    end
    if (go_q) begin
      w_first_d = 1'b1;
    end
  end

  assign aw_valid_o = aw_valid_q;
  assign aw_o       = aw_q;
  assign w_valid_o  = w_valid_q;
  assign w_o        = w_q;
  assign b_ready_o  = 1'b1;

  // ---------------------------------------------------------------------------------------------
  // Control
  // ---------------------------------------------------------------------------------------------
  logic quiet;
  assign quiet = !aw_valid_q && outst_q == '0 && !winfo_valid && !w_valid_q && !rd_valid_q &&
                 32'(cred_q) == LclRdDepth;

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
          if (empty || !any) begin
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
        finish = quiet && (!ok || (!bu_valid && !rd_active_q));
      end
      default: state_d = Idle;
    endcase
    if (b_hs && b_i.resp[1] && ok) begin
      err_d = b_i.resp[0] ? npu_dma_pkg::DmaErrDecerr : npu_dma_pkg::DmaErrSlverr;
    end
    if (finish) begin
      state_d = Idle;
      done_d  = 1'b1;
    end
  end

  assign desc_ready_o = state_q == Idle && ok;
  assign busy_o       = state_q != Idle;
  assign done_o       = done_q;
  assign err_o        = err_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= Idle;
      desc_q      <= '0;
      err_q       <= npu_dma_pkg::DmaOk;
      go_q        <= 1'b0;
      done_q      <= 1'b0;
      rd_active_q <= 1'b0;
      lrow_q      <= '0;
      lplane_q    <= '0;
      r1_q        <= '0;
      r2_q        <= '0;
      raddr_q     <= '0;
      room_q      <= '0;
      pos_q       <= '0;
      rd_valid_q  <= 1'b0;
      rd_addr_q   <= '0;
      cred_q      <= CredW'(LclRdDepth);
      aw_valid_q  <= 1'b0;
      aw_q        <= '0;
      awinfo_q    <= '0;
      apos_q      <= '0;
      outst_q     <= '0;
      w_valid_q   <= 1'b0;
      w_q         <= '0;
      w_first_q   <= 1'b1;
      w_rem_q     <= '0;
      w_ncnt_q    <= '0;
      w_beat_q    <= '0;
    end else begin
      state_q     <= state_d;
      desc_q      <= desc_d;
      err_q       <= err_d;
      go_q        <= go_d;
      done_q      <= done_d;
      rd_active_q <= rd_active_d && !finish;
      lrow_q      <= lrow_d;
      lplane_q    <= lplane_d;
      r1_q        <= r1_d;
      r2_q        <= r2_d;
      raddr_q     <= raddr_d;
      room_q      <= room_d;
      pos_q       <= pos_d;
      rd_valid_q  <= rd_valid_d;
      rd_addr_q   <= rd_addr_d;
      cred_q      <= cred_d;
      aw_valid_q  <= aw_valid_d;
      aw_q        <= aw_d;
      awinfo_q    <= awinfo_d;
      apos_q      <= apos_d;
      outst_q     <= outst_d;
      w_valid_q   <= w_valid_d;
      w_q         <= w_d;
      w_first_q   <= w_first_d;
      w_rem_q     <= w_rem_d;
      w_ncnt_q    <= w_ncnt_d;
      w_beat_q    <= w_beat_d;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Assertions and coverage
  // ---------------------------------------------------------------------------------------------
  `NPU_ASSERT(a_b_only_when_expected, b_valid_i |-> outst_q != '0)
  `NPU_ASSERT(a_rsp_has_room, lcl_rsp_i.rvalid |-> rsp_ready_unused)
  `NPU_ASSERT(a_w_last_consumes_burst, (!w_valid_q || w_ready_i) && winfo_valid && ok &&
                                       bf_pop |-> (w_last == (w_rem == BytesW'(w_cnt))))
  `NPU_ASSERT(a_lcl_valid_held, lcl_req_o.valid && !lcl_rsp_i.ready |=> lcl_req_o.valid &&
                                $stable(lcl_req_o))
  `NPU_ASSERT(a_tag_room, tag_push |-> tag_ready)
  `NPU_ASSERT(a_w_base, winfo_valid && ok |-> bf_base == bf_rptr - BfPtrW'(w_lo))
  `NPU_ASSERT(a_winfo_room, winfo_push |-> winfo_ready)
  `NPU_ASSERT(a_w_cnt_reg, winfo_valid |-> w_cnt == w_cnt_ref)
  `NPU_ASSERT(a_tag_with_rsp, rsp_valid |-> tag_valid)
  `NPU_ASSERT(a_reader_position, rd_active_q |-> raddr_q == lrow_q + LAddrW'(pos_q) &&
                                 32'(room_q) + 32'(pos_q) == 32'(nd) && room_q != '0)
  `NPU_ASSERT(a_b_id, b_valid_i |-> b_i.id == IdW'(AxiId))
  `NPU_COVER(c_b_error, b_hs && b_i.resp[1])
  `NPU_COVER(c_w_after_error, w_valid_o && w_o.strb == '0)
  `NPU_COVER(c_lcl_unaligned, tag_push && rlane != '0)
  `NPU_COVER(c_store_clipped, run_start && (nd != desc_q.len0 || n1 != desc_q.len1))
  `NPU_COVER(c_outstanding_full, state_q == Run && 32'(outst_q) == Outstanding)

endmodule : npu_dma_store

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
  localparam int unsigned BfPtrW  = $clog2(BfDepth);

  `NPU_ASSERT_INIT(p_outstanding, Outstanding >= 2)
  `NPU_ASSERT_INIT(p_lcl_width, npu_dma_pkg::LclStrbW == Lanes)

  typedef enum logic [1:0] {Idle, Plan, Run} state_e;

  typedef struct packed {
    logic [LaneW-1:0]  lane;
    logic [BytesW-1:0] bytes;
    logic [LaneW:0]    cnt;   // bytes of the first beat: min(Lanes - lane, bytes)
  } rinfo_t;
  `NPU_ASSERT_INIT(p_dim_w, DimW > LaneW + 2)  // the walker's end of row tests
  `NPU_ASSERT_INIT(p_rinfo_w, LaneW + BytesW + LaneW + 1 == $bits(rinfo_t))

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
    .next_start2_i (desc_i.start2),
    .next_stride2_i(desc_i.dram_stride2),
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
    info_in.cnt   = npu_dma_pkg::beat_bytes(bu_lane, 32'(bu_bytes));
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

  // RegOut (here and on u_words): the heads are registers, so the R side's and the writer's
  // logic starts at flip-flops, not at LUT-RAM reads whose read address fans out to every cell
  // (the routed 4x4 NPU's worst paths at two placements, docs/fpga.md). Cycle-identical.
  npu_dma_fifo #(.Width(LaneW + BytesW + LaneW + 1), .Depth(Outstanding), .RegOut(1'b1)) u_info (
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
  logic [LaneW:0]    r_cnt, r_cnt_ref, r_ncnt_q, r_ncnt_d;
  logic              r_hs, r_err;
  logic              bf_push, bf_space, bf_pop;
  logic [LaneW:0]    bf_pop_cnt;
  logic [Lanes*8-1:0] bf_head;
  logic [BfCntW-1:0] bf_count;
  logic [BfPtrW-1:0] bf_rptr;

  // A beat's byte count comes from registers, not from arithmetic on the burst-info head (as in
  // the store's W builder): the first beat's is in the head (cnt, computed when the AR is
  // loaded), a later beat's (lane 0, min(Lanes, bytes left)) in r_ncnt_q, computed when the beat
  // before it is taken. The byte FIFO's per-byte push compares start there. r_cnt_ref is the
  // count from the head's fields, for the assertion.
  always_comb begin
    r_ready_o = info_valid && (err_q != npu_dma_pkg::DmaOk || bf_space);
    r_hs      = r_valid_i && r_ready_o;
    r_err     = r_i.resp[1];
    r_lo      = r_first_q ? info_head.lane : '0;
    r_rem     = r_first_q ? info_head.bytes : r_rem_q;
    r_cnt_ref = npu_dma_pkg::beat_bytes(r_lo, 32'(r_rem));
    r_cnt     = r_first_q ? info_head.cnt : r_ncnt_q;
    r_first_d = r_first_q;
    r_rem_d   = r_rem_q;
    r_ncnt_d  = r_ncnt_q;
    info_pop  = 1'b0;
    bf_push   = 1'b0;
    if (r_hs) begin
      r_rem_d   = r_rem - BytesW'(r_cnt);
      r_ncnt_d  = npu_dma_pkg::beat_bytes('0, 32'(r_rem_d));
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
    .head_base_i (wq_head.base),
    .rptr_o      (bf_rptr),
    .head_o      (bf_head),
    .count_o     (bf_count)
  );

  // ---------------------------------------------------------------------------------------------
  // Local walker: visits every window row (in-tensor or not) and computes one local word's
  // geometry per cycle (address, first lane and lanes written, byte-FIFO offset and count) into
  // the word queue; the writer expands them into strobes and the in-tensor byte mask. Its state
  // is set up from the descriptor while the plan runs, and it takes its first step in the cycle
  // the plan finishes, so the queue's register costs no cycle.
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned WAddrW = LAddrW - LaneW;
  localparam int unsigned WordW  = WAddrW + LaneW + 3 * (LaneW + 1) + BfPtrW;  // $bits(word_t)

  typedef struct packed {
    logic [WAddrW-1:0] waddr;  // local word address
    logic [LaneW-1:0]  wlane;  // first lane written
    logic [LaneW:0]    chunk;  // lanes written
    logic [LaneW:0]    p;      // lane of the first byte-FIFO byte
    logic [LaneW:0]    k;      // bytes taken from the byte FIFO (the other written lanes: pad)
    logic [BfPtrW-1:0] base;   // the byte FIFO's read index minus p, when this word is the head
  } word_t;

  // The walker keeps its position as offsets that it counts down by each word's byte count, so a
  // word's geometry needs only (LaneW + 1)-bit arithmetic on registers: room = bytes left in the
  // row, a = first in-tensor byte - position, b = end of the in-tensor bytes - position (for a row
  // outside the tensor a = b = room: everything is pad). Within a row every word after the first
  // starts at lane 0.
  localparam int unsigned SW = DimW + 2;  // signed offsets

  // The compares against the constants 0 and Lanes are bit tests (the sign, the bits above the
  // lane bits), not subtractions: no carry chain in front of the word's geometry (docs/fpga.md).
  // clamp_ref is the arithmetic form, the reference of an assertion.
  function automatic logic [LaneW:0] clamp_lanes(logic signed [SW-1:0] v);  // to [0, Lanes]
    if (v[SW-1]) begin
      clamp_lanes = '0;
    end else if (|v[SW-2:LaneW]) begin
      clamp_lanes = (LaneW + 1)'(Lanes);
    end else begin
      clamp_lanes = {1'b0, v[LaneW-1:0]};
    end
  endfunction
  function automatic logic [LaneW:0] clamp_ref(logic signed [SW-1:0] v);
    if (v <= 0) begin
      clamp_ref = '0;
    end else if (v >= SW'(Lanes)) begin
      clamp_ref = (LaneW + 1)'(Lanes);
    end else begin
      clamp_ref = (LaneW + 1)'(v);
    end
  endfunction

  function automatic logic in_range(logic [DimW-1:0] i, logic [DimW-1:0] lo, logic [DimW-1:0] n);
    in_range = i >= lo && i - lo < n;
  endfunction

  // The end of row test room <= Lanes - lane (room bytes left in the row, the word's first lane)
  // for the next word, computed beside the walker's next position so that the walker's step does
  // not wait for it: bit tests on the bits above a small sum, no wide compare.
  function automatic logic row_ends(logic [DimW-1:0] room, logic [LaneW-1:0] lane);
    logic [LaneW+1:0] sum;  // room[LaneW:0] + lane < 4 * Lanes
    sum      = (LaneW + 2)'(room[LaneW:0]) + (LaneW + 2)'(lane);
    row_ends = !(|room[DimW-1:LaneW+1]) && !sum[LaneW+1] && !(sum[LaneW] && |sum[LaneW-1:0]);
  endfunction

  logic              gen_active_q, gen_active_d, gen_step;
  logic [LAddrW-1:0] lrow_q, lrow_d, lplane_q, lplane_d, waddr_q, waddr_d;
  logic [DimW-1:0]   i1_q, i1_d, i2_q, i2_d, room_q, room_d;
  logic              in1_q, in1_d, in2_q, in2_d;
  // Row and plane bounds as registers, set up with the walker, so that the walker's step
  // compares its counters for equality only, with no carry chain behind them (docs/fpga.md):
  // last = len - 1, lom = lo - 1 (the index before the first in-tensor one), him = lo + n - 1
  // (the last in-tensor one), nz = n != 0.
  logic [DimW-1:0]   last1_q, last1_d, last2_q, last2_d;
  logic [DimW-1:0]   lom1_q, lom1_d, him1_q, him1_d, lom2_q, lom2_d, him2_q, him2_d;
  logic              nz1_q, nz1_d, nz2_q, nz2_d;
  // The byte FIFO's read index when the next word reaches the queue's head: the bytes the words
  // before it take (k), counted from the FIFO's clear. A word carries bpos - p, the index the
  // FIFO's read multiplexers need to place its bytes at lane p, so they start at the queue's
  // head register instead of at a subtraction behind it (docs/fpga.md).
  logic [BfPtrW-1:0] bpos_q, bpos_d;
  logic              in1_next, in2_next;
  logic signed [SW-1:0] a_q, a_d, b_q, b_d;

  logic              in_tensor, row_end, next_in, room_big;
  logic              row_end_q, row_end_d, re_step, re_row, re_plane, re_last, re_setup;
  logic [LaneW+2:0]  sum_step;
  logic              more_rows, more_planes;
  logic [LaneW-1:0]  wlane;
  logic [LaneW:0]    left, room_sat, chunk, hi, lo, k;
  logic              wq_push, wq_ready, wq_valid, wq_pop;
  word_t             wq_in, wq_head;

  always_comb begin
    in_tensor = any && in1_q && in2_q;
    wlane     = waddr_q[LaneW-1:0];
    left      = (LaneW + 1)'(Lanes) - (LaneW + 1)'(wlane);
    room_big  = |room_q[DimW-1:LaneW];                       // room_q >= Lanes
    room_sat  = room_big ? (LaneW + 1)'(Lanes) : {1'b0, room_q[LaneW-1:0]};
    // room_q <= left: this word ends the row (a register, set up with room_q and waddr_q below)
    row_end   = row_end_q;
    chunk     = row_end ? room_sat : left;
    lo        = clamp_lanes(a_q);
    hi        = clamp_lanes(b_q) < chunk ? clamp_lanes(b_q) : chunk;
    k         = hi > lo ? hi - lo : '0;
    wq_in.waddr = waddr_q[LAddrW-1:LaneW];
    wq_in.wlane = wlane;
    wq_in.chunk = chunk;
    wq_in.p     = (LaneW + 1)'(wlane) + lo;
    wq_in.k     = k;
    wq_in.base  = bpos_q - BfPtrW'(wq_in.p);
  end

  always_comb begin
    gen_active_d = gen_active_q;
    lrow_d       = lrow_q;
    lplane_d     = lplane_q;
    waddr_d      = waddr_q;
    i1_d         = i1_q;
    i2_d         = i2_q;
    in1_d        = in1_q;
    in2_d        = in2_q;
    room_d       = room_q;
    a_d          = a_q;
    b_d          = b_q;
    last1_d      = last1_q;
    last2_d      = last2_q;
    lom1_d       = lom1_q;
    him1_d       = him1_q;
    lom2_d       = lom2_q;
    him2_d       = him2_q;
    nz1_d        = nz1_q;
    nz2_d        = nz2_q;
    bpos_d       = bpos_q;
    // i1_q + 1 < len1 and in_range(i1_q + 1, i1lo, n1) (likewise for planes) from equalities:
    // i1_q < len1 during the walk, and row i1_q + 1 is in the tensor if it is the first
    // in-tensor row, or if row i1_q is and is not the last (the assertions below check both
    // against the arithmetic forms).
    more_rows    = i1_q != last1_q;
    more_planes  = i2_q != last2_q;
    in1_next     = nz1_q && i1_q == lom1_q || in1_q && i1_q != him1_q;
    in2_next     = nz2_q && i2_q == lom2_q || in2_q && i2_q != him2_q;
    gen_step     = (gen_active_q || run_start) && wq_ready && err_q == npu_dma_pkg::DmaOk;
    wq_push      = gen_step;
    if (gen_step) begin
      gen_active_d = 1'b1;
      bpos_d       = bpos_q + BfPtrW'(k);
      if (!row_end) begin  // chunk == left: on to the next word's lane 0
        waddr_d = {waddr_q[LAddrW-1:LaneW] + WAddrW'(1), LaneW'(0)};
        room_d  = room_q - DimW'(left);
        a_d     = a_q - SW'(left);
        b_d     = b_q - SW'(left);
      end else begin
        if (more_rows) begin
          i1_d    = i1_q + DimW'(1);
          in1_d   = in1_next;
          lrow_d  = lrow_q + desc_q.lcl_stride1;
          waddr_d = lrow_q + desc_q.lcl_stride1;
        end else if (more_planes) begin
          i1_d     = '0;
          i2_d     = i2_q + DimW'(1);
          in1_d    = in_range('0, i1lo, n1);
          in2_d    = in2_next;
          lplane_d = lplane_q + desc_q.lcl_stride2;
          lrow_d   = lplane_q + desc_q.lcl_stride2;
          waddr_d  = lplane_q + desc_q.lcl_stride2;
        end else begin
          gen_active_d = 1'b0;
        end
      end
    end else if (!gen_active_q) begin
      // Set up from the descriptor and the plan's clipped window, which is ready one cycle after
      // the descriptor and so well before the plan finishes.
      lrow_d   = desc_q.lcl_addr;
      lplane_d = desc_q.lcl_addr;
      waddr_d  = desc_q.lcl_addr;
      i1_d     = '0;
      i2_d     = '0;
      in1_d    = in_range('0, i1lo, n1);
      in2_d    = in_range('0, i2lo, n2);
      last1_d  = desc_q.len1 - DimW'(1);
      last2_d  = desc_q.len2 - DimW'(1);
      lom1_d   = i1lo - DimW'(1);
      him1_d   = i1lo + n1 - DimW'(1);
      lom2_d   = i2lo - DimW'(1);
      him2_d   = i2lo + n2 - DimW'(1);
      nz1_d    = n1 != '0;
      nz2_d    = n2 != '0;
      bpos_d   = '0;  // the byte FIFO is cleared with the descriptor (go_q)
    end
    // The end of row test of the position set above, case by case. Within the row the next word
    // starts at lane 0 with room_q - left bytes left; a new row or plane, the end of the walk
    // (the position stays) and the set-up from the descriptor start with len0 bytes at the new
    // position's lane.
    sum_step = (LaneW + 3)'(room_q[LaneW+1:0]) + (LaneW + 3)'(wlane);  // room_q + wlane <= 2 Lanes
    re_step  = !(|room_q[DimW-1:LaneW+2]) && !sum_step[LaneW+2]
               && !(sum_step[LaneW+1] && |sum_step[LaneW:0]);
    re_row   = row_ends(desc_q.len0, lrow_q[LaneW-1:0] + desc_q.lcl_stride1[LaneW-1:0]);
    re_plane = row_ends(desc_q.len0, lplane_q[LaneW-1:0] + desc_q.lcl_stride2[LaneW-1:0]);
    re_last  = row_ends(desc_q.len0, wlane);
    re_setup = row_ends(desc_q.len0, desc_q.lcl_addr[LaneW-1:0]);
    row_end_d = row_end_q;
    if (gen_step) begin
      if (!row_end) begin
        row_end_d = re_step;
      end else if (more_rows) begin
        row_end_d = re_row;
      end else if (more_planes) begin
        row_end_d = re_plane;
      end else begin
        row_end_d = re_last;
      end
    end else if (!gen_active_q) begin
      row_end_d = re_setup;
    end
    // A new row (or the first one): the row's window offsets.
    next_in = any && in1_d && in2_d;
    if (row_end && gen_step || !gen_active_q && !gen_step) begin
      room_d = desc_q.len0;
      a_d    = next_in ? SW'(pl) : SW'(desc_q.len0);
      b_d    = next_in ? SW'(pl) + SW'(nd) : SW'(desc_q.len0);
    end
  end

  // Two entries keep one word per cycle flowing while the writer waits for bytes. Cleared with a
  // new descriptor and at the end of one, so words left by an error are never written.
  npu_dma_fifo #(.Width(WordW), .Depth(2), .RegOut(1'b1)) u_words (
    .clk_i, .rst_ni,
    .clear_i (go_q || finish),
    .valid_i (wq_push),
    .ready_o (wq_ready),
    .data_i  (wq_in),
    .valid_o (wq_valid),
    .ready_i (wq_pop),
    .data_o  (wq_head)
  );

  // ---------------------------------------------------------------------------------------------
  // Local writer: one word per cycle from the queue's head once the byte FIFO holds its bytes
  // ---------------------------------------------------------------------------------------------
  logic               lw_valid_q, lw_valid_d;
  logic [LAddrW-1:0]  lw_addr_q, lw_addr_d;
  logic [Lanes-1:0]   lw_strb_q, lw_strb_d;
  logic [Lanes*8-1:0] lw_data_q, lw_data_d;
  logic [Lanes-1:0]   strb, dmask;
  logic [Lanes*8-1:0] bytemask;
  logic               lw_load;

  `NPU_ASSERT_INIT(p_word_w, WordW == $bits(word_t))

  always_comb begin
    strb         = Lanes'(((Lanes + 1)'(1) << wq_head.chunk) - (Lanes + 1)'(1)) << wq_head.wlane;
    dmask        = Lanes'(((Lanes + 1)'(1) << wq_head.k) - (Lanes + 1)'(1)) << wq_head.p;
    for (int unsigned i = 0; i < Lanes; i++) begin
      bytemask[8*i +: 8] = {8{dmask[i]}};
    end
    lw_valid_d = lw_valid_q;
    lw_addr_d  = lw_addr_q;
    lw_strb_d  = lw_strb_q;
    lw_data_d  = lw_data_q;
    bf_pop     = 1'b0;
    bf_pop_cnt = wq_head.k;
    lw_load    = 1'b0;
    // A free output register takes the head's word whether or not its bytes are there yet: only
    // the valid bit and the pops wait for the byte count compare, so the 128 data and strobe
    // enables do not.
    if (!lw_valid_q || lcl_rsp_i.ready) begin
      lw_addr_d  = {wq_head.waddr, LaneW'(0)};
      lw_strb_d  = strb;
      // The byte FIFO's head has byte j at lane p + j (wq_head.base); bytemask keeps lanes
      // [p, p + k) of it.
      lw_data_d  = (bf_head & bytemask) | ({Lanes{desc_q.pad}} & ~bytemask);
      lw_load    = wq_valid && err_q == npu_dma_pkg::DmaOk && BfCntW'(wq_head.k) <= bf_count;
      lw_valid_d = lw_load;
      bf_pop     = lw_load && wq_head.k != '0;
    end
  end
  assign wq_pop = lw_load;

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
          finish = idle_all && !bu_valid && !gen_active_q && !wq_valid;
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
      r_ncnt_q    <= '0;
      gen_active_q <= 1'b0;
      lrow_q      <= '0;
      lplane_q    <= '0;
      i1_q        <= '0;
      i2_q        <= '0;
      waddr_q     <= '0;
      room_q      <= '0;
      row_end_q   <= 1'b1;  // room 0
      in1_q       <= 1'b0;
      in2_q       <= 1'b0;
      last1_q     <= '0;
      last2_q     <= '0;
      lom1_q      <= '0;
      him1_q      <= '0;
      lom2_q      <= '0;
      him2_q      <= '0;
      nz1_q       <= 1'b0;
      nz2_q       <= 1'b0;
      bpos_q      <= '0;
      a_q         <= '0;
      b_q         <= '0;
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
      r_ncnt_q    <= r_ncnt_d;
      gen_active_q <= gen_active_d && !finish;
      lrow_q      <= lrow_d;
      lplane_q    <= lplane_d;
      i1_q        <= i1_d;
      i2_q        <= i2_d;
      waddr_q     <= waddr_d;
      room_q      <= room_d;
      row_end_q   <= row_end_d;
      in1_q       <= in1_d;
      in2_q       <= in2_d;
      last1_q     <= last1_d;
      last2_q     <= last2_d;
      lom1_q      <= lom1_d;
      him1_q      <= him1_d;
      lom2_q      <= lom2_d;
      him2_q      <= him2_d;
      nz1_q       <= nz1_d;
      nz2_q       <= nz2_d;
      bpos_q      <= bpos_d;
      a_q         <= a_d;
      b_q         <= b_d;
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
  `NPU_ASSERT(a_clamp, clamp_lanes(a_q) == clamp_ref(a_q) && clamp_lanes(b_q) == clamp_ref(b_q))
  `NPU_ASSERT(a_row_end, row_end == (room_q <= DimW'(Lanes) && (LaneW + 1)'(room_q) <= left))
  // The walker's equality forms against the arithmetic ones, wherever a step uses them.
  `NPU_ASSERT(a_more_rows, gen_step && row_end |-> more_rows == (i1_q + DimW'(1) < desc_q.len1))
  `NPU_ASSERT(a_more_planes, gen_step && row_end && !more_rows |->
                             more_planes == (i2_q + DimW'(1) < desc_q.len2))
  `NPU_ASSERT(a_in1_next, gen_step && row_end && more_rows |->
                          in1_next == in_range(i1_q + DimW'(1), i1lo, n1))
  `NPU_ASSERT(a_in2_next, gen_step && row_end && !more_rows && more_planes |->
                          in2_next == in_range(i2_q + DimW'(1), i2lo, n2))
  `NPU_ASSERT(a_in_rows, gen_active_q |-> in1_q == in_range(i1_q, i1lo, n1) &&
                                          in2_q == in_range(i2_q, i2lo, n2))
  `NPU_ASSERT(a_word_base, wq_valid && err_q == npu_dma_pkg::DmaOk |->
                          wq_head.base == bf_rptr - BfPtrW'(wq_head.p))
  `NPU_ASSERT(a_r_cnt_reg, info_valid |-> r_cnt == r_cnt_ref)
  `NPU_ASSERT(a_r_only_when_expected, r_valid_i |-> info_valid)
  `NPU_ASSERT(a_r_last_matches_bytes, r_hs && !r_err && err_q == npu_dma_pkg::DmaOk |->
                                      (r_i.last == (r_rem == BytesW'(r_cnt))))
  `NPU_ASSERT(a_lcl_valid_held, lcl_req_o.valid && !lcl_rsp_i.ready |=> lcl_req_o.valid &&
                                $stable(lcl_req_o))
  `NPU_ASSERT(a_lcl_strb_nonzero, lcl_req_o.valid |-> lcl_req_o.strb != '0)
  `NPU_COVER(c_pad_left, gen_step && in_tensor && k != '0 && a_q > 0)
  `NPU_COVER(c_pad_right, gen_step && in_tensor && SW'(chunk) > b_q)
  `NPU_COVER(c_pad_row_before, gen_step && !in_tensor && any && i1_q < i1lo)
  `NPU_COVER(c_pad_row_after, gen_step && !in_tensor && any && i1_q >= i1lo + n1)
  `NPU_COVER(c_pad_plane_before, gen_step && !in_tensor && any && i2_q < i2lo)
  `NPU_COVER(c_pad_plane_after, gen_step && !in_tensor && any && i2_q >= i2lo + n2)
  `NPU_COVER(c_all_pad, run_start && !any)
  `NPU_COVER(c_lcl_unaligned, gen_step && wlane != '0)
  `NPU_COVER(c_r_error, r_hs && r_err)
  `NPU_COVER(c_window_refused, plan_done && !empty && !window_ok)
  `NPU_COVER(c_in_flight_full, state_q == Run && !info_ready)

endmodule : npu_dma_load

// npu_cmdproc: the command processor (docs/architecture.md, docs/isa.md).
//
// Fetches 64-byte commands from the command ring in DRAM (its own AXI4 read ID), decodes and
// checks them in program order (npu_cmd_decode), dispatches them to the load, compute and store
// queues, starts queue heads when their wait tokens are available, gives tokens when the units
// report completion, and ends the program at END, on the first error, or when nothing can make
// progress (deadlock watchdog). The units execute one command at a time; this block owns the
// tokens, the program index of every command and the status.
//
// Fetch never back-pressures the shared R channel: a burst is requested only when the beat buffer
// has room for all of its beats (credits), so DMA read data behind a fetch beat cannot be blocked.
`include "npu_assert.svh"

module npu_cmdproc #(
  parameter int unsigned Rows           = npu_pkg::Rows,
  parameter int unsigned Cols           = npu_pkg::Cols,
  parameter int unsigned SpadBytes      = npu_pkg::SpadBytes,
  parameter int unsigned AccBytes       = npu_pkg::AccBytes,
  parameter int unsigned ParamEntries   = npu_pkg::ParamEntries,
  parameter int unsigned QueueDepth     = npu_pkg::QueueDepth,
  parameter int unsigned VectorOps      = 0,  // 1: POOL and ADD are implemented
  parameter int unsigned FetchId        = 1,
  parameter int unsigned FetchCmds      = 4,  // commands in flight or buffered on the fetch path
  parameter int unsigned WatchdogCycles = 8
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  // control and status (CSR block)
  input  logic                       start_i,
  input  logic                       soft_reset_i,
  input  logic [39:0]                ring_base_i,
  input  logic [16:0]                ring_size_i,
  input  logic [15:0]                ring_tail_i,
  output logic [15:0]                ring_head_o,
  output logic                       busy_o,
  output logic                       done_o,
  output logic                       error_o,
  output logic [7:0]                 err_code_o,
  output logic [31:0]                err_index_o,
  output logic                       evt_done_o,
  output logic                       evt_error_o,
  // command fetch: AXI4 read address and data channels
  output logic                       ar_valid_o,
  input  logic                       ar_ready_i,
  output npu_axi_pkg::axi_ar_chan_t  ar_o,
  input  logic                       r_valid_i,
  output logic                       r_ready_o,
  input  npu_axi_pkg::axi_r_chan_t   r_i,
  // queue heads: q_start_o[q] hands q_cmd_o[512*q +: 512] (the head of queue q) to unit q (0 load,
  // 1 compute, 2 store) for one cycle; the unit reports q_done_i[q] (pulse) with its error code in
  // q_err_i[4*q +: 4]. Each unit gets its own queue's head, so no multiplexer behind the start
  // pick sits between the heads and the units.
  output logic [2:0]                 q_start_o,
  output logic [1535:0]              q_cmd_o,
  input  logic [2:0]                 q_done_i,
  input  logic [11:0]                q_err_i,
  // performance events
  output logic [2:0]                 stall_token_o,
  output logic                       stall_dispatch_o,
  output logic                       fetched_o
);

  localparam int unsigned Beats    = 512 / npu_axi_pkg::DataW;
  localparam int unsigned CreditW  = $clog2(FetchCmds + 1);
  localparam int unsigned SatW     = $clog2(FetchCmds + 2);  // 0 .. FetchCmds + 1
  localparam int unsigned BeatW    = (Beats > 1) ? $clog2(Beats) : 1;
  localparam int unsigned EntryW   = 32 + 512;
  localparam int unsigned QSlices  = 4;         // command queue FIFO slices (see g_queue)

  // Error codes (docs/isa.md); 15 is the ring configuration check at START.
  localparam logic [3:0] ErrOk       = 4'd0;
  localparam logic [3:0] ErrNoEnd    = 4'd8;
  localparam logic [3:0] ErrSlverr   = 4'd10;
  localparam logic [3:0] ErrDecerr   = 4'd11;
  localparam logic [3:0] ErrOverflow = 4'd13;
  localparam logic [3:0] ErrDeadlock = 4'd14;
  localparam logic [3:0] ErrRing     = 4'd15;

  localparam logic [7:0] OpFence = 8'h31;
  localparam logic [7:0] OpEnd   = 8'h3F;

  `NPU_ASSERT_INIT(p_beats, Beats * npu_axi_pkg::DataW == 512 && Beats <= 16)
  `NPU_ASSERT_INIT(p_fetch_cmds, FetchCmds >= 1 && FetchCmds <= 4)
  `NPU_ASSERT_INIT(p_queue_depth, QueueDepth >= 2)  // head register + at least one entry

  // ---------------------------------------------------------------------------------------------
  // Program state
  // ---------------------------------------------------------------------------------------------
  typedef enum logic [1:0] {
    StIdle = 2'd0,  // no program
    StRun  = 2'd1,  // fetching, dispatching, executing
    StStop = 2'd2   // draining towards the end of the program (error, END, soft reset)
  } state_e;

  typedef enum logic [1:0] {
    StopDecode = 2'd0,  // decode/fetch error: dispatched commands drain
    StopExec   = 2'd1,  // execution error / deadlock: no new command starts
    StopEnd    = 2'd2,  // END dispatched: wait for the fetch path to be quiet
    StopAbort  = 2'd3   // soft reset: like StopExec, then clear without status
  } stop_e;

  state_e      state_q, state_d;
  stop_e       stop_q, stop_d;
  logic [15:0] head_q, head_d;          // architectural RING_HEAD
  logic [15:0] tail_q;                  // RING_TAIL latched at START
  logic [16:0] size_q;                  // RING_SIZE latched at START
  logic [39:6] base_q;                  // RING_BASE; bits [5:0] are ignored (docs/registers.md)
  logic        done_q, done_d, error_q, error_d;
  logic [3:0]  code_q, code_d;
  logic [31:0] index_q, index_d;
  logic        evt_done_d, evt_error_d;
  logic        clear_q;                 // one-cycle clear of the queues at the end of a program
  logic        start_prog;

  // ---------------------------------------------------------------------------------------------
  // Fetch: AR requests of up to FetchCmds commands
  // ---------------------------------------------------------------------------------------------
  logic [15:0]        fp_q;              // next slot to request
  logic               fetch_stop_q;      // no more requests (error, END seen, NoEnd emitted)
  logic               noend_q;
  logic [CreditW-1:0] credit_q;          // commands that may still be requested
  logic               ar_valid_q;
  npu_axi_pkg::axi_ar_chan_t ar_q;
  logic [16:0]        avail, to_wrap;
  logic [6:0]         room_4k;           // commands left before the next 4 KiB boundary
  logic [5:0]         line_4k;           // fp_addr[11:6]
  logic [39:0]        fp_addr;
  logic               issue;
  // The request size is the least of the credits (at most FetchCmds, a_credit_range), the
  // commands available, those left before the ring wraps and those left in the 4 KiB page.
  // Each bound is saturated to a few bits first (beside its own subtraction), so the minimum is
  // a small compare tree and not a chain of 17-bit compares; the ring wrap is n_req == the
  // saturated to_wrap (= fp_q + n_req == size_q, as n_req <= FetchCmds < the saturation value).
  // The saturation compares only the low SatW bits with the limit and tests the bits above (no
  // 17-bit carry chain). The commands available are tail_q - fp_q while tail_q >= fp_q; past the
  // ring's end (tail_q < fp_q) they are to_wrap + tail_q >= to_wrap, so the wrap bounds the
  // request there and the available count need not be known: the difference's borrow sets its
  // bit 16 and the saturation gives FetchCmds. One subtraction then precedes the minimum.
  // sat_ref and avail are the arithmetic forms, the reference of a_n_req.
  logic [SatW-1:0]    avail_s, wrap_s, room_s, credit_s, n_req, n_ab, n_cd;
  logic [16:0]        ahead;             // tail_q - fp_q

  function automatic logic [SatW-1:0] sat(input logic [16:0] x, input logic [SatW-1:0] lim);
    sat = (|x[16:SatW] || x[SatW-1:0] > lim) ? lim : x[SatW-1:0];
  endfunction
  function automatic logic [SatW-1:0] sat_ref(input logic [16:0] x, input logic [16:0] lim);
    sat_ref = (x > lim) ? lim[SatW-1:0] : x[SatW-1:0];
  endfunction

  function automatic logic [SatW-1:0] min2(input logic [SatW-1:0] a, input logic [SatW-1:0] b);
    min2 = (a < b) ? a : b;
  endfunction

  always_comb begin
    avail    = (tail_q >= fp_q) ? 17'(tail_q - fp_q) : 17'(size_q - 17'(fp_q) + 17'(tail_q));
    ahead    = 17'(tail_q) - 17'(fp_q);
    to_wrap  = size_q - 17'(fp_q);
    fp_addr  = {base_q + {18'd0, fp_q}, 6'd0};
    line_4k  = base_q[11:6] + fp_q[5:0];
    room_4k  = 7'd64 - {1'b0, line_4k};
    avail_s  = sat(ahead, SatW'(FetchCmds));
    wrap_s   = sat(to_wrap, SatW'(FetchCmds + 1));
    room_s   = sat(17'(room_4k), SatW'(FetchCmds));
    credit_s = SatW'(credit_q);
    n_ab     = min2(credit_s, avail_s);
    n_cd     = min2(wrap_s, room_s);
    n_req    = min2(n_ab, n_cd);
  end

  assign issue = (state_q == StRun) && !fetch_stop_q && !ar_valid_q && (n_req != '0);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ar_valid_q <= 1'b0;
    end else if (issue) begin
      ar_valid_q <= 1'b1;
    end else if (ar_ready_i) begin
      ar_valid_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (issue) begin
      ar_q        <= '0;
      ar_q.id     <= npu_axi_pkg::IdW'(FetchId);
      ar_q.addr   <= fp_addr;
      ar_q.len    <= 8'(32'(n_req) * Beats - 1);
      ar_q.size   <= npu_axi_pkg::SizeFull;
      ar_q.burst  <= npu_axi_pkg::BurstIncr;
    end
  end

  assign ar_valid_o = ar_valid_q;
  assign ar_o       = ar_q;

  // ---------------------------------------------------------------------------------------------
  // Beat buffer and command assembler
  // ---------------------------------------------------------------------------------------------
  logic                        beat_valid, beat_pop, beat_room;
  logic [npu_axi_pkg::DataW+1:0] beat_data;
  logic                        asm_full_q;
  logic [BeatW-1:0]            asm_beat_q;
  logic [511:0]                asm_cmd_q;
  logic [3:0]                  asm_err_q;
  logic [31:0]                 asm_idx_q;      // program index of the command being assembled
  logic                        hand_valid, hand_ready, hand_fire, hand_noend;
  logic [511:0]                hand_cmd;
  logic [3:0]                  hand_err;
  logic                        credit_back;
  logic                        quiet;          // nothing requested is still on its way
  // decoder input (skid register) and output, with the side FIFO beside it (below)
  logic         side_ready, side_valid;
  logic [35:0]  side_data;
  logic         dec_in_valid, dec_in_ready, dec_out_valid, dec_out_ready;
  logic [511:0] dec_in_cmd, dec_out_cmd;
  npu_cmd_pkg::err_e   dec_out_err;
  npu_cmd_pkg::queue_e dec_out_queue;
  logic         skid_empty, dec_in_noend;

  assign r_ready_o = 1'b1;  // credits guarantee room (asserted below)

  npu_dma_fifo #(.Width(npu_axi_pkg::DataW + 2), .Depth(FetchCmds * Beats)) u_beats (
    .clk_i,
    .rst_ni,
    .clear_i(1'b0),
    .valid_i(r_valid_i),
    .ready_o(beat_room),
    .data_i ({r_i.resp, r_i.data}),
    .valid_o(beat_valid),
    .ready_i(beat_pop),
    .data_o (beat_data)
  );

  assign beat_pop = beat_valid && !asm_full_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      asm_full_q <= 1'b0;
      asm_beat_q <= '0;
      asm_err_q  <= ErrOk;
    end else begin
      if (beat_pop) begin
        asm_beat_q <= (32'(asm_beat_q) == Beats - 1) ? '0 : asm_beat_q + 1'b1;
        if (32'(asm_beat_q) == Beats - 1) begin
          asm_full_q <= 1'b1;
        end
        if (asm_err_q == ErrOk && beat_data[npu_axi_pkg::DataW+1]) begin
          asm_err_q <= beat_data[npu_axi_pkg::DataW] ? ErrDecerr : ErrSlverr;
        end
      end
      if (hand_fire && !hand_noend) begin
        asm_full_q <= 1'b0;
        asm_err_q  <= ErrOk;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (beat_pop) begin
      asm_cmd_q[32'(asm_beat_q)*npu_axi_pkg::DataW +: npu_axi_pkg::DataW] <=
          beat_data[npu_axi_pkg::DataW-1:0];
    end
  end

  // NoEnd: the program's last requested command has been handed on and no END was seen.
  assign quiet = !ar_valid_q && (32'(credit_q) == FetchCmds) && !asm_full_q && !beat_valid
                 && (asm_beat_q == '0);
  assign hand_noend = !asm_full_q && quiet && (state_q == StRun) && !fetch_stop_q && !noend_q
                      && (fp_q == tail_q);
  assign hand_valid = asm_full_q || hand_noend;
  assign hand_cmd   = (asm_full_q && asm_err_q == ErrOk) ? asm_cmd_q : '0;
  assign hand_err   = asm_full_q ? asm_err_q : ErrNoEnd;
  assign hand_fire  = hand_valid && hand_ready;
  // A command's credit comes back when it enters the decoder (from the assembler or the skid
  // register below), as if there were no skid register: fetch requests keep the pace they
  // would have without it. The noend marker travels in the skid's data and returns no credit.
  assign credit_back = dec_in_valid && dec_in_ready && !dec_in_noend;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fp_q         <= '0;
      fetch_stop_q <= 1'b1;
      noend_q      <= 1'b0;
      credit_q     <= CreditW'(FetchCmds);
      asm_idx_q    <= '0;
    end else if (start_prog) begin
      fp_q         <= head_q;
      fetch_stop_q <= 1'b0;
      noend_q      <= 1'b0;
      asm_idx_q    <= '0;
    end else begin
      if (issue) begin
        fp_q <= (n_req == wrap_s) ? '0 : fp_q + 16'(n_req);
      end
      credit_q <= credit_q - (issue ? CreditW'(n_req) : '0) + CreditW'(credit_back);
      if (hand_fire) begin
        asm_idx_q <= asm_idx_q + 32'd1;
        if (hand_err != ErrOk) begin
          fetch_stop_q <= 1'b1;
        end
        if (hand_noend) begin
          noend_q <= 1'b1;
        end
      end
      if (state_q == StStop || state_q == StIdle) begin
        fetch_stop_q <= 1'b1;
      end
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Decoder, with the fetch error and program index travelling beside it
  // ---------------------------------------------------------------------------------------------

  // Skid register in front of the decoder: the assembler hands a command on whenever the skid
  // register is empty, straight into the decoder if it accepts, else into the skid register,
  // which the decoder takes first. So the assembler's ready is a register, not the decoder's
  // ready (which passes the dispatcher's consume through), and no command reaches the decoder
  // later than without it. The skid's 513 data enables follow its full flag alone, not the
  // hand-over, which the fetch side's state decides through several compares (the routed 4x4
  // NPU's worst path ended at these enables, docs/fpga.md).
  assign hand_ready = skid_empty && side_ready;

  npu_skid #(.Width(513)) u_skid (
    .clk_i,
    .rst_ni,
    .valid_i(hand_valid && side_ready),
    .ready_o(skid_empty),
    .data_i ({hand_noend, hand_cmd}),
    .valid_o(dec_in_valid),
    .ready_i(dec_in_ready),
    .data_o ({dec_in_noend, dec_in_cmd})
  );

  // The dispatcher's consume reads the head's fetch error, and the decoder's ready and the
  // skid register follow the consume: the head is a register (RegOut), not a LUT-RAM read (the
  // routed 4x4 NPU's worst path at two placements, docs/fpga.md).
  npu_dma_fifo #(.Width(36), .Depth(4), .RegOut(1'b1)) u_side (
    .clk_i,
    .rst_ni,
    .clear_i(1'b0),
    .valid_i(hand_fire),
    .ready_o(side_ready),
    .data_i ({hand_err, asm_idx_q}),
    .valid_o(side_valid),
    .ready_i(dec_out_valid && dec_out_ready),
    .data_o (side_data)
  );

  npu_cmd_decode #(
    .Rows        (Rows),
    .Cols        (Cols),
    .SpadBytes   (SpadBytes),
    .AccBytes    (AccBytes),
    .ParamEntries(ParamEntries),
    .VectorOps   (VectorOps)
  ) u_decode (
    .clk_i,
    .rst_ni,
    .in_valid_i (dec_in_valid),
    .in_ready_o (dec_in_ready),
    .in_cmd_i   (dec_in_cmd),
    .out_valid_o(dec_out_valid),
    .out_ready_i(dec_out_ready),
    .out_cmd_o  (dec_out_cmd),
    .out_err_o  (dec_out_err),
    .out_queue_o(dec_out_queue)
  );

  logic        e_valid;
  logic [3:0]  e_err;
  logic [31:0] e_idx;
  logic [7:0]  e_op;
  assign e_valid = dec_out_valid;
  assign e_err   = (side_data[35:32] != ErrOk) ? side_data[35:32] : 4'(dec_out_err);
  assign e_idx   = side_data[31:0];
  assign e_op    = dec_out_cmd[7:0];

  // ---------------------------------------------------------------------------------------------
  // Queues, tokens and units
  // ---------------------------------------------------------------------------------------------
  logic [2:0]         qf_push, qf_ready, qf_valid, qf_pop;
  logic [3*EntryW-1:0] qf_data;         // queue q's head: [q*EntryW +: EntryW] = {index, command}
  logic [2:0]         inflight_q, nop_q;
  logic [95:0]        infl_idx_q;        // program index of unit q's command: [32*q +: 32]
  logic [2:0]         infl_ones_q;       // that index is all ones
  logic [23:0]        infl_sig_q;        // its signal mask: [8*q +: 8]
  logic [95:0]        head_idx;
  logic [1535:0]      head_cmd;
  logic [23:0]        head_wait;
  logic [63:0]        cnt_q, cnt_d;
  logic [7:0]         nz_q, nz_d;         // count t is not zero (registered beside cnt_q)
  logic [2:0]         can_start, blocked, pick, done;
  logic [1:0]         rr_q;
  logic               allow_start, drained, dl_cond;
  logic [$clog2(WatchdogCycles+1)-1:0] dl_cnt_q;
  logic               exec_err, exec_err_q;
  logic [2:0]         exec_ucand_q;       // the failing units then
  logic [2:0]         exec_ovf_q;         // the overflowing givers then
  logic [2:0]         exec_cand;          // of these, the ones of the error taken
  logic               exec_unit_q;        // ... a unit's error (else a counter overflow)
  logic [11:0]        exec_qerr_q;        // the units' error codes then
  logic [1:0]         exec_sel;
  logic [3:0]         exec_code;          // of the error registered in exec_err_q
  logic [31:0]        exec_idx;
  logic [31:0]        oldest_head;
  logic [1:0]         oldest_sel;

  // Each queue is a head register, a next-head register and a (QueueDepth - 1)-entry FIFO, in
  // that order of age. The start logic (token waits of the head, start pick, the units' command
  // inputs) begins at flip-flops, and of the queue only the head's valid bit follows the start
  // pick: a start clears it, and the head register loads in the cycles it is empty, so its 544
  // enables follow that flip-flop (the pick fanned out to them was one of the worst routed paths
  // of the 4x4 NPU, docs/fpga.md). The FIFO's push and pop and the next-head register's load
  // are decided from registered state too, so the pick does not reach the FIFO's pointers or
  // storage.
  //  * A push goes to the head when the queue is empty, to the next-head register when it is
  //    empty behind a valid head and the FIFO is empty, else into the FIFO.
  //  * The next-head register refills from the FIFO whenever it is empty; the head loads from
  //    the next-head register (or a push) whenever it is empty.
  // A started head's successor reaches the head two cycles after the start (one cycle with the
  // head empty, then its load), but a queue's head never starts in the cycle after a start (its
  // unit is in flight), so the head is never empty in a cycle where its successor could start
  // (asserted, a_gap_in_flight): the cycles are those of a head register in front of a FIFO.
  // Everything else that reads the heads in that cycle is gated by the unit in flight (the
  // deadlock watch, the stop, drained). The queue holds QueueDepth entries, counted in n_q: the
  // FIFO has room for one entry more than it holds when the queue is full (for the cycle in
  // which the next-head register refills from a full queue), so its own ready is not the
  // queue's.
  for (genvar q = 0; q < 3; q++) begin : g_queue
    localparam int unsigned CntW = $clog2(QueueDepth + 1);
    logic              st_push, st_ready, st_valid, st_pop, to_head, to_next, hd_free;
    logic [EntryW-1:0] st_data, hd_q, nx_q;
    logic              hd_valid_q, nx_valid_q;
    logic [CntW-1:0]   n_q;       // entries in the queue

    logic [EntryW-1:0] in_entry;
    assign in_entry = {e_idx, dec_out_cmd};

    assign hd_free = !hd_valid_q;
    assign to_head = qf_push[q] && !hd_valid_q && !nx_valid_q;
    assign to_next = qf_push[q] && hd_valid_q && !nx_valid_q && !st_valid;
    assign st_push = qf_push[q] && !to_head && !to_next;
    assign st_pop  = !nx_valid_q && st_valid;

    // The FIFO is QSlices FIFOs side by side, each with its own pointers: one read address for
    // all 544 bits fanned out to every LUT-RAM cell of the queue (136 DPR16X4 on the ECP5;
    // 14.3 ns on that one net in the routed 4x4 NPU, docs/fpga.md). The slices see the same
    // pushes and pops, so their flags agree (asserted). WriteFree: the storage enables follow
    // the fill level only, not the dispatcher's push.
    logic [QSlices-1:0] sl_ready, sl_valid;
    for (genvar k = 0; k < QSlices; k++) begin : g_slice
      localparam int unsigned Lo = k * EntryW / QSlices;
      localparam int unsigned Hi = (k + 1) * EntryW / QSlices;
      npu_dma_fifo #(.Width(Hi - Lo), .Depth(QueueDepth - 1), .WriteFree(1'b1)) u_q (
        .clk_i,
        .rst_ni,
        .clear_i(clear_q),
        .valid_i(st_push),
        .ready_o(sl_ready[k]),
        .data_i (in_entry[Hi-1:Lo]),
        .valid_o(sl_valid[k]),
        .ready_i(st_pop),
        .data_o (st_data[Hi-1:Lo])
      );
    end
    assign st_ready = sl_ready[0];
    assign st_valid = sl_valid[0];
    `NPU_ASSERT(a_slices_agree, sl_ready == {QSlices{st_ready}} &&
                                sl_valid == {QSlices{st_valid}})

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        hd_valid_q <= 1'b0;
        nx_valid_q <= 1'b0;
        n_q        <= '0;
      end else if (clear_q) begin
        hd_valid_q <= 1'b0;
        nx_valid_q <= 1'b0;
        n_q        <= '0;
      end else begin
        if (hd_free) begin
          hd_valid_q <= nx_valid_q || to_head;
        end else if (qf_pop[q]) begin
          hd_valid_q <= 1'b0;
        end
        if (!nx_valid_q) begin
          nx_valid_q <= st_valid || to_next;
        end else if (hd_free) begin
          nx_valid_q <= 1'b0;
        end
        n_q <= n_q + CntW'(qf_push[q]) - CntW'(qf_pop[q]);
      end
    end

    always_ff @(posedge clk_i) begin
      if (hd_free) begin
        hd_q <= nx_valid_q ? nx_q : in_entry;
      end
      if (!nx_valid_q) begin
        nx_q <= st_valid ? st_data : in_entry;
      end
    end

    assign qf_ready[q]                  = n_q != CntW'(QueueDepth);
    assign qf_valid[q]                  = hd_valid_q;
    assign qf_data[q*EntryW +: EntryW]  = hd_q;

    // the order of age: no entry behind an empty place
    `NPU_ASSERT(a_empty_queue, !hd_valid_q && !nx_valid_q |-> !st_valid)
    `NPU_ASSERT(a_push_has_room, qf_push[q] |-> qf_ready[q])
    `NPU_ASSERT(a_fifo_room, st_push |-> st_ready)
    `NPU_ASSERT(a_count, 32'(n_q) == 32'(hd_valid_q) + 32'(nx_valid_q)
                         + 32'(g_slice[0].u_q.cnt_q))
    // An empty head with an entry behind it only in the cycle after a start, when the queue's
    // unit is in flight and no head of this queue may start (see above).
    `NPU_ASSERT(a_gap_in_flight, !hd_valid_q && (nx_valid_q || st_valid) |-> inflight_q[q])
  end

  // Of the candidates cand[q] with idx[q] below all ones, the one with the smallest index (the
  // first such q on a tie); none: 2'd3. The same choice as a running minimum over q = 0, 1, 2
  // that starts at all ones and takes strictly smaller values, but with the three comparisons
  // side by side instead of in series (a 32-bit compare and select per step was the longest
  // path of the block).
  function automatic logic [1:0] pick_min3(logic [2:0] cand, logic [95:0] idx);
    logic [2:0] v;
    logic       lt10, lt20, lt21;  // ltab: idx[a] < idx[b]
    for (int unsigned q = 0; q < 3; q++) v[q] = cand[q] && idx[32*q +: 32] != '1;
    lt10 = idx[63:32] < idx[31:0];
    lt20 = idx[95:64] < idx[31:0];
    lt21 = idx[95:64] < idx[63:32];
    if (v[0] && (!v[1] || !lt10) && (!v[2] || !lt20))     pick_min3 = 2'd0;
    else if (v[1] && (!v[0] || lt10) && (!v[2] || !lt21)) pick_min3 = 2'd1;
    else if (v[2] && (!v[0] || lt20) && (!v[1] || lt21))  pick_min3 = 2'd2;
    else                                                  pick_min3 = 2'd3;
  endfunction

  always_comb begin
    for (int unsigned q = 0; q < 3; q++) begin
      head_idx[32*q +: 32]   = qf_data[q*EntryW+512 +: 32];
      head_cmd[512*q +: 512] = qf_data[q*EntryW +: 512];
      head_wait[8*q +: 8]    = qf_data[q*EntryW+8 +: 8];
    end
    // exec_err_q: the error found in the previous cycle, which the program control acts on in
    // this one; no head starts after it.
    allow_start = ((state_q == StRun) || (state_q == StStop && stop_q == StopDecode))
                  && !exec_err_q;
    for (int unsigned q = 0; q < 3; q++) begin
      blocked[q]   = qf_valid[q] && !inflight_q[q]
                     && ((nz_q & head_wait[8*q +: 8]) != head_wait[8*q +: 8]);
      can_start[q] = qf_valid[q] && !inflight_q[q] && !blocked[q] && allow_start;
      done[q]      = inflight_q[q] && (nop_q[q] || q_done_i[q]);
    end
    // one start per cycle, round robin from rr_q
    unique case (rr_q)
      2'd1:    pick = can_start[1] ? 3'b010 : can_start[2] ? 3'b100
                    : can_start[0] ? 3'b001 : 3'b000;
      2'd2:    pick = can_start[2] ? 3'b100 : can_start[0] ? 3'b001
                    : can_start[1] ? 3'b010 : 3'b000;
      default: pick = can_start[0] ? 3'b001 : can_start[1] ? 3'b010
                    : can_start[2] ? 3'b100 : 3'b000;
    endcase
    qf_pop  = pick;
    q_cmd_o = head_cmd;
    drained     = (qf_valid == '0) && (inflight_q == '0);
    oldest_sel  = pick_min3(qf_valid, head_idx);
    oldest_head = oldest_sel == 2'd3 ? '1 : head_idx[32*oldest_sel +: 32];
  end

  // q_start_o: only units with work (NOPs complete here, in the cycle after they start)
  always_comb begin
    for (int unsigned q = 0; q < 3; q++) begin
      q_start_o[q] = pick[q] && (head_cmd[512*q +: 4] != 4'hF);
    end
  end

  // Token counters: takes of the starting head, gives of the finishing commands. An execution
  // error of a unit wins over a counter overflow; of several, the oldest command's (smallest
  // program index) is reported.
  logic [2:0]  unit_cand, ovf_q;  // ovf_q[q]: unit q's give found a counter at 255
  logic [2:0]  ovf_ref;           // the same, from gives() (asserted equal without a unit error)
  logic [63:0] cnt_ref;           // cnt_d from gives() (asserted equal)
  logic [1:0]  unit_sel;
  logic        unit_err;
  always_comb begin
    for (int unsigned q = 0; q < 3; q++) begin
      unit_cand[q] = done[q] && !nop_q[q] && q_err_i[4*q +: 4] != ErrOk;
    end
    unit_sel = pick_min3(unit_cand, infl_idx_q);
    // = (unit_sel != 3), without the index comparisons: pick_min3 finds a candidate whenever one
    // has an index other than all ones (infl_ones_q). The counters and the dispatcher wait on
    // this bit, so it must not wait on the 32-bit compares.
    unit_err = |(unit_cand & ~infl_ones_q);
  end

  // At most one head starts per cycle (pick is one-hot or zero), so a counter loses at most one
  // token to a start. Both outcomes (no take, one take) are computed from registers and unit
  // reports, and the start only selects between them: the queue heads and the start pick are
  // not in front of the counters' arithmetic.
  // gives(): the gives of units q = 0, 1, 2 in order on a count; a give that finds 255 is an
  // overflow (the count stays) unless a unit reported an error. Returns {overflow[2:0],
  // count[7:0]}.
  // The serial reference of npu_token_cnt (below), kept for the assertions.
  function automatic logic [10:0] gives(logic [9:0] base, logic [2:0] give, logic err);
    logic [9:0] sum;
    logic [2:0] ovf;
    sum = base;
    ovf = '0;
    for (int unsigned q = 0; q < 3; q++) begin
      if (give[q]) begin
        if (sum == 10'd255 && !err) ovf[q] = 1'b1;
        else                        sum = sum + 10'd1;
      end
    end
    gives = {ovf, sum[7:0]};
  endfunction

  // Each count's update is npu_token_cnt's: the same results as gives(), but with the count's
  // sums and thresholds formed from the register alone and the gives, the take and unit_err only
  // selecting among them (gives()'s serial sums put a unit's done in front of three compare-and-
  // add steps into cnt_q, a long routed path, docs/fpga.md). The overflow flags do not wait on
  // unit_err either: gives() suppresses them after a unit error, but both of their uses
  // (exec_err, exec_ovf_q) ignore them then. The zero flags load with the counts (nz_q), so the
  // start pick's token test does not wait on an 8-bit compare of a count (a_nz_is_count).
  // gives() stays as the reference of both (a_cnt_as_gives, a_ovf_as_gives).
  logic [23:0] tok_give, tok_ovf;  // token t: [3*t +: 3], units 0, 1, 2
  logic [7:0]  tok_take;
  for (genvar t = 0; t < 8; t++) begin : g_token
    npu_token_cnt u_cnt (
      .cnt_i (cnt_q[8*t +: 8]),
      .give_i(tok_give[3*t +: 3]),
      .take_i(tok_take[t]),
      .err_i (unit_err),
      .cnt_o (cnt_d[8*t +: 8]),
      .nz_o  (nz_d[t]),
      .ovf_o (tok_ovf[3*t +: 3])
    );
  end

  always_comb begin
    logic [10:0] no_take, one_take;
    cnt_ref = cnt_q;
    ovf_q   = '0;
    ovf_ref = '0;
    for (int unsigned t = 0; t < 8; t++) begin
      tok_give[3*t +: 3] = {done[2] && infl_sig_q[16+t], done[1] && infl_sig_q[8+t],
                            done[0] && infl_sig_q[t]};
      tok_take[t]        = |(pick & {head_wait[16+t], head_wait[8+t], head_wait[t]});
      ovf_q |= tok_ovf[3*t +: 3];
      // the serial form, for the assertions
      no_take  = gives({2'b0, cnt_q[8*t +: 8]}, tok_give[3*t +: 3], unit_err);
      one_take = gives({2'b0, cnt_q[8*t +: 8]} - 10'd1, tok_give[3*t +: 3], unit_err);
      cnt_ref[8*t +: 8] = tok_take[t] ? one_take[7:0] : no_take[7:0];
      ovf_ref |= tok_take[t] ? one_take[10:8] : no_take[10:8];
    end
    exec_err = unit_err || ovf_q != '0;
  end

  // The execution error is registered before the program control acts on it: the token
  // counters' overflow check is a long path, and the state, status and queue logic should not
  // sit behind it. It takes effect one cycle later; allow_start keeps a head from starting in
  // that cycle. The oldest failing command (32-bit index compares) is chosen in that later cycle
  // too, from the registered candidates: their program indices have not changed since, as no
  // head starts and a unit in flight is never started (asserted below).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      exec_err_q <= 1'b0;
    end else begin
      exec_err_q <= exec_err;
    end
  end

  // The failing units and the overflowing givers are registered apart and chosen between after
  // the register (exec_cand), so neither waits on unit_err on its way in.
  always_ff @(posedge clk_i) begin
    exec_ucand_q <= unit_cand;
    exec_ovf_q   <= ovf_q;
    exec_unit_q  <= unit_err;
    exec_qerr_q  <= q_err_i;
  end

  always_comb begin
    exec_cand = exec_unit_q ? exec_ucand_q : exec_ovf_q;
    exec_sel  = pick_min3(exec_cand, infl_idx_q);
    exec_code = exec_unit_q ? exec_qerr_q[4*exec_sel +: 4] : ErrOverflow;
    exec_idx  = exec_sel != 2'd3 ? infl_idx_q[32*exec_sel +: 32] : '1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q      <= '0;
      nz_q       <= '0;
      inflight_q <= '0;
      nop_q      <= '0;
      rr_q       <= '0;
    end else begin
      cnt_q <= start_prog ? '0 : cnt_d;
      nz_q  <= start_prog ? '0 : nz_d;
      for (int unsigned q = 0; q < 3; q++) begin
        if (done[q]) begin
          inflight_q[q] <= 1'b0;
          nop_q[q]      <= 1'b0;
        end
        if (pick[q]) begin
          inflight_q[q] <= 1'b1;
          nop_q[q]      <= head_cmd[512*q +: 4] == 4'hF;
          rr_q          <= (q == 2) ? 2'd0 : 2'(q + 1);
        end
      end
    end
  end

  // The started command's index and signals load in every cycle its unit is not in flight (a
  // start picks only such a unit), so their enables follow inflight_q, not the pick. They are
  // read only while the unit is in flight, and in the cycle after its last (exec_sel, from
  // exec_cand), when they still hold the command's (a_exec_idx_stable).
  always_ff @(posedge clk_i) begin
    for (int unsigned q = 0; q < 3; q++) begin
      if (!inflight_q[q]) begin
        infl_idx_q[32*q +: 32] <= head_idx[32*q +: 32];
        infl_ones_q[q]         <= head_idx[32*q +: 32] == '1;
        infl_sig_q[8*q +: 8]   <= head_cmd[512*q+16 +: 8];
      end
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Dispatcher and program control
  // ---------------------------------------------------------------------------------------------
  logic       e_consume, e_is_ctrl, e_blocked;
  logic [1:0] e_q;
  logic       ring_bad;

  assign e_q       = 2'(dec_out_queue);
  assign e_is_ctrl = e_q == 2'd3;
  assign ring_bad  = (ring_size_i == 17'd0) || (ring_size_i > 17'd65536)
                     || (17'(head_q) >= ring_size_i) || (17'(ring_tail_i) >= ring_size_i);
  assign start_prog = start_i && (state_q == StIdle) && !soft_reset_i && !ring_bad;

  always_comb begin
    qf_push   = '0;
    e_consume = 1'b0;
    e_blocked = 1'b0;
    // Not gated by the execution error: in the cycle the program control acts on one
    // (exec_err_q) it ignores the consume (the program stops and RING_HEAD stays), the queues
    // are cleared before the next program and nothing starts in between (StopExec), so a
    // command taken here in that cycle is dropped as in StStop.
    if (state_q == StRun && e_valid) begin
      if (e_err != ErrOk) begin
        e_consume = 1'b1;
      end else if (e_is_ctrl) begin
        e_consume = drained;
        e_blocked = !drained;
      end else if (qf_ready[e_q]) begin
        qf_push[e_q] = 1'b1;
        e_consume    = 1'b1;
      end else begin
        e_blocked = 1'b1;
      end
    end
  end

  // In StStop everything still coming out of the decoder is dropped.
  assign dec_out_ready = e_consume || (state_q == StStop) || (state_q == StIdle);

  // Deadlock: no unit busy, every non-empty head waits for tokens, the dispatcher cannot move.
  assign dl_cond = (state_q == StRun) && (inflight_q == '0) && e_blocked
                   && ((qf_valid & ~blocked) == '0);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dl_cnt_q <= '0;
    end else if (dl_cond) begin
      if (32'(dl_cnt_q) < WatchdogCycles) dl_cnt_q <= dl_cnt_q + 1'b1;
    end else begin
      dl_cnt_q <= '0;
    end
  end

  always_comb begin
    state_d     = state_q;
    stop_d      = stop_q;
    head_d      = head_q;
    done_d      = done_q;
    error_d     = error_q;
    code_d      = code_q;
    index_d     = index_q;
    evt_done_d  = 1'b0;
    evt_error_d = 1'b0;
    unique case (state_q)
      StIdle: begin
        if (soft_reset_i) begin
          done_d  = 1'b0;
          error_d = 1'b0;
          code_d  = ErrOk;
          index_d = '0;
          head_d  = ring_tail_i;
        end else if (start_i) begin
          done_d  = 1'b0;
          error_d = 1'b0;
          code_d  = ErrOk;
          index_d = '0;
          if (ring_bad) begin
            error_d     = 1'b1;
            code_d      = ErrRing;
            evt_error_d = 1'b1;
          end else begin
            state_d = StRun;
          end
        end
      end
      StRun: begin
        if (soft_reset_i) begin
          state_d = StStop;
          stop_d  = StopAbort;
        end else if (exec_err_q) begin
          state_d = StStop;
          stop_d  = StopExec;
          code_d  = exec_code;
          index_d = exec_idx;
        end else if (32'(dl_cnt_q) >= WatchdogCycles) begin
          state_d = StStop;
          stop_d  = StopExec;
          code_d  = ErrDeadlock;
          index_d = oldest_head;
        end else if (e_consume) begin
          if (e_err != ErrOk) begin
            state_d = StStop;
            stop_d  = StopDecode;
            code_d  = e_err;
            index_d = e_idx;
          end else begin
            head_d = (17'(head_q) + 17'd1 == size_q) ? '0 : head_q + 16'd1;
            if (e_is_ctrl && e_op == OpEnd) begin
              state_d = StStop;
              stop_d  = StopEnd;
              code_d  = ErrOk;
            end
          end
        end
      end
      StStop: begin
        if (soft_reset_i) begin
          stop_d = StopAbort;
        end else if (exec_err_q && stop_q != StopExec && stop_q != StopAbort) begin
          // an execution error while dispatched commands drain after a decode error wins
          stop_d  = StopExec;
          code_d  = exec_code;
          index_d = exec_idx;
        end
        // (no unit in flight: no execution error in this cycle, a_exec_err_inflight)
        if (quiet && !side_valid && !dec_out_valid && inflight_q == '0 && !exec_err_q
            && (stop_q != StopDecode || (qf_valid & ~blocked) == '0)) begin
          state_d = StIdle;
          if (stop_q == StopAbort || soft_reset_i) begin
            done_d  = 1'b0;
            error_d = 1'b0;
            code_d  = ErrOk;
            index_d = '0;
            head_d  = ring_tail_i;
          end else if (code_q == ErrOk && stop_q == StopEnd) begin
            done_d     = 1'b1;
            evt_done_d = 1'b1;
          end else begin
            error_d     = 1'b1;
            evt_error_d = 1'b1;
          end
        end
      end
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= StIdle;
      stop_q      <= StopDecode;
      head_q      <= '0;
      tail_q      <= '0;
      size_q      <= 17'd1;
      base_q      <= '0;
      done_q      <= 1'b0;
      error_q     <= 1'b0;
      code_q      <= ErrOk;
      index_q     <= '0;
      evt_done_o  <= 1'b0;
      evt_error_o <= 1'b0;
      clear_q     <= 1'b0;
    end else begin
      state_q     <= state_d;
      stop_q      <= stop_d;
      head_q      <= head_d;
      done_q      <= done_d;
      error_q     <= error_d;
      code_q      <= code_d;
      index_q     <= index_d;
      evt_done_o  <= evt_done_d;
      evt_error_o <= evt_error_d;
      clear_q     <= (state_q == StStop) && (state_d == StIdle);
      if (start_prog) begin
        tail_q <= ring_tail_i;
        size_q <= ring_size_i;
        base_q <= ring_base_i[39:6];
      end
    end
  end

  assign ring_head_o      = head_q;
  assign busy_o           = state_q != StIdle;
  assign done_o           = done_q;
  assign error_o          = error_q;
  assign err_code_o       = {4'd0, code_q};
  assign err_index_o      = index_q;
  assign stall_token_o    = (state_q == StRun) ? blocked : 3'b000;
  assign stall_dispatch_o = e_blocked;
  assign fetched_o        = credit_back;

  // ---------------------------------------------------------------------------------------------
  // Assertions
  // ---------------------------------------------------------------------------------------------
  logic unused_r_last;
  assign unused_r_last = r_i.last;  // beats are counted, not framed
  logic unused_base_low;
  assign unused_base_low = ^ring_base_i[5:0];  // commands are 64-byte aligned

  `NPU_ASSERT_NEVER(a_beat_overflow, r_valid_i && !beat_room)
  `NPU_ASSERT(a_unit_err_is_pick, unit_err == (unit_sel != 2'd3))
  `NPU_ASSERT(a_exec_err_inflight, exec_err |-> inflight_q != '0)
  `NPU_ASSERT(a_no_start_after_exec_err, exec_err_q |-> pick == '0)
  for (genvar q = 0; q < 3; q++) begin : g_exec_idx_stable
    `NPU_ASSERT(a_exec_idx_stable, exec_err_q && exec_cand[q] |-> $stable(infl_idx_q[32*q +: 32]))
  end
  `NPU_ASSERT(a_exec_unit_found, exec_err_q && exec_unit_q |-> exec_sel != 2'd3)
  `NPU_ASSERT(a_r_fetch_id, r_valid_i |-> r_i.id == npu_axi_pkg::IdW'(FetchId))
  `NPU_ASSERT(a_ar_stable, ar_valid_o && !ar_ready_i |=> ar_valid_o && $stable(ar_o))
  `NPU_ASSERT(a_side_with_decoder, dec_out_valid |-> side_valid)
  `NPU_ASSERT(a_skid_with_side, !skid_empty |-> side_valid)
  `NPU_COVER(c_skid_used, hand_fire && !dec_in_ready)
  `NPU_COVER(c_skid_to_decoder, !skid_empty && dec_in_ready)
  `NPU_ASSERT(a_credit_range, 32'(credit_q) <= FetchCmds)
  `NPU_ASSERT(a_n_req, state_q == StRun |-> n_req == min2(
      min2(credit_s, sat_ref(avail, 17'(FetchCmds))),
      min2(sat_ref(to_wrap, 17'(FetchCmds + 1)), sat_ref(17'(room_4k), 17'(FetchCmds)))))
  `NPU_ASSERT(a_wrap_sat, wrap_s == sat_ref(to_wrap, 17'(FetchCmds + 1)))
  `NPU_ASSERT(a_one_start, $onehot0(pick))
  `NPU_ASSERT(a_start_idle_unit, (pick & inflight_q) == '0)
  `NPU_ASSERT(a_done_only_inflight, (q_done_i & ~inflight_q) == '0)
  `NPU_ASSERT(a_no_start_when_idle, state_q == StIdle |-> pick == '0 && !issue)
  `NPU_ASSERT(a_state_legal, state_q inside {StIdle, StRun, StStop})
  `NPU_ASSERT_KNOWN(a_irq_events_known, {evt_done_o, evt_error_o})
  `NPU_COVER(c_deadlock, state_q == StRun && state_d == StStop && code_d == ErrDeadlock)
  `NPU_COVER(c_token_overflow, ovf_q != '0)
  `NPU_ASSERT(a_ovf_as_gives, !unit_err |-> ovf_q == ovf_ref)
  `NPU_ASSERT(a_cnt_as_gives, cnt_d == cnt_ref)
  for (genvar t = 0; t < 8; t++) begin : g_nz
    `NPU_ASSERT(a_nz_is_count, nz_q[t] == (cnt_q[8*t +: 8] != 8'd0))
  end
  `NPU_COVER(c_queue_full, e_valid && e_blocked && !e_is_ctrl)
  `NPU_COVER(c_fence_wait, e_valid && e_is_ctrl && e_op == OpFence && !drained)
  `NPU_COVER(c_token_stall, (blocked & qf_valid) != '0)
  `NPU_COVER(c_fetch_burst4, issue && 32'(n_req) == 4)
  `NPU_COVER(c_fetch_4k_split, issue && 32'(room_4k) < FetchCmds && 7'(n_req) == room_4k)
  `NPU_COVER(c_fetch_wrap, issue && 17'(n_req) == to_wrap && 32'(to_wrap) < FetchCmds)
  `NPU_COVER(c_soft_reset_busy, soft_reset_i && state_q != StIdle)
  // Functional coverage for docs/testplan.md: every opcode starting at its queue, FENCE and END
  // dispatched, every error code reported, each queue full / empty / waiting for tokens.
  `NPU_COVER(c_op_load, pick[0] && head_cmd[7:0] == 8'h01)
  `NPU_COVER(c_op_load_nop, pick[0] && head_cmd[7:0] == 8'h0F)
  `NPU_COVER(c_op_matmul, pick[1] && head_cmd[512 +: 8] == 8'h11)
  `NPU_COVER(c_op_ppu, pick[1] && head_cmd[512 +: 8] == 8'h12)
  `NPU_COVER(c_op_pool, pick[1] && head_cmd[512 +: 8] == 8'h13)
  `NPU_COVER(c_op_add, pick[1] && head_cmd[512 +: 8] == 8'h14)
  `NPU_COVER(c_op_compute_nop, pick[1] && head_cmd[512 +: 8] == 8'h1F)
  `NPU_COVER(c_op_store, pick[2] && head_cmd[1024 +: 8] == 8'h21)
  `NPU_COVER(c_op_store_nop, pick[2] && head_cmd[1024 +: 8] == 8'h2F)
  `NPU_COVER(c_op_fence, state_q == StRun && e_consume && e_err == ErrOk && e_is_ctrl
                         && e_op == OpFence)
  `NPU_COVER(c_op_end, state_q == StRun && e_consume && e_err == ErrOk && e_is_ctrl
                       && e_op == OpEnd)
  `NPU_COVER(c_prog_done, evt_done_d)
  // (unrolled: Verilator 5.006 merges cover points of generate-loop iterations into one)
  `NPU_COVER(c_err_code_1, evt_error_d && code_d == 4'd1)
  `NPU_COVER(c_err_code_2, evt_error_d && code_d == 4'd2)
  `NPU_COVER(c_err_code_3, evt_error_d && code_d == 4'd3)
  `NPU_COVER(c_err_code_4, evt_error_d && code_d == 4'd4)
  `NPU_COVER(c_err_code_5, evt_error_d && code_d == 4'd5)
  `NPU_COVER(c_err_code_6, evt_error_d && code_d == 4'd6)
  `NPU_COVER(c_err_code_7, evt_error_d && code_d == 4'd7)
  `NPU_COVER(c_err_code_8, evt_error_d && code_d == 4'd8)
  `NPU_COVER(c_err_code_9, evt_error_d && code_d == 4'd9)
  `NPU_COVER(c_err_code_10, evt_error_d && code_d == 4'd10)
  `NPU_COVER(c_err_code_11, evt_error_d && code_d == 4'd11)
  `NPU_COVER(c_err_code_12, evt_error_d && code_d == 4'd12)
  `NPU_COVER(c_err_code_13, evt_error_d && code_d == 4'd13)
  `NPU_COVER(c_err_code_14, evt_error_d && code_d == 4'd14)
  `NPU_COVER(c_err_code_15, evt_error_d && code_d == 4'd15)
  `NPU_COVER(c_q0_full, state_q == StRun && !qf_ready[0])
  `NPU_COVER(c_q0_empty_running, state_q == StRun && !qf_valid[0] && !inflight_q[0])
  `NPU_COVER(c_q0_token_wait, blocked[0])
  `NPU_COVER(c_q0_busy_and_queued, inflight_q[0] && qf_valid[0])
  `NPU_COVER(c_q1_full, state_q == StRun && !qf_ready[1])
  `NPU_COVER(c_q1_empty_running, state_q == StRun && !qf_valid[1] && !inflight_q[1])
  `NPU_COVER(c_q1_token_wait, blocked[1])
  `NPU_COVER(c_q1_busy_and_queued, inflight_q[1] && qf_valid[1])
  `NPU_COVER(c_q2_full, state_q == StRun && !qf_ready[2])
  `NPU_COVER(c_q2_empty_running, state_q == StRun && !qf_valid[2] && !inflight_q[2])
  `NPU_COVER(c_q2_token_wait, blocked[2])
  `NPU_COVER(c_q2_busy_and_queued, inflight_q[2] && qf_valid[2])

endmodule : npu_cmdproc

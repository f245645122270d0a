// npu_mm_seq: executes one MATMUL command (docs/isa.md) on npu_matmul_unit. It reads the weight
// tile (Rows rows of Cols lanes; rows k >= K and lanes n >= N are zero) and then the M activation
// rows from the scratchpad, hands them to the array with each row's accumulator row and mode,
// and reports done once every result is in the accumulator memory.
//
// Scratchpad rows are Rows bytes; the scratchpad port is 16 bytes wide, so row r is bytes
// [(r % (16/Rows)) * Rows, +Rows) of word r / (16/Rows). Requires Rows == Cols <= 16.
// Each item (a row to read, or a weight row beyond K that is zero and needs no read) leaves a tag
// in the tag queue; the scratchpad's data come back in order, flagged by rd_rvalid_i, after any
// number of cycles, into the response queue. A tag at the head leaves with its data (or at once
// if zero) towards the array. Items are issued only while fewer than BufDepth are in the queues
// (the read port has no back-pressure on its data): with the default depth the array gets one
// row per cycle.
`include "npu_assert.svh"

module npu_mm_seq #(
  parameter int unsigned Rows      = npu_pkg::Rows,
  parameter int unsigned Cols      = npu_pkg::Cols,
  parameter int unsigned SpadWords = npu_pkg::SpadBytes / 16,
  parameter int unsigned AccDepth  = npu_pkg::AccDepth,
  parameter int unsigned BufDepth  = 4
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  input  logic                         start_i,
  input  logic [511:0]                 cmd_i,
  output logic                         done_o,
  output logic                         busy_o,
  // scratchpad word read port: data in request order, on rd_rvalid_i, one or more cycles after
  // the handshake
  output logic                         rd_valid_o,
  input  logic                         rd_ready_i,
  output logic [$clog2(SpadWords)-1:0] rd_addr_o,
  input  logic                         rd_rvalid_i,
  input  logic [127:0]                 rd_rdata_i,
  // npu_matmul_unit
  output logic                         w_valid_o,
  input  logic                         w_ready_i,
  output logic [Cols*8-1:0]            w_data_o,
  output logic                         a_valid_o,
  input  logic                         a_ready_i,
  output logic                         a_first_o,
  output logic [Rows*8-1:0]            a_data_o,
  output logic [$clog2(AccDepth)-1:0]  a_acc_addr_o,
  output logic                         a_accumulate_o,
  input  logic                         mm_busy_i
);

  localparam int unsigned RowsPerWord = 16 / Rows;
  localparam int unsigned OffW        = (RowsPerWord > 1) ? $clog2(RowsPerWord) : 1;
  localparam int unsigned SpAW        = $clog2(SpadWords);
  localparam int unsigned AccAW       = $clog2(AccDepth);
  localparam int unsigned CntW        = $clog2(BufDepth + 2);
  localparam int unsigned LaneCW      = $clog2(Rows + 1);
  // tag entry: {is_weight, zero, first, word offset, acc row, lanes kept}
  localparam int unsigned TagW        = 3 + OffW + AccAW + LaneCW;

  `NPU_ASSERT_INIT(p_square, Rows == Cols)
  `NPU_ASSERT_INIT(p_row_fits_word, Rows <= 16 && 16 % Rows == 0)

  typedef enum logic [2:0] {
    MIdle   = 3'd0,
    MWeight = 3'd1,  // issuing the Rows weight rows
    MAct    = 3'd2,  // issuing the M activation rows
    MFlush  = 3'd3,  // waiting for the buffer to empty
    MSettle = 3'd4,  // one cycle for the last row's tag to reach the matmul unit's busy flag
    MDrain  = 3'd5   // waiting for the array and the accumulator writes
  } mstate_e;

  mstate_e      state_q;
  logic         accumulate_q;
  logic [23:0]  act_q, act_stride_q, w_q, w_stride_q, acc_q, acc_stride_q;
  logic [15:0]  m_q, k_q, n_q, i_q;
  logic         w_zero_q;             // in MWeight: i_q >= k_q (a weight row beyond K is zero)
  logic [CntW-1:0] used_q;            // items in the tag queue
  logic         room, item, item_read, item_fire;
  logic         item_w, item_zero, item_first;
  logic [23:0]  item_row;
  // The read request is registered: item_q, rd_valid_q and rd_addr_q hold, from the next-state
  // values of the cycle before, what item, item_read and the word address of item_row are this
  // cycle (asserted below), so the request the arbiters and the scratchpad's bank enables see
  // starts at flip-flops. Same cycles as computing it from state_q and used_q.
  mstate_e      state_d;
  logic [CntW-1:0] used_d;
  logic         w_zero_d, item_q, rd_valid_q;
  logic [23:0]  w_d, act_d, row_d;
  logic [SpAW-1:0] rd_addr_q;

  // tag queue (one entry per item, in issue order) and response queue (one per read)
  logic              t_ready, t_valid, t_w, t_zero, t_first, r_ready, r_valid, r_pop;
  logic [TagW-1:0]   t_in, t_out;
  logic [OffW-1:0]   t_off;
  logic [AccAW-1:0]  t_acc;
  // lanes kept: min(N, Cols) for weights, Rows for activations
  logic [LaneCW-1:0] t_lane, item_lane;
  logic [127:0]      r_word;

  logic              b_valid, b_ready;
  logic [Rows*8-1:0] row_data;

  // The same item, from the state registers (the reference for the registered request).
  assign room       = 32'(used_q) < BufDepth;
  assign item       = (state_q == MWeight || state_q == MAct) && room;
  assign item_w     = state_q == MWeight;
  assign item_zero  = item_w && w_zero_q;
  assign item_first = !item_w && (i_q == 16'd0);
  assign item_row   = item_w ? w_q : act_q;
  assign item_read  = item && !item_zero;
  assign rd_valid_o = rd_valid_q;
  assign rd_addr_o  = rd_addr_q;
  assign item_fire  = item_q && (!rd_valid_q || rd_ready_i);

  always_comb begin
    state_d = state_q;
    unique case (state_q)
      MIdle: if (start_i) state_d = MWeight;
      MWeight: if (item_fire && 32'(i_q) == Rows - 1) state_d = MAct;
      MAct: if (item_fire && i_q == m_q - 16'd1) state_d = MFlush;
      MFlush: if (used_q == '0) state_d = MSettle;
      MSettle: state_d = MDrain;
      MDrain: if (!mm_busy_i) state_d = MIdle;
      default: state_d = MIdle;
    endcase
    used_d   = used_q + CntW'(item_fire) - CntW'(b_valid && b_ready);
    w_zero_d = w_zero_q;
    w_d      = w_q;
    act_d    = act_q;
    // Idle: taken from the queue head whether or not it starts (unused until a start, which
    // takes them in its cycle), so they and the read address do not wait on start_i, the end
    // of the command processor's start pick (docs/fpga.md).
    if (state_q == MIdle) begin
      w_zero_d = cmd_i[192 +: 16] == 16'd0;
      w_d      = cmd_i[128 +: 24];
      act_d    = cmd_i[32 +: 24];
    end else if (item_fire) begin
      if (item_w) begin
        w_zero_d = (32'(i_q) == Rows - 1) ? k_q == 16'd0 : i_q + 16'd1 >= k_q;
        w_d      = w_q + w_stride_q;
      end else begin
        act_d    = act_q + act_stride_q;
      end
    end
    // the first item of a start is a weight row (state_d == MWeight after MIdle)
    row_d = (state_q == MIdle || state_d == MWeight) ? w_d : act_d;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= MIdle;
      used_q     <= '0;
      item_q     <= 1'b0;
      rd_valid_q <= 1'b0;
    end else begin
      used_q     <= used_d;
      state_q    <= state_d;
      item_q     <= (state_d == MWeight || state_d == MAct) && 32'(used_d) < BufDepth;
      rd_valid_q <= (state_d == MWeight || state_d == MAct) && 32'(used_d) < BufDepth
                    && !(state_d == MWeight && w_zero_d);
    end
  end

  always_ff @(posedge clk_i) begin
    rd_addr_q <= SpAW'(32'(row_d) / RowsPerWord);
  end

  always_ff @(posedge clk_i) begin
    w_q      <= w_d;
    act_q    <= act_d;
    w_zero_q <= w_zero_d;
    if (state_q == MIdle && start_i) begin
      accumulate_q <= cmd_i[24];
      act_stride_q <= cmd_i[64 +: 24];
      m_q          <= cmd_i[96 +: 16];
      w_stride_q   <= cmd_i[160 +: 24];
      k_q          <= cmd_i[192 +: 16];
      n_q          <= cmd_i[208 +: 16];
      acc_q        <= cmd_i[224 +: 24];
      acc_stride_q <= cmd_i[256 +: 24];
      i_q          <= '0;
    end else if (item_fire) begin
      if (item_w) begin
        i_q <= (32'(i_q) == Rows - 1) ? '0 : i_q + 16'd1;
      end else begin
        acc_q <= acc_q + acc_stride_q;
        i_q   <= i_q + 16'd1;
      end
    end
  end

  assign item_lane = (!item_w || n_q >= 16'(Cols)) ? LaneCW'(Cols) : LaneCW'(n_q);
  assign t_in      = {item_w, item_zero, item_first, OffW'(32'(item_row) % RowsPerWord),
                      AccAW'(acc_q), item_lane};

  npu_dma_fifo #(.Width(TagW), .Depth(BufDepth)) u_tag (
    .clk_i,
    .rst_ni,
    .clear_i(1'b0),
    .valid_i(item_fire),
    .ready_o(t_ready),
    .data_i (t_in),
    .valid_o(t_valid),
    .ready_i(b_valid && b_ready),
    .data_o (t_out)
  );

  assign {t_w, t_zero, t_first, t_off, t_acc, t_lane} = t_out;

  npu_dma_fifo #(.Width(128), .Depth(BufDepth)) u_rsp (
    .clk_i,
    .rst_ni,
    .clear_i(1'b0),
    .valid_i(rd_rvalid_i),
    .ready_o(r_ready),
    .data_i (rd_rdata_i),
    .valid_o(r_valid),
    .ready_i(r_pop),
    .data_o (r_word)
  );

  // the head item's row out of its word, zero lanes beyond the kept lane count (weights: N)
  always_comb begin
    row_data = r_word[32'(t_off)*Rows*8 +: Rows*8];
    for (int unsigned l = 0; l < Rows; l++) begin
      if (t_zero || LaneCW'(l) >= t_lane) row_data[l*8 +: 8] = 8'd0;
    end
  end

  assign b_valid = t_valid && (t_zero || r_valid);
  assign b_ready = t_w ? w_ready_i : a_ready_i;
  assign r_pop   = b_valid && b_ready && !t_zero;

  assign w_valid_o      = b_valid && t_w;
  assign w_data_o       = row_data;
  assign a_valid_o      = b_valid && !t_w;
  assign a_first_o      = t_first;
  assign a_acc_addr_o   = t_acc;
  assign a_accumulate_o = accumulate_q;
  assign a_data_o       = row_data;

  assign busy_o = state_q != MIdle;
  assign done_o = state_q == MDrain && !mm_busy_i;

  logic unused_cmd;
  assign unused_cmd = ^cmd_i;  // fields of other commands and reserved bits

  `NPU_ASSERT_NEVER(a_tag_overflow, item_fire && !t_ready)
  `NPU_ASSERT_NEVER(a_rsp_overflow, rd_rvalid_i && !r_ready)
  `NPU_ASSERT_NEVER(a_rsp_without_tag, r_valid && !t_valid)
  `NPU_ASSERT(a_used_is_tags, t_valid == (used_q != '0))
  `NPU_ASSERT_NEVER(a_start_busy, start_i && state_q != MIdle)
  `NPU_ASSERT(a_state_legal, state_q inside {MIdle, MWeight, MAct, MFlush, MSettle, MDrain})
  `NPU_COVER(c_ragged_k, state_q == MWeight && item_zero)
  `NPU_ASSERT(a_w_zero, state_q == MWeight |-> w_zero_q == (i_q >= k_q))
  `NPU_ASSERT(a_item_reg, item_q == item && rd_valid_q == item_read)
  `NPU_ASSERT(a_rd_addr_reg, item_read |-> rd_addr_q == SpAW'(32'(item_row) / RowsPerWord))
  `NPU_COVER(c_ragged_n, w_valid_o && 32'(t_lane) < Cols)
  `NPU_COVER(c_accumulate, start_i && cmd_i[24])

endmodule : npu_mm_seq

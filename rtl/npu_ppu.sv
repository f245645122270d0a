// npu_ppu: post-processing unit. Executes one decoded, range-checked PPU command (docs/isa.md
// "PPU (0x12)", docs/ppu.md):
//
//   for m, for c < n:
//     x = acc[acc_addr + m*acc_stride][c] + bias[param_addr + c]          (int32, wrapping)
//     spad[dst_addr + m*dst_stride][c] = requantize(x, mult, shift, zp_out, act_min, act_max)
//   lanes c >= n are not written (strobes low).
//
// Phases:
//   PARAMS  read the n records param_addr .. param_addr+n-1 into a register file (one request per
//           cycle) and check every one (mult >= 0, shift in [-31, 30]); a bad record finishes the
//           command with error 12 (ParamValue) before any accumulator read or scratchpad write.
//   STREAM  one accumulator row per cycle: request (at most AccCredits outstanding), add the
//           biases (stage 0 register), Cols parallel npu_requant (5 stages), scratchpad write.
//           Every stage stalls on sp_ready_i; the accumulator response port is back-pressured
//           from a one-entry skid in front of stage 0 (its ready a register).
// With no stalls a command takes n + m + 8 cycles from its handshake to done_o (docs/ppu.md).
`include "npu_assert.svh"

module npu_ppu #(
  parameter int unsigned Rows         = npu_pkg::Rows,
  parameter int unsigned Cols         = npu_pkg::Cols,
  parameter int unsigned AccDepth     = npu_pkg::AccDepth,
  parameter int unsigned SpadRows     = npu_pkg::SpadDepth,
  parameter int unsigned ParamEntries = npu_pkg::ParamEntries
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  // command
  input  logic                            cmd_valid_i,
  output logic                            cmd_ready_o,
  input  logic [511:0]                    cmd_i,
  output logic                            done_o,
  output logic [3:0]                      err_o,
  output logic                            busy_o,
  // parameter memory read port
  output logic                            p_valid_o,
  input  logic                            p_ready_i,
  output logic [$clog2(ParamEntries)-1:0] p_addr_o,
  input  logic                            p_rvalid_i,
  input  logic [127:0]                    p_rdata_i,
  // accumulator read port
  output logic                            acc_valid_o,
  input  logic                            acc_ready_i,
  output logic [$clog2(AccDepth)-1:0]     acc_addr_o,
  input  logic                            acc_rsp_valid_i,
  output logic                            acc_rsp_ready_o,
  input  logic [Cols*32-1:0]              acc_rsp_data_i,
  // scratchpad row write
  output logic                            sp_valid_o,
  input  logic                            sp_ready_i,
  output logic [$clog2(SpadRows)-1:0]     sp_row_o,
  output logic [Cols*8-1:0]               sp_data_o,
  output logic [Cols-1:0]                 sp_strb_o
);

  `NPU_ASSERT_INIT(p_square_array, Rows == Cols)
  `NPU_ASSERT_INIT(p_cols_positive, Cols >= 1)
  `NPU_ASSERT_INIT(p_depths, AccDepth >= 2 && SpadRows >= 2 && ParamEntries >= 2)

  localparam int unsigned AccAw      = $clog2(AccDepth);
  localparam int unsigned SpAw       = $clog2(SpadRows);
  localparam int unsigned PAw        = $clog2(ParamEntries);
  localparam int unsigned LaneW      = $clog2(Cols + 1);
  localparam int unsigned AccCredits = 4;  // accumulator reads in flight (full rate to latency 3)
  localparam int unsigned CredW      = $clog2(AccCredits + 1);
  localparam logic [3:0]  ErrParamValue = 4'd12;

  typedef enum logic [1:0] {
    StIdle,
    StParams,
    StStream
  } state_e;

  // ---------------------------------------------------------------------------------------------
  // Command fields (docs/isa.md, PPU)
  // ---------------------------------------------------------------------------------------------
  logic              cmd_round;
  logic [23:0]       cmd_acc_addr, cmd_acc_stride, cmd_dst_addr, cmd_dst_stride, cmd_param_addr;
  logic [15:0]       cmd_m, cmd_n;
  logic signed [7:0] cmd_zp, cmd_min, cmd_max;
  assign cmd_round      = cmd_i[24];
  assign cmd_acc_addr   = cmd_i[1*32 +: 24];
  assign cmd_acc_stride = cmd_i[2*32 +: 24];
  assign cmd_m          = cmd_i[3*32 +: 16];
  assign cmd_n          = cmd_i[3*32+16 +: 16];
  assign cmd_dst_addr   = cmd_i[4*32 +: 24];
  assign cmd_dst_stride = cmd_i[5*32 +: 24];
  assign cmd_param_addr = cmd_i[6*32 +: 24];
  assign cmd_zp         = cmd_i[7*32 +: 8];
  assign cmd_min        = cmd_i[7*32+8 +: 8];
  assign cmd_max        = cmd_i[7*32+16 +: 8];

  // ---------------------------------------------------------------------------------------------
  // Control state
  // ---------------------------------------------------------------------------------------------
  state_e            state_d, state_q;
  logic              round_d, round_q;
  logic signed [7:0] zp_d, zp_q, min_d, min_q, max_d, max_q;
  logic [LaneW-1:0]  n_d, n_q;
  logic [AccAw-1:0]  acc_ptr_d, acc_ptr_q, acc_stride_d, acc_stride_q;
  logic [SpAw-1:0]   dst_ptr_d, dst_ptr_q, dst_stride_d, dst_stride_q;
  logic [PAw-1:0]    p_ptr_d, p_ptr_q;
  logic [LaneW-1:0]  p_issued_d, p_issued_q, p_recv_d, p_recv_q;
  logic              bad_d, bad_q;         // a record of this command failed the check
  logic [15:0]       req_left_d, req_left_q;   // accumulator rows still to request
  logic [15:0]       wr_left_d, wr_left_q;     // scratchpad rows still to write
  logic [CredW-1:0]  outst_d, outst_q;         // accumulator reads requested, response not taken
  logic              done_d, done_q;
  logic [3:0]        err_d, err_q;

  // Register file of the command's records; lanes >= n are masked at the requant inputs.
  logic [Cols*32-1:0] bias_q, mult_q;  // lane c = bits [32c +: 32]
  logic [Cols*6-1:0]  shift_q;         // lane c = bits [6c +: 6]

  logic cmd_fire, p_fire, acc_fire, rsp_fire, sp_fire;
  logic rq_ready;  // the requant pipes take an operand
  logic s0_ready;
  logic               rs_valid, rs_empty;  // response skid (below)
  logic [Cols*32-1:0] rs_data;

  // Record fields of the response being received.
  logic signed [31:0] rec_mult;
  logic signed [7:0]  rec_shift;
  logic               rec_bad, p_last;
  assign rec_mult  = p_rdata_i[63:32];
  assign rec_shift = p_rdata_i[71:64];
  assign rec_bad   = rec_mult < 0 || rec_shift < -8'sd31 || rec_shift > 8'sd30;
  assign p_last    = p_recv_q == n_q - LaneW'(1);

  assign cmd_ready_o = state_q == StIdle;
  assign busy_o      = state_q != StIdle;
  assign cmd_fire    = cmd_valid_i && cmd_ready_o;

  assign p_valid_o = state_q == StParams && p_issued_q != n_q;
  assign p_addr_o  = p_ptr_q;
  assign p_fire    = p_valid_o && p_ready_i;

  assign acc_valid_o     = state_q == StStream && req_left_q != '0 &&
                           outst_q != CredW'(AccCredits);
  assign acc_addr_o      = acc_ptr_q;
  assign acc_fire        = acc_valid_o && acc_ready_i;
  assign acc_rsp_ready_o = rs_empty;
  assign rsp_fire        = rs_valid && s0_ready;  // stage 0 takes a response

  assign sp_fire = sp_valid_o && sp_ready_i;

  always_comb begin
    state_d      = state_q;
    round_d      = round_q;
    zp_d         = zp_q;
    min_d        = min_q;
    max_d        = max_q;
    n_d          = n_q;
    acc_ptr_d    = acc_ptr_q;
    acc_stride_d = acc_stride_q;
    dst_ptr_d    = dst_ptr_q;
    dst_stride_d = dst_stride_q;
    p_ptr_d      = p_ptr_q;
    p_issued_d   = p_issued_q;
    p_recv_d     = p_recv_q;
    bad_d        = bad_q;
    req_left_d   = req_left_q;
    wr_left_d    = wr_left_q;
    outst_d      = outst_q;
    done_d       = 1'b0;
    err_d        = err_q;

    unique case (state_q)
      StIdle: begin
        if (cmd_fire) begin
          state_d      = StParams;
          round_d      = cmd_round;
          zp_d         = cmd_zp;
          min_d        = cmd_min;
          max_d        = cmd_max;
          n_d          = LaneW'(cmd_n);
          acc_ptr_d    = AccAw'(cmd_acc_addr);
          acc_stride_d = AccAw'(cmd_acc_stride);
          dst_ptr_d    = SpAw'(cmd_dst_addr);
          dst_stride_d = SpAw'(cmd_dst_stride);
          p_ptr_d      = PAw'(cmd_param_addr);
          p_issued_d   = '0;
          p_recv_d     = '0;
          bad_d        = 1'b0;
          req_left_d   = cmd_m;
          wr_left_d    = cmd_m;
        end
      end
      StParams: begin
        if (p_fire) begin
          p_ptr_d    = p_ptr_q + PAw'(1);
          p_issued_d = p_issued_q + LaneW'(1);
        end
        if (p_rvalid_i) begin
          p_recv_d = p_recv_q + LaneW'(1);
          bad_d    = bad_q || rec_bad;
          if (p_last) begin
            if (bad_q || rec_bad) begin
              state_d = StIdle;
              done_d  = 1'b1;
              err_d   = ErrParamValue;
            end else begin
              state_d = StStream;
            end
          end
        end
      end
      StStream: begin
        if (acc_fire) begin
          acc_ptr_d  = acc_ptr_q + acc_stride_q;
          req_left_d = req_left_q - 16'd1;
        end
        if (sp_fire) begin
          dst_ptr_d = dst_ptr_q + dst_stride_q;
          wr_left_d = wr_left_q - 16'd1;
          if (wr_left_q == 16'd1) begin
            state_d = StIdle;
            done_d  = 1'b1;
            err_d   = 4'd0;
          end
        end
      end
      default: state_d = StIdle;
    endcase

    outst_d = outst_q + CredW'(acc_fire) - CredW'(rsp_fire);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= StIdle;
      p_issued_q <= '0;
      p_recv_q   <= '0;
      n_q        <= '0;
      bad_q      <= 1'b0;
      req_left_q <= '0;
      wr_left_q  <= '0;
      outst_q    <= '0;
      done_q     <= 1'b0;
      err_q      <= '0;
    end else begin
      state_q    <= state_d;
      p_issued_q <= p_issued_d;
      p_recv_q   <= p_recv_d;
      n_q        <= n_d;
      bad_q      <= bad_d;
      req_left_q <= req_left_d;
      wr_left_q  <= wr_left_d;
      outst_q    <= outst_d;
      done_q     <= done_d;
      err_q      <= err_d;
    end
  end

  // Command operands and addresses need no reset: they are loaded with every command.
  always_ff @(posedge clk_i) begin
    round_q      <= round_d;
    zp_q         <= zp_d;
    min_q        <= min_d;
    max_q        <= max_d;
    acc_ptr_q    <= acc_ptr_d;
    acc_stride_q <= acc_stride_d;
    dst_ptr_q    <= dst_ptr_d;
    dst_stride_q <= dst_stride_d;
    p_ptr_q      <= p_ptr_d;
  end

  // Register file: record p_recv_q arrives with p_rvalid_i.
  always_ff @(posedge clk_i) begin
    for (int unsigned c = 0; c < Cols; c++) begin
      if (p_rvalid_i && state_q == StParams && p_recv_q == LaneW'(c)) begin
        bias_q[32*c +: 32] <= p_rdata_i[31:0];
        mult_q[32*c +: 32] <= p_rdata_i[63:32];
        shift_q[6*c +: 6]  <= p_rdata_i[69:64];
      end
    end
  end

  assign done_o = done_q;
  assign err_o  = done_q ? err_q : 4'd0;

  // ---------------------------------------------------------------------------------------------
  // Stage 0: bias add (int32 wrapping), then Cols parallel requantization pipes.
  // ---------------------------------------------------------------------------------------------
  logic                  s0_valid_q;
  logic [Cols*32-1:0]    s0_x_q;
  logic [Cols-1:0]       lane_on_d, lane_on_q;  // lane c < n, registered with n_q
  logic [Cols-1:0]       rq_ready_v, rq_valid_v;
  logic [Cols*8-1:0]     rq_data;

  assign s0_ready = rq_ready || !s0_valid_q;

  // Response skid: one entry between the accumulator port and stage 0, so acc_rsp_ready_o is a
  // register (the skid is empty) rather than the pipeline's stall chain from sp_ready_i. That
  // chain ran on through the accumulator memory's stall into the accumulator port's arbitration
  // across the NPU, a long routed path on the ECP5 (docs/fpga.md). The skid takes a response
  // that stage 0 cannot take and hands it on first; with stage 0 ready a response passes
  // straight through, so the unstalled timing is unchanged. A response counts as taken (the
  // credits) when stage 0 takes it, as before.
  npu_skid #(.Width(Cols * 32)) u_rsp_skid (
    .clk_i,
    .rst_ni,
    .valid_i(acc_rsp_valid_i),
    .ready_o(rs_empty),
    .data_i (acc_rsp_data_i),
    .valid_o(rs_valid),
    .ready_i(s0_ready),
    .data_o (rs_data)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s0_valid_q <= 1'b0;
    end else if (s0_ready) begin
      s0_valid_q <= rs_valid;
    end
  end

  always_ff @(posedge clk_i) begin
    if (s0_ready) begin
      for (int unsigned c = 0; c < Cols; c++) begin
        s0_x_q[32*c +: 32] <= rs_data[32*c +: 32] + bias_q[32*c +: 32];
      end
    end
  end

  // The lane mask is registered with n_q rather than decoded from it, so no comparison lies in
  // front of the requantizers' shift and multiply (the PPU's longest path on the ECP5).
  always_comb begin
    for (int unsigned c = 0; c < Cols; c++) begin
      lane_on_d[c] = LaneW'(c) < n_d;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      lane_on_q <= '0;
    end else begin
      lane_on_q <= lane_on_d;
    end
  end

  `NPU_ASSERT(a_lane_on_matches_n,
              lane_on_q == Cols'(((Cols + 1)'(1) << n_q) - (Cols + 1)'(1)))

  for (genvar c = 0; c < Cols; c++) begin : g_lane

    npu_requant u_requant (
      .clk_i,
      .rst_ni,
      .valid_i       (s0_valid_q),
      .ready_o       (rq_ready_v[c]),
      .acc_i         (s0_x_q[32*c +: 32]),
      .mult_i        (lane_on_q[c] ? mult_q[32*c +: 32] : '0),
      .shift_i       (lane_on_q[c] ? shift_q[6*c +: 6] : '0),
      .single_round_i(round_q),
      .zp_out_i      (zp_q),
      .act_min_i     (min_q),
      .act_max_i     (max_q),
      .valid_o       (rq_valid_v[c]),
      .ready_i       (sp_ready_i),
      .data_o        (rq_data[8*c +: 8])
    );
  end

  assign rq_ready   = rq_ready_v[0];
  assign sp_valid_o = rq_valid_v[0];
  assign sp_row_o   = dst_ptr_q;
  assign sp_data_o  = rq_data;
  assign sp_strb_o  = lane_on_q;

  // Reserved and out-of-range command bits play no part (the decoder checked them).
  logic unused_cmd;
  assign unused_cmd = ^{cmd_i[511:7*32+24], cmd_i[7*32-8 +: 8], cmd_i[6*32-8 +: 8],
                        cmd_i[5*32-8 +: 8], cmd_i[3*32-8 +: 8], cmd_i[2*32-8 +: 8],
                        cmd_i[31:25], cmd_i[23:0], p_rdata_i[127:72], p_rdata_i[71:70],
                        cmd_acc_addr, cmd_acc_stride, cmd_dst_addr, cmd_dst_stride,
                        cmd_param_addr, cmd_n};

  // ---------------------------------------------------------------------------------------------
  // Assertions and cover points
  // ---------------------------------------------------------------------------------------------
  `NPU_ASSERT(a_cmd_legal, cmd_fire |-> cmd_m != 16'd0 && cmd_n != 16'd0 &&
                                        32'(cmd_n) <= Cols)
  `NPU_ASSERT(a_cmd_min_le_max, cmd_fire |-> cmd_min <= cmd_max)
  `NPU_ASSERT(a_p_valid_held, p_valid_o && !p_ready_i |=> p_valid_o && $stable(p_addr_o))
  `NPU_ASSERT(a_acc_valid_held, acc_valid_o && !acc_ready_i |=> acc_valid_o && $stable(acc_addr_o))
  `NPU_ASSERT(a_sp_valid_held, sp_valid_o && !sp_ready_i |=> sp_valid_o && $stable(sp_row_o) &&
                                                          $stable(sp_data_o) && $stable(sp_strb_o))
  `NPU_ASSERT(a_lanes_in_lockstep, rq_valid_v == {Cols{rq_valid_v[0]}} &&
                                   rq_ready_v == {Cols{rq_ready_v[0]}})
  `NPU_ASSERT(a_p_rsp_expected, p_rvalid_i |-> state_q == StParams && p_recv_q < p_issued_q)
  `NPU_ASSERT(a_acc_rsp_expected, acc_rsp_valid_i |-> outst_q != '0)
  `NPU_ASSERT(a_credits, outst_q <= CredW'(AccCredits))
  `NPU_ASSERT(a_skid_counted, !rs_empty |-> outst_q != '0)
  `NPU_ASSERT(a_done_when_idle, done_o |-> state_q == StIdle && outst_q == '0 && !s0_valid_q &&
                                           rq_valid_v == '0)
  `NPU_ASSERT(a_no_write_after_error, bad_q |-> !sp_valid_o && !acc_valid_o && !s0_valid_q &&
                                              rs_empty)
  `NPU_ASSERT(a_write_only_streaming, sp_valid_o |-> state_q == StStream)
  `NPU_ASSERT_NEVER(a_write_unknown, sp_valid_o && $isunknown(sp_row_o))

  `NPU_COVER(c_param_value_error, done_o && err_o == ErrParamValue)
  `NPU_COVER(c_sat_act_min, sp_valid_o && $signed(rq_data[7:0]) == min_q && min_q != -8'sd128)
  `NPU_COVER(c_sat_act_max, sp_valid_o && $signed(rq_data[7:0]) == max_q && max_q != 8'sd127)
  `NPU_COVER(c_round_double, sp_fire && !round_q)
  `NPU_COVER(c_round_single, sp_fire && round_q)
  `NPU_COVER(c_ragged, sp_fire && !lane_on_q[Cols-1])
  `NPU_COVER(c_sp_backpressure, sp_valid_o && !sp_ready_i)
  `NPU_COVER(c_acc_skid, !rs_empty)
  `NPU_COVER(c_acc_backpressure, acc_rsp_valid_i && !acc_rsp_ready_o)
  `NPU_COVER(c_credits_exhausted, state_q == StStream && req_left_q != '0 &&
                                  outst_q == CredW'(AccCredits))

endmodule : npu_ppu

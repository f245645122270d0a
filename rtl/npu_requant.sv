// npu_requant: TFLite int8 output stage for one lane.
//
//   out = clamp(MBQM(acc, mult, shift) + zp_out, act_min, act_max)
//
// MBQM in the mode selected by single_round_i (docs/golden-model.md has the bit-exact rules):
//   double (0): RDBPOT(SRDHM(acc * 2^max(shift,0), mult), max(-shift,0)), the shift-left wraps
//               in 32 bits. SRDHM saturates only for INT32_MIN * INT32_MIN, which cannot occur
//               because mult is a non-negative Q0.31 value (asserted), so no saturation logic;
//   single (1): (acc * mult + 2^(30-shift)) >>> (31-shift), saturated to int32.
// shift must lie in [-31, 30] and mult must be >= 0 (asserted); the command processor checks
// both before a layer starts.
//
// Pipeline: four register stages (left shift, multiply, rounding shift, offset and clamp) with a
// valid/ready handshake; the whole pipe stalls when the output is valid and not accepted. The
// shift has a stage of its own so that the 32 x 32 product starts at registers (on the ECP5 the
// shift in front of the product was the PPU's longest path).
`include "npu_assert.svh"

module npu_requant #(
  parameter int unsigned AccW  = 32,
  parameter int unsigned DataW = 8
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // input: one accumulator and its channel's parameters
  input  logic                    valid_i,
  output logic                    ready_o,
  input  logic signed [AccW-1:0]  acc_i,
  input  logic signed [31:0]      mult_i,
  input  logic signed [5:0]       shift_i,
  input  logic                    single_round_i,
  input  logic signed [DataW-1:0] zp_out_i,
  input  logic signed [DataW-1:0] act_min_i,
  input  logic signed [DataW-1:0] act_max_i,
  // output: one int8 result
  output logic                    valid_o,
  input  logic                    ready_i,
  output logic signed [DataW-1:0] data_o
);

  `NPU_ASSERT_INIT(p_acc_w_is_32, AccW == 32)
  `NPU_ASSERT_INIT(p_data_w_is_8, DataW == 8)

  localparam logic signed [31:0] Int32Min = 32'sh8000_0000;
  localparam logic signed [31:0] Int32Max = 32'sh7fff_ffff;

  // Stall everything while the output holds an unaccepted result.
  logic advance;
  assign advance = ready_i || !valid_o;
  assign ready_o = advance;

  // ---------------------------------------------------------------------------------------------
  // Stage 0: left shift (double mode) into the multiplier's operand register.
  // ---------------------------------------------------------------------------------------------
  logic                    s0_valid_q;
  logic signed [31:0]      s0_a_d, s0_a_q, s0_mult_q;
  logic                    s0_single_q;
  logic        [5:0]       s0_rshift_d, s0_rshift_q;  // double: RDBPOT exponent; single: 31 - shift
  logic signed [63:0]      s0_round_d, s0_round_q;    // rounding addend of the product
  logic signed [31:0]      s0_mask_d, s0_mask_q;      // double: RDBPOT remainder mask
  logic signed [DataW-1:0] s0_zp_q, s0_min_q, s0_max_q;

  always_comb begin
    s0_a_d      = acc_i;
    s0_rshift_d = '0;
    if (single_round_i) begin
      s0_rshift_d = 6'(7'sd31 - 7'(shift_i));
    end else if (shift_i > 0) begin
      s0_a_d = acc_i <<< shift_i[4:0];
    end else begin
      s0_rshift_d = 6'(-shift_i);
    end
    // The constants of stage 2's rounding depend on the shift only, so they are decoded here and
    // the addend goes into stage 1's product: stage 2 keeps just the shifts and compares.
    // Double: SRDHM's 2^30. Single: 2^(rshift - 1), rshift = 31 - shift in [1, 62].
    s0_round_d = single_round_i ? 64'sd1 <<< (s0_rshift_d - 6'd1) : 64'sd1073741824;
    s0_mask_d  = 32'((64'sd1 <<< s0_rshift_d[4:0]) - 64'sd1);
  end

  // ---------------------------------------------------------------------------------------------
  // Stage 1: the 32 x 32 multiply plus the rounding addend (no overflow: |a * m| < 2^62 and
  // the addend is at most 2^61).
  // ---------------------------------------------------------------------------------------------
  logic              s1_valid_d, s1_valid_q;
  logic signed [63:0] s1_sum_d, s1_sum_q;
  logic               s1_single_q;
  logic        [5:0]  s1_rshift_q;
  logic signed [31:0] s1_mask_q;
  logic signed [DataW-1:0] s1_zp_q, s1_min_q, s1_max_q;

  always_comb begin
    s1_sum_d   = 64'(s0_a_q) * 64'(s0_mult_q) + s0_round_q;
    s1_valid_d = s0_valid_q;
  end

  // ---------------------------------------------------------------------------------------------
  // Stage 2: rounding (SRDHM + RDBPOT, or the single rounding shift), saturated to int32.
  // ---------------------------------------------------------------------------------------------
  logic               s2_valid_d, s2_valid_q;
  logic signed [31:0] s2_val_d, s2_val_q;
  logic signed [DataW-1:0] s2_zp_q, s2_min_q, s2_max_q;

  logic signed [63:0] high, single_res;
  logic signed [31:0] high32, shifted, remainder, threshold;
  always_comb begin
    // SRDHM: floor((2ab + 2^31) / 2^32) = floor((ab + 2^30) / 2^31) (the 2^30 was added in
    // stage 1); with 0 <= b < 2^31 the result always fits in 32 bits.
    high   = s1_sum_q >>> 31;
    high32 = high[31:0];
    // RDBPOT: arithmetic shift, add one when the remainder exceeds half (ties away from zero).
    remainder = high32 & s1_mask_q;
    threshold = (s1_mask_q >>> 1) + (high32 < 0 ? 32'sd1 : 32'sd0);
    shifted   = (high32 >>> s1_rshift_q[4:0]) + (remainder > threshold ? 32'sd1 : 32'sd0);
    // Single rounding: (a * m + 2^(rshift - 1)) >>> rshift, the addend added in stage 1.
    single_res = s1_sum_q >>> s1_rshift_q;
    s2_val_d   = shifted;
    if (s1_single_q) begin
      if (single_res > 64'(Int32Max)) begin
        s2_val_d = Int32Max;
      end else if (single_res < 64'(Int32Min)) begin
        s2_val_d = Int32Min;
      end else begin
        s2_val_d = single_res[31:0];
      end
    end
    s2_valid_d = s1_valid_q;
  end

  // ---------------------------------------------------------------------------------------------
  // Stage 3: output zero point and activation clamp.
  // ---------------------------------------------------------------------------------------------
  logic signed [DataW-1:0] out_d, out_q;
  logic                    out_valid_q;
  logic signed [33:0]      with_zp;
  always_comb begin
    with_zp = 34'(s2_val_q) + 34'(s2_zp_q);
    if (with_zp < 34'(s2_min_q)) begin
      out_d = s2_min_q;
    end else if (with_zp > 34'(s2_max_q)) begin
      out_d = s2_max_q;
    end else begin
      out_d = with_zp[DataW-1:0];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s0_valid_q  <= 1'b0;
      s1_valid_q  <= 1'b0;
      s2_valid_q  <= 1'b0;
      out_valid_q <= 1'b0;
    end else if (advance) begin
      s0_valid_q  <= valid_i;
      s1_valid_q  <= s1_valid_d;
      s2_valid_q  <= s2_valid_d;
      out_valid_q <= s2_valid_q;
    end
  end

  // Data registers need no reset: they are qualified by the valid bits.
  always_ff @(posedge clk_i) begin
    if (advance) begin
      s0_a_q      <= s0_a_d;
      s0_mult_q   <= mult_i;
      s0_single_q <= single_round_i;
      s0_rshift_q <= s0_rshift_d;
      s0_round_q  <= s0_round_d;
      s0_mask_q   <= s0_mask_d;
      s0_zp_q     <= zp_out_i;
      s0_min_q    <= act_min_i;
      s0_max_q    <= act_max_i;
      s1_sum_q    <= s1_sum_d;
      s1_single_q <= s0_single_q;
      s1_rshift_q <= s0_rshift_q;
      s1_mask_q   <= s0_mask_q;
      s1_zp_q     <= s0_zp_q;
      s1_min_q    <= s0_min_q;
      s1_max_q    <= s0_max_q;
      s2_val_q    <= s2_val_d;
      s2_zp_q     <= s1_zp_q;
      s2_min_q    <= s1_min_q;
      s2_max_q    <= s1_max_q;
      out_q       <= out_d;
    end
  end

  assign valid_o = out_valid_q;
  assign data_o  = out_q;

  `NPU_ASSERT(a_mult_non_negative, valid_i |-> mult_i >= 0)
  `NPU_ASSERT(a_shift_in_range, valid_i |-> (shift_i >= -6'sd31 && shift_i <= 6'sd30))
  `NPU_ASSERT(a_clamp_ordered, valid_i |-> act_min_i <= act_max_i)
  `NPU_ASSERT(a_out_stable_while_stalled, valid_o && !ready_i |=> valid_o && $stable(data_o))
  `NPU_COVER(c_single_round, valid_i && single_round_i)
  // the clamps, where they are decided (with the result's own bounds, not the next input's)
  `NPU_COVER(c_sat_low, s2_valid_q && advance && with_zp < 34'(s2_min_q))
  `NPU_COVER(c_sat_high, s2_valid_q && advance && with_zp > 34'(s2_max_q))
  `NPU_COVER(c_stall, valid_o && !ready_i)

endmodule : npu_requant

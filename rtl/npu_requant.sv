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
// Pipeline: five register stages (left shift, partial products, their sum, rounding shift, offset
// and clamp) with a valid/ready handshake; the whole pipe stalls when the output is valid and not
// accepted. The shift has a stage of its own so that the products start at registers, and the
// four 17 x 17 partial products of the 32 x 32 product are registered before they are summed, so
// that no carry chain follows a multiplier in the same cycle (on the ECP5 the shift in front of
// the product, then the product's sum behind its DSP blocks, were the PPU's longest paths).
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
    // Double: SRDHM's 2^30. Single: 2^(rshift - 1), rshift = 31 - shift in [1, 62], so bit
    // 30 - shift (modulo 64, as the 6-bit exponent wraps) is set: decoded from shift_i by one
    // compare per bit, without the subtraction and the 64-bit shifter (on the ECP5 a path from
    // the PPU's registers into this register was among the routed design's longest).
    for (int unsigned j = 0; j < 64; j++) begin
      s0_round_d[j] = single_round_i ? 6'(shift_i) == 6'(30 - j) : j == 30;
    end
    s0_mask_d  = 32'((64'sd1 <<< s0_rshift_d[4:0]) - 64'sd1);
  end

  // ---------------------------------------------------------------------------------------------
  // Stage P: the four partial products of a * m, each a 17 x 17 signed product (one DSP block
  // on the ECP5 and the 7 series) from stage 0's registers into a register. With a = ah * 2^16 +
  // al and m = mh * 2^16 + ml (ah, mh signed; al, ml the unsigned low halves):
  //   a * m = ah*mh * 2^32 + (ah*ml + al*mh) * 2^16 + al*ml.
  // al*ml lies in [0, 2^32) and |ah*mh| <= 2^30, so {ah*mh, al*ml} (32 bits each) is their sum
  // without an adder; ah*ml and al*mh lie in (-2^31, 2^31) and fit 32 signed bits.
  // ---------------------------------------------------------------------------------------------
  logic               p_valid_q;
  logic signed [16:0] a_hi, a_lo, m_hi, m_lo;
  logic signed [33:0] p_ll_d, p_lh_d, p_hl_d, p_hh_d;
  logic        [31:0] p_ll_q;
  logic signed [31:0] p_lh_q, p_hl_q, p_hh_q;
  logic               p_single_q;
  logic        [5:0]  p_rshift_q;
  logic signed [63:0] p_round_q;
  logic signed [31:0] p_mask_q;
  logic signed [DataW-1:0] p_zp_q, p_min_q, p_max_q;

  always_comb begin
    a_hi   = {s0_a_q[31], s0_a_q[31:16]};
    a_lo   = {1'b0, s0_a_q[15:0]};
    m_hi   = {s0_mult_q[31], s0_mult_q[31:16]};
    m_lo   = {1'b0, s0_mult_q[15:0]};
    p_ll_d = a_lo * m_lo;
    p_lh_d = a_lo * m_hi;
    p_hl_d = a_hi * m_lo;
    p_hh_d = a_hi * m_hi;
  end

  // The bits above 32 only extend the sign (the ranges above); asserted below.
  logic unused_p_high;
  assign unused_p_high = ^{p_ll_d[33:32], p_lh_d[33:32], p_hl_d[33:32], p_hh_d[33:32]};

  // ---------------------------------------------------------------------------------------------
  // Stage 1: the sum of the partial products plus the rounding addend (no overflow: |a * m| <
  // 2^62 and the addend is at most 2^61). Beside it, from registers, the constants of stage 2's
  // tests: the total right shift k of the sum (single: rshift; double: 31 for SRDHM plus the RDBPOT
  // exponent), the bits of the sum at or above 8 + k (the range test), and RDBPOT's threshold
  // for a negative value (half the mask plus one; half the mask itself is only wiring).
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned RangeLo = 8;                 // lowest sum bit of the range test
  localparam int unsigned RangeW  = 63 - RangeLo;      // sum bits [62:8]

  logic               s1_valid_d, s1_valid_q;
  logic signed [63:0] s1_sum_d, s1_sum_q;
  logic               s1_single_q;
  logic        [5:0]  s1_k_d, s1_k_q;
  logic [RangeW-1:0]  s1_range_d, s1_range_q;
  logic signed [31:0] s1_mask_q, s1_half1_d, s1_half1_q;
  logic signed [DataW-1:0] s1_zp_q, s1_min_q, s1_max_q;

  always_comb begin
    s1_sum_d   = {p_hh_q, p_ll_q} + ({{32{p_lh_q[31]}}, p_lh_q} << 16)
                                  + ({{32{p_hl_q[31]}}, p_hl_q} << 16) + p_round_q;
    s1_valid_d = p_valid_q;
    // k <= 62 in both modes (single: rshift <= 62; double: rshift <= 31)
    s1_k_d     = p_single_q ? p_rshift_q : p_rshift_q + 6'd31;
    for (int unsigned i = 0; i < RangeW; i++) begin
      s1_range_d[i] = i >= 32'(s1_k_d);  // sum bit i + 8 at or above 8 + k
    end
    s1_half1_d = (p_mask_q >>> 1) + 32'sd1;
  end

  // ---------------------------------------------------------------------------------------------
  // Stage 2: the rounded value v (double: RDBPOT(SRDHM); single: the rounding shift) is
  // floor(sum / 2^k), plus RDBPOT's round-up bit in the double mode. Kept: v's low nine bits, the
  // round-up bit, and whether v lies above 255 or below -256. Outside that range the zero point
  // (at most 127 in size) and the round-up bit cannot bring the result back into int8, so the
  // clamp decides it, and the single mode's int32 saturation (which keeps the side) need not be
  // done. The range test reads the sum's bits at or above 8 + k directly, beside the shift,
  // not after it.
  // ---------------------------------------------------------------------------------------------
  logic               s2_valid_d, s2_valid_q;
  logic signed [8:0]  s2_low_d, s2_low_q;   // v[8:0]
  logic               s2_up_d, s2_up_q;     // RDBPOT rounds up (double mode)
  logic               s2_hi_d, s2_hi_q;     // v > 255
  logic               s2_lo_d, s2_lo_q;     // v < -256
  logic signed [DataW-1:0] s2_zp_q, s2_min_q, s2_max_q;

  logic signed [31:0] high32, remainder;
  always_comb begin
    s2_low_d = 9'(s1_sum_q >>> s1_k_q);
    // floor(sum / 2^k) > 255 iff sum >= 2^(8+k): non-negative with a set bit at or above 8 + k.
    // Below -256 iff sum < -2^(8+k): negative with a clear bit there. (A negative sum has bit 62
    // set, as the sum is above -2^62; the double mode's sum is below 2^62.)
    s2_hi_d = !s1_sum_q[63] && |(s1_sum_q[62:RangeLo] & s1_range_q);
    s2_lo_d = s1_sum_q[63] && |(~s1_sum_q[62:RangeLo] & s1_range_q);
    // SRDHM: floor((2ab + 2^31) / 2^32) = floor((ab + 2^30) / 2^31) (the 2^30 was added in
    // stage 1). RDBPOT: add one when the remainder exceeds half the mask, plus one for a
    // negative value (ties away from zero).
    high32    = s1_sum_q[62:31];
    remainder = high32 & s1_mask_q;
    s2_up_d   = !s1_single_q && (high32 < 0 ? remainder > s1_half1_q
                                            : remainder > (s1_mask_q >>> 1));
    s2_valid_d = s1_valid_q;
  end

  // ---------------------------------------------------------------------------------------------
  // Stage 3: output zero point and activation clamp.
  // ---------------------------------------------------------------------------------------------
  logic signed [DataW-1:0] out_d, out_q;
  logic                    out_valid_q;
  logic signed [10:0]      with_zp;  // in [-384, 383] when neither range flag is set
  logic                    clamp_lo, clamp_hi;
  always_comb begin
    with_zp  = 11'(s2_low_q) + 11'(s2_zp_q) + 11'(s2_up_q);
    clamp_hi = s2_hi_q || (!s2_lo_q && with_zp > 11'(s2_max_q));
    clamp_lo = s2_lo_q || (!s2_hi_q && with_zp < 11'(s2_min_q));
    if (clamp_lo) begin
      out_d = s2_min_q;
    end else if (clamp_hi) begin
      out_d = s2_max_q;
    end else begin
      out_d = with_zp[DataW-1:0];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s0_valid_q  <= 1'b0;
      p_valid_q   <= 1'b0;
      s1_valid_q  <= 1'b0;
      s2_valid_q  <= 1'b0;
      out_valid_q <= 1'b0;
    end else if (advance) begin
      s0_valid_q  <= valid_i;
      p_valid_q   <= s0_valid_q;
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
      p_ll_q      <= p_ll_d[31:0];
      p_lh_q      <= p_lh_d[31:0];
      p_hl_q      <= p_hl_d[31:0];
      p_hh_q      <= p_hh_d[31:0];
      p_single_q  <= s0_single_q;
      p_rshift_q  <= s0_rshift_q;
      p_round_q   <= s0_round_q;
      p_mask_q    <= s0_mask_q;
      p_zp_q      <= s0_zp_q;
      p_min_q     <= s0_min_q;
      p_max_q     <= s0_max_q;
      s1_sum_q    <= s1_sum_d;
      s1_single_q <= p_single_q;
      s1_k_q      <= s1_k_d;
      s1_range_q  <= s1_range_d;
      s1_mask_q   <= p_mask_q;
      s1_half1_q  <= s1_half1_d;
      s1_zp_q     <= p_zp_q;
      s1_min_q    <= p_min_q;
      s1_max_q    <= p_max_q;
      s2_low_q    <= s2_low_d;
      s2_up_q     <= s2_up_d;
      s2_hi_q     <= s2_hi_d;
      s2_lo_q     <= s2_lo_d;
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
  // The partial products fit their 32-bit registers: al*ml is unsigned, the others keep the sign.
  `NPU_ASSERT(a_partials_fit, s0_valid_q |-> p_ll_d[33:32] == 2'b00 &&
                                         p_lh_d[33:31] inside {3'b000, 3'b111} &&
                                         p_hl_d[33:31] inside {3'b000, 3'b111} &&
                                         p_hh_d[33:31] inside {3'b000, 3'b111})
  `NPU_ASSERT(a_out_stable_while_stalled, valid_o && !ready_i |=> valid_o && $stable(data_o))
  `NPU_COVER(c_single_round, valid_i && single_round_i)
  // the clamps, where they are decided (with the result's own bounds, not the next input's)
  `NPU_COVER(c_sat_low, s2_valid_q && advance && clamp_lo)
  `NPU_COVER(c_sat_high, s2_valid_q && advance && clamp_hi)
  // a value outside [-256, 255] (the clamp decided by the range test alone)
  `NPU_COVER(c_range_hi, s2_valid_q && advance && s2_hi_q)
  `NPU_COVER(c_range_lo, s2_valid_q && advance && s2_lo_q)
  `NPU_COVER(c_stall, valid_o && !ready_i)

endmodule : npu_requant

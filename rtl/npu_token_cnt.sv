// npu_token_cnt: one counting token's update in one cycle of the command processor (docs/isa.md,
// "Queues and tokens"), combinational. In a cycle a token receives the gives of the commands
// that finish on units 0, 1, 2, in that order, and loses at most one take to the command that
// starts (the start picks one head per cycle; a take needs a nonzero count).
//
//   * No unit error (err_i = 0): a give that finds the count at 255 is an overflow of that unit
//     (error 13) and leaves the count; every other give adds one. The take comes first: with
//     b = cnt_i - take_i, the count becomes min(b + n, 255) for n gives.
//   * A unit error in the cycle (err_i = 1): the command processor reports that error and ignores
//     the overflow flags, and the count is b + n wrapped to 8 bits (the gives do not stop at
//     255). Both are what the command processor's serial form, gives() in npu_cmdproc, computes
//     (asserted equal there, a_cnt_as_gives and a_ovf_as_gives).
//
// The serial form is three steps of compare and add, each waiting on the unit error; a unit's
// done went through all of them into the count register, one of the routed NPU's longest paths
// (docs/fpga.md). Here everything that needs the count (the sums b + n for every n and take,
// their zero tests, the overflow thresholds) is formed from cnt_i alone, beside the late
// inputs, which then only select: the gives, the take and the error arrive at multiplexers.
// ovf_o does not depend on err_i at all.
module npu_token_cnt (
  input  logic [7:0] cnt_i,   // the count at the start of the cycle
  input  logic [2:0] give_i,  // unit q's finishing command signals the token
  input  logic       take_i,  // the starting command waits on the token (cnt_i >= 1)
  input  logic       err_i,   // a unit reported an execution error in this cycle
  output logic [7:0] cnt_o,   // the count after the cycle
  output logic       nz_o,    // cnt_o != 0
  output logic [2:0] ovf_o    // unit q's give finds 255 (as without err_i)
);

  logic [1:0] n;              // gives in the cycle
  logic [2:0] thr_nt, thr_ot; // thr_*[k]: k gives bring b to 255 (nt: b = cnt_i; ot: cnt_i - 1)
  logic [2:0] thr;            // the one of the cycle's b
  logic       cap;            // the count stops at 255
  logic [7:0] sum;            // b + n, wrapped
  logic       zero;           // sum == 0

  always_comb begin
    n = 2'(give_i[0]) + 2'(give_i[1]) + 2'(give_i[2]);
    for (int unsigned k = 0; k < 3; k++) begin
      thr_nt[k] = {2'b0, cnt_i} >= 10'(255 - k);
      thr_ot[k] = {2'b0, cnt_i} >= 10'(256 - k);  // cnt_i - 1 >= 255 - k (k <= 2: cnt_i != 0)
    end
    // unit q's give overflows when the gives before it bring b to 255
    thr      = take_i ? thr_ot : thr_nt;
    ovf_o[0] = give_i[0] && thr[0];
    ovf_o[1] = give_i[1] && thr[2'(give_i[0])];
    ovf_o[2] = give_i[2] && thr[2'(give_i[0]) + 2'(give_i[1])];
    // b + n passes 255 exactly when some give finds 255 (then the last give does too)
    cap = !err_i && ovf_o != 3'd0;
    unique case ({take_i, n})
      3'b1_00:          begin sum = cnt_i - 8'd1; zero = cnt_i == 8'd1;   end
      3'b0_00, 3'b1_01: begin sum = cnt_i;        zero = cnt_i == 8'd0;   end
      3'b0_01, 3'b1_10: begin sum = cnt_i + 8'd1; zero = cnt_i == 8'd255; end
      3'b0_10, 3'b1_11: begin sum = cnt_i + 8'd2; zero = cnt_i == 8'd254; end
      default:          begin sum = cnt_i + 8'd3; zero = cnt_i == 8'd253; end  // 3'b0_11
    endcase
    cnt_o = cap ? 8'd255 : sum;
    nz_o  = cap || !zero;
  end

endmodule : npu_token_cnt

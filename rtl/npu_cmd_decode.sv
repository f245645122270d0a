// npu_cmd_decode: the decode-time checks of docs/isa.md for one 64-byte command, bit-exact with
// nuri::isa::decode_and_check (errors 1-7, in the documented order).
//
// One command at a time: a command is accepted into cmd_q, then a small sequencer computes the
// products of the range checks with one shared multiplier (one product per cycle, at most six),
// then one check cycle registers the error code and the queue, then the command is offered on
// the output with them until out_ready_i. In the output cycle the next command may be accepted
// (in_ready_o = out_ready_i there), so with a continuous input and no back-pressure a command
// takes 2 + steps cycles:
//   LOAD, STORE, PPU 4;  MATMUL, ADD 5;  POOL 8;  NOPs, FENCE, END, illegal opcodes 2.
// Every check except the opcode, the reserved bits and the one that reads the last product is
// evaluated while the products run, from cmd_q and the products already registered, and
// registered with the operands of that last check (a remaining size to compare the last product
// against). The check cycle then has a 512-bit reserved-bit test, one compare and a priority
// select. The outputs are registers, because the command processor's dispatcher (queue writes,
// ready) depends on them. The command is offered from out_cmd_q, a copy loaded in the check
// cycle, so cmd_q can take the input in every SIdle and SOut cycle: its 512 enables follow the
// state alone and not out_ready_i (in_ready_o, which passes the dispatcher's consume through,
// had driven them all; a routed worst path of the 4x4 NPU ran through that net, docs/fpga.md).
`include "npu_assert.svh"

module npu_cmd_decode #(
  parameter int unsigned Rows         = npu_pkg::Rows,
  parameter int unsigned Cols         = npu_pkg::Cols,
  parameter int unsigned SpadBytes    = npu_pkg::SpadBytes,
  parameter int unsigned AccBytes     = npu_pkg::AccBytes,
  parameter int unsigned ParamEntries = npu_pkg::ParamEntries,
  parameter int unsigned VectorOps    = npu_pkg::VectorOps   // 1: POOL and ADD are legal
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                in_valid_i,
  output logic                in_ready_o,
  input  logic [511:0]        in_cmd_i,     // word i = bits [32*i +: 32]
  output logic                out_valid_o,
  input  logic                out_ready_i,
  output logic [511:0]        out_cmd_o,    // the command as received
  output npu_cmd_pkg::err_e   out_err_o,    // ErrOk or the first decode error (codes 1-7)
  output npu_cmd_pkg::queue_e out_queue_o   // queue of the opcode; don't care on error
);

  // ---------------------------------------------------------------------------------------------
  // Widths. The range checks compare an address plus products (count - 1) x stride of 24-bit
  // operands against sizes below 2^KW. A product of 2^KW or more fails every check it enters, so
  // the multiplier takes the operands' low KW bits and marks a product with a factor of 2^KW or
  // more (the other factor nonzero) by a bit above the exact product of the low bits (ProdW
  // bits): below 2^KW a product is exact, above it stays above. KW covers every size and the
  // pool window test (in + pad < 2^16 + 2^8): 17 bits, one ECP5 18x18 block, up to 64 KiB of
  // scratchpad. The sums of an address and two products need SumW bits; times Rows plus a byte
  // count RowsW more. Nothing can wrap.
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned MulW    = 24;
  localparam int unsigned AccRows = AccBytes / (4 * Cols);
  localparam int unsigned Size0   = SpadBytes > AccRows * 4 * Cols ? SpadBytes : AccRows * 4 * Cols;
  localparam int unsigned Size1   = ParamEntries * npu_cmd_pkg::ParamRecordBytes > 65535 + 255
                                  ? ParamEntries * npu_cmd_pkg::ParamRecordBytes : 65535 + 255;
  localparam int unsigned MaxSize = Size0 > Size1 ? Size0 : Size1;
  localparam int unsigned KW      = $clog2(MaxSize + 1);            // 2^KW > every size
  localparam int unsigned ProdW   = 2 * KW + 1;
  localparam int unsigned SumW    = ProdW + 3;
  localparam int unsigned RowsW   = $clog2(Rows + 1);
  localparam int unsigned EndW    = SumW + RowsW + 1;
  localparam int unsigned RemW    = EndW + 1;                        // signed remaining sizes
  localparam int unsigned Steps   = 6;                              // most products (POOL)
  localparam int unsigned StepW   = 3;
  // Byte sizes of the three LOAD / STORE spaces (the accumulator in whole rows, as check()).
  localparam logic [EndW-1:0] SpadLimit  = EndW'(SpadBytes);
  localparam logic [EndW-1:0] AccLimit   = EndW'(AccRows) * EndW'(4 * Cols);
  localparam logic [EndW-1:0] ParamLimit = EndW'(ParamEntries)
                                          * EndW'(npu_cmd_pkg::ParamRecordBytes);
  // ADD's last check, (row + p) * Rows + lanes > SpadBytes with 1 <= lanes <= Rows (else an
  // earlier error): with SpadBytes = Q * Rows + R (0 <= R < Rows) it holds exactly when
  // row + p > Q - (lanes > R), so it needs no multiplication by Rows.
  localparam int unsigned AddQ = SpadBytes / Rows;
  localparam int unsigned AddR = SpadBytes % Rows;

  `NPU_ASSERT_INIT(RowsLegal, Rows >= 1 && Rows <= 65536)
  `NPU_ASSERT_INIT(ColsLegal, Cols >= 1 && Cols <= 65536)
  `NPU_ASSERT_INIT(AccRowsLegal, AccRows >= 1)
  `NPU_ASSERT_INIT(VectorOpsLegal, VectorOps <= 1)

  typedef enum logic [1:0] {
    SIdle,  // empty, accepting
    SBusy,  // computing products
    SChk,   // registering the checks' result
    SOut    // offering the result
  } state_e;

  state_e                      state_q, state_d;
  logic [StepW-1:0]            step_q, step_d;
  logic [511:0]                cmd_q, cmd_d;
  logic [Steps*ProdW-1:0]      p_q, p_d;  // product i = bits [ProdW*i +: ProdW]
  logic [ProdW-1:0]            p0, p1, p2, p3, p4;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [ProdW-1:0]            p5;        // only ever a last product: the checks read plast_q
  /* verilator lint_on UNUSEDSIGNAL */
  assign {p5, p4, p3, p2, p1, p0} = p_q;

  // ---------------------------------------------------------------------------------------------
  // Opcode: legality and the number of products its range checks need.
  // ---------------------------------------------------------------------------------------------
  function automatic logic op_legal(logic [7:0] op);
    unique case (op)
      npu_cmd_pkg::OpLoad, npu_cmd_pkg::OpLoadNop, npu_cmd_pkg::OpMatmul, npu_cmd_pkg::OpPpu,
      npu_cmd_pkg::OpComputeNop, npu_cmd_pkg::OpStore, npu_cmd_pkg::OpStoreNop,
      npu_cmd_pkg::OpFence, npu_cmd_pkg::OpEnd:
        op_legal = 1'b1;
      npu_cmd_pkg::OpPool, npu_cmd_pkg::OpAdd:
        op_legal = VectorOps != 0;
      default:
        op_legal = 1'b0;
    endcase
  endfunction

  function automatic logic [StepW-1:0] op_steps(logic [7:0] op);
    unique case (op)
      npu_cmd_pkg::OpLoad, npu_cmd_pkg::OpStore, npu_cmd_pkg::OpPpu: op_steps = 3'd2;
      npu_cmd_pkg::OpMatmul:                                         op_steps = 3'd3;
      npu_cmd_pkg::OpPool: op_steps = VectorOps != 0 ? 3'd6 : 3'd0;
      npu_cmd_pkg::OpAdd:  op_steps = VectorOps != 0 ? 3'd3 : 3'd0;
      default:             op_steps = 3'd0;
    endcase
  endfunction

  // ---------------------------------------------------------------------------------------------
  // Fields of the held command.
  // ---------------------------------------------------------------------------------------------
  // w0 .. w15: word i of the held command (separate vectors: Yosys 0.23 has no 2-D packed arrays).
  // They are views for the field checks, which read only the defined bits; the reserved-bit check
  // reads cmd_q whole.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [7:0]  op;
  assign {w15, w14, w13, w12, w11, w10, w9, w8, w7, w6, w5, w4, w3, w2, w1, w0} = cmd_q;
  assign op = npu_cmd_pkg::cmd_opcode(cmd_q);

  function automatic logic [MulW-1:0] dec24(logic [MulW-1:0] x);  // count - 1
    dec24 = x - MulW'(1);
  endfunction
  function automatic logic [MulW-1:0] dec16(logic [15:0] x);
    logic [15:0] d;
    d     = x - 16'd1;
    dec16 = MulW'(d);
  endfunction

  // ---------------------------------------------------------------------------------------------
  // Sequencer: product `step_q` of the held command (count - 1) x stride.
  // ---------------------------------------------------------------------------------------------
  // Operands of product `step` of command c, registered one cycle ahead of the multiplier: in the
  // accept cycle those of step 0 of the incoming command, in SBusy those of the next step. So
  // the multiplier reads registers only, and the products take `steps` cycles.
  function automatic logic [2*MulW-1:0] operands(logic [511:0] c, logic [StepW-1:0] step);
    logic [MulW-1:0] a, b;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [31:0] x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15;
    /* verilator lint_on UNUSEDSIGNAL */
    {x15, x14, x13, x12, x11, x10, x9, x8, x7, x6, x5, x4, x3, x2, x1, x0} = c;
    a = '0;
    b = '0;
    unique case (npu_cmd_pkg::cmd_opcode(c))
      npu_cmd_pkg::OpLoad, npu_cmd_pkg::OpStore: begin
        if (step == 3'd0) begin
          a = dec24(x15[23:0]); b = x6[23:0];  // (len2 - 1) * lcl_stride2
        end else begin
          a = dec24(x14[23:0]); b = x5[23:0];  // (len1 - 1) * lcl_stride1
        end
      end
      npu_cmd_pkg::OpMatmul: begin
        unique case (step)
          3'd0:    begin a = dec16(x3[15:0]); b = x2[23:0]; end  // (m-1) * act_stride
          3'd1:    begin a = dec16(x6[15:0]); b = x5[23:0]; end  // (k-1) * w_stride
          default: begin a = dec16(x3[15:0]); b = x8[23:0]; end  // (m-1) * acc_stride
        endcase
      end
      npu_cmd_pkg::OpPpu: begin
        // The accumulator product last: its check ranks first, and it needs no Rows scaling.
        if (step == 3'd0) begin
          a = dec16(x3[15:0]); b = x5[23:0];   // (m-1) * dst_stride
        end else begin
          a = dec16(x3[15:0]); b = x2[23:0];   // (m-1) * acc_stride
        end
      end
      // Without the vector opcodes POOL and ADD take no products (op_steps) and fail the opcode
      // check: their operands and checks are left out of the logic (npu_top's decoder).
      npu_cmd_pkg::OpPool: if (VectorOps != 0) begin
        unique case (step)
          3'd0:    begin a = dec16(x3[15:0]);  b = MulW'(x2[31:16]); end  // src_line
          3'd1:    begin a = dec16(x3[31:16]); b = MulW'(x2[15:0]);  end  // src_pixel
          3'd2:    begin a = dec16(x6[15:0]);  b = MulW'(x5[31:16]); end  // dst_line
          3'd3:    begin a = dec16(x6[31:16]); b = MulW'(x5[15:0]);  end  // dst_pixel
          3'd4:    begin a = dec16(x6[15:0]);  b = MulW'(x7[23:16]); end  // sh
          default: begin a = dec16(x6[31:16]); b = MulW'(x7[31:24]); end  // sw
        endcase
      end
      npu_cmd_pkg::OpAdd: if (VectorOps != 0) begin
        unique case (step)
          3'd0:    begin a = dec16(x5[31:16]); b = MulW'(x4[15:0]);  end  // a_stride
          3'd1:    begin a = dec16(x5[31:16]); b = MulW'(x4[31:16]); end  // b_stride
          default: begin a = dec16(x5[31:16]); b = MulW'(x5[15:0]);  end  // dst_stride
        endcase
      end
      default: ;
    endcase
    operands = {a, b};
  endfunction

  logic [MulW-1:0]  mul_a_q, mul_b_q;
  logic [KW-1:0]    mul_a_lo, mul_b_lo;
  logic             prod_big;   // a factor of 2^KW or more and the other nonzero
  logic [ProdW-1:0] prod;
  assign mul_a_lo = KW'(mul_a_q);
  assign mul_b_lo = KW'(mul_b_q);
  assign prod_big = mul_a_q != '0 && mul_b_q != '0 &&
                    ((mul_a_q >> KW) != '0 || (mul_b_q >> KW) != '0);
  assign prod     = {prod_big, (2 * KW)'(mul_a_lo) * (2 * KW)'(mul_b_lo)};

  // ---------------------------------------------------------------------------------------------
  // Handshake and sequencing.
  // ---------------------------------------------------------------------------------------------
  logic [StepW-1:0] steps;
  assign steps = op_steps(op);

  always_comb begin
    state_d    = state_q;
    step_d     = step_q;
    cmd_d      = cmd_q;
    p_d        = p_q;
    in_ready_o = state_q == SIdle || (state_q == SOut && out_ready_i);
    unique case (state_q)
      SBusy: begin
        p_d[ProdW*step_q +: ProdW] = prod;
        step_d      = step_q + 3'd1;
        if (step_q == steps - 3'd1) state_d = SChk;
      end
      SChk:    state_d = SOut;
      SOut:    if (out_ready_i) state_d = SIdle;
      default: ;
    endcase
    // The command register takes the input in every SIdle and SOut cycle, accepted or not (it is
    // read only in SBusy and SChk, which an accept starts; SOut offers out_cmd_q): its enables
    // then follow the state register alone, not in_valid_i or out_ready_i.
    if (state_q == SIdle || state_q == SOut) begin
      cmd_d = in_cmd_i;
    end
    if (in_valid_i && in_ready_o) begin
      step_d  = '0;
      state_d = op_steps(npu_cmd_pkg::cmd_opcode(in_cmd_i)) == 3'd0 ? SChk : SBusy;
    end
  end

  // Operand registers: no reset needed, they are read only in SBusy, which always follows an
  // accept cycle that loads them. They take the input command's first operands in every cycle
  // that can accept (SIdle, SOut), accepted or not: the load then depends on the state register
  // alone, not on in_valid_i and the consumer's out_ready_i behind in_ready_o.
  always_ff @(posedge clk_i) begin
    if (state_q == SIdle || state_q == SOut) begin
      {mul_a_q, mul_b_q} <= operands(in_cmd_i, '0);
    end else begin
      {mul_a_q, mul_b_q} <= operands(cmd_q, step_q + 3'd1);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= SIdle;
      step_q  <= '0;
      cmd_q   <= '0;
      p_q     <= '0;
    end else begin
      state_q <= state_d;
      step_q  <= step_d;
      cmd_q   <= cmd_d;
      p_q     <= p_d;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Checks. docs/isa.md order: opcode, reserved bits, format (3 before 4), configuration (3,
  // ranges). While the products run (SBusy), every check but the opcode, the reserved bits and
  // the one on the last product is evaluated on cmd_q and the products registered so far, and
  // registered in every SBusy cycle (the last one counts):
  //   pre_q   the first error ranked before the last-product check (ErrOk: none);
  //   last_q  the error that check reports (ErrOk: the opcode has none), failing when the last
  //           product exceeds a remaining size rem (rem_neg_q: below 0, every product fails;
  //           else rem_lo_q, below 2^KW as every size is);
  //   post_q  the first error ranked after it.
  // Any other cycle clears them, so a command without products (accept -> SChk) finds ErrOk.
  // ---------------------------------------------------------------------------------------------
  function automatic logic [EndW-1:0] ext(logic [ProdW-1:0] x);
    ext = EndW'(x);
  endfunction
  // End byte of rows: (addr + sum of products) * Rows + bytes.
  function automatic logic [EndW-1:0] rows_end(logic [EndW-1:0] row, logic [15:0] bytes);
    rows_end = row * EndW'(Rows) + EndW'(bytes);
  endfunction
  function automatic logic signed [RemW-1:0] sx(logic [EndW-1:0] x);  // as a signed size
    sx = $signed({1'b0, x});
  endfunction
  function automatic logic lt_s8(logic [7:0] a, logic [7:0] b);  // signed a < b
    lt_s8 = $signed(a) < $signed(b);
  endfunction
  // ADD shift field outside [-31, 0].
  function automatic logic bad_shift(logic [7:0] s);
    bad_shift = $signed(s) > 8'sd0 || $signed(s) < -8'sd31;
  endfunction

  logic                   dim_fmt;     // format: zero count, kernel > 16, empty pool window
  logic                   field_fmt;   // format: field values
  logic                   dim_cfg;     // configuration: k > Rows, n > Cols, lanes > Rows
  logic                   spad_bad, param_bad;
  logic [EndW-1:0]        dma_sum, end_a, end_b, end_c;
  npu_cmd_pkg::err_e      pre_d, last_d, post_d, pre_q, last_q, post_q;
  logic signed [RemW-1:0] rem_d;
  logic                   rem_neg_q;
  logic [KW-1:0]          rem_lo_q;
  logic [ProdW-1:0]       plast_q;     // product of the latest SBusy step: the last one in SChk

  always_comb begin
    dim_fmt   = 1'b0;
    field_fmt = 1'b0;
    dim_cfg   = 1'b0;
    spad_bad  = 1'b0;
    param_bad = 1'b0;
    // LOAD / STORE: lcl_addr + (len2-1)*lcl_stride2 + len0; the last product (len1-1)*lcl_stride1.
    dma_sum   = EndW'(w2[31:8]) + ext(p0) + EndW'(w13[23:0]);
    end_a     = '0;
    end_b     = '0;
    end_c     = '0;
    pre_d     = npu_cmd_pkg::ErrOk;
    last_d    = npu_cmd_pkg::ErrOk;
    post_d    = npu_cmd_pkg::ErrOk;
    rem_d     = '0;
    unique case (op)
      npu_cmd_pkg::OpLoad, npu_cmd_pkg::OpStore: begin
        dim_fmt = w13[23:0] == '0 || w14[23:0] == '0 || w15[23:0] == '0;
        pre_d   = dim_fmt ? npu_cmd_pkg::ErrBadDimension : npu_cmd_pkg::ErrOk;
        unique case (npu_cmd_pkg::cmd_space(cmd_q))  // space 3: a reserved-bit error
          2'd0: begin
            last_d = npu_cmd_pkg::ErrSpadRange;
            rem_d  = sx(SpadLimit) - sx(dma_sum);
          end
          2'd1: begin
            last_d = npu_cmd_pkg::ErrAccRange;
            rem_d  = sx(AccLimit) - sx(dma_sum);
          end
          default: begin
            last_d = npu_cmd_pkg::ErrParamRange;
            rem_d  = sx(ParamLimit) - sx(dma_sum);
          end
        endcase
      end
      npu_cmd_pkg::OpMatmul: begin
        // m = w3[15:0], k = w6[15:0], n = w6[31:16]
        dim_fmt  = w3[15:0] == '0 || w6[15:0] == '0 || w6[31:16] == '0;
        dim_cfg  = 32'(w6[15:0]) > Rows || 32'(w6[31:16]) > Cols;
        end_a    = rows_end(EndW'(w1[23:0]) + ext(p0), w6[15:0]);   // activations, k bytes
        end_b    = rows_end(EndW'(w4[23:0]) + ext(p1), w6[31:16]);  // weights, n bytes
        spad_bad = end_a > SpadLimit || end_b > SpadLimit;
        pre_d    = dim_fmt || dim_cfg ? npu_cmd_pkg::ErrBadDimension :
                   spad_bad           ? npu_cmd_pkg::ErrSpadRange    : npu_cmd_pkg::ErrOk;
        last_d   = npu_cmd_pkg::ErrAccRange;                          // acc_addr + p2 < AccRows
        rem_d    = sx(EndW'(AccRows) - EndW'(1)) - sx(EndW'(w7[23:0]));
      end
      npu_cmd_pkg::OpPpu: begin
        // m = w3[15:0], n = w3[31:16]; product 0 the destination's, 1 the accumulator's
        dim_fmt   = w3[15:0] == '0 || w3[31:16] == '0;
        field_fmt = lt_s8(w7[23:16], w7[15:8]);                         // act_max < act_min
        dim_cfg   = 32'(w3[31:16]) > Cols;
        end_b     = rows_end(EndW'(w4[23:0]) + ext(p0), w3[31:16]);   // destination
        end_c     = EndW'(w6[23:0]) + EndW'(w3[31:16]);                 // param_addr + n
        spad_bad  = end_b > SpadLimit;
        param_bad = end_c > EndW'(ParamEntries);
        pre_d     = dim_fmt   ? npu_cmd_pkg::ErrBadDimension :
                    field_fmt ? npu_cmd_pkg::ErrBadField     :
                    dim_cfg   ? npu_cmd_pkg::ErrBadDimension : npu_cmd_pkg::ErrOk;
        last_d    = npu_cmd_pkg::ErrAccRange;                         // acc_addr + p1 < AccRows
        rem_d     = sx(EndW'(AccRows) - EndW'(1)) - sx(EndW'(w1[23:0]));
        post_d    = spad_bad  ? npu_cmd_pkg::ErrSpadRange  :
                    param_bad ? npu_cmd_pkg::ErrParamRange : npu_cmd_pkg::ErrOk;
      end
      // (POOL and ADD: see operands())
      npu_cmd_pkg::OpPool: if (VectorOps != 0) begin
        // in_h = w3[15:0], in_w = w3[31:16], out_h = w6[15:0], out_w = w6[31:16],
        // kh kw sh sw = w7 bytes 0..3, pad_top pad_left = w8 bytes 0, 1, lanes = w8[31:16].
        // A window holds an in-image tap unless kernel <= pad (the first window ends above /
        // left of the image) or (out - 1) * stride >= in + pad (the last starts below / right;
        // the width's test is the last product's).
        dim_fmt   = w3[15:0] == '0 || w3[31:16] == '0 || w6[15:0] == '0 ||
                    w6[31:16] == '0 || w8[31:16] == '0 || w7[7:0] == '0 ||
                    w7[15:8] == '0 || w7[23:16] == '0 || w7[31:24] == '0 ||
                    32'(w7[7:0]) > npu_cmd_pkg::MaxPoolKernel ||
                    32'(w7[15:8]) > npu_cmd_pkg::MaxPoolKernel ||
                    w7[7:0] <= w8[7:0] || w7[15:8] <= w8[15:8] ||
                    p4 >= ProdW'(w3[15:0]) + ProdW'(w8[7:0]);
        field_fmt = lt_s8(w9[15:8], w9[7:0]);
        dim_cfg   = 32'(w8[31:16]) > Rows;
        end_a     = rows_end(EndW'(w1[23:0]) + ext(p0) + ext(p1), w8[31:16]);
        end_b     = rows_end(EndW'(w4[23:0]) + ext(p2) + ext(p3), w8[31:16]);
        spad_bad  = end_a > SpadLimit || end_b > SpadLimit;
        pre_d     = dim_fmt ? npu_cmd_pkg::ErrBadDimension : npu_cmd_pkg::ErrOk;
        last_d    = npu_cmd_pkg::ErrBadDimension;                    // p5 < in_w + pad_left
        rem_d     = sx(EndW'(w3[31:16]) + EndW'(w8[15:8])) - RemW'(1);
        post_d    = field_fmt ? npu_cmd_pkg::ErrBadField     :
                    dim_cfg   ? npu_cmd_pkg::ErrBadDimension :
                    spad_bad  ? npu_cmd_pkg::ErrSpadRange    : npu_cmd_pkg::ErrOk;
      end
      npu_cmd_pkg::OpAdd: if (VectorOps != 0) begin
        // m = w5[31:16], lanes = w6[15:0], left_shift = w6[23:16], multipliers w8..w10,
        // shifts w11 bytes 0..2, act_min / act_max w12 bytes 0, 1.
        dim_fmt   = w5[31:16] == '0 || w6[15:0] == '0;
        field_fmt = w6[23:16] > 8'd31 || w8[31] || w9[31] || w10[31] ||
                    bad_shift(w11[7:0]) || bad_shift(w11[15:8]) ||
                    bad_shift(w11[23:16]) || lt_s8(w12[15:8], w12[7:0]);
        dim_cfg   = 32'(w6[15:0]) > Rows;
        end_a     = rows_end(EndW'(w1[23:0]) + ext(p0), w6[15:0]);
        end_b     = rows_end(EndW'(w2[23:0]) + ext(p1), w6[15:0]);
        spad_bad  = end_a > SpadLimit || end_b > SpadLimit;
        pre_d     = dim_fmt   ? npu_cmd_pkg::ErrBadDimension :
                    field_fmt ? npu_cmd_pkg::ErrBadField     :
                    dim_cfg   ? npu_cmd_pkg::ErrBadDimension :
                    spad_bad  ? npu_cmd_pkg::ErrSpadRange    : npu_cmd_pkg::ErrOk;
        last_d    = npu_cmd_pkg::ErrSpadRange;    // dst_addr + p2 <= AddQ - (lanes > AddR)
        rem_d     = sx(EndW'(AddQ)) - sx(EndW'(32'(w6[15:0]) > AddR)) - sx(EndW'(w3[23:0]));
      end
      default: ;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (state_q == SBusy) begin
      pre_q     <= pre_d;
      last_q    <= last_d;
      post_q    <= post_d;
      rem_neg_q <= rem_d[RemW-1];
      rem_lo_q  <= KW'(rem_d);
      plast_q   <= prod;
    end else begin
      pre_q     <= npu_cmd_pkg::ErrOk;
      last_q    <= npu_cmd_pkg::ErrOk;
      post_q    <= npu_cmd_pkg::ErrOk;
    end
  end

  // The check cycle (SChk): opcode, reserved bits, then the registered checks.
  logic              resv;        // a reserved bit set or space = 3
  logic              last_bad;    // the last product exceeds the remaining size
  npu_cmd_pkg::err_e err;
  always_comb begin
    resv = 1'b0;
    for (int unsigned i = 0; i < 16; i++) begin
      resv |= |(npu_cmd_pkg::cmd_word(cmd_q, i) & ~npu_cmd_pkg::defined_bits(op, i));
    end
    if (op == npu_cmd_pkg::OpLoad || op == npu_cmd_pkg::OpStore) begin
      resv |= npu_cmd_pkg::cmd_space(cmd_q) == 2'd3;
    end
    last_bad = rem_neg_q || plast_q[ProdW-1:KW] != '0 || plast_q[KW-1:0] > rem_lo_q;
    if (!op_legal(op))                                  err = npu_cmd_pkg::ErrIllegalOpcode;
    else if (resv)                                      err = npu_cmd_pkg::ErrReservedBits;
    else if (pre_q != npu_cmd_pkg::ErrOk)               err = pre_q;
    else if (last_q != npu_cmd_pkg::ErrOk && last_bad)  err = last_q;
    else                                                err = post_q;
  end

  npu_cmd_pkg::err_e   err_q;
  npu_cmd_pkg::queue_e queue, queue_q;
  logic [511:0]        out_cmd_q;
  always_comb begin
    unique case (npu_cmd_pkg::opcode_queue(op))
      2'd0:    queue = npu_cmd_pkg::QLoad;
      2'd1:    queue = npu_cmd_pkg::QCompute;
      2'd2:    queue = npu_cmd_pkg::QStore;
      default: queue = npu_cmd_pkg::QCtrl;
    endcase
  end

  // Read only in SOut, which always follows SChk: no reset needed.
  always_ff @(posedge clk_i) begin
    if (state_q == SChk) begin
      err_q     <= err;
      queue_q   <= queue;
      out_cmd_q <= cmd_q;
    end
  end

  assign out_valid_o = state_q == SOut;
  assign out_cmd_o   = out_cmd_q;
  assign out_err_o   = err_q;
  assign out_queue_o = queue_q;

  logic [7:0] out_op;  // the offered command's opcode (for the assertions and coverage)
  assign out_op = npu_cmd_pkg::cmd_opcode(out_cmd_q);

  // ---------------------------------------------------------------------------------------------
  // Assertions and coverage.
  // ---------------------------------------------------------------------------------------------
  `NPU_ASSERT(OutHeld, out_valid_o && !out_ready_i |=> out_valid_o && $stable(out_cmd_o) &&
                       $stable(out_err_o))
  `NPU_ASSERT(BusyHasSteps, state_q == SBusy |-> steps != '0 && step_q < steps)
  `NPU_ASSERT(OutIsChecks, out_valid_o |-> 2'(out_queue_o) == npu_cmd_pkg::opcode_queue(out_op))
  `NPU_ASSERT(DecodeErrorOnly, out_valid_o |-> 32'(out_err_o) <= 32'(npu_cmd_pkg::ErrParamRange))
  `NPU_COVER(CoverBackToBack, out_valid_o && out_ready_i && in_valid_i)
  `NPU_COVER(CoverSpadRange, out_valid_o && out_err_o == npu_cmd_pkg::ErrSpadRange)
  `NPU_COVER(CoverBigProduct, state_q == SBusy && prod_big)
  `NPU_COVER(CoverPoolOk, out_valid_o && out_op == npu_cmd_pkg::OpPool &&
                          out_err_o == npu_cmd_pkg::ErrOk)

endmodule : npu_cmd_decode

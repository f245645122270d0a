// npu_dma_plan: per-descriptor arithmetic of the DMA (docs/dma.md, "Descriptor semantics").
//
// The window clipped against the tensor in every dimension, registered: the clip outputs follow
// desc_i two cycles late (valid from the second cycle after start_i while desc_i is held, so
// always by done_o; the callers read them from done_o on). The window's ends start + len are
// registered first, so the clipping starts at a register rather than behind that sum.
// Sequential (start_i, then done_o after six cycles, two multipliers): the DRAM address range
// the descriptor touches, its check against [dram_base_i, dram_limit_i), and the local address
// of the first in-tensor element. Each multiplier (npu_mul_pipe) registers its 18x18 pieces and
// then their sum, so no path runs from a DSP block into an adder or an accumulator, and its
// operands are registers: the DRAM multiplier's first product's are taken from next_start2_i /
// next_stride2_i while the plan is idle (from the caller's next descriptor, which it registers
// into desc_i when it raises start_i), the second's at start_i, the later ones one step ahead
// from the registered clip values; the local multiplier's two come from the clip registers in
// steps 0 and 1. So the six steps stay, and no path runs from desc_i through the clipping or a
// step multiplexer into a multiplier or the callers' logic.
`include "npu_assert.svh"

module npu_dma_plan (
  input  logic                                clk_i,
  input  logic                                rst_ni,
  input  npu_dma_pkg::desc_t                  desc_i,
  // start2 and dram_stride2 of desc_i in the next cycle, whenever start_i is raised in it (from
  // the caller's descriptor input)
  input  logic signed [npu_dma_pkg::DimW:0]   next_start2_i,
  input  logic [npu_dma_pkg::DramAddrW-1:0]   next_stride2_i,
  input  logic [npu_pkg::AxiAddrW-1:0]        dram_base_i,
  input  logic [npu_pkg::AxiAddrW-1:0]        dram_limit_i,
  input  logic                                start_i,
  output logic                                done_o,
  // window clipped to the tensor
  output logic                                empty_o,     // some window extent is zero
  output logic                                any_o,       // some element lies inside the tensor
  output logic [npu_dma_pkg::DimW-1:0]        nd_o,        // in-tensor bytes per row (dim0)
  output logic [npu_dma_pkg::DimW-1:0]        pl_o,        // window index of the first of them
  output logic [npu_dma_pkg::DimW-1:0]        n1_o,        // in-tensor rows (dim1)
  output logic [npu_dma_pkg::DimW-1:0]        i1lo_o,      // window index of the first of them
  output logic [npu_dma_pkg::DimW-1:0]        n2_o,        // in-tensor planes (dim2)
  output logic [npu_dma_pkg::DimW-1:0]        i2lo_o,
  // after done_o
  output logic [npu_pkg::AxiAddrW-1:0]        dram_lo_o,   // first in-tensor byte in DRAM
  output logic [npu_dma_pkg::LclAddrW-1:0]    lcl_lo_o,    // its local address
  output logic                                window_ok_o  // touched DRAM inside the window
);

  localparam int unsigned DimW  = npu_dma_pkg::DimW;
  localparam int unsigned AddrW = npu_pkg::AxiAddrW;
  localparam int unsigned SW    = DimW + 3;            // signed coordinate arithmetic
  localparam int unsigned ProdW = DimW + AddrW;
  localparam int unsigned ExtW  = ProdW + 2;           // address sums without overflow
  localparam int unsigned LclW  = npu_dma_pkg::LclAddrW;

  // ---------------------------------------------------------------------------------------------
  // Clipping, per dimension: lo = max(start, 0), hi = min(start + len, size).
  // ---------------------------------------------------------------------------------------------
  function automatic logic signed [SW-1:0] max0(logic signed [SW-1:0] a);
    max0 = a > 0 ? a : '0;
  endfunction
  function automatic logic signed [SW-1:0] min2(logic signed [SW-1:0] a, logic signed [SW-1:0] b);
    min2 = a < b ? a : b;
  endfunction
  function automatic logic [DimW-1:0] cnt(logic signed [SW-1:0] lo, logic signed [SW-1:0] hi);
    cnt = hi > lo ? DimW'(hi - lo) : '0;
  endfunction
  // cnt(lo, hi) != 0 without the clipping in front of it: min(st + len, size) > max(st, 0)
  // holds when each of st + len, size exceeds each of st, 0 (one compare deep, not four).
  function automatic logic nonempty(logic signed [SW-1:0] st, logic [DimW-1:0] len,
                                    logic [DimW-1:0] size);
    nonempty = len != '0 && size != '0 && st + SW'($signed({1'b0, len})) > 0 &&
               SW'($signed({1'b0, size})) > st;
  endfunction

  logic signed [SW-1:0] st0, st1, st2, lo0, lo1, lo2, hi0, hi1, hi2;
  logic        [DimW-1:0] n0, n1, n2, ilo0, ilo1, ilo2;

  always_comb begin
    st0  = SW'(desc_i.start0);
    st1  = SW'(desc_i.start1);
    st2  = SW'(desc_i.start2);
    lo0  = max0(st0);
    lo1  = max0(st1);
    lo2  = max0(st2);
    hi0  = min2(st0 + SW'($signed({1'b0, desc_i.len0})), SW'($signed({1'b0, desc_i.size0})));
    hi1  = min2(st1 + SW'($signed({1'b0, desc_i.len1})), SW'($signed({1'b0, desc_i.size1})));
    hi2  = min2(st2 + SW'($signed({1'b0, desc_i.len2})), SW'($signed({1'b0, desc_i.size2})));
    n0   = cnt(lo0, hi0);
    n1   = cnt(lo1, hi1);
    n2   = cnt(lo2, hi2);
    ilo0 = DimW'(lo0 - st0);
    ilo1 = DimW'(lo1 - st1);
    ilo2 = DimW'(lo2 - st2);
  end

  // The window's ends, registered every cycle. From them and desc_i: a dimension has elements
  // in the tensor when min(end, size) > max(start, 0), i.e. when each of end, size exceeds each
  // of start, 0 (four compares side by side), and then min(end, size) - max(start, 0) of them.
  // Written so, the clip registers agree with one another in every cycle (a_any_is_counts),
  // also in the cycle after desc_i changes, when end_q still holds the previous ends.
  logic signed [SW-1:0] end0_q, end1_q, end2_q;
  always_ff @(posedge clk_i) begin
    end0_q <= st0 + SW'($signed({1'b0, desc_i.len0}));
    end1_q <= st1 + SW'($signed({1'b0, desc_i.len1}));
    end2_q <= st2 + SW'($signed({1'b0, desc_i.len2}));
  end

  function automatic logic clip_nonempty(logic signed [SW-1:0] st, logic signed [SW-1:0] e,
                                         logic [DimW-1:0] size);
    logic signed [SW-1:0] sz;
    sz            = SW'($signed({1'b0, size}));
    clip_nonempty = e > st && e > 0 && sz > st && sz > 0;
  endfunction
  function automatic logic [DimW-1:0] span(logic signed [SW-1:0] lo, logic signed [SW-1:0] e,
                                           logic [DimW-1:0] size);
    span = DimW'(min2(e, SW'($signed({1'b0, size}))) - lo);
  endfunction

  logic in0, in1, in2;
  assign in0 = clip_nonempty(st0, end0_q, desc_i.size0);
  assign in1 = clip_nonempty(st1, end1_q, desc_i.size1);
  assign in2 = clip_nonempty(st2, end2_q, desc_i.size2);

  // Registered every cycle (no enable): the clip of the descriptor held in the previous cycle
  // (ends: the one before).
  logic                 empty_q, any_q;
  logic [DimW-1:0]      n0_q, n1_q, n2_q, ilo0_q, ilo1_q, ilo2_q;
  logic [DimW-1:0]      hi1m_q, hi2m_q;  // multiplier operands (hi - 1)
  logic [DimW-1:0]      hi0_q;           // min(end0, size0), the high sum's start
  always_ff @(posedge clk_i) begin
    empty_q <= desc_i.len0 == '0 || desc_i.len1 == '0 || desc_i.len2 == '0;
    any_q   <= in0 && in1 && in2;
    n0_q    <= in0 ? span(lo0, end0_q, desc_i.size0) : '0;
    n1_q    <= in1 ? span(lo1, end1_q, desc_i.size1) : '0;
    n2_q    <= in2 ? span(lo2, end2_q, desc_i.size2) : '0;
    ilo0_q  <= ilo0;
    ilo1_q  <= ilo1;
    ilo2_q  <= ilo2;
    hi1m_q  <= DimW'(hi1 - SW'(1));
    hi2m_q  <= DimW'(hi2 - SW'(1));
    hi0_q   <= DimW'(min2(end0_q, SW'($signed({1'b0, desc_i.size0}))));
  end

  assign empty_o = empty_q;
  assign any_o   = any_q;
  assign nd_o    = n0_q;
  assign pl_o    = ilo0_q;
  assign n1_o    = n1_q;
  assign i1lo_o  = ilo1_q;
  assign n2_o    = n2_q;
  assign i2lo_o  = ilo2_q;

  // ---------------------------------------------------------------------------------------------
  // Address range: four DRAM products with one multiplier, two local ones with another.
  //   lo  = dram_addr + lo2 * s2 + lo1 * s1 + lo0
  //   hi  = dram_addr + (hi2 - 1) * s2 + (hi1 - 1) * s1 + hi0     (exclusive)
  //   lcl = lcl_addr + ilo2 * ls2 + ilo1 * ls1 + ilo0
  // ---------------------------------------------------------------------------------------------
  logic            busy_q, busy_d;
  logic [2:0]      step_q, step_d;
  logic [ExtW-1:0] acc_lo_q, acc_lo_d, acc_hi_q, acc_hi_d;
  logic [npu_dma_pkg::LclAddrW-1:0] acc_lcl_q, acc_lcl_d;
  logic            done_q, done_d;
  logic [DimW-1:0]  mul_a_q, lmul_a_q;
  logic [AddrW-1:0] mul_b_q;
  logic [LclW-1:0]  lmul_b_q;
  logic [ProdW-1:0] prod_q;   // DRAM product, two cycles after mul_*_q
  logic [LclW-1:0]  lprod_q;  // local product (low LclW bits), two cycles after lmul_*_q
  logic             first;

  // The DRAM multiplier's products (lo2 * s2, lo1 * s1, (hi2 - 1) * s2, (hi1 - 1) * s1) are
  // added in steps 1 to 4: product k's operands are in mul_*_q in the cycle before step k (for
  // product 0 the start_i cycle) and the product in prod_q in step k + 1. Product 0's operands
  // (lo2 = max(start2, 0) only a sign test) are taken from next_start2_i / next_stride2_i in
  // every idle cycle, so they are in place in the start_i cycle (asserted); product 1's
  // (lo1 = max(start1, 0), also a sign test) are registered at start_i, products 2 and 3's
  // from the clip registers in steps 0 and 1. The local multiplier's products (ilo2 * ls2,
  // ilo1 * ls1) have their operands registered in steps 0 and 1 and are added in steps 3 and 4.
  // So both sums are final by step 5, when the window check is registered, as with one
  // multiplier of one stage and six products.
  assign first = start_i && !busy_q;

  npu_mul_pipe #(.AW(DimW), .BW(AddrW), .PW(ProdW)) u_mul (
    .clk_i,
    .a_i(mul_a_q),
    .b_i(mul_b_q),
    .p_o(prod_q)
  );
  npu_mul_pipe #(.AW(DimW), .BW(LclW), .PW(LclW)) u_lmul (
    .clk_i,
    .a_i(lmul_a_q),
    .b_i(lmul_b_q),
    .p_o(lprod_q)
  );

  logic [DimW-1:0] nx_lo2;
  assign nx_lo2 = DimW'(max0(SW'(next_start2_i)));

  always_ff @(posedge clk_i) begin
    if (first) begin
      mul_a_q <= DimW'(lo1);
      mul_b_q <= desc_i.dram_stride1;
    end else if (!busy_q) begin
      mul_a_q <= nx_lo2;
      mul_b_q <= next_stride2_i;
    end else if (step_q == 3'd0) begin
      mul_a_q <= hi2m_q;
      mul_b_q <= desc_i.dram_stride2;
    end else begin
      mul_a_q <= hi1m_q;
      mul_b_q <= desc_i.dram_stride1;
    end
    if (step_q == 3'd0) begin
      lmul_a_q <= ilo2_q;
      lmul_b_q <= desc_i.lcl_stride2;
    end else begin
      lmul_a_q <= ilo1_q;
      lmul_b_q <= desc_i.lcl_stride1;
    end
  end

  always_comb begin
    busy_d    = busy_q;
    step_d    = step_q;
    acc_lo_d  = acc_lo_q;
    acc_hi_d  = acc_hi_q;
    acc_lcl_d = acc_lcl_q;
    done_d    = 1'b0;
    if (first) begin
      busy_d    = 1'b1;
      step_d    = 3'd0;
      acc_lo_d  = ExtW'(desc_i.dram_addr) + ExtW'(DimW'(lo0));
    end else if (busy_q) begin
      // The high and local sums start in step 1 from the clip registers (their first products
      // come in steps 2 and 4), not in the start_i cycle from the descriptor through the clip:
      // that was st0 + len0, min(., size0) and the add in series, the worst path of one routed
      // placement (docs/fpga.md). a_hi_start and a_lcl_start check them against that form.
      if (step_q == 3'd1) begin
        acc_hi_d  = ExtW'(desc_i.dram_addr) + ExtW'($signed(hi0_q));  // as ExtW'(DimW'(hi0))
        acc_lcl_d = desc_i.lcl_addr + npu_dma_pkg::LclAddrW'(ilo0_q);
      end
      unique case (step_q)
        3'd1, 3'd2: acc_lo_d = acc_lo_q + ExtW'(prod_q);
        3'd3, 3'd4: acc_hi_d = acc_hi_q + ExtW'(prod_q);
        default: ;
      endcase
      if (step_q == 3'd3 || step_q == 3'd4) begin
        acc_lcl_d = acc_lcl_q + lprod_q;
      end
      step_d = step_q + 3'd1;
      if (step_q == 3'd5) begin
        busy_d = 1'b0;
        done_d = 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q    <= 1'b0;
      step_q    <= '0;
      acc_lo_q  <= '0;
      acc_hi_q  <= '0;
      acc_lcl_q <= '0;
      done_q    <= 1'b0;
    end else begin
      busy_q    <= busy_d;
      step_q    <= step_d;
      acc_lo_q  <= acc_lo_d;
      acc_hi_q  <= acc_hi_d;
      acc_lcl_q <= acc_lcl_d;
      done_q    <= done_d;
    end
  end

  // The window check is registered in the last step (the DRAM range is final from step 4 on), so
  // the callers' state logic starts at a flip-flop rather than at two 66-bit compares against the
  // CSR window. window_ok_ref is the same check on the current values, for the assertion.
  logic window_ok_q, window_ok_ref;
  assign window_ok_ref = !any_q ||
                         (acc_lo_q >= ExtW'(dram_base_i) && acc_hi_q <= ExtW'(dram_limit_i));
  always_ff @(posedge clk_i) begin
    if (busy_q && step_q == 3'd5) begin
      window_ok_q <= window_ok_ref;
    end
  end

  assign done_o      = done_q;
  assign dram_lo_o   = acc_lo_q[AddrW-1:0];
  assign lcl_lo_o    = acc_lcl_q;
  assign window_ok_o = window_ok_q;

  // The window registers hold while a descriptor is planned (they are CSRs the driver sets
  // before starting the NPU), so the check registered in step 5 is the check at done_o.
  `NPU_ASSERT(a_window_ok_at_done, done_o |-> window_ok_o == window_ok_ref)
  `NPU_ASSERT(a_first_operands, first |-> mul_a_q == DimW'(lo2) &&
                                          mul_b_q == desc_i.dram_stride2)

  `NPU_ASSERT(a_hi_start, busy_q && step_q == 3'd1 |->
                         acc_hi_d == ExtW'(desc_i.dram_addr) + ExtW'(DimW'(hi0)))
  `NPU_ASSERT(a_lcl_start, busy_q && step_q == 3'd1 |->
                          acc_lcl_d == desc_i.lcl_addr + npu_dma_pkg::LclAddrW'(ilo0))
  // The sums at done_o, against the formulas above computed in one step (products of the full
  // widths), whatever the multipliers' schedule.
  logic [ExtW-1:0] lo_ref, hi_ref;
  logic [LclW-1:0] lcl_ref;
  always_comb begin
    lo_ref  = ExtW'(desc_i.dram_addr) + ExtW'(DimW'(lo2)) * ExtW'(desc_i.dram_stride2)
              + ExtW'(DimW'(lo1)) * ExtW'(desc_i.dram_stride1) + ExtW'(DimW'(lo0));
    hi_ref  = ExtW'(desc_i.dram_addr) + ExtW'(DimW'(hi2 - SW'(1))) * ExtW'(desc_i.dram_stride2)
              + ExtW'(DimW'(hi1 - SW'(1))) * ExtW'(desc_i.dram_stride1) + ExtW'(DimW'(hi0));
    lcl_ref = desc_i.lcl_addr + LclW'(ilo2) * desc_i.lcl_stride2
              + LclW'(ilo1) * desc_i.lcl_stride1 + LclW'(ilo0);
  end
  `NPU_ASSERT(a_sums_at_done, done_o && any_o |-> acc_lo_q == lo_ref && acc_hi_q == hi_ref &&
                                                  acc_lcl_q == lcl_ref)
  `NPU_ASSERT(a_any_is_counts, any_q == (n0_q != '0 && n1_q != '0 && n2_q != '0))

  // The clip the callers read (from done_o on) is the one-stage clip of the held descriptor:
  // nonempty() and cnt() straight from desc_i, the form before the ends got their register.
  logic any_ref;
  assign any_ref = nonempty(st0, desc_i.len0, desc_i.size0) &&
                   nonempty(st1, desc_i.len1, desc_i.size1) &&
                   nonempty(st2, desc_i.len2, desc_i.size2);
  `NPU_ASSERT(a_clip_at_done, done_o |-> any_q == any_ref && n0_q == n0 && n1_q == n1 &&
                                         n2_q == n2)

endmodule : npu_dma_plan

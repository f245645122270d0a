// npu_pe (iCE40 sibling leaf, chosen by scripts/fpga/run ice40): the generic rtl/npu_pe.sv with
// one attribute: Yosys 0.23's ice40_dsp pass crashes (segfault) when it tries to absorb the
// product register into SB_MAC16, so the product wire is kept. Same ports, same behaviour.
//
// npu_pe: one processing element of the weight-stationary MAC array (docs/datapath.md).
//
// Holds a working weight (used by the multiply) and a shadow weight (the next tile's, written
// through w_we_i / w_i while the current tile computes). The activation enters from the left
// with its swap flag and leaves to the right one cycle later. The product is registered (one
// pipeline stage between the multiplier and the adder, for the FPGA critical path in
// docs/fpga.md); the partial sum enters from above one cycle after the activation and leaves
// downwards one cycle later:
//
//   prod   <= a_i * w               where w = swap_i ? shadow : working
//   psum_o <= psum_i + prod         (psum_i belongs to the activation of the previous cycle)
//   working <= w                    (the swap takes effect with the row that carries the flag)
//
// Every PE has the same extra cycle, so the wavefront stays aligned: PE(r,c) sees activation m
// in cycle t+1+r+c and adds its product in cycle t+2+r+c, when PE(r-1,c)'s sum of row m arrives.
//
// A shadow write and a swap in the same cycle are legal: the swap moves the old shadow value
// into the working weight and the shadow takes the new value.
`include "npu_assert.svh"

module npu_pe #(
  parameter int unsigned DataW = npu_pkg::DataW,
  parameter int unsigned PsumW = 2 * npu_pkg::DataW + 4
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // activation and swap flag: from the left neighbour, forwarded to the right one
  input  logic signed [DataW-1:0] a_i,
  input  logic                    swap_i,
  output logic signed [DataW-1:0] a_o,
  output logic                    swap_o,
  // partial sum: from the PE above, forwarded to the PE below
  input  logic signed [PsumW-1:0] psum_i,
  output logic signed [PsumW-1:0] psum_o,
  // shadow weight write
  input  logic                    w_we_i,
  input  logic signed [DataW-1:0] w_i
);

  `NPU_ASSERT_INIT(p_psum_holds_product, PsumW >= 2 * DataW)

  logic signed [DataW-1:0]   w_work_d, w_work_q, w_shadow_d, w_shadow_q, a_q;
  // keep: stops Yosys 0.23's ice40_dsp from absorbing this register (it crashes doing so)
  (* keep *) logic signed [2*DataW-1:0] prod_d;
  logic signed [2*DataW-1:0] prod_q;
  logic signed [PsumW-1:0]   psum_d, psum_q;
  logic                      swap_q;

  always_comb begin
    w_work_d   = swap_i ? w_shadow_q : w_work_q;
    w_shadow_d = w_we_i ? w_i : w_shadow_q;
    prod_d     = (2 * DataW)'(a_i) * (2 * DataW)'(w_work_d);
    psum_d     = psum_i + PsumW'(prod_q);
  end

  // The swap flag must never be X or stale after reset; data registers need no reset.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      swap_q <= 1'b0;
    end else begin
      swap_q <= swap_i;
    end
  end

  always_ff @(posedge clk_i) begin
    a_q        <= a_i;
    prod_q     <= prod_d;
    psum_q     <= psum_d;
    w_work_q   <= w_work_d;
    w_shadow_q <= w_shadow_d;
  end

  assign a_o    = a_q;
  assign swap_o = swap_q;
  assign psum_o = psum_q;

endmodule : npu_pe

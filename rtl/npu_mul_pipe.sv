// npu_mul_pipe: unsigned multiplier in two register stages, shaped for 18x18 DSP blocks.
//
// p_o is the low PW bits of a_i * b_i, two cycles after the operands. The first stage registers
// the products of the operands' 18-bit pieces (each one 18x18 multiplier: on the ECP5 one
// MULT18X18D, a smaller piece possibly LUT logic), the second registers their sum. Written as
// one product, Yosys cuts a wide multiplication into the same pieces but adds them in the cycle
// of the DSP blocks, behind them: DSP block, then carry chains, which was a worst path of the
// routed NPU (the DMA plan's 24 x 40 product, docs/fpga.md). Here every DSP output ends at a
// register. Pieces whose product lies wholly above PW bits are left out.
module npu_mul_pipe #(
  parameter int unsigned AW = 24,
  parameter int unsigned BW = 40,
  parameter int unsigned PW = AW + BW
) (
  input  logic          clk_i,
  input  logic [AW-1:0] a_i,
  input  logic [BW-1:0] b_i,
  output logic [PW-1:0] p_o
);

  localparam int unsigned PieceW = 18;
  localparam int unsigned NA     = (AW + PieceW - 1) / PieceW;
  localparam int unsigned NB     = (BW + PieceW - 1) / PieceW;

  logic [NA*PieceW-1:0]  a_ext;
  logic [NB*PieceW-1:0]  b_ext;
  localparam int unsigned PpW    = 2 * PieceW;
  // piece (i, j): pp_q[PpW * (i * NB + j) +: PpW], weighted 2^(PieceW * (i + j)) (one flat
  // vector: Yosys would otherwise turn an unpacked array written in a loop into registers with
  // a warning)
  logic [NA*NB*PpW-1:0]  pp_q;
  logic [PW-1:0]         sum, p_q;

  assign a_ext = (NA * PieceW)'(a_i);
  assign b_ext = (NB * PieceW)'(b_i);

  // No reset: a product is read two cycles after its operands, which the caller times.
  always_ff @(posedge clk_i) begin
    for (int unsigned i = 0; i < NA; i++) begin
      for (int unsigned j = 0; j < NB; j++) begin
        if (PieceW * (i + j) < PW) begin
          pp_q[PpW*(i*NB+j) +: PpW] <= PpW'(a_ext[PieceW*i +: PieceW])
                                       * PpW'(b_ext[PieceW*j +: PieceW]);
        end else begin
          pp_q[PpW*(i*NB+j) +: PpW] <= '0;
        end
      end
    end
  end

  always_comb begin
    sum = '0;
    for (int unsigned i = 0; i < NA; i++) begin
      for (int unsigned j = 0; j < NB; j++) begin
        if (PieceW * (i + j) < PW) begin
          sum = sum + (PW'(pp_q[PpW*(i*NB+j) +: PpW]) << (PieceW * (i + j)));
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    p_q <= sum;
  end

  assign p_o = p_q;

endmodule : npu_mul_pipe

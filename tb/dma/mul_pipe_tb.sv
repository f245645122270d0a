// Test-bench wrapper: the DMA plan's two npu_mul_pipe configurations side by side on the same
// first operand, the DRAM one (24 x 40 bits, the whole 64-bit product) and the local one
// (24 x 32 bits, the low 32 bits), with a valid bit delayed as the products are, so the test
// can tell which cycle a product belongs to (tb/dma/test_mul_pipe.cpp).
module mul_pipe_tb (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        valid_i,
  input  logic [23:0] a_i,
  input  logic [39:0] b_i,
  input  logic [31:0] lb_i,
  output logic        valid_o,
  output logic [63:0] p_o,
  output logic [31:0] lp_o
);
  logic [1:0] v_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      v_q <= '0;
    end else begin
      v_q <= {v_q[0], valid_i};
    end
  end
  assign valid_o = v_q[1];

  npu_mul_pipe #(.AW(24), .BW(40), .PW(64)) u_dram (.clk_i, .a_i, .b_i, .p_o);
  npu_mul_pipe #(.AW(24), .BW(32), .PW(32)) u_lcl (.clk_i, .a_i, .b_i(lb_i), .p_o(lp_o));
endmodule : mul_pipe_tb

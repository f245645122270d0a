// npu_delay: a fixed delay line of Depth register stages (Depth = 0 is a wire).
//
// Used for the skew and de-skew triangles of the MAC array and for valid pipelines. With
// Reset = 1 every stage resets to zero (control bits such as valid or swap flags); with Reset = 0
// the stages have no reset (data, qualified elsewhere), which keeps them cheap.
`include "npu_assert.svh"

module npu_delay #(
  parameter int unsigned Width = 1,
  parameter int unsigned Depth = 1,
  parameter bit          Reset = 1'b0
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);

  `NPU_ASSERT_INIT(p_width_positive, Width >= 1)

  if (Depth == 0) begin : g_wire
    assign q_o = d_i;
    // clk_i and rst_ni are not needed by a wire.
    logic unused_clk_rst;
    assign unused_clk_rst = clk_i ^ rst_ni;
  end else begin : g_regs
    // stage j (0 = newest) occupies bits [j*Width +: Width].
    logic [Depth*Width-1:0] stage_d, stage_q;
    if (Depth == 1) begin : g_one
      assign stage_d = d_i;
    end else begin : g_many
      assign stage_d = {stage_q[(Depth-1)*Width-1:0], d_i};
    end
    if (Reset) begin : g_rst
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
          stage_q <= '0;
        end else begin
          stage_q <= stage_d;
        end
      end
    end else begin : g_norst
      always_ff @(posedge clk_i) begin
        stage_q <= stage_d;
      end
      logic unused_rst;
      assign unused_rst = rst_ni;
    end
    assign q_o = stage_q[(Depth-1)*Width +: Width];
  end

endmodule : npu_delay

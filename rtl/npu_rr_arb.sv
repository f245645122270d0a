// npu_rr_arb: round-robin arbiter for N valid/ready requesters sharing one valid/ready port.
// The grant is held while the granted request waits (valid without ready), so the shared port
// sees a stable request as the valid/ready rules require; otherwise the requester after the last
// winner has priority. gnt_o is one-hot (or zero when no request).
`include "npu_assert.svh"

module npu_rr_arb #(
  parameter int unsigned N = 2
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic [N-1:0] req_i,
  input  logic         ready_i,  // the shared port accepts the granted request
  output logic [N-1:0] gnt_o
);

  localparam int unsigned IdxW = (N > 1) ? $clog2(N) : 1;

  logic [IdxW-1:0] last_q;
  logic [N-1:0]    hold_q;

  always_comb begin
    gnt_o = '0;
    if ((hold_q & req_i) != '0) begin
      gnt_o = hold_q;
    end else begin
      for (int unsigned i = 1; i <= N; i++) begin
        if (gnt_o == '0 && req_i[(32'(last_q) + i) % N]) begin
          gnt_o[(32'(last_q) + i) % N] = 1'b1;
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      last_q <= '0;
      hold_q <= '0;
    end else begin
      hold_q <= (gnt_o != '0 && !ready_i) ? gnt_o : '0;
      for (int unsigned i = 0; i < N; i++) begin
        if (gnt_o[i] && ready_i) last_q <= IdxW'(i);
      end
    end
  end

  `NPU_ASSERT(a_onehot, $onehot0(gnt_o))
  `NPU_ASSERT(a_grant_requested, (gnt_o & ~req_i) == '0)

endmodule : npu_rr_arb

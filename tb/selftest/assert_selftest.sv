// Assertion self-test: a counter with one assertion about its range. With Broken = 0 the
// assertion states the truth; with Broken = 1 its bound is deliberately wrong (3 instead of
// Limit - 1), so it fails as soon as the counter reaches 4. tb/selftest checks that such a
// failure fails the test run (nuri::tb::Dut::tick throws, the executable exits non-zero).
`include "npu_assert.svh"

module assert_selftest #(
  parameter int unsigned Limit  = 10,
  parameter bit          Broken = 1'b0
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       en_i,
  output logic [7:0] count_o
);
  logic [7:0] cnt_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q <= '0;
    end else if (en_i) begin
      cnt_q <= (32'(cnt_q) == Limit - 1) ? '0 : cnt_q + 8'd1;
    end
  end
  assign count_o = cnt_q;

  localparam int unsigned Bound = Broken ? 3 : Limit - 1;
  `NPU_ASSERT(a_count_in_range, 32'(cnt_q) <= Bound)
  `NPU_COVER(c_wrap, en_i && 32'(cnt_q) == Limit - 1)
endmodule : assert_selftest

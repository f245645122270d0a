// npu_arb2: two requesters sharing one valid/ready port with a payload (npu_top's shared memory
// ports and its AXI AR channel). Round robin by npu_rr_arb, so a granted request that waits
// keeps its grant; the shared port carries the granted requester's payload, and a requester's
// ready is the port's ready while it holds the grant. gnt_o names the granted requester (one-hot
// or zero), for callers that route the response or tag the request.
`include "npu_assert.svh"

module npu_arb2 #(
  parameter int unsigned Width = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  // requesters: bit / payload i is requester i
  input  logic [1:0]       valid_i,
  output logic [1:0]       ready_o,
  input  logic [Width-1:0] data0_i,
  input  logic [Width-1:0] data1_i,
  // the shared port
  output logic             valid_o,
  input  logic             ready_i,
  output logic [Width-1:0] data_o,
  output logic [1:0]       gnt_o
);

  npu_rr_arb #(.N(2)) u_arb (
    .clk_i,
    .rst_ni,
    .req_i  (valid_i),
    .ready_i,
    .gnt_o
  );

  assign valid_o = gnt_o != '0;
  assign data_o  = gnt_o[1] ? data1_i : data0_i;
  assign ready_o = {2{ready_i}} & gnt_o;

  `NPU_ASSERT(a_ready_only_granted, (ready_o & ~valid_i) == '0)

endmodule : npu_arb2

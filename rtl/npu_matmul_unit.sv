// npu_matmul_unit: the compute datapath: npu_mac_array followed by npu_acc_mem
// (docs/datapath.md). Every activation row carries the accumulator row its result goes to and
// whether the result overwrites that row (first k-tile) or is added to it (later k-tiles); the
// tag waits in a FIFO beside the array (rows leave the array in order) and meets its result at
// the accumulator memory's request port. A read port serves the post-processing / store path;
// when both want the accumulator memory in one cycle the winner alternates.
//
// busy_o is high while a row is inside the array or its output queue. Once busy_o is low, every
// accepted row's result is visible to reads (the accumulator memory forwards its last write),
// so a sequencer waits for !busy_o before reading results back.
`include "npu_assert.svh"

module npu_matmul_unit #(
  parameter int unsigned Rows     = npu_pkg::Rows,
  parameter int unsigned Cols     = npu_pkg::Cols,
  parameter int unsigned AccDepth = npu_pkg::AccDepth
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  // weight rows of the next tile (see npu_mac_array)
  input  logic                        w_valid_i,
  output logic                        w_ready_o,
  input  logic [Cols*npu_pkg::DataW-1:0] w_data_i,
  // activation rows with their destination
  input  logic                        a_valid_i,
  output logic                        a_ready_o,
  input  logic                        a_first_i,
  input  logic [Rows*npu_pkg::DataW-1:0] a_data_i,
  input  logic [$clog2(AccDepth)-1:0] a_acc_addr_i,
  input  logic                        a_accumulate_i,  // 1: add to the row, 0: overwrite it
  // accumulator port for the rest of the NPU: reads, and masked writes (rd_we_i) for DMA loads
  input  logic                        rd_valid_i,
  output logic                        rd_ready_o,
  input  logic [$clog2(AccDepth)-1:0] rd_addr_i,
  input  logic                        rd_we_i,
  input  logic [Cols*npu_pkg::AccW-1:0] rd_wdata_i,
  input  logic [Cols*npu_pkg::AccW-1:0] rd_wmask_i,
  output logic                        rsp_valid_o,
  input  logic                        rsp_ready_i,
  output logic [Cols*npu_pkg::AccW-1:0] rsp_data_o,
  // status
  output logic                        busy_o
);

  localparam int unsigned AddrW    = $clog2(AccDepth);
  localparam int unsigned OutDepth = Rows + Cols + 3;  // npu_mac_array's default

  logic                 arr_a_ready, a_fire;
  logic                 o_valid, o_ready;
  logic [Cols*npu_pkg::AccW-1:0] o_data;
  logic                 tag_valid, tag_full, tag_accumulate;
  logic [AddrW-1:0]     tag_addr;

  npu_mac_array #(.Rows(Rows), .Cols(Cols), .OutDepth(OutDepth)) u_array (
    .clk_i,
    .rst_ni,
    .w_valid_i,
    .w_ready_o,
    .w_data_i,
    .a_valid_i,
    .a_ready_o(arr_a_ready),
    .a_first_i,
    .a_data_i,
    .o_valid_o(o_valid),
    .o_ready_i(o_ready),
    .o_data_o (o_data)
  );

  // The array accepts at most OutDepth rows that have not left it, so the tag FIFO (same depth,
  // same push and pop) cannot overflow; !tag_full is in a_ready_o only as a guard.
  assign a_ready_o = arr_a_ready && !tag_full;
  assign a_fire    = a_valid_i && a_ready_o;

  npu_fifo #(.Width(AddrW + 1), .Depth(OutDepth)) u_tags (
    .clk_i,
    .rst_ni,
    .push_i (a_fire),
    .data_i ({a_acc_addr_i, a_accumulate_i}),
    .full_o (tag_full),
    .valid_o(tag_valid),
    .ready_i(o_valid && o_ready),
    .data_o ({tag_addr, tag_accumulate})
  );

  // Accumulator port arbitration: array results and reads alternate when both are waiting.
  logic       conflict, rd_prio_d, rd_prio_q, grant_rd, req_ready;
  logic       req_valid;
  logic [1:0] req_op;
  logic [AddrW-1:0] req_addr;

  assign conflict = o_valid && rd_valid_i;
  assign grant_rd = rd_valid_i && (!o_valid || rd_prio_q);

  always_comb begin
    rd_prio_d = rd_prio_q;
    if (conflict && req_ready) begin
      rd_prio_d = !grant_rd;  // the loser of this conflict wins the next one
    end
    req_valid = o_valid || rd_valid_i;
    req_op    = grant_rd ? (rd_we_i ? npu_acc_pkg::AccOpMerge : npu_acc_pkg::AccOpRead)
              : (tag_accumulate ? npu_acc_pkg::AccOpAdd : npu_acc_pkg::AccOpWrite);
    req_addr  = grant_rd ? rd_addr_i : tag_addr;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_prio_q <= 1'b0;
    end else begin
      rd_prio_q <= rd_prio_d;
    end
  end

  assign o_ready    = req_ready && !grant_rd;
  assign rd_ready_o = req_ready && grant_rd;

  npu_acc_mem #(.Lanes(Cols), .AccW(npu_pkg::AccW), .Depth(AccDepth)) u_acc (
    .clk_i,
    .rst_ni,
    .req_valid_i(req_valid),
    .req_ready_o(req_ready),
    .req_op_i   (req_op),
    .req_addr_i (req_addr),
    .req_data_i (grant_rd ? (rd_we_i ? rd_wdata_i : '0) : o_data),
    .req_mask_i (rd_wmask_i),
    .rsp_valid_o,
    .rsp_ready_i,
    .rsp_data_o
  );

  assign busy_o = tag_valid;

  `NPU_ASSERT(a_tag_with_every_result, o_valid |-> tag_valid)
  `NPU_ASSERT_NEVER(a_tag_overflow, a_fire && tag_full)
  `NPU_ASSERT(a_rd_valid_held, rd_valid_i && !rd_ready_o |=> rd_valid_i)
  `NPU_ASSERT(a_rd_addr_stable, rd_valid_i && !rd_ready_o |=> $stable(rd_addr_i))
  `NPU_ASSERT(a_a_tag_stable,
              a_valid_i && !a_ready_o |=> $stable(a_acc_addr_i) && $stable(a_accumulate_i))
  `NPU_COVER(c_result_read_conflict, conflict)
  `NPU_COVER(c_accumulate_result, o_valid && o_ready && tag_accumulate)

endmodule : npu_matmul_unit

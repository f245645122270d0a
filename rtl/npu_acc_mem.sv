// npu_acc_mem: the accumulator memory. Depth rows of Lanes signed AccW-bit entries in one
// simple dual-port SRAM (npu_sram_2p), one operation per cycle (docs/datapath.md):
//
//   npu_acc_pkg::AccOpWrite  row := req_data_i                 (overwrite)
//   npu_acc_pkg::AccOpAdd    row := row + req_data_i           (read-modify-write, wrapping)
//   npu_acc_pkg::AccOpRead   rsp_data_o := row                 (post-processing / store path)
//   npu_acc_pkg::AccOpMerge  row := row & ~mask | data & mask  (DMA loads into the accumulators)
//
// Pipeline: stage 0 (the request handshake) issues the SRAM read; stage 1 (next cycle) sees the
// old row, adds, and writes it back, or presents it on the response port. The write of stage 1
// lands at the end of its cycle, after the SRAM read of the request behind it was issued, so
// stage 1 forwards the previous operation's written row when the addresses match: back-to-back
// accumulates (or a read right after a write) to one address are exact at full rate.
// A read whose response is not accepted stalls the pipeline (req_ready_o low); writes and
// accumulates never stall. Read latency: the response is valid the cycle after the handshake.
`include "npu_assert.svh"

module npu_acc_mem #(
  parameter int unsigned Lanes = npu_pkg::Cols,
  parameter int unsigned AccW  = npu_pkg::AccW,
  parameter int unsigned Depth = npu_pkg::AccDepth
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // requests
  input  logic                     req_valid_i,
  output logic                     req_ready_o,
  input  logic [1:0]               req_op_i,
  input  logic [$clog2(Depth)-1:0] req_addr_i,
  input  logic [Lanes*AccW-1:0]    req_data_i,
  input  logic [Lanes*AccW-1:0]    req_mask_i,   // bits AccOpMerge writes (ignored otherwise)
  // read responses
  output logic                     rsp_valid_o,
  input  logic                     rsp_ready_i,
  output logic [Lanes*AccW-1:0]    rsp_data_o
);

  localparam int unsigned AddrW = $clog2(Depth);
  localparam int unsigned RowW  = Lanes * AccW;

  `NPU_ASSERT_INIT(p_depth_at_least_two, Depth >= 2)
  `NPU_ASSERT_INIT(p_lanes_positive, Lanes >= 1)

  logic             req_fire, advance, stall;
  logic             s1_valid_d, s1_valid_q;
  logic [1:0]       s1_op_d, s1_op_q;
  logic [AddrW-1:0] s1_addr_d, s1_addr_q;
  logic [RowW-1:0]  s1_data_d, s1_data_q, s1_mask_d, s1_mask_q;
  logic             fw_valid_d, fw_valid_q;
  logic [AddrW-1:0] fw_addr_d, fw_addr_q;
  logic [RowW-1:0]  fw_data_d, fw_data_q;
  logic [RowW-1:0]  sram_rdata, old_row, new_row;
  logic             s1_writes, fw_hit;

  assign stall       = s1_valid_q && (s1_op_q == npu_acc_pkg::AccOpRead) && !rsp_ready_i;
  assign advance     = !stall;
  assign req_ready_o = advance;
  assign req_fire    = req_valid_i && req_ready_o;

  // Stage 1: old row (forwarded if the previous operation just wrote it), new row.
  always_comb begin
    s1_writes = s1_valid_q && (s1_op_q != npu_acc_pkg::AccOpRead);
    fw_hit    = fw_valid_q && (fw_addr_q == s1_addr_q);
    old_row   = fw_hit ? fw_data_q : sram_rdata;
    new_row   = s1_data_q;
    if (s1_op_q == npu_acc_pkg::AccOpAdd) begin
      for (int unsigned l = 0; l < Lanes; l++) begin
        new_row[l*AccW +: AccW] = old_row[l*AccW +: AccW] + s1_data_q[l*AccW +: AccW];
      end
    end else if (s1_op_q == npu_acc_pkg::AccOpMerge) begin
      new_row = (old_row & ~s1_mask_q) | (s1_data_q & s1_mask_q);
    end
    // Stage registers load only when the pipe advances (a stalled read holds everything,
    // including the forwarding register that belongs to it).
    s1_valid_d = req_fire;
    s1_op_d    = req_op_i;
    s1_addr_d  = req_addr_i;
    s1_data_d  = req_data_i;
    s1_mask_d  = req_mask_i;
    fw_valid_d = s1_writes;
    fw_addr_d  = s1_addr_q;
    fw_data_d  = new_row;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      fw_valid_q <= 1'b0;
    end else if (advance) begin
      s1_valid_q <= s1_valid_d;
      fw_valid_q <= fw_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (advance) begin
      s1_op_q   <= s1_op_d;
      s1_addr_q <= s1_addr_d;
      s1_data_q <= s1_data_d;
      s1_mask_q <= s1_mask_d;
      fw_addr_q <= fw_addr_d;
      fw_data_q <= fw_data_d;
    end
  end

  // Every request reads its row, a write too (stage 1 does not use the old row of a write): the
  // read enable is then the handshake alone, not the operation decoded from the arbitration in
  // front of this port (in the routed 4x4 NPU that decode was on the longest paths into the block
  // RAMs' enables, docs/fpga.md).
  npu_sram_2p #(.Width(RowW), .Depth(Depth)) u_sram (
    .clk_i,
    .rst_ni,
    .we_i   (s1_writes),
    .waddr_i(s1_addr_q),
    .wdata_i(new_row),
    .re_i   (req_fire),
    .raddr_i(req_addr_i),
    .rdata_o(sram_rdata)
  );

  assign rsp_valid_o = s1_valid_q && (s1_op_q == npu_acc_pkg::AccOpRead);
  assign rsp_data_o  = old_row;

  `NPU_ASSERT(a_req_valid_held, req_valid_i && !req_ready_o |=> req_valid_i)
  `NPU_ASSERT(a_req_payload_stable,
              req_valid_i && !req_ready_o |=> $stable(req_op_i) && $stable(req_addr_i)
                                              && $stable(req_data_i))
  `NPU_ASSERT(a_req_addr_in_range, req_valid_i |-> 32'(req_addr_i) < Depth)
  `NPU_ASSERT(a_rsp_stable_while_stalled,
              rsp_valid_o && !rsp_ready_i |=> rsp_valid_o && $stable(rsp_data_o))
  `NPU_ASSERT_NEVER(a_write_stalled, stall && s1_writes)
  `NPU_COVER(c_forward_add, s1_valid_q && fw_hit && s1_op_q == npu_acc_pkg::AccOpAdd)
  `NPU_COVER(c_forward_read, s1_valid_q && fw_hit && s1_op_q == npu_acc_pkg::AccOpRead)
  `NPU_COVER(c_read_stalled, stall)

endmodule : npu_acc_mem

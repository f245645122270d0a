// npu_dma: DMA engine with an AXI4 master (docs/dma.md).
//
// Two independent channels that run at the same time:
//   load  (npu_dma_load):  DRAM -> local memory, 3-D strided window with padding fill; AR/R
//   store (npu_dma_store): local memory -> DRAM, 3-D strided window (out-of-tensor elements
//                          skipped); AW/W/B
// Each channel takes one descriptor (npu_dma_pkg::desc_t) at a time with a valid/ready handshake,
// pulses done_o when it finished, and reports the result on err_o (npu_dma_pkg::err_e). An error
// is sticky: the channel refuses descriptors until err_clear_i. Every DRAM byte a descriptor
// would touch must lie in [dram_base_i, dram_limit_i), otherwise the descriptor is refused with
// DmaErrWindow before any AXI request.
`include "npu_assert.svh"

module npu_dma #(
  parameter int unsigned RdOutstanding = npu_pkg::DmaOutstanding,
  parameter int unsigned WrOutstanding = npu_pkg::DmaOutstanding,
  parameter int unsigned MaxBurst      = npu_pkg::AxiMaxBurst,
  parameter int unsigned LclRdDepth    = 8,
  parameter int unsigned LoadId        = 0,
  parameter int unsigned StoreId       = 0
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  // DRAM window every descriptor must stay inside: [dram_base_i, dram_limit_i)
  input  logic [npu_pkg::AxiAddrW-1:0]  dram_base_i,
  input  logic [npu_pkg::AxiAddrW-1:0]  dram_limit_i,
  // load channel
  input  logic                          ld_desc_valid_i,
  output logic                          ld_desc_ready_o,
  input  npu_dma_pkg::desc_t            ld_desc_i,
  output logic                          ld_busy_o,
  output logic                          ld_done_o,
  output npu_dma_pkg::err_e             ld_err_o,
  input  logic                          ld_err_clear_i,
  output npu_dma_pkg::lcl_req_t         ld_lcl_req_o,
  input  npu_dma_pkg::lcl_rsp_t         ld_lcl_rsp_i,
  // store channel
  input  logic                          st_desc_valid_i,
  output logic                          st_desc_ready_o,
  input  npu_dma_pkg::desc_t            st_desc_i,
  output logic                          st_busy_o,
  output logic                          st_done_o,
  output npu_dma_pkg::err_e             st_err_o,
  input  logic                          st_err_clear_i,
  output npu_dma_pkg::lcl_req_t         st_lcl_req_o,
  input  npu_dma_pkg::lcl_rsp_t         st_lcl_rsp_i,
  // AXI4 master
  output npu_axi_pkg::axi_req_t         mst_req_o,
  input  npu_axi_pkg::axi_rsp_t         mst_rsp_i
);

  localparam int unsigned Lanes = npu_axi_pkg::StrbW;

  `NPU_ASSERT_INIT(p_axi_pkg_matches, npu_axi_pkg::IdW == npu_pkg::AxiIdW &&
                  npu_axi_pkg::AddrW == npu_pkg::AxiAddrW &&
                  npu_axi_pkg::DataW == npu_pkg::AxiDataW)
  `NPU_ASSERT_INIT(p_dma_pkg_matches, npu_dma_pkg::DramAddrW == npu_pkg::AxiAddrW &&
                  npu_dma_pkg::LclDataW == npu_pkg::AxiDataW)
  `NPU_ASSERT_INIT(p_ids_fit, LoadId < (1 << npu_pkg::AxiIdW) && StoreId < (1 << npu_pkg::AxiIdW))

  npu_dma_load #(
    .Outstanding (RdOutstanding),
    .MaxBurst    (MaxBurst),
    .AxiId       (LoadId)
  ) u_load (
    .clk_i, .rst_ni,
    .dram_base_i,
    .dram_limit_i,
    .desc_valid_i (ld_desc_valid_i),
    .desc_ready_o (ld_desc_ready_o),
    .desc_i       (ld_desc_i),
    .busy_o       (ld_busy_o),
    .done_o       (ld_done_o),
    .err_o        (ld_err_o),
    .err_clear_i  (ld_err_clear_i),
    .lcl_req_o    (ld_lcl_req_o),
    .lcl_rsp_i    (ld_lcl_rsp_i),
    .ar_o         (mst_req_o.ar),
    .ar_valid_o   (mst_req_o.ar_valid),
    .ar_ready_i   (mst_rsp_i.ar_ready),
    .r_i          (mst_rsp_i.r),
    .r_valid_i    (mst_rsp_i.r_valid),
    .r_ready_o    (mst_req_o.r_ready)
  );

  npu_dma_store #(
    .Outstanding (WrOutstanding),
    .MaxBurst    (MaxBurst),
    .LclRdDepth  (LclRdDepth),
    .AxiId       (StoreId)
  ) u_store (
    .clk_i, .rst_ni,
    .dram_base_i,
    .dram_limit_i,
    .desc_valid_i (st_desc_valid_i),
    .desc_ready_o (st_desc_ready_o),
    .desc_i       (st_desc_i),
    .busy_o       (st_busy_o),
    .done_o       (st_done_o),
    .err_o        (st_err_o),
    .err_clear_i  (st_err_clear_i),
    .lcl_req_o    (st_lcl_req_o),
    .lcl_rsp_i    (st_lcl_rsp_i),
    .aw_o         (mst_req_o.aw),
    .aw_valid_o   (mst_req_o.aw_valid),
    .aw_ready_i   (mst_rsp_i.aw_ready),
    .w_o          (mst_req_o.w),
    .w_valid_o    (mst_req_o.w_valid),
    .w_ready_i    (mst_rsp_i.w_ready),
    .b_i          (mst_rsp_i.b),
    .b_valid_i    (mst_rsp_i.b_valid),
    .b_ready_o    (mst_req_o.b_ready)
  );

  // ---------------------------------------------------------------------------------------------
  // AXI4 master rules, checked where they are made.
  // ---------------------------------------------------------------------------------------------
`ifndef SYNTHESIS
  // W beats left in the burst whose AW was accepted first (a small shadow queue of AW lengths).
  logic [7:0] sh_len_q [WrOutstanding];
  logic [$clog2(WrOutstanding)-1:0] sh_wr_q, sh_rd_q;
  logic [8:0] sh_cnt_q;
  logic [7:0] w_beat_q;
  logic [7:0] sh_len_head;
  assign sh_len_head = sh_len_q[sh_rd_q];
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sh_wr_q  <= '0;
      sh_rd_q  <= '0;
      sh_cnt_q <= '0;
      w_beat_q <= '0;
    end else begin
      if (mst_req_o.aw_valid && mst_rsp_i.aw_ready) begin
        sh_len_q[sh_wr_q] <= mst_req_o.aw.len;
        sh_wr_q <= sh_wr_q + 1'b1;
      end
      if (mst_req_o.w_valid && mst_rsp_i.w_ready) begin
        w_beat_q <= mst_req_o.w.last ? 8'd0 : w_beat_q + 8'd1;
        if (mst_req_o.w.last) begin
          sh_rd_q <= sh_rd_q + 1'b1;
        end
      end
      sh_cnt_q <= sh_cnt_q + 9'(mst_req_o.aw_valid && mst_rsp_i.aw_ready)
                           - 9'(mst_req_o.w_valid && mst_rsp_i.w_ready && mst_req_o.w.last);
    end
  end
  `NPU_ASSERT(a_w_after_aw, mst_req_o.w_valid |-> sh_cnt_q != '0)
  `NPU_ASSERT(a_wlast_correct, mst_req_o.w_valid && sh_cnt_q != '0 |->
                               mst_req_o.w.last == (w_beat_q == sh_len_head))
`endif

  `NPU_ASSERT(a_ar_held, mst_req_o.ar_valid && !mst_rsp_i.ar_ready |=>
                         mst_req_o.ar_valid && $stable(mst_req_o.ar))
  `NPU_ASSERT(a_aw_held, mst_req_o.aw_valid && !mst_rsp_i.aw_ready |=>
                         mst_req_o.aw_valid && $stable(mst_req_o.aw))
  `NPU_ASSERT(a_w_held, mst_req_o.w_valid && !mst_rsp_i.w_ready |=>
                        mst_req_o.w_valid && $stable(mst_req_o.w))
  `NPU_ASSERT(a_ar_no_4k_cross, mst_req_o.ar_valid |->
              32'(mst_req_o.ar.addr[11:0]) + (32'(mst_req_o.ar.len) + 1) * Lanes <= 4096)
  `NPU_ASSERT(a_aw_no_4k_cross, mst_req_o.aw_valid |->
              32'(mst_req_o.aw.addr[11:0]) + (32'(mst_req_o.aw.len) + 1) * Lanes <= 4096)
  `NPU_ASSERT(a_ar_incr, mst_req_o.ar_valid |-> mst_req_o.ar.burst == npu_axi_pkg::BurstIncr)
  `NPU_ASSERT(a_aw_incr, mst_req_o.aw_valid |-> mst_req_o.aw.burst == npu_axi_pkg::BurstIncr)
  `NPU_ASSERT(a_ar_len, mst_req_o.ar_valid |-> 32'(mst_req_o.ar.len) < MaxBurst)
  `NPU_ASSERT(a_aw_len, mst_req_o.aw_valid |-> 32'(mst_req_o.aw.len) < MaxBurst)
  `NPU_ASSERT(a_ar_window, mst_req_o.ar_valid |-> mst_req_o.ar.addr >=
              {dram_base_i[npu_pkg::AxiAddrW-1:4], 4'h0} && mst_req_o.ar.addr < dram_limit_i)
  `NPU_ASSERT(a_aw_window, mst_req_o.aw_valid |-> mst_req_o.aw.addr >=
              {dram_base_i[npu_pkg::AxiAddrW-1:4], 4'h0} && mst_req_o.aw.addr < dram_limit_i)
  `NPU_COVER(c_concurrent, ld_busy_o && st_busy_o)
  `NPU_COVER(c_ar_stalled, mst_req_o.ar_valid && !mst_rsp_i.ar_ready)
  `NPU_COVER(c_aw_stalled, mst_req_o.aw_valid && !mst_rsp_i.aw_ready)
  `NPU_COVER(c_w_stalled, mst_req_o.w_valid && !mst_rsp_i.w_ready)
  `NPU_COVER(c_ar_4k_end, mst_req_o.ar_valid && mst_rsp_i.ar_ready &&
                          32'(mst_req_o.ar.addr[11:0]) + (32'(mst_req_o.ar.len) + 1) * Lanes
                          == 4096)
  `NPU_COVER(c_aw_4k_end, mst_req_o.aw_valid && mst_rsp_i.aw_ready &&
                          32'(mst_req_o.aw.addr[11:0]) + (32'(mst_req_o.aw.len) + 1) * Lanes
                          == 4096)

endmodule : npu_dma

// npu_top: the Nuri NPU (docs/architecture.md). An AXI4-Lite slave for the CSRs, an AXI4 master
// for memory (command fetch and DMA share it), one interrupt line.
//
//   CSR (npu_csr) -> command processor (npu_cmdproc: fetch, decode, dispatch, tokens)
//     load queue    -> npu_xfer_unit (LOAD)  -> DMA load channel  -> scratchpad / acc / params
//     compute queue -> npu_mm_seq (MATMUL) -> npu_matmul_unit;  npu_ppu (PPU) -> scratchpad
//     store queue   -> npu_xfer_unit (STORE) -> DMA store channel <- scratchpad / acc / params
//
// Shared ports are arbitrated round robin (npu_arb2): scratchpad write (LOAD, PPU), scratchpad
// read (MATMUL, STORE), accumulator port (PPU reads, STORE reads, LOAD masked writes), parameter
// read (PPU, STORE). This build requires a square array of at most 16x16 (the scratchpad port
// is one 16-byte AXI word; a row of Rows bytes is a slice of it).
`include "npu_assert.svh"

module npu_top #(
  parameter int unsigned Rows         = npu_pkg::Rows,
  parameter int unsigned Cols         = npu_pkg::Cols,
  parameter int unsigned SpadBytes    = npu_pkg::SpadBytes,
  parameter int unsigned AccBytes     = npu_pkg::AccBytes,
  parameter int unsigned ParamEntries = npu_pkg::ParamEntries,
  parameter int unsigned QueueDepth   = npu_pkg::QueueDepth
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  npu_axi_pkg::lite_req_t csr_req_i,
  output npu_axi_pkg::lite_rsp_t csr_rsp_o,
  output npu_axi_pkg::axi_req_t  mem_req_o,
  input  npu_axi_pkg::axi_rsp_t  mem_rsp_i,
  output logic                   irq_o
);

  localparam int unsigned SpadWords   = SpadBytes / 16;
  localparam int unsigned SpadRows    = SpadBytes / Rows;
  localparam int unsigned AccDepth    = AccBytes / (4 * Cols);
  localparam int unsigned SpAW        = $clog2(SpadWords);
  localparam int unsigned AccAW       = $clog2(AccDepth);
  localparam int unsigned PmAW        = $clog2(ParamEntries);
  localparam int unsigned RowsPerWord = 16 / Rows;
  localparam int unsigned FetchId     = 1;
  localparam int unsigned NumPerf     = 9;

  `NPU_ASSERT_INIT(p_square_array, Rows == Cols && Rows >= 4 && Rows <= 16 && 16 % Rows == 0)
  `NPU_ASSERT_INIT(p_axi_word, npu_axi_pkg::DataW == 128)

  // ---------------------------------------------------------------------------------------------
  // CSRs and command processor
  // ---------------------------------------------------------------------------------------------
  logic        start, soft_reset, perf_clear, busy, done, error, evt_done, evt_error;
  logic [7:0]  err_code;
  logic [31:0] err_index;
  logic [39:0] ring_base, dram_base, dram_limit;
  logic [16:0] ring_size;
  logic [15:0] ring_tail, ring_head;
  logic [NumPerf*64-1:0] perf;

  npu_csr #(.NumPerf(NumPerf)) u_csr (
    .clk_i,
    .rst_ni,
    .lite_req_i     (csr_req_i),
    .lite_rsp_o     (csr_rsp_o),
    .hw_array_i     ({16'(Cols), 16'(Rows)}),
    .hw_spad_bytes_i(32'(SpadBytes)),
    .hw_acc_bytes_i (32'(AccBytes)),
    .hw_params_i    ({8'(npu_axi_pkg::DataW / 8), 8'(QueueDepth), 16'(ParamEntries)}),
    .hw_features_i  (32'd0),
    .start_o        (start),
    .soft_reset_o   (soft_reset),
    .perf_clear_o   (perf_clear),
    .busy_i         (busy),
    .done_i         (done),
    .error_i        (error),
    .err_code_i     (err_code),
    .err_index_i    (err_index),
    .evt_done_i     (evt_done),
    .evt_error_i    (evt_error),
    .irq_o,
    .ring_base_o    (ring_base),
    .ring_size_o    (ring_size),
    .ring_tail_o    (ring_tail),
    .ring_head_i    (ring_head),
    .dram_base_o    (dram_base),
    .dram_limit_o   (dram_limit),
    .perf_i         (perf)
  );

  logic        f_ar_valid, f_ar_ready, f_r_valid, f_r_ready;
  npu_axi_pkg::axi_ar_chan_t f_ar;
  logic [2:0]   q_start, q_done, stall_token;
  logic [1535:0] q_cmd;  // the three queue heads: [512*q +: 512] for unit q
  logic [11:0]  q_err;
  logic         stall_dispatch, fetched;

  npu_cmdproc #(
    .Rows        (Rows),
    .Cols        (Cols),
    .SpadBytes   (SpadBytes),
    .AccBytes    (AccBytes),
    .ParamEntries(ParamEntries),
    .QueueDepth  (QueueDepth),
    .VectorOps   (0),
    .FetchId     (FetchId)
  ) u_cmdproc (
    .clk_i,
    .rst_ni,
    .start_i         (start),
    .soft_reset_i    (soft_reset),
    .ring_base_i     (ring_base),
    .ring_size_i     (ring_size),
    .ring_tail_i     (ring_tail),
    .ring_head_o     (ring_head),
    .busy_o          (busy),
    .done_o          (done),
    .error_o         (error),
    .err_code_o      (err_code),
    .err_index_o     (err_index),
    .evt_done_o      (evt_done),
    .evt_error_o     (evt_error),
    .ar_valid_o      (f_ar_valid),
    .ar_ready_i      (f_ar_ready),
    .ar_o            (f_ar),
    .r_valid_i       (f_r_valid),
    .r_ready_o       (f_r_ready),
    .r_i             (mem_rsp_i.r),
    .q_start_o       (q_start),
    .q_cmd_o         (q_cmd),
    .q_done_i        (q_done),
    .q_err_i         (q_err),
    .stall_token_o   (stall_token),
    .stall_dispatch_o(stall_dispatch),
    .fetched_o       (fetched)
  );

  // ---------------------------------------------------------------------------------------------
  // DMA and the AXI4 master shared with command fetch (AR arbitrated, R routed by ID)
  // ---------------------------------------------------------------------------------------------
  npu_axi_pkg::axi_req_t dma_req;
  npu_axi_pkg::axi_rsp_t dma_rsp;
  localparam int unsigned ArW = npu_axi_pkg::IdW + npu_axi_pkg::AddrW + 29;  // axi_ar_chan_t
  `NPU_ASSERT_INIT(p_ar_w, ArW == $bits(npu_axi_pkg::axi_ar_chan_t))
  logic [1:0]     ar_gnt, ar_ready;
  logic           ar_valid, r_is_fetch;
  logic [ArW-1:0] ar_chan;

  npu_arb2 #(.Width(ArW)) u_ar_arb (
    .clk_i,
    .rst_ni,
    .valid_i({f_ar_valid, dma_req.ar_valid}),
    .ready_o(ar_ready),
    .data0_i(dma_req.ar),
    .data1_i(f_ar),
    .valid_o(ar_valid),
    .ready_i(mem_rsp_i.ar_ready),
    .data_o (ar_chan),
    .gnt_o  (ar_gnt)
  );

  assign r_is_fetch = mem_rsp_i.r.id == npu_axi_pkg::IdW'(FetchId);

  always_comb begin
    mem_req_o          = dma_req;
    mem_req_o.ar       = ar_chan;
    mem_req_o.ar_valid = ar_valid;
    mem_req_o.r_ready  = r_is_fetch ? f_r_ready : dma_req.r_ready;
    dma_rsp            = mem_rsp_i;
    dma_rsp.ar_ready   = ar_ready[0];
    dma_rsp.r_valid    = mem_rsp_i.r_valid && !r_is_fetch;
  end

  assign f_ar_ready = ar_ready[1];
  assign f_r_valid  = mem_rsp_i.r_valid && r_is_fetch;

  logic ld_desc_valid, ld_desc_ready, ld_done, ld_err_clear;
  logic st_desc_valid, st_desc_ready, st_done, st_err_clear;
  logic ld_busy_dma, st_busy_dma;
  npu_dma_pkg::desc_t ld_desc, st_desc;
  npu_dma_pkg::err_e ld_err, st_err;
  npu_dma_pkg::lcl_req_t ld_lcl_req, st_lcl_req;
  npu_dma_pkg::lcl_rsp_t ld_lcl_rsp, st_lcl_rsp;

  npu_dma #(.LoadId(0), .StoreId(0)) u_dma (
    .clk_i,
    .rst_ni,
    .dram_base_i    (dram_base),
    .dram_limit_i   (dram_limit),
    .ld_desc_valid_i(ld_desc_valid),
    .ld_desc_ready_o(ld_desc_ready),
    .ld_desc_i      (ld_desc),
    .ld_busy_o      (ld_busy_dma),
    .ld_done_o      (ld_done),
    .ld_err_o       (ld_err),
    .ld_err_clear_i (ld_err_clear),
    .ld_lcl_req_o   (ld_lcl_req),
    .ld_lcl_rsp_i   (ld_lcl_rsp),
    .st_desc_valid_i(st_desc_valid),
    .st_desc_ready_o(st_desc_ready),
    .st_desc_i      (st_desc),
    .st_busy_o      (st_busy_dma),
    .st_done_o      (st_done),
    .st_err_o       (st_err),
    .st_err_clear_i (st_err_clear),
    .st_lcl_req_o   (st_lcl_req),
    .st_lcl_rsp_i   (st_lcl_rsp),
    .mst_req_o      (dma_req),
    .mst_rsp_i      (dma_rsp)
  );

  // ---------------------------------------------------------------------------------------------
  // LOAD and STORE units
  // ---------------------------------------------------------------------------------------------
  logic              ld_sp_valid, ld_sp_ready, ld_acc_valid, ld_acc_ready, ld_pm_valid, ld_pm_ready;
  logic [SpAW-1:0]   ld_sp_addr, st_sp_addr;
  logic [127:0]      ld_sp_wdata, ld_pm_wdata, st_sp_wdata, st_pm_wdata;
  logic [15:0]       ld_sp_strb, ld_pm_strb, st_sp_strb, st_pm_strb;
  logic [AccAW-1:0]  ld_acc_addr, st_acc_addr;
  logic [Cols*32-1:0] ld_acc_wdata, ld_acc_wmask, st_acc_wdata, st_acc_wmask;
  logic [PmAW-1:0]   ld_pm_addr, st_pm_addr;
  logic              st_sp_valid, st_sp_ready, st_sp_rvalid, st_acc_valid, st_acc_ready;
  logic              st_acc_rvalid, st_pm_valid, st_pm_ready, st_pm_rvalid;
  logic [127:0]      sp_rdata, pm_rdata;
  logic [Cols*32-1:0] acc_rdata;
  logic              ld_unit_busy, st_unit_busy;
  logic [3:0]        ld_unit_err, st_unit_err;

  npu_xfer_unit #(
    .Store(1'b0), .Cols(Cols), .SpadWords(SpadWords), .AccDepth(AccDepth),
    .ParamEntries(ParamEntries)
  ) u_load (
    .clk_i,
    .rst_ni,
    .start_i        (q_start[0]),
    .cmd_i          (q_cmd[511:0]),
    .done_o         (q_done[0]),
    .err_o          (ld_unit_err),
    .busy_o         (ld_unit_busy),
    .desc_valid_o   (ld_desc_valid),
    .desc_ready_i   (ld_desc_ready),
    .desc_o         (ld_desc),
    .dma_done_i     (ld_done),
    .dma_err_i      (ld_err),
    .dma_err_clear_o(ld_err_clear),
    .lcl_req_i      (ld_lcl_req),
    .lcl_rsp_o      (ld_lcl_rsp),
    .sp_valid_o     (ld_sp_valid),
    .sp_ready_i     (ld_sp_ready),
    .sp_addr_o      (ld_sp_addr),
    .sp_wdata_o     (ld_sp_wdata),
    .sp_strb_o      (ld_sp_strb),
    .sp_rvalid_i    (1'b0),
    .sp_rdata_i     (sp_rdata),
    .acc_valid_o    (ld_acc_valid),
    .acc_ready_i    (ld_acc_ready),
    .acc_addr_o     (ld_acc_addr),
    .acc_wdata_o    (ld_acc_wdata),
    .acc_wmask_o    (ld_acc_wmask),
    .acc_rvalid_i   (1'b0),
    .acc_rdata_i    (acc_rdata),
    .pm_valid_o     (ld_pm_valid),
    .pm_ready_i     (ld_pm_ready),
    .pm_addr_o      (ld_pm_addr),
    .pm_wdata_o     (ld_pm_wdata),
    .pm_strb_o      (ld_pm_strb),
    .pm_rvalid_i    (1'b0),
    .pm_rdata_i     (pm_rdata)
  );

  npu_xfer_unit #(
    .Store(1'b1), .Cols(Cols), .SpadWords(SpadWords), .AccDepth(AccDepth),
    .ParamEntries(ParamEntries)
  ) u_store (
    .clk_i,
    .rst_ni,
    .start_i        (q_start[2]),
    .cmd_i          (q_cmd[1535:1024]),
    .done_o         (q_done[2]),
    .err_o          (st_unit_err),
    .busy_o         (st_unit_busy),
    .desc_valid_o   (st_desc_valid),
    .desc_ready_i   (st_desc_ready),
    .desc_o         (st_desc),
    .dma_done_i     (st_done),
    .dma_err_i      (st_err),
    .dma_err_clear_o(st_err_clear),
    .lcl_req_i      (st_lcl_req),
    .lcl_rsp_o      (st_lcl_rsp),
    .sp_valid_o     (st_sp_valid),
    .sp_ready_i     (st_sp_ready),
    .sp_addr_o      (st_sp_addr),
    .sp_wdata_o     (st_sp_wdata),
    .sp_strb_o      (st_sp_strb),
    .sp_rvalid_i    (st_sp_rvalid),
    .sp_rdata_i     (sp_rdata),
    .acc_valid_o    (st_acc_valid),
    .acc_ready_i    (st_acc_ready),
    .acc_addr_o     (st_acc_addr),
    .acc_wdata_o    (st_acc_wdata),
    .acc_wmask_o    (st_acc_wmask),
    .acc_rvalid_i   (st_acc_rvalid),
    .acc_rdata_i    (acc_rdata),
    .pm_valid_o     (st_pm_valid),
    .pm_ready_i     (st_pm_ready),
    .pm_addr_o      (st_pm_addr),
    .pm_wdata_o     (st_pm_wdata),
    .pm_strb_o      (st_pm_strb),
    .pm_rvalid_i    (st_pm_rvalid),
    .pm_rdata_i     (pm_rdata)
  );

  // ---------------------------------------------------------------------------------------------
  // Compute unit: MATMUL sequencer and PPU
  // ---------------------------------------------------------------------------------------------
  logic              mm_start, mm_done, mm_busy_seq, ppu_start_q, ppu_cmd_ready, ppu_done, ppu_busy;
  logic [3:0]        ppu_err;
  logic [511:0]      ppu_cmd_q;
  logic              mm_rd_valid, mm_rd_ready, mm_rd_rvalid;
  logic [SpAW-1:0]   mm_rd_addr;
  logic              w_valid, w_ready, a_valid, a_ready, a_first, a_accumulate, mm_busy;
  logic [Cols*8-1:0] w_data;
  logic [Rows*8-1:0] a_data;
  logic [AccAW-1:0]  a_acc_addr;

  assign mm_start = q_start[1] && q_cmd[519:512] == 8'h11;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ppu_start_q <= 1'b0;
    end else if (q_start[1] && q_cmd[519:512] == 8'h12) begin
      ppu_start_q <= 1'b1;
    end else if (ppu_cmd_ready) begin
      ppu_start_q <= 1'b0;
    end
  end

  // Loads in every cycle no PPU command waits, so its 512 enables follow ppu_start_q, not the
  // start pick; the PPU reads it only when it takes the command (cmd_valid_i = ppu_start_q).
  always_ff @(posedge clk_i) begin
    if (!ppu_start_q) begin
      ppu_cmd_q <= q_cmd[1023:512];
    end
  end

  assign q_done[1] = mm_done || ppu_done;
  assign q_err     = {st_unit_err, (ppu_done ? ppu_err : 4'd0), ld_unit_err};

  npu_mm_seq #(
    .Rows(Rows), .Cols(Cols), .SpadWords(SpadWords), .AccDepth(AccDepth)
  ) u_mm_seq (
    .clk_i,
    .rst_ni,
    .start_i       (mm_start),
    .cmd_i         (q_cmd[1023:512]),
    .done_o        (mm_done),
    .busy_o        (mm_busy_seq),
    .rd_valid_o    (mm_rd_valid),
    .rd_ready_i    (mm_rd_ready),
    .rd_addr_o     (mm_rd_addr),
    .rd_rvalid_i   (mm_rd_rvalid),
    .rd_rdata_i    (sp_rdata),
    .w_valid_o     (w_valid),
    .w_ready_i     (w_ready),
    .w_data_o      (w_data),
    .a_valid_o     (a_valid),
    .a_ready_i     (a_ready),
    .a_first_o     (a_first),
    .a_data_o      (a_data),
    .a_acc_addr_o  (a_acc_addr),
    .a_accumulate_o(a_accumulate),
    .mm_busy_i     (mm_busy)
  );

  // accumulator port: the reads (PPU 0, STORE 1) pass a two-entry slice, then share the port
  // with the LOAD's masked writes (slice 0, LOAD 1). The slice makes the readers' ready a
  // register: without it, their ready depended on the array's result writes (the matmul unit's
  // port arbitration) and on the PPU's response back-pressure, which coupled the PPU, the DMA
  // store and the array into one combinational path. Ordering: a read waits in the slice at most
  // while the port is busy; the programs' tokens order every read after the writes it must see
  // (a unit is done only once its writes are taken) and before the writes that must not reach
  // it (a reader is done only once its responses are back), so the slice cannot reorder them.
  // The slice's head is a register (RegOut), as the scratchpad read slice's below.
  logic              ppu_acc_valid, ppu_acc_ready, ppu_acc_rsp_valid, ppu_acc_rsp_ready;
  logic [AccAW-1:0]  ppu_acc_addr;
  logic [1:0]        accr_gnt, acc_gnt;
  logic              accr_valid, accr_ready, accs_valid, accs_ready, accs_store;
  logic [AccAW-1:0]  accr_addr, accs_addr;
  logic              acc_valid, acc_ready, acc_we, acc_rsp_valid, acc_rsp_ready;
  logic [AccAW-1:0]  acc_addr;
  logic              own_valid, own_full, own_store;

  npu_arb2 #(.Width(AccAW)) u_accr_arb (
    .clk_i,
    .rst_ni,
    .valid_i({st_acc_valid, ppu_acc_valid}),
    .ready_o({st_acc_ready, ppu_acc_ready}),
    .data0_i(ppu_acc_addr),
    .data1_i(st_acc_addr),
    .valid_o(accr_valid),
    .ready_i(accr_ready),
    .data_o (accr_addr),
    .gnt_o  (accr_gnt)
  );

  npu_dma_fifo #(.Width(AccAW + 1), .Depth(2), .RegOut(1'b1)) u_accr_slice (
    .clk_i,
    .rst_ni,
    .clear_i(1'b0),
    .valid_i(accr_valid),
    .ready_o(accr_ready),
    .data_i ({accr_gnt[1], accr_addr}),
    .valid_o(accs_valid),
    .ready_i(accs_ready),
    .data_o ({accs_store, accs_addr})
  );

  npu_arb2 #(.Width(AccAW)) u_acc_arb (
    .clk_i,
    .rst_ni,
    .valid_i({ld_acc_valid, accs_valid && !own_full}),
    .ready_o({ld_acc_ready, accs_ready}),
    .data0_i(accs_addr),
    .data1_i(ld_acc_addr),
    .valid_o(acc_valid),
    .ready_i(acc_ready),
    .data_o (acc_addr),
    .gnt_o  (acc_gnt)
  );

  assign acc_we = acc_gnt[1];

  // owner of each outstanding accumulator read (responses come back in order)
  npu_fifo #(.Width(1), .Depth(4)) u_acc_owner (
    .clk_i,
    .rst_ni,
    .push_i (acc_valid && acc_ready && !acc_we),
    .data_i (accs_store),
    .full_o (own_full),
    .valid_o(own_valid),
    .ready_i(acc_rsp_valid && acc_rsp_ready),
    .data_o (own_store)
  );

  assign acc_rsp_ready     = own_store ? 1'b1 : ppu_acc_rsp_ready;
  assign ppu_acc_rsp_valid = acc_rsp_valid && !own_store;
  assign st_acc_rvalid     = acc_rsp_valid && own_store;

  npu_matmul_unit #(.Rows(Rows), .Cols(Cols), .AccDepth(AccDepth)) u_matmul (
    .clk_i,
    .rst_ni,
    .w_valid_i     (w_valid),
    .w_ready_o     (w_ready),
    .w_data_i      (w_data),
    .a_valid_i     (a_valid),
    .a_ready_o     (a_ready),
    .a_first_i     (a_first),
    .a_data_i      (a_data),
    .a_acc_addr_i  (a_acc_addr),
    .a_accumulate_i(a_accumulate),
    .rd_valid_i    (acc_valid),
    .rd_ready_o    (acc_ready),
    .rd_addr_i     (acc_addr),
    .rd_we_i       (acc_we),
    .rd_wdata_i    (ld_acc_wdata),
    .rd_wmask_i    (ld_acc_wmask),
    .rsp_valid_o   (acc_rsp_valid),
    .rsp_ready_i   (acc_rsp_ready),
    .rsp_data_o    (acc_rdata),
    .busy_o        (mm_busy)
  );

  // parameter memory: written by LOAD, read by the PPU (0) and STORE (1)
  logic            ppu_p_valid, ppu_p_ready, pm_r_valid, pm_r_ready, pm_rvalid, pm_owner_q;
  logic [PmAW-1:0] ppu_p_addr, pm_r_addr;
  logic [1:0]      pm_gnt;

  npu_arb2 #(.Width(PmAW)) u_pm_arb (
    .clk_i,
    .rst_ni,
    .valid_i({st_pm_valid, ppu_p_valid}),
    .ready_o({st_pm_ready, ppu_p_ready}),
    .data0_i(ppu_p_addr),
    .data1_i(st_pm_addr),
    .valid_o(pm_r_valid),
    .ready_i(pm_r_ready),
    .data_o (pm_r_addr),
    .gnt_o  (pm_gnt)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pm_owner_q <= 1'b0;
    end else if (pm_r_valid && pm_r_ready) begin
      pm_owner_q <= pm_gnt[1];
    end
  end

  assign st_pm_rvalid = pm_rvalid && pm_owner_q;

  npu_param_mem #(.Entries(ParamEntries)) u_params (
    .clk_i,
    .rst_ni,
    .w_valid_i (ld_pm_valid),
    .w_ready_o (ld_pm_ready),
    .w_addr_i  (ld_pm_addr),
    .w_data_i  (ld_pm_wdata),
    .w_strb_i  (ld_pm_strb),
    .r_valid_i (pm_r_valid),
    .r_ready_o (pm_r_ready),
    .r_addr_i  (pm_r_addr),
    .r_rvalid_o(pm_rvalid),
    .r_rdata_o (pm_rdata)
  );

  logic                     ppu_sp_valid, ppu_sp_ready;
  logic [$clog2(SpadRows)-1:0] ppu_sp_row;
  logic [Cols*8-1:0]        ppu_sp_data;
  logic [Cols-1:0]          ppu_sp_strb;

  npu_ppu #(
    .Rows(Rows), .Cols(Cols), .AccDepth(AccDepth), .SpadRows(SpadRows),
    .ParamEntries(ParamEntries)
  ) u_ppu (
    .clk_i,
    .rst_ni,
    .cmd_valid_i    (ppu_start_q),
    .cmd_ready_o    (ppu_cmd_ready),
    .cmd_i          (ppu_cmd_q),
    .done_o         (ppu_done),
    .err_o          (ppu_err),
    .busy_o         (ppu_busy),
    .p_valid_o      (ppu_p_valid),
    .p_ready_i      (ppu_p_ready),
    .p_addr_o       (ppu_p_addr),
    .p_rvalid_i     (pm_rvalid && !pm_owner_q),
    .p_rdata_i      (pm_rdata),
    .acc_valid_o    (ppu_acc_valid),
    .acc_ready_i    (ppu_acc_ready),
    .acc_addr_o     (ppu_acc_addr),
    .acc_rsp_valid_i(ppu_acc_rsp_valid),
    .acc_rsp_ready_o(ppu_acc_rsp_ready),
    .acc_rsp_data_i (acc_rdata),
    .sp_valid_o     (ppu_sp_valid),
    .sp_ready_i     (ppu_sp_ready),
    .sp_row_o       (ppu_sp_row),
    .sp_data_o      (ppu_sp_data),
    .sp_strb_o      (ppu_sp_strb)
  );

  // ---------------------------------------------------------------------------------------------
  // Scratchpad: write port (LOAD 0, PPU 1), read port (MATMUL 0, STORE 1)
  // ---------------------------------------------------------------------------------------------
  logic [1:0]      spw_gnt, spr_gnt;
  logic            spw_valid, spw_ready, spr_valid, spr_ready, sp_rvalid, spr_owner_q;
  logic [SpAW-1:0] spw_addr, spr_addr, ppu_word, sps_addr;
  logic            sps_valid, sps_ready, sps_store;
  logic [127:0]    spw_data, ppu_wdata;
  logic [15:0]     spw_strb, ppu_wstrb;
  logic            wb_valid, wb_ready;
  logic [1:0]      spr_req, spr_hazard, spr_wait_q;
  logic [SpAW-1:0] wb_addr;
  logic [127:0]    wb_data;
  logic [15:0]     wb_strb;

  always_comb begin
    ppu_word  = SpAW'(32'(ppu_sp_row) / RowsPerWord);
    ppu_wdata = {RowsPerWord{ppu_sp_data}};
    ppu_wstrb = 16'(ppu_sp_strb) << ((32'(ppu_sp_row) % RowsPerWord) * Rows);
  end

  npu_arb2 #(.Width(SpAW + 128 + 16)) u_spw_arb (
    .clk_i,
    .rst_ni,
    .valid_i({ppu_sp_valid, ld_sp_valid}),
    .ready_o({ppu_sp_ready, ld_sp_ready}),
    .data0_i({ld_sp_addr, ld_sp_wdata, ld_sp_strb}),
    .data1_i({ppu_word, ppu_wdata, ppu_wstrb}),
    .valid_o(spw_valid),
    .ready_i(spw_ready),
    .data_o ({spw_addr, spw_data, spw_strb}),
    .gnt_o  (spw_gnt)
  );

  npu_arb2 #(.Width(SpAW)) u_spr_arb (
    .clk_i,
    .rst_ni,
    .valid_i(spr_req),
    .ready_o({st_sp_ready, mm_rd_ready}),
    .data0_i(mm_rd_addr),
    .data1_i(st_sp_addr),
    .valid_o(spr_valid),
    .ready_i(spr_ready),
    .data_o (spr_addr),
    .gnt_o  (spr_gnt)
  );

  // Read request slice (two entries) between the read arbiter and the scratchpad: the readers'
  // ready is the slice's ready, a register, and the scratchpad's bank enables and its conflict
  // check start at the slice's registers instead of behind the readers' valid logic and the
  // arbitration (docs/fpga.md). It costs one cycle of read latency (data two cycles after the
  // reader's handshake, more while a write wins the bank); the readers take their data by
  // r_rvalid, so the latency may vary. The owner of each read goes with it. The head is a
  // register (RegOut): the bank enables start at it, not at a LUT-RAM read (four of the 40
  // worst routed paths of the 4x4 NPU, docs/fpga.md).
  npu_dma_fifo #(.Width(SpAW + 1), .Depth(2), .RegOut(1'b1)) u_spr_slice (
    .clk_i,
    .rst_ni,
    .clear_i(1'b0),
    .valid_i(spr_valid),
    .ready_o(spr_ready),
    .data_i ({spr_gnt[1], spr_addr}),
    .valid_o(sps_valid),
    .ready_i(sps_ready),
    .data_o ({sps_store, sps_addr})
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      spr_owner_q <= 1'b0;
    end else if (sps_valid && sps_ready) begin
      spr_owner_q <= sps_store;
    end
  end

  // Write buffer (npu_spad_wbuf): the writers' ready is a register, not the scratchpad's
  // bank-conflict check against the read request. A read whose address has a buffered write
  // does not request the arbiter until that write is done (the compare runs on the readers'
  // registered addresses, beside their valid logic); a read already waiting at the arbiter
  // (spr_wait_q: granted, not taken while the slice is full; the arbiter holds it) or in the
  // slice is older than any write buffered since and stays.
  npu_spad_wbuf #(.AddrW(SpAW), .DataW(128), .NumRd(2)) u_spad_wbuf (
    .clk_i,
    .rst_ni,
    .in_valid_i (spw_valid),
    .in_ready_o (spw_ready),
    .in_addr_i  (spw_addr),
    .in_data_i  (spw_data),
    .in_strb_i  (spw_strb),
    .out_valid_o(wb_valid),
    .out_ready_i(wb_ready),
    .out_addr_o (wb_addr),
    .out_data_o (wb_data),
    .out_strb_o (wb_strb),
    .rd_addr_i  ({st_sp_addr, mm_rd_addr}),
    .hazard_o   (spr_hazard)
  );

  assign spr_req = {st_sp_valid, mm_rd_valid} & ~(spr_hazard & ~spr_wait_q);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      spr_wait_q <= '0;
    end else begin
      spr_wait_q <= (spr_valid && !spr_ready) ? spr_gnt : 2'b00;
    end
  end

  assign st_sp_rvalid = sp_rvalid && spr_owner_q;
  assign mm_rd_rvalid = sp_rvalid && !spr_owner_q;

  npu_spad #(.Bytes(SpadBytes), .RowBytes(16), .Banks(4)) u_spad (
    .clk_i,
    .rst_ni,
    .w_valid_i (wb_valid),
    .w_ready_o (wb_ready),
    .w_addr_i  (wb_addr),
    .w_data_i  (wb_data),
    .w_strb_i  (wb_strb),
    .r_valid_i (sps_valid),
    .r_ready_o (sps_ready),
    .r_addr_i  (sps_addr),
    .r_rvalid_o(sp_rvalid),
    .r_rdata_o (sp_rdata)
  );

  // ---------------------------------------------------------------------------------------------
  // Performance counters (docs/registers.md)
  // ---------------------------------------------------------------------------------------------
  logic [NumPerf*64-1:0] perf_q;
  logic [NumPerf*64-1:0] perf_inc, perf_inc_q;
  logic [4:0]            wr_bytes;

  always_comb begin
    wr_bytes = '0;
    for (int unsigned b = 0; b < 16; b++) begin
      wr_bytes = wr_bytes + 5'(mem_req_o.w.strb[b]);
    end
    perf_inc = '0;
    perf_inc[0*64 +: 64] = 64'(busy);
    perf_inc[1*64 +: 64] = 64'(a_valid && a_ready);
    perf_inc[2*64 +: 64] = (mem_rsp_i.r_valid && mem_req_o.r_ready && !r_is_fetch) ? 64'd16 : 64'd0;
    perf_inc[3*64 +: 64] = (mem_req_o.w_valid && mem_rsp_i.w_ready) ? 64'(wr_bytes) : 64'd0;
    perf_inc[4*64 +: 64] = 64'(stall_token[0]);
    perf_inc[5*64 +: 64] = 64'(stall_token[1]);
    perf_inc[6*64 +: 64] = 64'(stall_token[2]);
    perf_inc[7*64 +: 64] = 64'(stall_dispatch);
    perf_inc[8*64 +: 64] = 64'(fetched);
  end

  // The events are registered before they are added (a count shows one cycle after its event):
  // some come out of deep logic in the units (the dispatcher's stall), and the 64-bit adders
  // should not sit behind it. An event in a PERF_CLEAR cycle is not counted, as before.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      perf_q     <= '0;
      perf_inc_q <= '0;
    end else begin
      perf_inc_q <= perf_clear ? '0 : perf_inc;
      for (int unsigned i = 0; i < NumPerf; i++) begin
        perf_q[64*i +: 64] <= perf_clear ? 64'd0 : perf_q[64*i +: 64] + perf_inc_q[64*i +: 64];
      end
    end
  end

  assign perf = perf_q;

  // Ports the load/store instances have but do not use in this direction, and grant bits that
  // route nothing here.
  logic unused;
  assign unused = ^{ld_busy_dma, st_busy_dma, st_sp_wdata, st_sp_strb, st_acc_wdata, st_acc_wmask,
                    st_pm_wdata, st_pm_strb, own_valid, ar_gnt, spw_gnt, accr_gnt[0], acc_gnt[0],
                    pm_gnt[0]};

  `NPU_ASSERT_KNOWN(a_irq_known, irq_o)
  `NPU_ASSERT_KNOWN(a_mem_valid_known, {mem_req_o.ar_valid, mem_req_o.aw_valid, mem_req_o.w_valid})
  `NPU_ASSERT_KNOWN(a_csr_valid_known, {csr_rsp_o.r_valid, csr_rsp_o.b_valid})
  `NPU_ASSERT(a_compute_one_at_a_time, !(mm_busy_seq && ppu_busy))
  `NPU_COVER(c_load_store_overlap, ld_unit_busy && st_unit_busy)
  `NPU_COVER(c_load_compute_overlap, ld_unit_busy && (mm_busy_seq || ppu_busy))
  `NPU_COVER(c_spad_write_conflict, ld_sp_valid && ppu_sp_valid)
  `NPU_COVER(c_spad_read_conflict, st_sp_valid && mm_rd_valid)
  `NPU_COVER(c_spad_read_after_buffered_write,
             (spr_hazard & ~spr_wait_q & {st_sp_valid, mm_rd_valid}) != '0)
  `NPU_ASSERT(a_spad_wait_same_read,
              spr_wait_q != '0 |-> spr_gnt == spr_wait_q && $stable(spr_addr))

endmodule : npu_top

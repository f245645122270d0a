// npu_xfer_unit: executes LOAD (Store = 0) or STORE (Store = 1) commands (docs/isa.md) on one
// DMA channel. It turns the command into a DMA descriptor, routes the channel's local port to
// the space the command names (scratchpad words, accumulator rows, parameter records) and maps
// the DMA result to an ISA error code. One command at a time.
//
// The channel's local requests pass a two-entry request slice (npu_dma_fifo) before they are
// routed, so the channel's ready is a register: without it, the DMA's local request registers
// reached through the routing and the memory ports' arbitration (the accumulator port, the
// scratchpad write buffer, the PPU's competing reads) back into the DMA's FIFO pops, the
// largest class of the routed 4x4 NPU's failing paths (docs/fpga.md). A command is done once
// the DMA is done and the slice is empty, so its last writes are in the memory it names.
//
// Local spaces, all addressed in bytes by the DMA and accessed in 16-byte words (AXI data width):
//   scratchpad   word w = byte address / 16
//   accumulator  row = byte address / (4 * Cols), word (byte address % (4 * Cols)) / 16 of it;
//                loads use the accumulator port's masked write, stores read the row
//   parameters   record r = byte address / 16 (one record per word)
`include "npu_assert.svh"

module npu_xfer_unit #(
  parameter bit          Store        = 1'b0,
  parameter int unsigned Cols         = npu_pkg::Cols,
  parameter int unsigned SpadWords    = npu_pkg::SpadBytes / 16,
  parameter int unsigned AccDepth     = npu_pkg::AccDepth,
  parameter int unsigned ParamEntries = npu_pkg::ParamEntries
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  // command
  input  logic                            start_i,
  input  logic [511:0]                    cmd_i,
  output logic                            done_o,
  output logic [3:0]                      err_o,
  output logic                            busy_o,
  // DMA channel
  output logic                            desc_valid_o,
  input  logic                            desc_ready_i,
  output npu_dma_pkg::desc_t              desc_o,
  input  logic                            dma_done_i,
  input  npu_dma_pkg::err_e               dma_err_i,
  output logic                            dma_err_clear_o,
  input  npu_dma_pkg::lcl_req_t           lcl_req_i,
  output npu_dma_pkg::lcl_rsp_t           lcl_rsp_o,
  // scratchpad word port (writes for loads, reads with 1-cycle data for stores)
  output logic                            sp_valid_o,
  input  logic                            sp_ready_i,
  output logic [$clog2(SpadWords)-1:0]    sp_addr_o,
  output logic [127:0]                    sp_wdata_o,
  output logic [15:0]                     sp_strb_o,
  input  logic                            sp_rvalid_i,
  input  logic [127:0]                    sp_rdata_i,
  // accumulator row port (masked writes for loads, reads for stores; responses in order)
  output logic                            acc_valid_o,
  input  logic                            acc_ready_i,
  output logic [$clog2(AccDepth)-1:0]     acc_addr_o,
  output logic [Cols*32-1:0]              acc_wdata_o,
  output logic [Cols*32-1:0]              acc_wmask_o,
  input  logic                            acc_rvalid_i,
  input  logic [Cols*32-1:0]              acc_rdata_i,
  // parameter record port (writes for loads, reads with 1-cycle data for stores)
  output logic                            pm_valid_o,
  input  logic                            pm_ready_i,
  output logic [$clog2(ParamEntries)-1:0] pm_addr_o,
  output logic [127:0]                    pm_wdata_o,
  output logic [15:0]                     pm_strb_o,
  input  logic                            pm_rvalid_i,
  input  logic [127:0]                    pm_rdata_i
);

  localparam int unsigned WordsPerRow = (Cols * 4) / 16;
  localparam int unsigned WordSelW    = (WordsPerRow > 1) ? $clog2(WordsPerRow) : 1;
  localparam int unsigned AccAW       = $clog2(AccDepth);

  `NPU_ASSERT_INIT(p_acc_row_words, Cols >= 4 && (Cols * 4) % 16 == 0)

  typedef enum logic [1:0] {
    XIdle  = 2'd0,
    XDesc  = 2'd1,  // descriptor offered to the DMA
    XRun   = 2'd2,  // waiting for the DMA to finish
    XDrain = 2'd3   // the DMA is done; its last requests are still in the slice
  } xstate_e;

  // ---- request slice ----
  // Loads keep address, strobes and data; stores (reads) only the address.
  localparam int unsigned ReqW = Store ? npu_dma_pkg::LclAddrW
                                       : npu_dma_pkg::LclAddrW + npu_dma_pkg::LclStrbW
                                         + npu_dma_pkg::LclDataW;
  logic                 req_valid, req_ready, slice_ready;
  logic [ReqW-1:0]      slice_in, slice_out;
  npu_dma_pkg::lcl_req_t req;

  if (Store) begin : g_rd_slice
    logic unused_wr;
    assign unused_wr = ^{lcl_req_i.strb, lcl_req_i.wdata};  // reads carry no data
    assign slice_in  = lcl_req_i.addr;
    always_comb begin
      req       = '0;
      req.valid = req_valid;
      req.addr  = slice_out;
    end
  end else begin : g_wr_slice
    assign slice_in = {lcl_req_i.addr, lcl_req_i.strb, lcl_req_i.wdata};
    always_comb begin
      req       = '0;
      req.valid = req_valid;
      req.we    = 1'b1;
      {req.addr, req.strb, req.wdata} = slice_out;
    end
  end

  // RegOut for stores: the read request's head is a register, not a LUT-RAM read in front of
  // the scratchpad arbitration (a routed path of the 4x4 NPU, docs/fpga.md). Not for loads,
  // whose routed paths end at this slice's input, where RegOut adds a multiplexer in front of
  // the head register. Cycle-identical either way.
  npu_dma_fifo #(.Width(ReqW), .Depth(2), .WriteFree(1'b1), .RegOut(Store)) u_req (
    .clk_i,
    .rst_ni,
    .clear_i(1'b0),
    .valid_i(lcl_req_i.valid),
    .ready_o(slice_ready),
    .data_i (slice_in),
    .valid_o(req_valid),
    .ready_i(req_ready),
    .data_o (slice_out)
  );

  xstate_e      state_q;
  logic [1:0]   space_q;
  npu_dma_pkg::desc_t desc_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= XIdle;
      space_q <= 2'd0;
    end else begin
      unique case (state_q)
        XIdle: begin
          space_q <= cmd_i[25:24];
          if (start_i) state_q <= XDesc;
        end
        XDesc: if (desc_ready_i) state_q <= XRun;
        XRun:  if (dma_done_i) state_q <= req_valid ? XDrain : XIdle;
        XDrain: if (!req_valid) state_q <= XIdle;
        default: state_q <= XIdle;
      endcase
    end
  end

  // The descriptor and the space load in every idle cycle, whether or not the head starts: their
  // enables then follow the state register, not the command processor's start pick (the pick
  // fanned out to these 500 enables was a long path of the routed NPU, docs/fpga.md). While
  // idle the request slice is empty (asserted), so the space routes nothing, and the DMA
  // engine takes the descriptor in XDesc, when it holds the started command (its plan's
  // idle-cycle operand load reads start2 and dram_stride2 in every cycle and so ends with the
  // started command's, as before).
  always_ff @(posedge clk_i) begin
    if (state_q == XIdle) begin
      desc_q.dram_addr    <= {cmd_i[71:64], cmd_i[63:32]};
      desc_q.lcl_addr     <= {8'd0, cmd_i[95:72]};
      desc_q.dram_stride1 <= {8'd0, cmd_i[127:96]};
      desc_q.dram_stride2 <= {8'd0, cmd_i[159:128]};
      desc_q.lcl_stride1  <= {8'd0, cmd_i[183:160]};
      desc_q.pad          <= Store ? 8'd0 : cmd_i[191:184];
      desc_q.lcl_stride2  <= {8'd0, cmd_i[215:192]};
      desc_q.size0        <= cmd_i[247:224];
      desc_q.size1        <= cmd_i[279:256];
      desc_q.size2        <= cmd_i[311:288];
      desc_q.start0       <= cmd_i[344:320];
      desc_q.start1       <= cmd_i[376:352];
      desc_q.start2       <= cmd_i[408:384];
      desc_q.len0         <= cmd_i[439:416];
      desc_q.len1         <= cmd_i[471:448];
      desc_q.len2         <= cmd_i[503:480];
    end
  end

  assign desc_valid_o = state_q == XDesc;
  assign desc_o       = desc_q;
  assign busy_o       = state_q != XIdle;
  assign done_o       = (state_q == XRun && dma_done_i || state_q == XDrain) && !req_valid;
  assign dma_err_clear_o = done_o && dma_err_i != npu_dma_pkg::DmaOk;

  always_comb begin
    unique case (dma_err_i)
      npu_dma_pkg::DmaErrWindow: err_o = 4'd9;
      npu_dma_pkg::DmaErrSlverr: err_o = 4'd10;
      npu_dma_pkg::DmaErrDecerr: err_o = 4'd11;
      default:                   err_o = 4'd0;
    endcase
  end

  // ---- local port routing ----
  logic [AccAW-1:0]    acc_row;
  logic [WordSelW-1:0] acc_word;
  logic [Cols*32-1:0]  strb_bits;

  always_comb begin
    acc_row  = AccAW'(req.addr / (Cols * 4));
    acc_word = WordSelW'((req.addr % (Cols * 4)) / 16);
    for (int unsigned b = 0; b < 16; b++) begin
      strb_bits[b*8 +: 8] = {8{req.strb[b]}};
    end
    for (int unsigned b = 16; b < Cols * 4; b++) begin
      strb_bits[b*8 +: 8] = 8'd0;
    end
  end

  assign sp_valid_o  = req.valid && space_q == 2'd0;
  assign sp_addr_o   = req.addr[4 +: $clog2(SpadWords)];
  assign sp_wdata_o  = req.wdata;
  assign sp_strb_o   = req.strb;
  assign pm_valid_o  = req.valid && space_q == 2'd2;
  assign pm_addr_o   = req.addr[4 +: $clog2(ParamEntries)];
  assign pm_wdata_o  = req.wdata;
  assign pm_strb_o   = req.strb;
  assign acc_valid_o = req.valid && space_q == 2'd1 && !sel_full;
  assign acc_addr_o  = acc_row;
  assign acc_wdata_o = {(Cols * 4 / 16){req.wdata}};
  assign acc_wmask_o = strb_bits << (32'(acc_word) * 128);

  // Store: which word of each accumulator row read is wanted (responses come back in order).
  logic              sel_valid, sel_full;
  logic [WordSelW-1:0] sel_word;
  if (Store) begin : g_sel
    npu_fifo #(.Width(WordSelW), .Depth(8)) u_sel (
      .clk_i,
      .rst_ni,
      .push_i (acc_valid_o && acc_ready_i),
      .data_i (acc_word),
      .full_o (sel_full),
      .valid_o(sel_valid),
      .ready_i(acc_rvalid_i),
      .data_o (sel_word)
    );
  end else begin : g_nosel
    assign sel_valid = 1'b0;
    assign sel_full  = 1'b0;
    assign sel_word  = '0;
  end

  always_comb begin
    lcl_rsp_o = '0;
    lcl_rsp_o.ready = slice_ready;
    unique case (space_q)
      2'd0: begin
        req_ready        = sp_ready_i;
        lcl_rsp_o.rvalid = sp_rvalid_i;
        lcl_rsp_o.rdata  = sp_rdata_i;
      end
      2'd1: begin
        req_ready        = acc_ready_i && !sel_full;
        lcl_rsp_o.rvalid = acc_rvalid_i;
        lcl_rsp_o.rdata  = acc_rdata_i[32'(sel_word)*128 +: 128];
      end
      default: begin
        req_ready        = pm_ready_i;
        lcl_rsp_o.rvalid = pm_rvalid_i;
        lcl_rsp_o.rdata  = pm_rdata_i;
      end
    endcase
  end

  logic unused_cmd, unused_we;
  assign unused_cmd = ^cmd_i;  // opcode, tokens and reserved bits are the command processor's
  assign unused_we  = req.we;  // the direction is the unit's (checked on lcl_req_i below)

  `NPU_ASSERT(a_req_only_busy, lcl_req_i.valid |-> state_q == XRun)
  `NPU_ASSERT(a_slice_empty_idle, state_q == XIdle |-> !req_valid)
  `NPU_COVER(c_drain, state_q == XDrain)
  `NPU_ASSERT(a_req_direction, lcl_req_i.valid |-> lcl_req_i.we == !Store)
  `NPU_ASSERT(a_acc_rsp_expected, acc_rvalid_i |-> sel_valid || !Store)
  `NPU_ASSERT_NEVER(a_start_busy, start_i && state_q != XIdle)
  `NPU_COVER(c_space_acc, start_i && cmd_i[25:24] == 2'd1)
  `NPU_COVER(c_space_param, start_i && cmd_i[25:24] == 2'd2)
  `NPU_COVER(c_dma_error, done_o && err_o != 4'd0)

endmodule : npu_xfer_unit

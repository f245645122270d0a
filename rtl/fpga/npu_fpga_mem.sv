// npu_fpga_mem: small AXI4 slave memory for the board-neutral FPGA top (docs/fpga.md).
//
// Bytes bytes of block RAM (npu_fpga_ram), full-width beats of npu_axi_pkg::DataW bits. INCR
// bursts of any length; one transaction at a time, reads and writes taking turns when both wait.
// Addresses wrap modulo Bytes (the window is Bytes bytes at any base). Writes take one beat per
// cycle; each beat is registered and written to the RAM in the next cycle, so the master's W
// logic ends at flip-flops that placement can keep near it rather than at the block RAM's data
// inputs (the last beat lands in the first WriteResp cycle, before any read can be issued);
// reads one beat per three cycles (address, block RAM output into a register, then data
// held until r_ready): R data leaves a flip-flop, so the RAM's clock-to-output delay is not in
// front of the master's R logic. Responses are always OKAY and carry the request's ID. This is a
// test memory for bring-up and timing runs, not a performance model: a real board connects
// mem_req_o / mem_rsp_i to its DRAM controller.
`include "npu_assert.svh"

module npu_fpga_mem #(
  parameter int unsigned Bytes = 65536
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  npu_axi_pkg::axi_req_t slv_req_i,
  output npu_axi_pkg::axi_rsp_t slv_rsp_o
);

  localparam int unsigned WordBytes = npu_axi_pkg::StrbW;
  localparam int unsigned Depth     = Bytes / WordBytes;
  localparam int unsigned IdxW      = $clog2(Depth);
  localparam int unsigned OffW      = $clog2(WordBytes);

  `NPU_ASSERT_INIT(p_depth, Depth >= 2 && Depth * WordBytes == Bytes)

  typedef enum logic [2:0] {Idle, Write, WriteResp, ReadAddr, ReadLatch, ReadData} state_e;

  state_e                       state_d, state_q;
  logic [IdxW-1:0]              idx_d, idx_q;
  logic [7:0]                   left_d, left_q;   // beats after the current one
  logic [npu_axi_pkg::IdW-1:0]  id_d, id_q;
  logic                         wr_prio_d, wr_prio_q;

  logic                         ram_req;
  logic [npu_axi_pkg::DataW-1:0] ram_rdata, rdata_q;

  always_comb begin
    state_d   = state_q;
    idx_d     = idx_q;
    left_d    = left_q;
    id_d      = id_q;
    wr_prio_d = wr_prio_q;
    slv_rsp_o = '0;
    ram_req   = 1'b0;
    unique case (state_q)
      Idle: begin
        if (slv_req_i.aw_valid && (!slv_req_i.ar_valid || wr_prio_q)) begin
          slv_rsp_o.aw_ready = 1'b1;
          idx_d     = slv_req_i.aw.addr[OffW +: IdxW];
          left_d    = slv_req_i.aw.len;
          id_d      = slv_req_i.aw.id;
          wr_prio_d = 1'b0;
          state_d   = Write;
        end else if (slv_req_i.ar_valid) begin
          slv_rsp_o.ar_ready = 1'b1;
          idx_d     = slv_req_i.ar.addr[OffW +: IdxW];
          left_d    = slv_req_i.ar.len;
          id_d      = slv_req_i.ar.id;
          wr_prio_d = 1'b1;
          state_d   = ReadAddr;
        end
      end
      Write: begin
        slv_rsp_o.w_ready = 1'b1;
        if (slv_req_i.w_valid) begin
          idx_d   = idx_q + 1'b1;
          left_d  = left_q - 1'b1;
          if (left_q == '0) begin
            state_d = WriteResp;
          end
        end
      end
      WriteResp: begin
        slv_rsp_o.b_valid = 1'b1;
        slv_rsp_o.b.id    = id_q;
        slv_rsp_o.b.resp  = npu_axi_pkg::RespOkay;
        if (slv_req_i.b_ready) begin
          state_d = Idle;
        end
      end
      ReadAddr: begin
        ram_req = 1'b1;
        state_d = ReadLatch;
      end
      ReadLatch: begin
        state_d = ReadData;
      end
      ReadData: begin
        slv_rsp_o.r_valid = 1'b1;
        slv_rsp_o.r.id    = id_q;
        slv_rsp_o.r.data  = rdata_q;
        slv_rsp_o.r.resp  = npu_axi_pkg::RespOkay;
        slv_rsp_o.r.last  = (left_q == '0);
        if (slv_req_i.r_ready) begin
          idx_d   = idx_q + 1'b1;
          left_d  = left_q - 1'b1;
          state_d = (left_q == '0) ? Idle : ReadAddr;
        end
      end
      default: state_d = Idle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q   <= Idle;
      idx_q     <= '0;
      left_q    <= '0;
      id_q      <= '0;
      wr_prio_q <= 1'b0;
    end else begin
      state_q   <= state_d;
      idx_q     <= idx_d;
      left_q    <= left_d;
      id_q      <= id_d;
      wr_prio_q <= wr_prio_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (state_q == ReadLatch) begin
      rdata_q <= ram_rdata;
    end
  end

  // The registered write beat: a beat with at least one strobe set, its word, strobes and data.
  logic                          wr_q;
  logic [IdxW-1:0]               wr_idx_q;
  logic [WordBytes-1:0]          wr_be_q;
  logic [npu_axi_pkg::DataW-1:0] wr_data_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_q <= 1'b0;
    end else begin
      wr_q <= state_q == Write && slv_req_i.w_valid && |slv_req_i.w.strb;
    end
  end

  // No reset and no enable: used only while wr_q, which follows the same cycle's beat.
  always_ff @(posedge clk_i) begin
    wr_idx_q  <= idx_q;
    wr_be_q   <= slv_req_i.w.strb;
    wr_data_q <= slv_req_i.w.data;
  end

  npu_fpga_ram #(.Bytes(WordBytes), .Depth(Depth)) u_ram (
    .clk_i,
    .req_i  (ram_req || wr_q),
    .be_i   (wr_q ? wr_be_q : '0),  // ram_req alone reads
    .addr_i (wr_q ? wr_idx_q : idx_q),
    .wdata_i(wr_data_q),
    .rdata_o(ram_rdata)
  );

  // A read is issued only in ReadAddr, which no write beat's RAM write can reach.
  `NPU_ASSERT_NEVER(a_read_beside_write, wr_q && ram_req)
  `NPU_ASSERT(a_incr_only, slv_req_i.aw_valid |-> slv_req_i.aw.burst == npu_axi_pkg::BurstIncr)
  `NPU_ASSERT(a_full_beats, slv_req_i.ar_valid |-> slv_req_i.ar.size == npu_axi_pkg::SizeFull)
  `NPU_ASSERT(a_wlast, state_q == Write && slv_req_i.w_valid |-> slv_req_i.w.last == (left_q == '0))

endmodule : npu_fpga_mem

// npu_fpga_top: board-neutral FPGA top of Nuri (docs/fpga.md, constraints/README.md).
//
// npu_top with its AXI4 memory master on an internal block-RAM memory (npu_fpga_mem, MemBytes
// bytes) and its AXI4-Lite CSR port brought out as flat pins (the narrow port set a board
// connects to its host bridge: a soft CPU, a UART/SPI-to-AXI-Lite bridge or the PS of a Zynq).
// 107 signal pins plus clock and reset: enough on the ECP5 CABGA381; on the 39-pin iCE40 SG48
// the flow measures it inside the scan harness instead.
module npu_fpga_top #(
  parameter int unsigned Rows         = npu_pkg::Rows,
  parameter int unsigned Cols         = npu_pkg::Cols,
  parameter int unsigned SpadBytes    = npu_pkg::SpadBytes,
  parameter int unsigned AccBytes     = npu_pkg::AccBytes,
  parameter int unsigned ParamEntries = npu_pkg::ParamEntries,
  parameter int unsigned QueueDepth   = npu_pkg::QueueDepth,
  parameter int unsigned MemBytes     = 65536,
  parameter int unsigned CsrAddrW     = npu_pkg::CsrAddrW
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // AXI4-Lite CSR slave (flat)
  input  logic [CsrAddrW-1:0] csr_awaddr_i,
  input  logic                csr_awvalid_i,
  output logic                csr_awready_o,
  input  logic [31:0]         csr_wdata_i,
  input  logic [3:0]          csr_wstrb_i,
  input  logic                csr_wvalid_i,
  output logic                csr_wready_o,
  output logic [1:0]          csr_bresp_o,
  output logic                csr_bvalid_o,
  input  logic                csr_bready_i,
  input  logic [CsrAddrW-1:0] csr_araddr_i,
  input  logic                csr_arvalid_i,
  output logic                csr_arready_o,
  output logic [31:0]         csr_rdata_o,
  output logic [1:0]          csr_rresp_o,
  output logic                csr_rvalid_o,
  input  logic                csr_rready_i,
  output logic                irq_o
);

  npu_axi_pkg::lite_req_t csr_req;
  npu_axi_pkg::lite_rsp_t csr_rsp;
  npu_axi_pkg::axi_req_t  mem_req;
  npu_axi_pkg::axi_rsp_t  mem_rsp;

  always_comb begin
    csr_req          = '0;
    csr_req.aw.addr  = npu_axi_pkg::LiteAddrW'(csr_awaddr_i);
    csr_req.aw_valid = csr_awvalid_i;
    csr_req.w.data   = csr_wdata_i;
    csr_req.w.strb   = csr_wstrb_i;
    csr_req.w_valid  = csr_wvalid_i;
    csr_req.b_ready  = csr_bready_i;
    csr_req.ar.addr  = npu_axi_pkg::LiteAddrW'(csr_araddr_i);
    csr_req.ar_valid = csr_arvalid_i;
    csr_req.r_ready  = csr_rready_i;
  end

  assign csr_awready_o = csr_rsp.aw_ready;
  assign csr_wready_o  = csr_rsp.w_ready;
  assign csr_bresp_o   = csr_rsp.b.resp;
  assign csr_bvalid_o  = csr_rsp.b_valid;
  assign csr_arready_o = csr_rsp.ar_ready;
  assign csr_rdata_o   = csr_rsp.r.data;
  assign csr_rresp_o   = csr_rsp.r.resp;
  assign csr_rvalid_o  = csr_rsp.r_valid;

  npu_top #(
    .Rows(Rows), .Cols(Cols), .SpadBytes(SpadBytes), .AccBytes(AccBytes),
    .ParamEntries(ParamEntries), .QueueDepth(QueueDepth)
  ) u_npu (
    .clk_i,
    .rst_ni,
    .csr_req_i(csr_req),
    .csr_rsp_o(csr_rsp),
    .mem_req_o(mem_req),
    .mem_rsp_i(mem_rsp),
    .irq_o
  );

  npu_fpga_mem #(.Bytes(MemBytes)) u_mem (
    .clk_i,
    .rst_ni,
    .slv_req_i(mem_req),
    .slv_rsp_o(mem_rsp)
  );

endmodule : npu_fpga_top

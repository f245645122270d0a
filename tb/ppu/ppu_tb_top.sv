// Test-bench wrapper: npu_ppu with its parameter memory (npu_param_mem). The accumulator read
// port and the scratchpad write port are modelled in C++ (tb/ppu/test_ppu.cpp); p_stall_i lets
// the test stall the parameter read port (request ready low) to exercise back-pressure there.
module ppu_tb_top #(
  parameter int unsigned Rows         = 4,
  parameter int unsigned Cols         = 4,
  parameter int unsigned AccDepth     = 64,
  parameter int unsigned SpadRows     = 256,
  parameter int unsigned ParamEntries = 64
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  input  logic                            cmd_valid_i,
  output logic                            cmd_ready_o,
  input  logic [511:0]                    cmd_i,
  output logic                            done_o,
  output logic [3:0]                      err_o,
  output logic                            busy_o,
  // parameter memory write port (the DMA's side)
  input  logic                            pw_valid_i,
  output logic                            pw_ready_o,
  input  logic [$clog2(ParamEntries)-1:0] pw_addr_i,
  input  logic [127:0]                    pw_data_i,
  input  logic [15:0]                     pw_strb_i,
  input  logic                            p_stall_i,
  // accumulator read port
  output logic                            acc_valid_o,
  input  logic                            acc_ready_i,
  output logic [$clog2(AccDepth)-1:0]     acc_addr_o,
  input  logic                            acc_rsp_valid_i,
  output logic                            acc_rsp_ready_o,
  input  logic [Cols*32-1:0]              acc_rsp_data_i,
  // scratchpad row write port
  output logic                            sp_valid_o,
  input  logic                            sp_ready_i,
  output logic [$clog2(SpadRows)-1:0]     sp_row_o,
  output logic [Cols*8-1:0]               sp_data_o,
  output logic [Cols-1:0]                 sp_strb_o
);

  logic                            p_valid, p_ready, r_ready, p_rvalid;
  logic [$clog2(ParamEntries)-1:0] p_addr;
  logic [127:0]                    p_rdata;

  assign p_ready = r_ready && !p_stall_i;

  npu_param_mem #(
    .Entries(ParamEntries)
  ) u_param_mem (
    .clk_i,
    .rst_ni,
    .w_valid_i (pw_valid_i),
    .w_ready_o (pw_ready_o),
    .w_addr_i  (pw_addr_i),
    .w_data_i  (pw_data_i),
    .w_strb_i  (pw_strb_i),
    .r_valid_i (p_valid && !p_stall_i),
    .r_ready_o (r_ready),
    .r_addr_i  (p_addr),
    .r_rvalid_o(p_rvalid),
    .r_rdata_o (p_rdata)
  );

  npu_ppu #(
    .Rows        (Rows),
    .Cols        (Cols),
    .AccDepth    (AccDepth),
    .SpadRows    (SpadRows),
    .ParamEntries(ParamEntries)
  ) u_ppu (
    .clk_i,
    .rst_ni,
    .cmd_valid_i,
    .cmd_ready_o,
    .cmd_i,
    .done_o,
    .err_o,
    .busy_o,
    .p_valid_o (p_valid),
    .p_ready_i (p_ready),
    .p_addr_o  (p_addr),
    .p_rvalid_i(p_rvalid),
    .p_rdata_i (p_rdata),
    .acc_valid_o,
    .acc_ready_i,
    .acc_addr_o,
    .acc_rsp_valid_i,
    .acc_rsp_ready_o,
    .acc_rsp_data_i,
    .sp_valid_o,
    .sp_ready_i,
    .sp_row_o,
    .sp_data_o,
    .sp_strb_o
  );

endmodule : ppu_tb_top

// Post-synthesis simulation of npu_matmul_unit (Rows = Cols = 4, AccDepth = 16): drives the
// Yosys netlist (module npu_matmul_unit_netlist, from `scripts/fpga/run netlist`) through a GEMM
// with random int8 data and compares the accumulator rows it reads back with the products
// computed here from the definition out[m][n] = sum_k A[m][k] * W[k][n] (docs/datapath.md):
//
//   tile 0: W0, rows m = 0..5 overwrite acc rows 15 - m    (first k-tile)
//   tile 1: W1, rows m = 0..5 accumulate into acc rows 15 - m (second k-tile)
//   tile 2: W2, rows m = 6..8 overwrite acc rows 15 - m    (a tile shorter than Rows + 1)
//
// Plain Verilog-2005 for Icarus. +seed=N picks the data; +corrupt flips one expected value (the
// test must then fail: it proves the comparison can fail). Prints "PASS" or "FAIL ..." and ends.
`timescale 1ns / 1ps
module tb_matmul_netlist;
  localparam R = 4, C = 4, ADW = 4, M = 9;

  reg clk = 1'b0, rst_n = 1'b0;
  always #5 clk = ~clk;

  reg              w_valid = 0;
  wire             w_ready;
  reg  [C*8-1:0]   w_data = 0;
  reg              a_valid = 0, a_first = 0, a_acc = 0;
  wire             a_ready;
  reg  [R*8-1:0]   a_data = 0;
  reg  [ADW-1:0]   a_addr = 0;
  reg              rd_valid = 0;
  wire             rd_ready;
  reg  [ADW-1:0]   rd_addr = 0;
  wire             rsp_valid;
  wire [C*32-1:0]  rsp_data;
  wire             busy;

  npu_matmul_unit_netlist dut (
    .clk_i(clk), .rst_ni(rst_n),
    .w_valid_i(w_valid), .w_ready_o(w_ready), .w_data_i(w_data),
    .a_valid_i(a_valid), .a_ready_o(a_ready), .a_first_i(a_first), .a_data_i(a_data),
    .a_acc_addr_i(a_addr), .a_accumulate_i(a_acc),
    .rd_valid_i(rd_valid), .rd_ready_o(rd_ready), .rd_addr_i(rd_addr),
    .rd_we_i(1'b0), .rd_wdata_i({C*32{1'b0}}), .rd_wmask_i({C*32{1'b0}}),
    .rsp_valid_o(rsp_valid), .rsp_ready_i(1'b1), .rsp_data_o(rsp_data),
    .busy_o(busy)
  );

  integer a0 [0:M-1][0:R-1];  // A of k-tile 0 (rows 0..5) and of tile 2 (rows 6..8)
  integer a1 [0:M-1][0:R-1];  // A of k-tile 1
  integer w   [0:2][0:R-1][0:C-1];
  integer expect [0:M-1][0:C-1];
  integer seed, seed0, m, k, n, t, errors, got, cycles;

  function integer s8(input integer r);  // random int8, extremes included
    s8 = (r % 256 + 256) % 256 - 128;
  endfunction

  task tick; begin @(posedge clk); #1; cycles = cycles + 1; end endtask

  task load_weights(input integer tile);
    integer kk, nn;
    begin
      for (kk = 0; kk < R; kk = kk + 1) begin
        w_valid = 1;
        for (nn = 0; nn < C; nn = nn + 1) w_data[8*nn +: 8] = w[tile][kk][nn];
        @(posedge clk);
        while (!w_ready) @(posedge clk);
        #1;
      end
      w_valid = 0;
    end
  endtask

  task send_row(input integer mm, input integer first, input integer acc, input integer which);
    integer kk;
    begin
      a_valid = 1; a_first = first; a_acc = acc; a_addr = 15 - mm;
      for (kk = 0; kk < R; kk = kk + 1)
        a_data[8*kk +: 8] = (which == 1) ? a1[mm][kk] : a0[mm][kk];
      @(posedge clk);
      while (!a_ready) @(posedge clk);
      #1;
      a_valid = 0; a_first = 0;
    end
  endtask

  initial begin
    if (!$value$plusargs("seed=%d", seed)) seed = 1;
    seed0 = seed;
    errors = 0; cycles = 0;
    for (t = 0; t < 3; t = t + 1)
      for (k = 0; k < R; k = k + 1)
        for (n = 0; n < C; n = n + 1) w[t][k][n] = s8($random(seed));
    for (m = 0; m < M; m = m + 1)
      for (k = 0; k < R; k = k + 1) begin
        a0[m][k] = s8($random(seed));
        a1[m][k] = s8($random(seed));
      end
    // at least one row at the extremes
    for (k = 0; k < R; k = k + 1) begin a0[0][k] = -128; w[0][k][0] = -128; end
    for (m = 0; m < M; m = m + 1)
      for (n = 0; n < C; n = n + 1) begin
        expect[m][n] = 0;
        for (k = 0; k < R; k = k + 1)
          if (m < 6) expect[m][n] = expect[m][n] + a0[m][k] * w[0][k][n] + a1[m][k] * w[1][k][n];
          else       expect[m][n] = expect[m][n] + a0[m][k] * w[2][k][n];
      end
    if ($test$plusargs("corrupt")) expect[3][2] = expect[3][2] + 1;

    repeat (4) tick;
    rst_n = 1;
    repeat (2) tick;

    load_weights(0);
    for (m = 0; m < 6; m = m + 1) send_row(m, m == 0, 0, 0);
    load_weights(1);
    for (m = 0; m < 6; m = m + 1) send_row(m, m == 0, 1, 1);
    load_weights(2);
    for (m = 6; m < M; m = m + 1) send_row(m, m == 6, 0, 0);

    t = 0;
    while (busy && t < 1000) begin tick; t = t + 1; end
    if (busy) begin $display("FAIL busy_o never fell"); $finish; end
    tick;

    for (m = 0; m < M; m = m + 1) begin
      rd_valid = 1; rd_addr = 15 - m;
      @(posedge clk);
      while (!rd_ready) @(posedge clk);
      #1 rd_valid = 0;
      t = 0;
      while (!rsp_valid && t < 20) begin @(posedge clk); #1; t = t + 1; end
      if (!rsp_valid) begin $display("FAIL no read response for row %0d", m); $finish; end
      for (n = 0; n < C; n = n + 1) begin
        got = $signed(rsp_data[32*n +: 32]);
        if (^rsp_data[32*n +: 32] === 1'bx || got != expect[m][n]) begin
          errors = errors + 1;
          if (errors <= 10)
            $display("mismatch row %0d lane %0d: netlist %0d, expected %0d", m, n, got,
                     expect[m][n]);
        end
      end
      tick;
    end
    if (errors == 0) $display("PASS %0d rows x %0d lanes, seed %0d", M, C, seed0);
    else $display("FAIL %0d mismatches", errors);
    $finish;
  end

  initial begin
    #200000;
    $display("FAIL timeout");
    $finish;
  end
endmodule

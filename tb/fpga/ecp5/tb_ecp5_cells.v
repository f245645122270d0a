// Checks the DP16KD and MULT18X18D models of ecp5_cells.v against their header comment, in
// Icarus (iverilog -g2012), before tb_fpga_netlist_ecp5 relies on them:
//
//   DP16KD x36: random writes with random lane enables (and cycles with CEA low) into a shadow
//     array of 512 x 36 bits kept here; every read (random address, CEB sometimes low, so the
//     output must hold) is compared with the shadow; a read of the word written at the same
//     edge must return the written lanes inverted; RSTB must clear the output.
//   MULT18X18D: random and extreme operands in all four SIGNEDA / SIGNEDB combinations against
//     the product of the operands as integers (sign-extended or zero-extended to 64 bits).
//
// +seed=N picks the data; +corrupt flips one expected value (the run must then fail: proves the
// comparison can fail). Prints "PASS" or "FAIL ..." and ends.
`timescale 1ns / 1ps
module tb_ecp5_cells;
  reg clk = 1'b0;
  always #5 clk = ~clk;

  integer seed = 1, seed0, errors = 0, checks = 0, i, k;
  reg corrupt = 1'b0;

  // ---- DP16KD, pseudo dual-port x36 --------------------------------------------------------
  reg  [35:0] di = 0;
  reg  [13:0] ada = 0, adb = 0;
  reg         cea = 0, ceb = 0, rstb = 0;
  wire [35:0] dout;
  DP16KD #(.DATA_WIDTH_A(36), .DATA_WIDTH_B(36), .RESETMODE("SYNC")) u_ram (
    .DIA17(di[17]), .DIA16(di[16]), .DIA15(di[15]), .DIA14(di[14]), .DIA13(di[13]),
    .DIA12(di[12]), .DIA11(di[11]), .DIA10(di[10]), .DIA9(di[9]), .DIA8(di[8]), .DIA7(di[7]),
    .DIA6(di[6]), .DIA5(di[5]), .DIA4(di[4]), .DIA3(di[3]), .DIA2(di[2]), .DIA1(di[1]),
    .DIA0(di[0]),
    .DIB17(di[35]), .DIB16(di[34]), .DIB15(di[33]), .DIB14(di[32]), .DIB13(di[31]),
    .DIB12(di[30]), .DIB11(di[29]), .DIB10(di[28]), .DIB9(di[27]), .DIB8(di[26]),
    .DIB7(di[25]), .DIB6(di[24]), .DIB5(di[23]), .DIB4(di[22]), .DIB3(di[21]), .DIB2(di[20]),
    .DIB1(di[19]), .DIB0(di[18]),
    .ADA13(ada[13]), .ADA12(ada[12]), .ADA11(ada[11]), .ADA10(ada[10]), .ADA9(ada[9]),
    .ADA8(ada[8]), .ADA7(ada[7]), .ADA6(ada[6]), .ADA5(ada[5]), .ADA4(ada[4]), .ADA3(ada[3]),
    .ADA2(ada[2]), .ADA1(ada[1]), .ADA0(ada[0]),
    .ADB13(adb[13]), .ADB12(adb[12]), .ADB11(adb[11]), .ADB10(adb[10]), .ADB9(adb[9]),
    .ADB8(adb[8]), .ADB7(adb[7]), .ADB6(adb[6]), .ADB5(adb[5]), .ADB4(adb[4]), .ADB3(adb[3]),
    .ADB2(adb[2]), .ADB1(adb[1]), .ADB0(adb[0]),
    .CEA(cea), .OCEA(1'b0), .CLKA(clk), .WEA(1'b1), .RSTA(1'b0),
    .CSA2(1'b0), .CSA1(1'b0), .CSA0(1'b0),
    .CEB(ceb), .OCEB(1'b1), .CLKB(clk), .WEB(1'b0), .RSTB(rstb),
    .CSB2(1'b0), .CSB1(1'b0), .CSB0(1'b0),
    .DOA17(dout[17]), .DOA16(dout[16]), .DOA15(dout[15]), .DOA14(dout[14]), .DOA13(dout[13]),
    .DOA12(dout[12]), .DOA11(dout[11]), .DOA10(dout[10]), .DOA9(dout[9]), .DOA8(dout[8]),
    .DOA7(dout[7]), .DOA6(dout[6]), .DOA5(dout[5]), .DOA4(dout[4]), .DOA3(dout[3]),
    .DOA2(dout[2]), .DOA1(dout[1]), .DOA0(dout[0]),
    .DOB17(dout[35]), .DOB16(dout[34]), .DOB15(dout[33]), .DOB14(dout[32]), .DOB13(dout[31]),
    .DOB12(dout[30]), .DOB11(dout[29]), .DOB10(dout[28]), .DOB9(dout[27]), .DOB8(dout[26]),
    .DOB7(dout[25]), .DOB6(dout[24]), .DOB5(dout[23]), .DOB4(dout[22]), .DOB3(dout[21]),
    .DOB2(dout[20]), .DOB1(dout[19]), .DOB0(dout[18])
  );

  reg [35:0] shadow [0:511];
  reg [35:0] expect_q = 0;  // what the output must show after the current edge

  task check(input [35:0] got, input [35:0] want, input [8*24-1:0] what);
    begin
      checks = checks + 1;
      if (corrupt && checks == 100) want = want ^ 36'h1;
      if (got !== want) begin
        errors = errors + 1;
        if (errors <= 5) $display("FAIL %0s: got %h, want %h (check %0d)", what, got, want, checks);
      end
    end
  endtask

  // One clock edge of the RAM: write word wa with lane enables be and data d when we; read word
  // ra when re; update the shadow and the expected output as the header comment says.
  reg [35:0] mask, d;
  reg [8:0]  wa, ra;
  reg [3:0]  be;
  reg        we, re;
  task ram_cycle;
    begin
      mask = {{9{be[3]}}, {9{be[2]}}, {9{be[1]}}, {9{be[0]}}};
      ada = {wa, 1'b0, be};
      adb = {ra, 5'b0};
      di = d;
      cea = we;
      ceb = re;
      if (re) expect_q = shadow[ra] ^ ((we && ra == wa) ? mask : 36'h0);
      if (we) shadow[wa] = (shadow[wa] & ~mask) | (d & mask);
      @(posedge clk);
      #1 check(dout, expect_q, "DP16KD read");
    end
  endtask

  // ---- MULT18X18D ---------------------------------------------------------------------------
  reg  [17:0] ma = 0, mb = 0;
  reg         sa = 0, sb = 0;
  wire [35:0] p;
  MULT18X18D u_mul (
    .A17(ma[17]), .A16(ma[16]), .A15(ma[15]), .A14(ma[14]), .A13(ma[13]), .A12(ma[12]),
    .A11(ma[11]), .A10(ma[10]), .A9(ma[9]), .A8(ma[8]), .A7(ma[7]), .A6(ma[6]), .A5(ma[5]),
    .A4(ma[4]), .A3(ma[3]), .A2(ma[2]), .A1(ma[1]), .A0(ma[0]),
    .B17(mb[17]), .B16(mb[16]), .B15(mb[15]), .B14(mb[14]), .B13(mb[13]), .B12(mb[12]),
    .B11(mb[11]), .B10(mb[10]), .B9(mb[9]), .B8(mb[8]), .B7(mb[7]), .B6(mb[6]), .B5(mb[5]),
    .B4(mb[4]), .B3(mb[3]), .B2(mb[2]), .B1(mb[1]), .B0(mb[0]),
    .C17(1'b0), .C16(1'b0), .C15(1'b0), .C14(1'b0), .C13(1'b0), .C12(1'b0), .C11(1'b0),
    .C10(1'b0), .C9(1'b0), .C8(1'b0), .C7(1'b0), .C6(1'b0), .C5(1'b0), .C4(1'b0), .C3(1'b0),
    .C2(1'b0), .C1(1'b0), .C0(1'b0),
    .SIGNEDA(sa), .SIGNEDB(sb), .SOURCEA(1'b0), .SOURCEB(1'b0),
    .CLK0(1'b0), .CLK1(1'b0), .CLK2(1'b0), .CLK3(1'b0), .CE0(1'b0), .CE1(1'b0), .CE2(1'b0),
    .CE3(1'b0), .RST0(1'b0), .RST1(1'b0), .RST2(1'b0), .RST3(1'b0),
    .P35(p[35]), .P34(p[34]), .P33(p[33]), .P32(p[32]), .P31(p[31]), .P30(p[30]), .P29(p[29]),
    .P28(p[28]), .P27(p[27]), .P26(p[26]), .P25(p[25]), .P24(p[24]), .P23(p[23]), .P22(p[22]),
    .P21(p[21]), .P20(p[20]), .P19(p[19]), .P18(p[18]), .P17(p[17]), .P16(p[16]), .P15(p[15]),
    .P14(p[14]), .P13(p[13]), .P12(p[12]), .P11(p[11]), .P10(p[10]), .P9(p[9]), .P8(p[8]),
    .P7(p[7]), .P6(p[6]), .P5(p[5]), .P4(p[4]), .P3(p[3]), .P2(p[2]), .P1(p[1]), .P0(p[0])
  );

  reg signed [63:0] xa, xb, xp;
  task mul_check;
    begin
      #1;
      xa = sa ? {{46{ma[17]}}, ma} : {46'b0, ma};
      xb = sb ? {{46{mb[17]}}, mb} : {46'b0, mb};
      xp = xa * xb;
      check(p, xp[35:0], "MULT18X18D product");
    end
  endtask

  reg [17:0] extremes [0:5];
  initial begin
    if ($value$plusargs("seed=%d", seed)) ;
    seed0 = seed;
    corrupt = $test$plusargs("corrupt");
    for (i = 0; i < 512; i = i + 1) shadow[i] = 36'h0;

    // RAM: fill a random half, then mixed traffic on a small address window (many same-word hits).
    @(posedge clk);
    for (i = 0; i < 3000; i = i + 1) begin
      we = ($random(seed) & 3) != 0;
      re = ($random(seed) & 3) != 0;
      be = $random(seed);
      d  = {$random(seed), $random(seed)};
      wa = (i < 1000) ? $random(seed) : ($random(seed) & 15);
      ra = (i < 1000) ? $random(seed) : ($random(seed) & 15);
      if (i % 97 == 0) ra = wa;  // read the word written at the same edge
      ram_cycle;
    end
    // RSTB clears the output at the next edge (SYNC).
    rstb = 1'b1; cea = 1'b0; ceb = 1'b1;
    @(posedge clk);
    #1 check(dout, 36'h0, "DP16KD reset");
    rstb = 1'b0;
    // Every word read back once more.
    for (i = 0; i < 512; i = i + 1) begin
      we = 1'b0; re = 1'b1; be = 0; d = 0; wa = 0; ra = i;
      ram_cycle;
    end

    // Multiplier: extremes in every combination, then random operands.
    extremes[0] = 18'h00000; extremes[1] = 18'h00001; extremes[2] = 18'h1ffff;
    extremes[3] = 18'h20000; extremes[4] = 18'h3ffff; extremes[5] = 18'h00080;
    for (k = 0; k < 4; k = k + 1) begin
      sa = k[0]; sb = k[1];
      for (i = 0; i < 36; i = i + 1) begin
        ma = extremes[i % 6]; mb = extremes[i / 6];
        mul_check;
      end
      for (i = 0; i < 2000; i = i + 1) begin
        ma = $random(seed); mb = $random(seed);
        mul_check;
      end
    end

    if (errors == 0) $display("PASS (%0d checks, seed %0d)", checks, seed0);
    else $display("FAIL %0d of %0d checks (seed %0d)", errors, checks, seed0);
    $finish;
  end
endmodule

// Simulation models of the two ECP5 cells that Yosys leaves as black boxes in its simulation
// library (share/lattice/cells_sim_ecp5.v): the DP16KD block RAM and the MULT18X18D multiplier.
// The other cells of an ECP5 netlist (LUT4, PFUMX, L6MUX21, CCU2C, TRELLIS_FF, TRELLIS_DPR16X4)
// use Yosys's own models, which `scripts/fpga/run ecp5 --write-netlist` copies beside the
// netlist. Used by tb_fpga_netlist_ecp5 (tb/fpga, docs/fpga.md "Post-synthesis simulation").
//
// Written from Lattice's descriptions of the cells (TN1264 memory usage guide, TN1267 sysDSP
// guide), and only for the modes the ECP5 flow produces; any other mode stops the simulation at
// time 0 with a message naming it, so an unmodelled mode cannot pass silently:
//
//   DP16KD: the pseudo dual-port x36 mode (DATA_WIDTH_A = DATA_WIDTH_B = 36: 512 words of 36
//     bits), port A writes, port B reads; no output registers (REGMODE NOREG); chip selects
//     decoded as 0b000; no initial contents (all INITVAL zero; Yosys fills unused ones with 0).
//     * Write (CLKA rising, CEA, WEA, CSA = 000): word ADA[13:5]; ADA[3:0] enable the four 9-bit
//       lanes of the data {DIB[17:0], DIA[17:0]}.
//     * Read (CLKB rising, CEB, CSB = 000): {DOB[17:0], DOA[17:0]} <= word ADB[13:5]; the
//       outputs hold otherwise. RSTB clears them (at once with RESETMODE ASYNC, at the clock edge
//       with SYNC). WEB must stay 0 (port B does not write in this mode).
//     * A read of a word that port A writes at the same edge is not defined by the hardware. The
//       model returns the written lanes inverted, so a design that depends on it mismatches
//       instead of passing by luck (Yosys adds bypass logic wherever the RTL defines the result).
//       The model assumes one clock for both ports (the NPU has one).
//   MULT18X18D: all registers bypassed (REG_*_CLK = "NONE"), no shift-cascade input (SOURCEA =
//     SOURCEB = 0): P[35:0] = A x B, each operand signed when its SIGNEDA / SIGNEDB pin is 1.

module DP16KD (
  input  DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7, DIA6, DIA5,
         DIA4, DIA3, DIA2, DIA1, DIA0,
  input  ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0,
  input  CEA, OCEA, CLKA, WEA, RSTA,
  input  CSA2, CSA1, CSA0,
  output DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5,
         DOA4, DOA3, DOA2, DOA1, DOA0,
  input  DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8, DIB7, DIB6, DIB5,
         DIB4, DIB3, DIB2, DIB1, DIB0,
  input  ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0,
  input  CEB, OCEB, CLKB, WEB, RSTB,
  input  CSB2, CSB1, CSB0,
  output DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5,
         DOB4, DOB3, DOB2, DOB1, DOB0
);
  parameter DATA_WIDTH_A = 18;
  parameter DATA_WIDTH_B = 18;
  parameter REGMODE_A = "NOREG";
  parameter REGMODE_B = "NOREG";
  parameter RESETMODE = "SYNC";
  parameter ASYNC_RESET_RELEASE = "SYNC";
  parameter CSDECODE_A = "0b000";
  parameter CSDECODE_B = "0b000";
  parameter WRITEMODE_A = "NORMAL";
  parameter WRITEMODE_B = "NORMAL";
  parameter CLKAMUX = "CLKA";
  parameter CLKBMUX = "CLKB";
  parameter GSR = "ENABLED";
  parameter INITVAL_00 = 320'h0, INITVAL_01 = 320'h0, INITVAL_02 = 320'h0, INITVAL_03 = 320'h0;
  parameter INITVAL_04 = 320'h0, INITVAL_05 = 320'h0, INITVAL_06 = 320'h0, INITVAL_07 = 320'h0;
  parameter INITVAL_08 = 320'h0, INITVAL_09 = 320'h0, INITVAL_0A = 320'h0, INITVAL_0B = 320'h0;
  parameter INITVAL_0C = 320'h0, INITVAL_0D = 320'h0, INITVAL_0E = 320'h0, INITVAL_0F = 320'h0;
  parameter INITVAL_10 = 320'h0, INITVAL_11 = 320'h0, INITVAL_12 = 320'h0, INITVAL_13 = 320'h0;
  parameter INITVAL_14 = 320'h0, INITVAL_15 = 320'h0, INITVAL_16 = 320'h0, INITVAL_17 = 320'h0;
  parameter INITVAL_18 = 320'h0, INITVAL_19 = 320'h0, INITVAL_1A = 320'h0, INITVAL_1B = 320'h0;
  parameter INITVAL_1C = 320'h0, INITVAL_1D = 320'h0, INITVAL_1E = 320'h0, INITVAL_1F = 320'h0;
  parameter INITVAL_20 = 320'h0, INITVAL_21 = 320'h0, INITVAL_22 = 320'h0, INITVAL_23 = 320'h0;
  parameter INITVAL_24 = 320'h0, INITVAL_25 = 320'h0, INITVAL_26 = 320'h0, INITVAL_27 = 320'h0;
  parameter INITVAL_28 = 320'h0, INITVAL_29 = 320'h0, INITVAL_2A = 320'h0, INITVAL_2B = 320'h0;
  parameter INITVAL_2C = 320'h0, INITVAL_2D = 320'h0, INITVAL_2E = 320'h0, INITVAL_2F = 320'h0;
  parameter INITVAL_30 = 320'h0, INITVAL_31 = 320'h0, INITVAL_32 = 320'h0, INITVAL_33 = 320'h0;
  parameter INITVAL_34 = 320'h0, INITVAL_35 = 320'h0, INITVAL_36 = 320'h0, INITVAL_37 = 320'h0;
  parameter INITVAL_38 = 320'h0, INITVAL_39 = 320'h0, INITVAL_3A = 320'h0, INITVAL_3B = 320'h0;
  parameter INITVAL_3C = 320'h0, INITVAL_3D = 320'h0, INITVAL_3E = 320'h0, INITVAL_3F = 320'h0;

  localparam [319:0] InitOr =
    INITVAL_00 | INITVAL_01 | INITVAL_02 | INITVAL_03 | INITVAL_04 | INITVAL_05 |
    INITVAL_06 | INITVAL_07 | INITVAL_08 | INITVAL_09 | INITVAL_0A | INITVAL_0B |
    INITVAL_0C | INITVAL_0D | INITVAL_0E | INITVAL_0F | INITVAL_10 | INITVAL_11 |
    INITVAL_12 | INITVAL_13 | INITVAL_14 | INITVAL_15 | INITVAL_16 | INITVAL_17 |
    INITVAL_18 | INITVAL_19 | INITVAL_1A | INITVAL_1B | INITVAL_1C | INITVAL_1D |
    INITVAL_1E | INITVAL_1F | INITVAL_20 | INITVAL_21 | INITVAL_22 | INITVAL_23 |
    INITVAL_24 | INITVAL_25 | INITVAL_26 | INITVAL_27 | INITVAL_28 | INITVAL_29 |
    INITVAL_2A | INITVAL_2B | INITVAL_2C | INITVAL_2D | INITVAL_2E | INITVAL_2F |
    INITVAL_30 | INITVAL_31 | INITVAL_32 | INITVAL_33 | INITVAL_34 | INITVAL_35 |
    INITVAL_36 | INITVAL_37 | INITVAL_38 | INITVAL_39 | INITVAL_3A | INITVAL_3B |
    INITVAL_3C | INITVAL_3D | INITVAL_3E | INITVAL_3F;

`ifndef YOSYS  // Yosys reads these cells as black boxes (-lib) only
  initial begin
    if (DATA_WIDTH_A != 36 || DATA_WIDTH_B != 36)
      $fatal(1, "DP16KD model (%m): only x36 is modelled, not DATA_WIDTH_A/B = %0d/%0d",
             DATA_WIDTH_A, DATA_WIDTH_B);
    if (REGMODE_A != "NOREG" || REGMODE_B != "NOREG")
      $fatal(1, "DP16KD model (%m): output registers (REGMODE OUTREG) are not modelled");
    if (CSDECODE_A != "0b000" || CSDECODE_B != "0b000")
      $fatal(1, "DP16KD model (%m): only chip-select decode 0b000 is modelled");
    if (CLKAMUX != "CLKA" || CLKBMUX != "CLKB")
      $fatal(1, "DP16KD model (%m): inverted clocks are not modelled");
    if (RESETMODE != "SYNC" && RESETMODE != "ASYNC")
      $fatal(1, "DP16KD model (%m): RESETMODE must be SYNC or ASYNC");
    if (InitOr != 320'h0)
      $fatal(1, "DP16KD model (%m): initial contents (INITVAL) are not modelled");
  end
`endif

  wire [13:0] ad_a = {ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2,
                      ADA1, ADA0};
  wire [13:0] ad_b = {ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2,
                      ADB1, ADB0};
  wire [35:0] wdata = {DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8, DIB7,
                       DIB6, DIB5, DIB4, DIB3, DIB2, DIB1, DIB0,
                       DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7,
                       DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0};
  wire [8:0]  waddr = ad_a[13:5];
  wire [8:0]  raddr = ad_b[13:5];
  wire        wr    = CEA && WEA && {CSA2, CSA1, CSA0} == 3'b000;
  wire        rd    = CEB && {CSB2, CSB1, CSB0} == 3'b000;
  // The 36 data bits written at this edge (the lanes that ADA[3:0] enable).
  wire [35:0] wmask = wr ? {{9{ad_a[3]}}, {9{ad_a[2]}}, {9{ad_a[1]}}, {9{ad_a[0]}}} : 36'h0;

  reg [35:0] mem [0:511];
  reg [35:0] q;
  integer i;
  initial begin
    for (i = 0; i < 512; i = i + 1) mem[i] = 36'h0;
    q = 36'h0;
  end

  always @(posedge CLKA) begin
    if (wr) mem[waddr] <= (mem[waddr] & ~wmask) | (wdata & wmask);
  end

  generate
    if (RESETMODE == "ASYNC") begin : g_async
      always @(posedge CLKB or posedge RSTB) begin
        if (RSTB) q <= 36'h0;
        else if (rd) q <= mem[raddr] ^ (raddr == waddr ? wmask : 36'h0);
      end
    end else begin : g_sync
      always @(posedge CLKB) begin
        if (RSTB) q <= 36'h0;
        else if (rd) q <= mem[raddr] ^ (raddr == waddr ? wmask : 36'h0);
      end
    end
  endgenerate

`ifndef YOSYS  // Yosys reads these cells as black boxes (-lib) only
  always @(posedge CLKB) begin
    if (WEB && rd) $fatal(1, "DP16KD model (%m): port B writes in the x36 mode");
  end
`endif

  assign {DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5,
          DOB4, DOB3, DOB2, DOB1, DOB0,
          DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5,
          DOA4, DOA3, DOA2, DOA1, DOA0} = q;
endmodule

module MULT18X18D (
  input  A17, A16, A15, A14, A13, A12, A11, A10, A9, A8, A7, A6, A5, A4, A3, A2, A1, A0,
  input  B17, B16, B15, B14, B13, B12, B11, B10, B9, B8, B7, B6, B5, B4, B3, B2, B1, B0,
  input  C17, C16, C15, C14, C13, C12, C11, C10, C9, C8, C7, C6, C5, C4, C3, C2, C1, C0,
  input  SIGNEDA, SIGNEDB, SOURCEA, SOURCEB,
  input  CLK0, CLK1, CLK2, CLK3, CE0, CE1, CE2, CE3, RST0, RST1, RST2, RST3,
  output P35, P34, P33, P32, P31, P30, P29, P28, P27, P26, P25, P24, P23, P22, P21, P20, P19,
         P18, P17, P16, P15, P14, P13, P12, P11, P10, P9, P8, P7, P6, P5, P4, P3, P2, P1, P0
);
  parameter REG_INPUTA_CLK = "NONE";
  parameter REG_INPUTB_CLK = "NONE";
  parameter REG_INPUTC_CLK = "NONE";
  parameter REG_PIPELINE_CLK = "NONE";
  parameter REG_OUTPUT_CLK = "NONE";
  parameter GSR = "ENABLED";

`ifndef YOSYS  // Yosys reads these cells as black boxes (-lib) only
  initial begin
    if (REG_INPUTA_CLK != "NONE" || REG_INPUTB_CLK != "NONE" || REG_INPUTC_CLK != "NONE" ||
        REG_PIPELINE_CLK != "NONE" || REG_OUTPUT_CLK != "NONE")
      $fatal(1, "MULT18X18D model (%m): only the unregistered mode (REG_*_CLK = NONE) is modelled");
  end
`endif

  wire [17:0] a = {A17, A16, A15, A14, A13, A12, A11, A10, A9, A8, A7, A6, A5, A4, A3, A2, A1, A0};
  wire [17:0] b = {B17, B16, B15, B14, B13, B12, B11, B10, B9, B8, B7, B6, B5, B4, B3, B2, B1, B0};
  // Each operand extended by one bit, a sign bit when its SIGNED pin is set, a zero otherwise:
  // the 19 x 19-bit signed product is exact, and its low 36 bits are P.
  wire signed [18:0] sa = {SIGNEDA & a[17], a};
  wire signed [18:0] sb = {SIGNEDB & b[17], b};
  wire signed [37:0] prod = sa * sb;

`ifndef YOSYS  // Yosys reads these cells as black boxes (-lib) only
  always @* begin
    if (SOURCEA || SOURCEB)
      $fatal(1,
             "MULT18X18D model (%m): the shift-cascade inputs (SOURCEA/SOURCEB) are not modelled");
  end
`endif

  assign {P35, P34, P33, P32, P31, P30, P29, P28, P27, P26, P25, P24, P23, P22, P21, P20, P19,
          P18, P17, P16, P15, P14, P13, P12, P11, P10, P9, P8, P7, P6, P5, P4, P3, P2, P1, P0} =
      prod[35:0];
endmodule

// npu_axi_pkg: AXI4 (memory master) and AXI4-Lite (CSR) channel and bus structs.
//
// Widths are those of npu_pkg (generated from rtl/npu_config.json), copied below. Style follows
// the PULP axi package: one packed struct per channel, a request struct with everything the
// master drives (channel payloads, their valids and the B/R readies) and a response struct with
// everything the slave drives. Ports are named mst_req_o / mst_rsp_i (master) and slv_req_i /
// slv_rsp_o (slave). The first field of a packed struct is its most significant one (docs/dma.md
// lists the layout the C++ adapters decode).
package npu_axi_pkg;

  // Copies of npu_pkg::AxiIdW / AxiAddrW / AxiDataW: Yosys 0.23 cannot reference one package
  // from another. Every module with an AXI port checks they agree (NPU_ASSERT_INIT).
  localparam int unsigned IdW   = 4;
  localparam int unsigned AddrW = 40;
  localparam int unsigned DataW = 128;
  localparam int unsigned StrbW = DataW / 8;

  // AxSIZE of a full-width beat, AxBURST and xRESP encodings.
  localparam logic [2:0] SizeFull = 3'($clog2(StrbW));
  localparam logic [1:0] BurstFixed = 2'b00;
  localparam logic [1:0] BurstIncr  = 2'b01;
  localparam logic [1:0] BurstWrap  = 2'b10;
  localparam logic [1:0] RespOkay   = 2'b00;
  localparam logic [1:0] RespExOkay = 2'b01;
  localparam logic [1:0] RespSlvErr = 2'b10;
  localparam logic [1:0] RespDecErr = 2'b11;

  // ---------------------------------------------------------------------------------------------
  // AXI4
  // ---------------------------------------------------------------------------------------------
  typedef struct packed {
    logic [IdW-1:0]   id;
    logic [AddrW-1:0] addr;
    logic [7:0]       len;     // beats - 1
    logic [2:0]       size;    // log2(bytes per beat)
    logic [1:0]       burst;
    logic             lock;
    logic [3:0]       cache;
    logic [2:0]       prot;
    logic [3:0]       qos;
    logic [3:0]       region;
  } axi_aw_chan_t;

  typedef struct packed {
    logic [DataW-1:0] data;
    logic [StrbW-1:0] strb;
    logic             last;
  } axi_w_chan_t;

  typedef struct packed {
    logic [IdW-1:0] id;
    logic [1:0]     resp;
  } axi_b_chan_t;

  typedef struct packed {
    logic [IdW-1:0]   id;
    logic [AddrW-1:0] addr;
    logic [7:0]       len;
    logic [2:0]       size;
    logic [1:0]       burst;
    logic             lock;
    logic [3:0]       cache;
    logic [2:0]       prot;
    logic [3:0]       qos;
    logic [3:0]       region;
  } axi_ar_chan_t;

  typedef struct packed {
    logic [IdW-1:0]   id;
    logic [DataW-1:0] data;
    logic [1:0]       resp;
    logic             last;
  } axi_r_chan_t;

  typedef struct packed {
    axi_aw_chan_t aw;
    logic         aw_valid;
    axi_w_chan_t  w;
    logic         w_valid;
    logic         b_ready;
    axi_ar_chan_t ar;
    logic         ar_valid;
    logic         r_ready;
  } axi_req_t;

  typedef struct packed {
    logic        aw_ready;
    logic        ar_ready;
    logic        w_ready;
    logic        b_valid;
    axi_b_chan_t b;
    logic        r_valid;
    axi_r_chan_t r;
  } axi_rsp_t;

  // ---------------------------------------------------------------------------------------------
  // AXI4-Lite, 32-bit (CSR block)
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned LiteAddrW = 32;
  localparam int unsigned LiteDataW = 32;
  localparam int unsigned LiteStrbW = LiteDataW / 8;

  typedef struct packed {
    logic [LiteAddrW-1:0] addr;
    logic [2:0]           prot;
  } lite_aw_chan_t;

  typedef struct packed {
    logic [LiteDataW-1:0] data;
    logic [LiteStrbW-1:0] strb;
  } lite_w_chan_t;

  typedef struct packed {
    logic [1:0] resp;
  } lite_b_chan_t;

  typedef struct packed {
    logic [LiteAddrW-1:0] addr;
    logic [2:0]           prot;
  } lite_ar_chan_t;

  typedef struct packed {
    logic [LiteDataW-1:0] data;
    logic [1:0]           resp;
  } lite_r_chan_t;

  typedef struct packed {
    lite_aw_chan_t aw;
    logic          aw_valid;
    lite_w_chan_t  w;
    logic          w_valid;
    logic          b_ready;
    lite_ar_chan_t ar;
    logic          ar_valid;
    logic          r_ready;
  } lite_req_t;

  typedef struct packed {
    logic         aw_ready;
    logic         ar_ready;
    logic         w_ready;
    logic         b_valid;
    lite_b_chan_t b;
    logic         r_valid;
    lite_r_chan_t r;
  } lite_rsp_t;

endpackage : npu_axi_pkg

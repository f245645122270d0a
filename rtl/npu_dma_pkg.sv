// npu_dma_pkg: descriptor, error codes and local memory port of the DMA engine (docs/dma.md).
package npu_dma_pkg;

  // Width of a tensor extent / window extent (unsigned) per dimension; window start coordinates
  // are signed and one bit wider.
  localparam int unsigned DimW = 24;
  // DRAM address width: a copy of DramAddrW (Yosys 0.23 cannot reference one package
  // from another; npu_dma checks they agree).
  localparam int unsigned DramAddrW = 40;
  // Local (scratchpad / accumulator) byte address width and data width.
  localparam int unsigned LclAddrW = 32;
  localparam int unsigned LclDataW = 128;  // = npu_pkg::AxiDataW (checked by npu_dma)
  localparam int unsigned LclStrbW = LclDataW / 8;
  localparam int unsigned LclLaneW = $clog2(LclStrbW);

  // Bytes of a beat or local word that starts at lane `lane` with `bytes` bytes still to move:
  // min(LclStrbW - lane, bytes). The channels' burst info, beat counts and their assertions.
  function automatic logic [LclLaneW:0] beat_bytes(logic [LclLaneW-1:0] lane, logic [31:0] bytes);
    logic [31:0] room;
    room = 32'(LclStrbW) - 32'(lane);
    beat_bytes = room < bytes ? (LclLaneW + 1)'(room) : (LclLaneW + 1)'(bytes);
  endfunction

  // Result of a descriptor. Anything but DmaOk is sticky in the channel until cleared.
  typedef enum logic [2:0] {
    DmaOk        = 3'd0,  // completed
    DmaErrWindow = 3'd1,  // DRAM range outside [base, limit): refused before any AXI request
    DmaErrSlverr = 3'd2,  // an R beat or B response carried SLVERR
    DmaErrDecerr = 3'd3   // an R beat or B response carried DECERR
  } err_e;

  // One 3-D strided transfer. Element (i2, i1, i0) of the window, 0 <= ik < lenk, sits at tensor
  // coordinate tk = startk + ik. DRAM byte: dram_addr + t2 * dram_stride2 + t1 * dram_stride1 + t0.
  // Local byte: lcl_addr + i2 * lcl_stride2 + i1 * lcl_stride1 + i0 (modulo 2^LclAddrW).
  // A coordinate outside [0, sizek) in any dimension is padding: loads write pad there, stores
  // skip it. Strides are unsigned byte distances.
  typedef struct packed {
    logic [DramAddrW-1:0] dram_addr;
    logic [DramAddrW-1:0] dram_stride2;
    logic [DramAddrW-1:0] dram_stride1;
    logic [DimW-1:0]              size2;
    logic [DimW-1:0]              size1;
    logic [DimW-1:0]              size0;
    logic signed [DimW:0]         start2;
    logic signed [DimW:0]         start1;
    logic signed [DimW:0]         start0;
    logic [DimW-1:0]              len2;
    logic [DimW-1:0]              len1;
    logic [DimW-1:0]              len0;
    logic [LclAddrW-1:0]          lcl_addr;
    logic [LclAddrW-1:0]          lcl_stride2;
    logic [LclAddrW-1:0]          lcl_stride1;
    logic [7:0]                   pad;
  } desc_t;

  // Local memory port: one request per cycle (valid/ready), word-aligned byte address; writes
  // carry byte strobes, reads return rdata with rvalid in request order, any latency >= 1, no
  // back-pressure on the read response.
  typedef struct packed {
    logic                valid;
    logic                we;
    logic [LclAddrW-1:0] addr;
    logic [LclStrbW-1:0] strb;
    logic [LclDataW-1:0] wdata;
  } lcl_req_t;

  typedef struct packed {
    logic                ready;
    logic                rvalid;
    logic [LclDataW-1:0] rdata;
  } lcl_rsp_t;

endpackage : npu_dma_pkg

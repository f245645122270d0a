// npu_acc_pkg: operation codes of the accumulator memory (npu_acc_mem, docs/datapath.md).
package npu_acc_pkg;

  // req_op_i of npu_acc_mem
  localparam logic [1:0] AccOpWrite = 2'd0;  // row := data (overwrite)
  localparam logic [1:0] AccOpAdd   = 2'd1;  // row := row + data (lane-wise, wrapping int32)
  localparam logic [1:0] AccOpRead  = 2'd2;  // respond with row
  localparam logic [1:0] AccOpMerge = 2'd3;  // row := (row & ~mask) | (data & mask) (DMA loads)

endpackage : npu_acc_pkg

// npu_cmd_pkg: the command set of docs/isa.md as seen by the RTL: opcodes, status codes, queue
// names, the defined-bits mask of every opcode and helpers that extract the header fields of a
// 64-byte command (16 little-endian words; word i = bits [32*i +: 32] of a 512-bit vector).
package npu_cmd_pkg;

  localparam int unsigned CmdWords = 16;
  localparam int unsigned CmdW     = 32 * CmdWords;  // 512 bits = 64 bytes
  localparam int unsigned ParamRecordBytes = 16;     // one parameter memory record
  localparam int unsigned MaxPoolKernel    = 16;     // POOL kh, kw <= 16

  // Opcodes (word 0 bits [7:0]); bits [5:4] name the queue, bits [7:6] are 0. Every other value,
  // 0x00 included, is illegal.
  localparam logic [7:0] OpLoad       = 8'h01;
  localparam logic [7:0] OpLoadNop    = 8'h0F;
  localparam logic [7:0] OpMatmul     = 8'h11;
  localparam logic [7:0] OpPpu        = 8'h12;
  localparam logic [7:0] OpPool       = 8'h13;  // vector path (npu_pkg::VectorOps)
  localparam logic [7:0] OpAdd        = 8'h14;  // vector path (npu_pkg::VectorOps)
  localparam logic [7:0] OpComputeNop = 8'h1F;
  localparam logic [7:0] OpStore      = 8'h21;
  localparam logic [7:0] OpStoreNop   = 8'h2F;
  localparam logic [7:0] OpFence      = 8'h31;
  localparam logic [7:0] OpEnd        = 8'h3F;

  // Program status / error codes (docs/isa.md "Errors"; the STATUS CSR's code field).
  typedef enum logic [3:0] {
    ErrOk            = 4'd0,
    ErrIllegalOpcode = 4'd1,   // decode
    ErrReservedBits  = 4'd2,   // decode: reserved bit set, or space = 3
    ErrBadDimension  = 4'd3,   // decode: zero / oversized count, empty pool window
    ErrBadField      = 4'd4,   // decode: act_min > act_max, ADD shift / multiplier fields
    ErrSpadRange     = 4'd5,   // decode
    ErrAccRange      = 4'd6,   // decode
    ErrParamRange    = 4'd7,   // decode
    ErrNoEnd         = 4'd8,   // fetch
    ErrDramWindow    = 4'd9,   // execute (DMA)
    ErrBusSlverr     = 4'd10,  // execute (DMA)
    ErrBusDecerr     = 4'd11,  // execute (DMA)
    ErrParamValue    = 4'd12,  // execute (PPU)
    ErrTokenOverflow = 4'd13,  // execute
    ErrDeadlock      = 4'd14   // dispatcher + queues
  } err_e;

  // Queue of an opcode = opcode bits [5:4]; QCtrl (FENCE, END) is handled by the dispatcher.
  typedef enum logic [1:0] {
    QLoad    = 2'd0,
    QCompute = 2'd1,
    QStore   = 2'd2,
    QCtrl    = 2'd3
  } queue_e;

  // Word i of a command.
  function automatic logic [31:0] cmd_word(logic [CmdW-1:0] cmd, int unsigned i);
    cmd_word = cmd[32*i +: 32];
  endfunction

  // Header fields of word 0. Each helper reads a few bits of its argument, by design.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [7:0] cmd_opcode(logic [CmdW-1:0] cmd);
    cmd_opcode = cmd[7:0];
  endfunction
  function automatic logic [7:0] cmd_wait(logic [CmdW-1:0] cmd);
    cmd_wait = cmd[15:8];
  endfunction
  function automatic logic [7:0] cmd_signal(logic [CmdW-1:0] cmd);
    cmd_signal = cmd[23:16];
  endfunction
  function automatic logic [7:0] cmd_flags(logic [CmdW-1:0] cmd);
    cmd_flags = cmd[31:24];
  endfunction
  // LOAD / STORE local memory space (flags [1:0]): 0 scratchpad, 1 accumulator, 2 parameters.
  function automatic logic [1:0] cmd_space(logic [CmdW-1:0] cmd);
    cmd_space = cmd[25:24];
  endfunction
  // Queue an opcode belongs to, as a queue_e value (meaningful for legal opcodes only; a plain
  // vector because Yosys 0.23 cannot return a user type from a package function).
  function automatic logic [1:0] opcode_queue(logic [7:0] op);
    opcode_queue = op[5:4];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  // Bits opcode `op` defines in word `i` (docs/isa.md, the field tables); every other bit is
  // reserved and must be 0. Zero for illegal opcodes.
  function automatic logic [31:0] defined_bits(logic [7:0] op, int unsigned i);
    logic [31:0] m;
    m = '0;
    unique case (op)
      OpLoad, OpStore: begin
        unique case (i)
          0:          m = 32'h03FF_FFFF;                        // opcode wait signal space
          1, 2, 3, 4: m = 32'hFFFF_FFFF;                        // dram_addr lcl_addr strides
          5:          m = op == OpLoad ? 32'hFFFF_FFFF          // lcl_stride1, LOAD pad
                                       : 32'h00FF_FFFF;
          10, 11, 12: m = 32'h01FF_FFFF;                        // 25-bit start
          default:    m = 32'h00FF_FFFF;                        // 6..9, 13..15
        endcase
      end
      OpLoadNop, OpComputeNop, OpStoreNop: m = i == 0 ? 32'h00FF_FFFF : '0;
      OpMatmul: begin
        unique case (i)
          0:                m = 32'h01FF_FFFF;
          1, 2, 4, 5, 7, 8: m = 32'h00FF_FFFF;
          3:                m = 32'h0000_FFFF;
          6:                m = 32'hFFFF_FFFF;
          default:          m = '0;
        endcase
      end
      OpPpu: begin
        unique case (i)
          0:                m = 32'h01FF_FFFF;
          1, 2, 4, 5, 6, 7: m = 32'h00FF_FFFF;
          3:                m = 32'hFFFF_FFFF;
          default:          m = '0;
        endcase
      end
      OpPool: begin
        unique case (i)
          0:                m = 32'h01FF_FFFF;
          1, 4:             m = 32'h00FF_FFFF;
          2, 3, 5, 6, 7, 8: m = 32'hFFFF_FFFF;
          9:                m = 32'h0000_FFFF;
          default:          m = '0;
        endcase
      end
      OpAdd: begin
        unique case (i)
          0:                 m = 32'h01FF_FFFF;
          1, 2, 3, 6, 7, 11: m = 32'h00FF_FFFF;
          4, 5, 8, 9, 10:    m = 32'hFFFF_FFFF;
          12:                m = 32'h0000_FFFF;
          default:           m = '0;
        endcase
      end
      OpFence, OpEnd: m = i == 0 ? 32'h0000_00FF : '0;
      default: m = '0;
    endcase
    defined_bits = m;
  endfunction

endpackage : npu_cmd_pkg

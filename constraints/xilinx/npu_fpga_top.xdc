# npu_fpga_top on a Zynq-7020 (xc7z020clg400-1): clock constraint for a Vivado run. The Nuri
# flow only synthesizes for Xilinx (Yosys synth_xilinx, no open place and route for 7-series),
# so this file is documentation and a starting point for a Vivado project. 100 MHz is the clock
# VTA and NVDLA nv_small report on the Zynq-7020.
create_clock -name clk -period 10.000 [get_ports clk_i]
set_input_delay  -clock clk 2.000 [get_ports -filter {DIRECTION == IN && NAME != clk_i}]
set_output_delay -clock clk 2.000 [get_ports -filter {DIRECTION == OUT}]
set_false_path -from [get_ports rst_ni]

// RtlHalImpl<Model>: the HAL over any Verilated model with npu_top's ports (clk_i, rst_ni,
// csr_req_i / csr_rsp_o, mem_req_o / mem_rsp_i, irq_o): the RTL builds of nuri_rtl_hal
// (rtl_hal.cpp) and the post-synthesis netlist of tb/fpga (netlist_hal.cpp). Include it only
// where a Verilated model is compiled in: it needs the model's header and the VM_TRACE_FST /
// VM_COVERAGE switches the model was built with (nuri_verilate() sets them on its target).
#pragma once

#include <verilated.h>
#if VM_TRACE_FST
#include <verilated_fst_c.h>
#endif
#if VM_COVERAGE
#include <verilated_cov.h>
#endif

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "nuri/rtl/rtl_hal.hpp"
#include "nuri/tb/axi.hpp"

namespace nuri::rtl::detail {

namespace axi = nuri::tb::axi;

// Numbers the coverage files of one process (one counter for every model type).
inline unsigned next_coverage_index() {
  static unsigned n = 0;
  return n++;
}

// npu_axi_pkg::lite_req_t / lite_rsp_t bit positions (packed structs, first field MSB).
inline constexpr unsigned kReqRReady = 0, kReqArValid = 1, kReqArProt = 2, kReqArAddr = 5,
                          kReqBReady = 37, kReqWValid = 38, kReqWStrb = 39, kReqWData = 43,
                          kReqAwValid = 75, kReqAwProt = 76, kReqAwAddr = 79;
inline constexpr unsigned kRspRResp = 0, kRspRData = 2, kRspRValid = 34, kRspBResp = 35,
                          kRspBValid = 37, kRspWReady = 38, kRspArReady = 39, kRspAwReady = 40;
inline constexpr std::uint64_t kCsrTimeout = 10000;  // cycles; the CSR block answers in a few

inline axi::AxiMemoryConfig memory_config(const RtlOptions& o) {
  axi::AxiMemoryConfig c;
  c.read_latency = o.mem_latency;
  c.write_latency = o.mem_latency;
  c.read_bytes_per_cycle = o.read_bytes_per_cycle;
  c.seed = o.seed;
  if (o.stall_prob > 0) {
    const auto pct = static_cast<unsigned>(o.stall_prob * 100.0 + 0.5);
    c.aw = c.w = c.b = c.ar = c.r = axi::Stall::random(pct);
  }
  for (const BusError& e : o.bus_errors) {
    axi::ErrorRange r;
    r.lo = e.lo;
    r.hi = e.hi;
    r.resp = e.decerr ? 3 : 2;
    c.errors.push_back(r);
  }
  return c;
}

template <typename Model>
class RtlHalImpl final : public RtlHal {
 public:
  explicit RtlHalImpl(const RtlOptions& o)
      : opt_(o), ctx_(std::make_unique<VerilatedContext>()), widths_{4, 40, 128} {
    ctx_->randReset(0);
    ctx_->fatalOnError(false);
#if VM_TRACE_FST
    if (!o.waves_path.empty()) ctx_->traceEverOn(true);
#endif
    model_ = std::make_unique<Model>(ctx_.get(), "TOP");
#if VM_TRACE_FST
    if (!o.waves_path.empty()) {
      const auto parent = std::filesystem::path(o.waves_path).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
      trace_ = std::make_unique<VerilatedFstC>();
      model_->trace(trace_.get(), 99);
      trace_->open(o.waves_path.c_str());
    }
#endif
    port_ = std::make_unique<axi::PackedAxiPort>(widths_, model_->mem_req_o.data(),
                                                 model_->mem_rsp_i.data());
    mem_ = std::make_unique<axi::AxiMemory>(widths_, *port_, memory_config(o));
    model_->clk_i = 0;
    model_->rst_ni = 0;
    clear_lite();
    model_->eval();
    for (int i = 0; i < 4; ++i) edge();
    model_->rst_ni = 1;
    model_->eval();
  }

  ~RtlHalImpl() override {
    model_->final();
#if VM_TRACE_FST
    if (trace_) trace_->close();
#endif
#if VM_COVERAGE
    const std::string path = coverage_file();
    if (!path.empty()) {
      const auto parent = std::filesystem::path(path).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
      ctx_->coveragep()->write(path.c_str());
    }
#endif
  }

  // Where the coverage data goes: RtlOptions::coverage_path, or else, when NURI_COVERAGE_DIR is
  // set (scripts/coverage gives every job its own folder), a file there named after the process
  // and a per-process model count, so every model of a coverage build is counted even when its
  // test does not name a file.
  std::string coverage_file() const {
    if (!opt_.coverage_path.empty()) return opt_.coverage_path;
    const char* dir = std::getenv("NURI_COVERAGE_DIR");
    if (dir == nullptr || *dir == '\0') return {};
    return std::string(dir) + "/rtl_hal_pid" + std::to_string(getpid()) + "_" +
           std::to_string(next_coverage_index()) + ".dat";
  }

  std::uint32_t read_reg(std::uint32_t offset) override {
    auto* req = model_->csr_req_i.data();
    bool ar_done = false;
    for (std::uint64_t n = 0; n < kCsrTimeout; ++n) {
      axi::set_bits(req, kReqArValid, 1, ar_done ? 0 : 1);
      axi::set_bits(req, kReqArAddr, 32, offset);
      axi::set_bits(req, kReqArProt, 3, 0);
      axi::set_bits(req, kReqRReady, 1, ar_done ? 1 : 0);
      settle();
      const std::uint64_t rsp = model_->csr_rsp_o;
      const bool r_fire = ar_done && ((rsp >> kRspRValid) & 1u);
      if (!ar_done && ((rsp >> kRspArReady) & 1u)) ar_done = true;
      if (r_fire) {
        last_resp_ = static_cast<unsigned>((rsp >> kRspRResp) & 3u);
        const auto data = static_cast<std::uint32_t>((rsp >> kRspRData) & 0xFFFF'FFFFu);
        finish_cycle();
        clear_lite();
        return data;
      }
      finish_cycle();
    }
    throw std::runtime_error("rtl: CSR read of offset " + hex(offset) + " got no response in " +
                             std::to_string(kCsrTimeout) + " cycles");
  }

  void write_reg(std::uint32_t offset, std::uint32_t value) override {
    auto* req = model_->csr_req_i.data();
    bool aw_done = false, w_done = false;
    for (std::uint64_t n = 0; n < kCsrTimeout; ++n) {
      axi::set_bits(req, kReqAwValid, 1, aw_done ? 0 : 1);
      axi::set_bits(req, kReqAwAddr, 32, offset);
      axi::set_bits(req, kReqAwProt, 3, 0);
      axi::set_bits(req, kReqWValid, 1, w_done ? 0 : 1);
      axi::set_bits(req, kReqWData, 32, value);
      axi::set_bits(req, kReqWStrb, 4, 0xF);
      axi::set_bits(req, kReqBReady, 1, 1);
      settle();
      const std::uint64_t rsp = model_->csr_rsp_o;
      if (!aw_done && ((rsp >> kRspAwReady) & 1u)) aw_done = true;
      if (!w_done && ((rsp >> kRspWReady) & 1u)) w_done = true;
      if ((rsp >> kRspBValid) & 1u) {
        last_resp_ = static_cast<unsigned>((rsp >> kRspBResp) & 3u);
        finish_cycle();
        clear_lite();
        return;
      }
      finish_cycle();
    }
    throw std::runtime_error("rtl: CSR write of offset " + hex(offset) + " got no response in " +
                             std::to_string(kCsrTimeout) + " cycles");
  }

  void write_mem(std::uint64_t addr, const void* data, std::size_t bytes) override {
    check_range(addr, bytes, "write");
    mem_->mem().write(addr, static_cast<const std::uint8_t*>(data), bytes);
  }

  void read_mem(std::uint64_t addr, void* data, std::size_t bytes) override {
    check_range(addr, bytes, "read");
    mem_->mem().read(addr, static_cast<std::uint8_t*>(data), bytes);
  }

  bool wait_irq(std::uint64_t max_cycles) override {
    for (std::uint64_t n = 0; n < max_cycles; ++n) {
      if (irq()) return true;
      settle();
      finish_cycle();
    }
    return irq();
  }

  std::uint64_t cycles() const override { return cycles_; }
  std::uint64_t dram_base() const override { return opt_.dram_base; }
  std::uint64_t dram_bytes() const override { return opt_.dram_bytes; }
  unsigned last_csr_resp() const override { return last_resp_; }
  void run_cycles(std::uint64_t n) override {
    for (std::uint64_t i = 0; i < n; ++i) {
      settle();
      finish_cycle();
    }
  }
  bool irq() const override { return model_->irq_o != 0; }
  axi::AxiMemory& memory() override { return *mem_; }
  const std::string& waves_path() const override { return opt_.waves_path; }
  void expect_assertion_errors(bool on) override { expect_errors_ = on; }
  unsigned assertion_errors() const override { return static_cast<unsigned>(ctx_->errorCount()); }

 private:
  static std::string hex(std::uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
  }

  void check_range(std::uint64_t addr, std::size_t bytes, const char* what) const {
    if (addr < opt_.dram_base || addr + bytes > opt_.dram_base + opt_.dram_bytes ||
        addr + bytes < addr) {
      throw std::out_of_range(std::string("rtl: memory ") + what + " of " + std::to_string(bytes) +
                              " bytes at " + hex(addr) + " is outside the DRAM [" +
                              hex(opt_.dram_base) + ", " + hex(opt_.dram_base + opt_.dram_bytes) +
                              ")");
    }
  }

  void clear_lite() {
    auto* req = model_->csr_req_i.data();
    for (unsigned i = 0; i < 111; i += 32) axi::set_bits(req, i, std::min(32u, 111 - i), 0);
  }

  // Inputs for the coming edge are set: the memory drives its outputs, the logic settles, the
  // memory books the handshakes of this cycle.
  void settle() {
    mem_->drive();
    model_->eval();
    mem_->sample();
  }

  void finish_cycle() {
    edge();
    ++cycles_;
    if (!expect_errors_ && ctx_->errorCount() > 0) {
      throw std::runtime_error("rtl: RTL assertion failed at cycle " + std::to_string(cycles_) +
                               " (see the %Error line above)");
    }
    if (!mem_->violations().empty()) {
      throw std::runtime_error("rtl: AXI protocol violation: " + mem_->violations().front());
    }
  }

  void edge() {
    model_->clk_i = 1;
    model_->eval();
    dump();
    model_->clk_i = 0;
    model_->eval();
    dump();
  }

  void dump() {
    ++time_;
    ctx_->time(time_);
#if VM_TRACE_FST
    if (trace_) trace_->dump(time_);
#endif
  }

  RtlOptions opt_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> model_;
#if VM_TRACE_FST
  std::unique_ptr<VerilatedFstC> trace_;
#endif
  axi::AxiWidths widths_;
  std::unique_ptr<axi::PackedAxiPort> port_;
  std::unique_ptr<axi::AxiMemory> mem_;
  std::uint64_t cycles_ = 0, time_ = 0;
  unsigned last_resp_ = 0;
  bool expect_errors_ = false;
};

}  // namespace nuri::rtl::detail

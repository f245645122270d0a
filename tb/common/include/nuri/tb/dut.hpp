// The one thin wrapper around a Verilated model: owns the VerilatedContext and the model, opens an
// FST waveform when asked (--waves / NURI_WAVES), writes per-test coverage when the model was
// built with coverage, and calls final() when it dies.
//
// Clocking: tick() = one full clock cycle. Inputs are changed by the test only between ticks
// (the clock is low then), so every input is stable at the rising edge.
#pragma once

#include <verilated.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#if VM_TRACE_FST
#include <verilated_fst_c.h>
#endif
#if VM_COVERAGE
#include <verilated_cov.h>
#endif

#include "nuri/tb/options.hpp"

namespace nuri::tb {

// File-name-safe form of a test name: "matmul with K = 1" -> "matmul_with_K_1".
inline std::string sanitize(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "test" : out;
}

// Counts DUTs built in this process (one process runs one test case under CTest).
inline unsigned next_dut_instance() {
  static unsigned count = 0;
  return count++;
}

template <typename Model>
class Dut {
 public:
  // tag distinguishes several DUTs in one test (e.g. "4x4"); it becomes part of file names.
  explicit Dut(const std::string& tag = "") : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->randReset(0);  // deterministic: X -> 0 at time zero
    ctx_->fatalOnError(false);
    ctx_->fatalOnVpiError(false);
    ctx_->gotFinish(false);
    // Several DUTs in one process (e.g. one per stall pattern) get distinct file names.
    const unsigned n = next_dut_instance();
    name_ = sanitize(current_test_name()) + (tag.empty() ? "" : "_" + sanitize(tag)) + "_seed" +
            std::to_string(seed()) + (n == 0 ? "" : "_" + std::to_string(n));
#if VM_TRACE_FST
    if (options().waves) ctx_->traceEverOn(true);
#endif
    model_ = std::make_unique<Model>(ctx_.get(), "TOP");
#if VM_TRACE_FST
    if (options().waves) {
      std::filesystem::create_directories(waves_dir());
      trace_ = std::make_unique<VerilatedFstC>();
      model_->trace(trace_.get(), 99);
      wave_path_ = waves_dir() + "/" + name_ + ".fst";
      trace_->open(wave_path_.c_str());
    }
#endif
    model_->clk_i = 0;
    model_->rst_ni = 1;
    model_->eval();
    dump();
  }

  Dut(const Dut&) = delete;
  Dut& operator=(const Dut&) = delete;

  ~Dut() {
    model_->final();
#if VM_TRACE_FST
    if (trace_) trace_->close();
#endif
#if VM_COVERAGE
    const char* dir = std::getenv("NURI_COVERAGE_DIR");
    std::string d = dir != nullptr && *dir != '\0' ? dir : "coverage";
    std::filesystem::create_directories(d);
    ctx_->coveragep()->write((d + "/" + name_ + ".dat").c_str());
#endif
  }

  Model* operator->() { return model_.get(); }
  Model& model() { return *model_; }
  VerilatedContext& context() { return *ctx_; }
  std::uint64_t cycles() const { return cycles_; }
  const std::string& wave_path() const { return wave_path_; }

  // Settle combinational logic after the test changed inputs (no clock edge).
  void eval() { model_->eval(); }

  // One clock cycle: rising edge, then falling edge. An RTL assertion that fired during the cycle
  // fails the test (as an exception Catch reports), unless the test expects assertion errors.
  void tick() {
    model_->clk_i = 1;
    model_->eval();
    ++time_;
    dump();
    model_->clk_i = 0;
    model_->eval();
    ++time_;
    dump();
    ++cycles_;
    if (!expect_assertion_errors_ && ctx_->errorCount() > 0) {
      throw std::runtime_error("RTL assertion failed at cycle " + std::to_string(cycles_) +
                               " (see the %Error line above)");
    }
  }

  // For tests that provoke assertion failures on purpose and check errorCount() themselves.
  void expect_assertion_errors(bool on = true) { expect_assertion_errors_ = on; }

  void reset(unsigned cycles = 4) {
    model_->rst_ni = 0;
    model_->eval();
    for (unsigned i = 0; i < cycles; ++i) tick();
    model_->rst_ni = 1;
    model_->eval();
    cycles_ = 0;
  }

 private:
  static std::string waves_dir() {
    const char* d = std::getenv("NURI_WAVES_DIR");
    return d != nullptr && *d != '\0' ? d : "waves";
  }
  void dump() {
    ctx_->time(time_);
#if VM_TRACE_FST
    if (trace_) trace_->dump(time_);
#endif
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> model_;
#if VM_TRACE_FST
  std::unique_ptr<VerilatedFstC> trace_;
#endif
  std::string name_;
  std::string wave_path_;
  std::uint64_t time_ = 0;
  std::uint64_t cycles_ = 0;
  bool expect_assertion_errors_ = false;
};

}  // namespace nuri::tb

// nuri_dma_bench: achieved DMA bandwidth as a fraction of the AXI bus peak (16 B/cycle) for large
// loads and stores at several memory latencies. Cycles are counted from the descriptor handshake
// to the done pulse (deterministic RTL cycles, not wall-clock time). Results: docs/dma.md.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "Vnpu_dma_bench.h"
#include "dma_env.hpp"
#include "nuri/tb/options.hpp"

// The benchmark has no Catch2 session: it provides the few test-bench hooks Dut uses itself.
namespace nuri::tb {
const Options& options() {
  static Options o;
  return o;
}
std::uint32_t seed() { return 1; }
std::string current_test_name() { return "nuri_dma_bench"; }
}  // namespace nuri::tb

namespace {
using nuri::tb::dma::Desc;
using Env = nuri::tb::dma::DmaEnv<Vnpu_dma_bench>;

Desc contiguous(std::uint64_t dram, std::uint32_t lcl, std::uint32_t bytes) {
  Desc d;
  d.dram_addr = dram;
  d.size[0] = d.len[0] = bytes;
  d.dram_stride1 = d.dram_stride2 = bytes;
  d.lcl_addr = lcl;
  d.lcl_stride1 = d.lcl_stride2 = bytes;
  return d;
}

// kind: 0 aligned, 1 unaligned (DRAM +5, local +9), 2 strided rows of 256 B (3-D, 16 x n).
Desc shape(int kind, std::uint32_t bytes) {
  if (kind == 0) return contiguous(0x10'0000'0000ULL, 0, bytes);
  if (kind == 1) return contiguous(0x10'0000'0005ULL, 9, bytes);
  Desc d;
  d.dram_addr = 0x10'0000'0000ULL;
  d.size[0] = d.len[0] = 256;
  d.size[1] = d.len[1] = 16;
  d.size[2] = d.len[2] = bytes / (256 * 16);
  d.dram_stride1 = 1024;
  d.dram_stride2 = 1024 * 16;
  d.lcl_stride1 = 256;
  d.lcl_stride2 = 256 * 16;
  return d;
}

double run(bool store, std::uint32_t bytes, unsigned latency, bool both = false, int kind = 0,
           unsigned lcl_latency = 1) {
  nuri::tb::axi::AxiMemoryConfig c;
  c.read_latency = latency;
  c.write_latency = latency;
  nuri::tb::dma::LocalPortConfig lc;
  lc.st_latency = lcl_latency;
  Env env(c, lc, 1);
  const Desc d = shape(kind, bytes);
  Desc d2 = d;
  d2.dram_addr += 0x1000'0000;
  d2.lcl_addr += 0x1000'0000;
  env.submit(store, d);
  if (both) env.submit(!store, d2);
  // Every shape here runs at more than 6 % of the peak, so a transfer still running after 16
  // cycles per beat (plus the latencies) is stuck: stop with a message instead of measuring the
  // rest of the table against a hung design.
  const std::uint64_t limit = 100'000 + 16ULL * (bytes / 16) * (both ? 2 : 1);
  const char* what = both ? "load and store" : store ? "store" : "load";
  if (!env.run(limit)) {
    std::fprintf(stderr,
                 "nuri_dma_bench: %s of %u bytes (shape %d, latency %u, local latency %u) not "
                 "done after %llu cycles\n",
                 what, bytes, kind, latency, lcl_latency, static_cast<unsigned long long>(limit));
    std::exit(1);
  }
  const auto& r = env.result(store);
  if (r.err != 0 || !env.axi().violations().empty()) {
    std::fprintf(stderr,
                 "nuri_dma_bench: %s of %u bytes (shape %d, latency %u) ended with error %u and "
                 "%zu AXI protocol violations\n",
                 what, bytes, kind, latency, r.err, env.axi().violations().size());
    std::exit(1);
  }
  const std::uint64_t cycles = r.done_at - r.accepted_at;
  return static_cast<double>(bytes) / static_cast<double>(cycles) / 16.0;
}
}  // namespace

int main() {
  std::printf(
      "npu_dma bandwidth: fraction of the AXI peak (16 B/cycle), cycles from descriptor\n"
      "accepted to done; memory without stalls; latency = extra cycles before the first\n"
      "R beat of a burst / before B\n\n");
  std::printf("| transfer | size | direction | latency 0 | latency 50 | latency 200 |\n");
  std::printf("|---|---|---|---:|---:|---:|\n");
  const char* kinds[] = {"contiguous, aligned", "contiguous, unaligned", "3-D, 256 B rows"};
  for (int kind = 0; kind < 3; ++kind) {
    for (std::uint32_t bytes : {64U * 1024U, 1024U * 1024U}) {
      for (int dir = 0; dir < 3; ++dir) {
        const bool store = dir == 1;
        const char* name = dir == 0 ? "load" : dir == 1 ? "store" : "load, store concurrent";
        std::printf("| %s | %s | %s |", kinds[kind], bytes >= 1024 * 1024 ? "1 MiB" : "64 KiB",
                    name);
        for (unsigned lat : {0U, 50U, 200U}) {
          const double f =
              dir == 2 ? run(false, bytes, lat, true, kind) : run(store, bytes, lat, false, kind);
          std::printf(" %.1f %% |", 100.0 * f);
        }
        std::printf("\n");
      }
    }
  }
  std::printf("\nstore of 64 KiB (AXI latency 0) against the local memory's read latency\n\n");
  std::printf("| local read latency | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::printf("| bandwidth |");
  for (unsigned l = 1; l <= 8; ++l)
    std::printf(" %.1f %% |", 100.0 * run(true, 65536, 0, false, 0, l));
  std::printf("\n");
  return 0;
}

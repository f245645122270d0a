// AXI4 slave memory model and protocol checker (see nuri/tb/axi.hpp).
#include "nuri/tb/axi.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace nuri::tb::axi {

// ------------------------------------------------------------------------------------------------
// Bits
// ------------------------------------------------------------------------------------------------
std::uint64_t get_bits(const std::uint32_t* words, unsigned lsb, unsigned width) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    if ((words[b / 32] >> (b % 32)) & 1U) v |= std::uint64_t{1} << i;
  }
  return v;
}

void set_bits(std::uint32_t* words, unsigned lsb, unsigned width, std::uint64_t value) {
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    const std::uint32_t mask = std::uint32_t{1} << (b % 32);
    if ((value >> i) & 1U) {
      words[b / 32] |= mask;
    } else {
      words[b / 32] &= ~mask;
    }
  }
}

namespace {
// Byte-aligned fields are copied a byte at a time (the data buses).
void get_bytes(const std::uint32_t* words, unsigned lsb, std::vector<std::uint8_t>& out) {
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(get_bits(words, lsb + 8 * static_cast<unsigned>(i), 8));
  }
}
void set_bytes(std::uint32_t* words, unsigned lsb, const std::vector<std::uint8_t>& in,
               std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    set_bits(words, lsb + 8 * static_cast<unsigned>(i), 8, i < in.size() ? in[i] : 0);
  }
}
}  // namespace

// ------------------------------------------------------------------------------------------------
// SparseMemory
// ------------------------------------------------------------------------------------------------
std::uint8_t SparseMemory::read(std::uint64_t addr) const {
  auto it = pages_.find(addr / kPage);
  return it == pages_.end() ? 0 : (*it->second)[addr % kPage];
}

void SparseMemory::write(std::uint64_t addr, std::uint8_t value) {
  auto& p = pages_[addr / kPage];
  if (!p) {
    p = std::make_unique<std::array<std::uint8_t, kPage>>();
    p->fill(0);
  }
  (*p)[addr % kPage] = value;
}

void SparseMemory::read(std::uint64_t addr, std::uint8_t* out, std::size_t n) const {
  for (std::size_t i = 0; i < n; ++i) out[i] = read(addr + i);
}

void SparseMemory::write(std::uint64_t addr, const std::uint8_t* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) write(addr + i, data[i]);
}

void SparseMemory::randomize(std::uint64_t addr, std::size_t n, std::mt19937_64& rng) {
  for (std::size_t i = 0; i < n; ++i) write(addr + i, static_cast<std::uint8_t>(rng()));
}

// ------------------------------------------------------------------------------------------------
// Channels
// ------------------------------------------------------------------------------------------------
bool AxChan::operator==(const AxChan& o) const {
  return id == o.id && addr == o.addr && len == o.len && size == o.size && burst == o.burst &&
         lock == o.lock && cache == o.cache && prot == o.prot && qos == o.qos && region == o.region;
}

// ------------------------------------------------------------------------------------------------
// PackedAxiPort: npu_axi_pkg layouts, first struct member = most significant bits.
// ------------------------------------------------------------------------------------------------
PackedAxiPort::PackedAxiPort(const AxiWidths& w, const std::uint32_t* req, std::uint32_t* rsp)
    : w_(w), req_(req), rsp_(rsp) {
  if (w.data % 8 != 0 || w.data == 0 || w.data > 1024 || w.id == 0 || w.addr > 64) {
    throw std::invalid_argument("PackedAxiPort: unsupported widths");
  }
  const unsigned ax = w.id + w.addr + 8 + 3 + 2 + 1 + 4 + 3 + 4 + 4;
  const unsigned wc = w.data + w.bytes() + 1;
  req_bits_ = ax + 1 + wc + 1 + 1 + ax + 1 + 1;
  unsigned pos = req_bits_;
  auto take = [&pos](unsigned width) { return pos -= width; };
  auto ax_offsets = [&take, &w](AxOff& o) {
    o.id = take(w.id);
    o.addr = take(w.addr);
    o.len = take(8);
    o.size = take(3);
    o.burst = take(2);
    o.lock = take(1);
    o.cache = take(4);
    o.prot = take(3);
    o.qos = take(4);
    o.region = take(4);
  };
  ax_offsets(aw_);
  aw_valid_ = take(1);
  w_data_ = take(w.data);
  w_strb_ = take(w.bytes());
  w_last_ = take(1);
  w_valid_ = take(1);
  b_ready_ = take(1);
  ax_offsets(ar_);
  ar_valid_ = take(1);
  r_ready_ = take(1);

  rsp_bits_ = 4 + (w.id + 2) + 1 + (w.id + w.data + 2 + 1);
  pos = rsp_bits_;
  aw_ready_ = take(1);
  ar_ready_ = take(1);
  w_ready_ = take(1);
  b_valid_ = take(1);
  b_id_ = take(w.id);
  b_resp_ = take(2);
  r_valid_ = take(1);
  r_id_ = take(w.id);
  r_data_ = take(w.data);
  r_resp_ = take(2);
  r_last_ = take(1);
}

void PackedAxiPort::read_ax(const AxOff& o, AxChan& c) const {
  c.id = static_cast<std::uint32_t>(get_bits(req_, o.id, w_.id));
  c.addr = get_bits(req_, o.addr, w_.addr);
  c.len = static_cast<unsigned>(get_bits(req_, o.len, 8));
  c.size = static_cast<unsigned>(get_bits(req_, o.size, 3));
  c.burst = static_cast<unsigned>(get_bits(req_, o.burst, 2));
  c.lock = static_cast<unsigned>(get_bits(req_, o.lock, 1));
  c.cache = static_cast<unsigned>(get_bits(req_, o.cache, 4));
  c.prot = static_cast<unsigned>(get_bits(req_, o.prot, 3));
  c.qos = static_cast<unsigned>(get_bits(req_, o.qos, 4));
  c.region = static_cast<unsigned>(get_bits(req_, o.region, 4));
}

void PackedAxiPort::sample(MasterSignals& m) const {
  m.aw_valid = get_bits(req_, aw_valid_, 1) != 0;
  m.w_valid = get_bits(req_, w_valid_, 1) != 0;
  m.b_ready = get_bits(req_, b_ready_, 1) != 0;
  m.ar_valid = get_bits(req_, ar_valid_, 1) != 0;
  m.r_ready = get_bits(req_, r_ready_, 1) != 0;
  read_ax(aw_, m.aw);
  read_ax(ar_, m.ar);
  m.w.data.resize(w_.bytes());
  get_bytes(req_, w_data_, m.w.data);
  m.w.strb.resize(w_.bytes());
  for (unsigned i = 0; i < w_.bytes(); ++i) m.w.strb[i] = get_bits(req_, w_strb_ + i, 1) != 0;
  m.w.last = get_bits(req_, w_last_, 1) != 0;
}

void PackedAxiPort::drive(const SlaveSignals& s) {
  set_bits(rsp_, aw_ready_, 1, s.aw_ready);
  set_bits(rsp_, ar_ready_, 1, s.ar_ready);
  set_bits(rsp_, w_ready_, 1, s.w_ready);
  set_bits(rsp_, b_valid_, 1, s.b_valid);
  set_bits(rsp_, b_id_, w_.id, s.b_id);
  set_bits(rsp_, b_resp_, 2, s.b_resp);
  set_bits(rsp_, r_valid_, 1, s.r_valid);
  set_bits(rsp_, r_id_, w_.id, s.r_id);
  set_bytes(rsp_, r_data_, s.r_data, w_.bytes());
  set_bits(rsp_, r_resp_, 2, s.r_resp);
  set_bits(rsp_, r_last_, 1, s.r_last);
}

// ------------------------------------------------------------------------------------------------
// Stall
// ------------------------------------------------------------------------------------------------
bool Stall::stalled(std::uint64_t cycle, std::mt19937_64& rng) const {
  switch (kind) {
    case Kind::None:
      return false;
    case Kind::Periodic:
      return period != 0 && cycle % period < busy;
    case Kind::Random:
      return rng() % 100 < percent;
  }
  return false;
}

std::string Stall::name() const {
  switch (kind) {
    case Kind::None:
      return "none";
    case Kind::Periodic:
      return "periodic(" + std::to_string(busy) + "/" + std::to_string(period) + ")";
    case Kind::Random:
      return "random(" + std::to_string(percent) + "%)";
  }
  return "?";
}

// ------------------------------------------------------------------------------------------------
// AxiMemory
// ------------------------------------------------------------------------------------------------
AxiMemory::AxiMemory(const AxiWidths& w, AxiPort& port, AxiMemoryConfig cfg)
    : w_(w), port_(port), cfg_(std::move(cfg)), rng_(cfg_.seed) {
  out_.r_data.assign(w_.bytes(), 0);
  port_.drive(out_);
}

void AxiMemory::violation(const std::string& what) {
  std::ostringstream s;
  s << "cycle " << cycle_ << ": " << what;
  violations_.push_back(s.str());
}

std::uint64_t AxiMemory::beat_addr(const AxChan& a, unsigned beat) const {
  const std::uint64_t bytes = w_.bytes();
  if (beat == 0) return a.addr;
  return (a.addr & ~(bytes - 1)) + beat * bytes;
}

void AxiMemory::check_ax(const AxChan& a, const char* ch) {
  std::ostringstream s;
  s << ch << " id " << a.id << " addr 0x" << std::hex << a.addr << std::dec << " len " << a.len;
  const std::string what = s.str();
  if (!cfg_.allowed_ids.empty() &&
      std::find(cfg_.allowed_ids.begin(), cfg_.allowed_ids.end(), a.id) == cfg_.allowed_ids.end()) {
    violation(what + ": unexpected ID");
  }
  if (a.burst != 1) violation(what + ": unsupported burst type " + std::to_string(a.burst));
  if ((1U << a.size) != w_.bytes()) {
    violation(what + ": unsupported size " + std::to_string(a.size) + " (only full-width beats)");
  }
  const std::uint64_t bytes = w_.bytes();
  const std::uint64_t first = a.addr;
  const std::uint64_t last = (a.addr & ~(bytes - 1)) + (a.len + 1) * bytes - 1;
  if (first / 4096 != last / 4096) violation(what + ": burst crosses a 4 KiB boundary");
  if (w_.addr < 64 && (last >> w_.addr) != 0) violation(what + ": burst leaves the address space");
  if (a.lock != 0) violation(what + ": exclusive access not supported");
}

unsigned AxiMemory::error_resp(std::uint64_t lo, std::uint64_t hi, bool write) const {
  for (const auto& e : cfg_.errors) {
    if ((write ? e.on_write : e.on_read) && lo < e.hi && e.lo < hi) return e.resp;
  }
  return 0;
}

bool AxiMemory::idle() const {
  return reads_.empty() && aws_.empty() && wbeats_.empty() && bs_.empty() && !out_.r_valid &&
         !out_.b_valid;
}

void AxiMemory::drive() {
  const double cap = 2.0 * w_.bytes();
  if (cfg_.read_bytes_per_cycle > 0) {
    r_tokens_ = std::min(cap, r_tokens_ + cfg_.read_bytes_per_cycle);
  }
  if (cfg_.write_bytes_per_cycle > 0) {
    w_tokens_ = std::min(cap, w_tokens_ + cfg_.write_bytes_per_cycle);
  }
  out_.aw_ready = !cfg_.aw.stalled(cycle_, rng_) && writes_open_ < cfg_.max_writes;
  out_.ar_ready = !cfg_.ar.stalled(cycle_, rng_) && reads_.size() < cfg_.max_reads;
  out_.w_ready = !cfg_.w.stalled(cycle_, rng_) && wbeats_.size() < 4096 &&
                 (cfg_.write_bytes_per_cycle <= 0 || w_tokens_ >= w_.bytes());
  // B and R: once offered, a response stays until accepted (AXI rule for the slave, too).
  if (!out_.b_valid && !bs_.empty() && bs_.front().ready_at <= cycle_ &&
      !cfg_.b.stalled(cycle_, rng_)) {
    out_.b_valid = true;
    out_.b_id = bs_.front().id;
    out_.b_resp = bs_.front().resp;
  }
  if (!out_.r_valid && !reads_.empty() && reads_.front().ready_at <= cycle_ &&
      !cfg_.r.stalled(cycle_, rng_) &&
      (cfg_.read_bytes_per_cycle <= 0 || r_tokens_ >= w_.bytes())) {
    const ReadBurst& rb = reads_.front();
    const std::uint64_t bytes = w_.bytes();
    const std::uint64_t a = beat_addr(rb.ax, rb.beat) & ~(bytes - 1);
    out_.r_valid = true;
    out_.r_id = rb.ax.id;
    mem_.read(a, out_.r_data.data(), bytes);
    out_.r_resp = error_resp(a, a + bytes, false);
    out_.r_last = rb.beat == rb.ax.len;
    if (cfg_.read_bytes_per_cycle > 0) r_tokens_ -= static_cast<double>(bytes);
  }
  port_.drive(out_);
}

void AxiMemory::sample() {
  MasterSignals m;
  port_.sample(m);
  const SlaveSignals driven = out_;

  // Valid held until ready, payload stable while waiting.
  if (cycle_ > 0) {
    if (prev_.aw_valid && !prev_out_.aw_ready && (!m.aw_valid || !(m.aw == prev_.aw))) {
      violation("AW valid dropped or payload changed while waiting for ready");
    }
    if (prev_.ar_valid && !prev_out_.ar_ready && (!m.ar_valid || !(m.ar == prev_.ar))) {
      violation("AR valid dropped or payload changed while waiting for ready");
    }
    if (prev_.w_valid && !prev_out_.w_ready && (!m.w_valid || !(m.w == prev_.w))) {
      violation("W valid dropped or payload changed while waiting for ready");
    }
  }

  if (m.aw_valid && driven.aw_ready) {
    check_ax(m.aw, "AW");
    aws_.push_back({m.aw, cycle_});
    ++writes_open_;
    log_.push_back({true, m.aw, cycle_, 0});
  }
  if (m.w_valid && driven.w_ready) {
    wbeats_.push_back(m.w);
    ++w_beats_;
    if (cfg_.write_bytes_per_cycle > 0) w_tokens_ -= static_cast<double>(w_.bytes());
  }
  if (driven.b_valid && m.b_ready) {
    b_log_.push_back({cycle_, driven.b_id, driven.b_resp});
    bs_.pop_front();
    --writes_open_;
    out_.b_valid = false;
  }
  if (m.ar_valid && driven.ar_ready) {
    check_ax(m.ar, "AR");
    reads_.push_back({m.ar, 0, cycle_ + 1 + cfg_.read_latency});
    log_.push_back({false, m.ar, cycle_, 0});
  }
  if (driven.r_valid && m.r_ready) {
    ReadBurst& rb = reads_.front();
    ++r_beats_;
    if (driven.r_resp != 0) r_err_log_.push_back({cycle_, driven.r_id, driven.r_resp});
    if (rb.beat == rb.ax.len) {
      reads_.pop_front();
    } else {
      ++rb.beat;
    }
    out_.r_valid = false;
  }
  complete_writes();

  prev_ = m;
  prev_out_ = driven;
  ++cycle_;
}

void AxiMemory::complete_writes() {
  while (!aws_.empty()) {
    const WriteBurst wb = aws_.front();
    const unsigned beats = wb.ax.len + 1;
    // A beat marked last before the burst has all its beats is a WLAST error found early.
    for (unsigned i = 0; i < std::min<std::size_t>(wbeats_.size(), beats - 1); ++i) {
      if (wbeats_[i].last) {
        violation("WLAST on beat " + std::to_string(i) + " of a " + std::to_string(beats) +
                  "-beat burst");
        wbeats_[i].last = false;  // report once
      }
    }
    if (wbeats_.size() < beats) return;
    if (!wbeats_[beats - 1].last) {
      violation("WLAST missing on the last beat of a " + std::to_string(beats) + "-beat burst");
    }
    const std::uint64_t bytes = w_.bytes();
    unsigned resp = 0;
    // Only bytes that are strobed count for the error ranges.
    for (unsigned b = 0; b < beats && resp == 0; ++b) {
      const std::uint64_t a = beat_addr(wb.ax, b) & ~(bytes - 1);
      for (unsigned i = 0; i < bytes; ++i) {
        if (wbeats_[b].strb[i] && error_resp(a + i, a + i + 1, true) != 0) {
          resp = error_resp(a + i, a + i + 1, true);
          break;
        }
      }
    }
    for (unsigned b = 0; b < beats; ++b) {
      const WChan& beat = wbeats_.front();
      const std::uint64_t a = beat_addr(wb.ax, b) & ~(bytes - 1);
      const unsigned first_lane = b == 0 ? static_cast<unsigned>(wb.ax.addr % bytes) : 0;
      for (unsigned i = 0; i < bytes; ++i) {
        if (!beat.strb[i]) continue;
        if (i < first_lane) {
          violation("W strobe below the start address of an unaligned burst");
          continue;
        }
        if (resp == 0) mem_.write(a + i, beat.data[i]);
      }
      wbeats_.pop_front();
    }
    bs_.push_back({wb.ax.id, resp, cycle_ + 1 + cfg_.write_latency});
    aws_.pop_front();
  }
}

}  // namespace nuri::tb::axi

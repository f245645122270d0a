#!/usr/bin/env python3
"""Tests scripts/mutate's operators and sampling without building anything (CTest
"scripts: mutate ...", labels lint;smoke): on a small fixture every operator yields exactly the
expected mutants, comments, non-blocking assignments, the reset condition and assertion macros
are left alone, and sampling is deterministic per seed.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from selftest_checks import Checks

ROOT = Path(__file__).resolve().parent.parent.parent
MUTATE = ROOT / "scripts" / "mutate"

FIXTURE = """module fx (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       a_i,
  input  logic       b_i,
  output logic [3:0] q_o
);
  // a comment: a < b && c + d
  logic [3:0] cnt_d, cnt_q;
  always_comb begin
    cnt_d = cnt_q;
    if (a_i && b_i) begin
      cnt_d = cnt_q + 4'd1;
    end else if (cnt_q == 4'd9) begin
      cnt_d = '0;
    end
    done_d = 1'b1;
    zero_d = 4'd0;
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q <= '0;
    end else cnt_q <= cnt_d;
  end
  assign q_o = cnt_q | {3'b0, a_i};
  `NPU_ASSERT(a_cnt_in_range, cnt_q < 4'd10 && a_i)
endmodule
"""

EXPECTED = {
    ("rel", "end else if (cnt_q == 4'd9) begin", "end else if (cnt_q != 4'd9) begin"),
    ("logic", "if (a_i && b_i) begin", "if (a_i || b_i) begin"),
    ("if", "if (a_i && b_i) begin", "if (!(a_i && b_i)) begin"),
    ("if", "end else if (cnt_q == 4'd9) begin", "end else if (!(cnt_q == 4'd9)) begin"),
    ("drop", "cnt_d = cnt_q + 4'd1;", "cnt_d = cnt_q;"),
    ("drop", "assign q_o = cnt_q | {3'b0, a_i};", "assign q_o = cnt_q;"),
    ("off1", "cnt_d = cnt_q + 4'd1;", "cnt_d = cnt_q + 4'd2;"),
    ("off1", "cnt_d = cnt_q + 4'd1;", "cnt_d = cnt_q + 4'd0;"),
    ("off1", "end else if (cnt_q == 4'd9) begin", "end else if (cnt_q == 4'd10) begin"),
    ("off1", "end else if (cnt_q == 4'd9) begin", "end else if (cnt_q == 4'd8) begin"),
    ("stuck", "cnt_d = cnt_q;", "cnt_d = '0;"),
    ("stuck", "cnt_d = cnt_q;", "cnt_d = '1;"),
    ("stuck", "cnt_d = cnt_q + 4'd1;", "cnt_d = '0;"),
    ("stuck", "cnt_d = cnt_q + 4'd1;", "cnt_d = '1;"),
    ("stuck", "cnt_d = '0;", "cnt_d = '1;"),
    # equivalent stuck-at mutants are not made: 1'b1 is '1 for a one-bit signal, 4'd0 is '0
    ("stuck", "done_d = 1'b1;", "done_d = '0;"),
    ("stuck", "zero_d = 4'd0;", "zero_d = '1;"),
    ("stuck", "cnt_q <= '0;", "cnt_q <= '1;"),
    ("stuck", "assign q_o = cnt_q | {3'b0, a_i};", "assign q_o = '0;"),
    ("stuck", "assign q_o = cnt_q | {3'b0, a_i};", "assign q_o = '1;"),
}

check = Checks()


def mutate(*args):
    r = subprocess.run([sys.executable, str(MUTATE), *args], capture_output=True, text=True)
    rows = [line.split("\t") for line in r.stdout.splitlines() if line.count("\t") == 4]
    return r.returncode, {(op, before, after) for _, op, before, _, after in rows}, r.stdout


def main():
    with tempfile.TemporaryDirectory(prefix="mutate-selftest-") as tmp:
        fx = Path(tmp) / "fx.sv"
        fx.write_text(FIXTURE)
        rc, got, _ = mutate("--list-mutants", "--file", str(fx))
        check(rc == 0, "--list-mutants runs")
        for e in sorted(EXPECTED - got):
            check(False, f"missing mutant {e}")
        for e in sorted(got - EXPECTED):
            check(False, f"unexpected mutant {e}")
        check(got == EXPECTED, f"the fixture yields exactly the {len(EXPECTED)} expected mutants")
        for op in ("rel", "logic", "drop", "off1", "if", "stuck"):
            check(any(m[0] == op for m in got), f"operator {op} is exercised")
        _, a, out_a = mutate("--dry-run", "--count", "5", "--seed", "3", "--file", str(fx))
        _, b, out_b = mutate("--dry-run", "--count", "5", "--seed", "3", "--file", str(fx))
        _, c, _ = mutate("--dry-run", "--count", "5", "--seed", "4", "--file", str(fx))
        check(out_a == out_b and len(a) == 5, "sampling is deterministic for a seed")
        check(a != c, "another seed picks other mutants")
        check(len({m[0] for m in a}) == 5, "sampling spreads over the operators")
        _, real, _ = mutate("--list-mutants", "--file", "rtl/npu_requant.sv")
        check(len(real) > 50 and not any("NPU_ASSERT" in m[1] for m in real),
              "rtl/npu_requant.sv has candidates and none inside an assertion")
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())

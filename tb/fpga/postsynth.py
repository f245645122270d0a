#!/usr/bin/env python3
"""Post-synthesis simulation: the Yosys netlist of npu_matmul_unit (Rows = Cols = 4,
AccDepth = 16) runs a small GEMM in Icarus Verilog and must match exact int8 matrix products
(tb_matmul_netlist.v).

  postsynth.py --work DIR [--seeds 1,2,3]

After the seeds pass, one more run with +corrupt (the test bench expects one wrong value) must
report FAIL, which shows that the comparison can fail.
Exit status: 0 pass, 1 fail, 77 skipped (Yosys or Icarus missing).
"""
import argparse
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent


def run_seeds(sim, seeds, tag):
    """Runs the compiled Icarus test bench `sim` once per seed (each must print PASS), then once
    with +corrupt (one wrong expectation: must print FAIL, which shows the comparison can fail).
    Prints each result and a verdict; returns True when all of that holds."""
    ok = True
    for seed in seeds:
        r = subprocess.run(["vvp", "-n", str(sim), f"+seed={seed}"], capture_output=True, text=True)
        out = r.stdout.strip()
        print(f"seed {seed}: {out}")
        ok = ok and r.returncode == 0 and "PASS" in out and "FAIL" not in out
    r = subprocess.run(["vvp", "-n", str(sim), "+seed=1", "+corrupt"], capture_output=True,
                       text=True)
    print(f"corrupted expectation (must fail): {r.stdout.strip()}")
    if "FAIL" not in r.stdout or "PASS" in r.stdout:
        print(f"{tag}: the corrupted run did not fail: the comparison is broken")
        ok = False
    print(f"{tag}: " + ("PASS" if ok else "FAIL"))
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--seeds", default="1,2,3")
    a = ap.parse_args()
    for tool in ("yosys", "iverilog", "vvp"):
        if not shutil.which(tool):
            print(f"postsynth: '{tool}' not found (scripts/fpga/setup installs it): skipped")
            return 77
    work = pathlib.Path(a.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    net = work / "npu_matmul_unit_netlist.v"
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "fpga" / "run"), "netlist",
                        "--top", "npu_matmul_unit", "--param", "Rows=4", "--param", "Cols=4",
                        "--param", "AccDepth=16", "--out", str(work), "--netlist", str(net)])
    if r.returncode:
        return 1
    sim = work / "tb_matmul_netlist.vvp"
    r = subprocess.run(["iverilog", "-g2005", "-o", str(sim),
                        str(ROOT / "tb" / "fpga" / "tb_matmul_netlist.v"), str(net)],
                       capture_output=True, text=True)
    if r.returncode:
        print(r.stdout + r.stderr)
        return 1
    ok = run_seeds(sim, a.seeds.split(","), "postsynth")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

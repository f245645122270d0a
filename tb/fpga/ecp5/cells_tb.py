#!/usr/bin/env python3
"""Checks the DP16KD and MULT18X18D simulation models (ecp5_cells.v) against their header
comment with tb_ecp5_cells.v in Icarus Verilog, before tb_fpga_netlist_ecp5 relies on them.

  cells_tb.py --work DIR [--seeds 1,2,3]

After the seeds pass, a run with +corrupt (one wrong expectation) must report FAIL, which shows
that the comparison can fail. Exit status: 0 pass, 1 fail, 77 skipped (Icarus missing).
"""
import argparse
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--seeds", default="1,2,3")
    a = ap.parse_args()
    for tool in ("iverilog", "vvp"):
        if not shutil.which(tool):
            print(f"cells_tb: '{tool}' not found (scripts/fpga/setup installs it): skipped")
            return 77
    work = pathlib.Path(a.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    sim = work / "tb_ecp5_cells.vvp"
    r = subprocess.run(["iverilog", "-g2012", "-o", str(sim), str(HERE / "ecp5_cells.v"),
                        str(HERE / "tb_ecp5_cells.v")], capture_output=True, text=True)
    if r.returncode:
        print(r.stdout + r.stderr)
        return 1
    ok = True
    for seed in a.seeds.split(","):
        r = subprocess.run(["vvp", "-n", str(sim), f"+seed={seed}"], capture_output=True, text=True)
        out = r.stdout.strip()
        print(f"seed {seed}: {out}")
        ok = ok and r.returncode == 0 and "PASS" in out and "FAIL" not in out
    r = subprocess.run(["vvp", "-n", str(sim), "+seed=1", "+corrupt"], capture_output=True,
                       text=True)
    print(f"corrupted expectation (must fail): {r.stdout.strip()}")
    if "FAIL" not in r.stdout or "PASS" in r.stdout:
        print("cells_tb: the corrupted run did not fail: the comparison is broken")
        ok = False
    print("cells_tb: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

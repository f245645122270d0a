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
sys.path.insert(0, str(HERE.parent))
import postsynth  # noqa: E402  (tb/fpga/postsynth.py: run_seeds)


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
    ok = postsynth.run_seeds(sim, a.seeds.split(","), "cells_tb")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

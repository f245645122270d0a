#!/usr/bin/env python3
"""Test of `scripts/fpga/run --seeds`: runs the flow with the arguments after `--` and two or more
seeds, then checks its comparison against nextpnr's own reports, which the flow's summary must
agree with:

  * one folder seed-<N> per seed, whose report.json names it, and a different routed design in
    each (nextpnr does not log its seed);
  * each seed's Fmax in seeds.json and in the seed's report.json is the `achieved` Fmax of
    nextpnr's pnr_report.json in that folder;
  * lowest, mean and highest Fmax and the best seed, recomputed here from the pnr_report.json
    files;
  * report.txt and seeds.txt list every seed.

  fpga_seeds_test.py --out DIR --tool nextpnr-ice40 -- ice40 --top ... --seeds 1-2 --jobs 2

Exit status 77 (skipped) when the place-and-route tool is not installed.
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


def fail(msg):
    print(f"FAIL: {msg}", flush=True)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--tool", required=True, help="the place-and-route tool the flow needs")
    ap.add_argument("flow", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    flow = a.flow[1:] if a.flow[:1] == ["--"] else a.flow
    if not shutil.which(a.tool) and not (ROOT / "build" / "venv" / "bin" / a.tool).exists():
        print(f"{a.tool} is not installed (scripts/fpga/setup): skipped")
        return 77
    seeds_arg = flow[flow.index("--seeds") + 1]
    seeds = []
    for part in seeds_arg.split(","):
        lo, _, hi = part.partition("-")
        seeds += list(range(int(lo), int(hi or lo) + 1))
    if len(seeds) < 2:
        fail("give at least two seeds")
    out = pathlib.Path(a.out).resolve()
    if out.exists():
        shutil.rmtree(out)
    r = subprocess.run([sys.executable, str(FLOW)] + flow + ["--out", str(out)])
    if r.returncode != 0:
        fail(f"the flow exited with {r.returncode}")

    summary = json.loads((out / "seeds.json").read_text())
    if [row["seed"] for row in summary["seeds"]] != seeds:
        fail(f"seeds.json lists seeds {[row['seed'] for row in summary['seeds']]}, not {seeds}")
    nextpnr = {}  # seed -> {clock: achieved MHz}, from nextpnr's own reports
    for row in summary["seeds"]:
        n = row["seed"]
        d = out / f"seed-{n}"
        rep = json.loads((d / "report.json").read_text())
        if rep["nextpnr_options"]["seed"] != n:
            fail(f"seed-{n}/report.json names seed {rep['nextpnr_options']['seed']}")
        raw = json.loads((d / "pnr_report.json").read_text())
        nextpnr[n] = {clk: v["achieved"] for clk, v in raw["fmax"].items()}
        if not nextpnr[n]:
            fail(f"nextpnr reported no Fmax at seed {n}")
        for clk, mhz in nextpnr[n].items():
            if abs(row["fmax"][clk] - mhz) > 0.01:
                fail(f"seed {n}: seeds.json has {row['fmax'][clk]} MHz, nextpnr {mhz:.3f}")
            if abs(rep["pnr"]["fmax"][clk]["achieved_mhz"] - mhz) > 0.01:
                fail(f"seed {n}: its report.json has {rep['pnr']['fmax'][clk]['achieved_mhz']} "
                     f"MHz, nextpnr {mhz:.3f}")
    if len({tuple(sorted(v.items())) for v in nextpnr.values()}) < 2:
        print("note: every seed reached the same Fmax (possible, but the placements should differ)")
    configs = {(out / f"seed-{n}" / name).read_bytes() for n in seeds
               for name in ("routed.asc", "routed.config") if (out / f"seed-{n}" / name).exists()}
    if len(configs) != len(seeds):
        fail(f"{len(seeds)} seeds gave {len(configs)} different routed designs")
    for clk, got in summary["fmax_by_clock"].items():
        v = {n: f[clk] for n, f in nextpnr.items()}
        want = {"lowest_mhz": min(v.values()), "highest_mhz": max(v.values()),
                "mean_mhz": sum(v.values()) / len(v)}
        for k, x in want.items():
            if abs(got[k] - x) > 0.01:
                fail(f"{clk}: {k} is {got[k]}, the seeds' reports give {x:.3f}")
        if v[got["best_seed"]] != max(v.values()):
            fail(f"{clk}: best seed {got['best_seed']} is not the one with the highest Fmax")
    for name in ("report.txt", "seeds.txt"):
        text = (out / name).read_text()
        for n in seeds:
            if not re.search(rf"^\s*seed\s+{n}\s", text, re.M):
                fail(f"{name} has no line for seed {n}")
        if "mean" not in text:
            fail(f"{name} gives no mean Fmax")
    print(f"ok: {len(seeds)} seeds; Fmax per seed "
          + ", ".join(f"{n}: {'/'.join(f'{x:.1f}' for x in f.values())} MHz"
                      for n, f in nextpnr.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

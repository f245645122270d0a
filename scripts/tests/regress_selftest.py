#!/usr/bin/env python3
"""Tests scripts/regress itself (CTest "scripts: regress ...", labels lint;smoke).

A fake Catch2-style executable (tb_fake: fails its case "fails at seed 2" when run with
--rng-seed 2, writes a fake FST with --waves) and a seedless tool test are fed to the runner
through NURI_REGRESS_TESTS_JSON (ctest's json-v1 format). Checks: seeds and --config expand the
job list as documented, shards 1/2 and 2/2 cover the list exactly once, a failure gives exit 1, a
repro line that reproduces it and a waves line, JUnit XML parses and counts right, and
--rerun-failed reruns just the failure with waves. With --build-dir it also runs the runner on
real fast tests of that build folder.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from selftest_checks import Checks

ROOT = Path(__file__).resolve().parent.parent.parent
REGRESS = ROOT / "scripts" / "regress"

FAKE = r'''#!/usr/bin/env python3
import os, re, sys
args = sys.argv[1:]
seed, waves = 1, False
if "--rng-seed" in args:
    i = args.index("--rng-seed"); seed = int(args[i + 1]); del args[i:i + 2]
if "--waves" in args:
    args.remove("--waves"); waves = True
name = args[0]
exe = os.path.basename(sys.argv[0])
if waves:
    os.makedirs("waves", exist_ok=True)
    base = re.sub(r"[^0-9A-Za-z]+", "_", exe + ": " + name).strip("_")
    open(f"waves/{base}_seed{seed}.fst", "w").write("fake")
if name == "fails at seed 2" and seed == 2:
    print("REQUIRE( x == y ) failed"); sys.exit(1)
print("All tests passed")
'''

check = Checks()


def regress(*args, env=None):
    r = subprocess.run([sys.executable, str(REGRESS), *args], capture_output=True, text=True,
                       env=env, cwd=ROOT)
    return r.returncode, r.stdout + r.stderr


def main():
    bdir = None
    if len(sys.argv) == 3 and sys.argv[1] == "--build-dir":
        bdir = sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="regress-selftest-") as tmp:
        tmp = Path(tmp)
        for exe in ("tb_fake", "tb_fake_8x8"):
            (tmp / exe).write_text(FAKE)
            (tmp / exe).chmod(0o755)

        def t(name, cmd, labels, **props):
            p = [{"name": "LABELS", "value": labels},
                 {"name": "WORKING_DIRECTORY", "value": str(tmp)}]
            p += [{"name": k, "value": v} for k, v in props.items()]
            return {"name": name, "command": cmd, "properties": p}

        fake, fake8 = str(tmp / "tb_fake"), str(tmp / "tb_fake_8x8")
        tests = [
            t("tb_fake: passes", [fake, "passes"], ["smoke"]),
            t("tb_fake: fails at seed 2", [fake, "fails at seed 2"], ["smoke", "rtl"]),
            t("tb_fake_8x8: passes", [fake8, "passes"], ["smoke"]),
            t("tb_fake: nightly only", [fake, "nightly only"], ["nightly"]),
            t("tool: seedless", [sys.executable, "-c", "print('fine')"], ["smoke"],
              PASS_REGULAR_EXPRESSION=["fine"]),
        ]
        js = tmp / "tests.json"
        js.write_text(json.dumps({"kind": "ctestInfo", "tests": tests}))
        env = dict(os.environ, NURI_REGRESS_TESTS_JSON=str(js))
        common = ["--build-dir", str(tmp), "-j", "2"]

        # Job list: 3 Catch tests x 3 seeds + 1 seedless = 10; --config 4x4 drops the 8x8 one.
        rc, out = regress(*common, "--seeds", "3", "--show-only", env=env)
        full = out.strip().splitlines()
        check(rc == 0 and len(full) == 10, f"--seeds 3 expands to 10 jobs (got {len(full)})")
        rc, out = regress(*common, "--seeds", "3", "--config", "4x4", "--show-only", env=env)
        check(len(out.strip().splitlines()) == 7, "--config 4x4 leaves out tb_fake_8x8")
        check(not any("nightly only" in line for line in full), "--list smoke leaves out nightly")
        rc, out = regress(*common, "--list", "nightly", "--show-only", env=env)
        check(out.strip().splitlines() == [f"cd {tmp} && {fake} 'nightly only' --rng-seed 1"],
              "--list nightly picks the nightly test, seed 1 by default")

        # Shards 1/2 and 2/2 together cover the list exactly once.
        shards = []
        for i in (1, 2):
            rc, out = regress(*common, "--seeds", "3", "--shard", f"{i}/2", "--show-only", env=env)
            shards.append(out.strip().splitlines())
        check(sorted(shards[0] + shards[1]) == sorted(full) and not set(shards[0]) & set(shards[1])
              and abs(len(shards[0]) - len(shards[1])) <= 1,
              "--shard 1/2 and 2/2 split the job list exactly")

        # A real run: one failure (seed 2), exit 1, repro and waves lines, JUnit.
        junit = tmp / "out.xml"
        rc, out = regress(*common, "--seeds", "3", "--junit", str(junit), env=env)
        check(rc == 1, f"a failing job gives exit status 1 (got {rc})")
        check(re.search(r"^\[\s*\d+/10\] pass\s+tb_fake: passes \[seed 1\]", out, re.M)
              is not None, "progress lines '[k/10] pass <test> [seed s]'")
        repro = re.search(r"repro: (.*)", out)
        waves = re.search(r"waves: (.*)", out)
        check(repro is not None and "--rng-seed 2" in repro.group(1)
              and "'fails at seed 2'" in repro.group(1), "the failure table has a repro command")
        check(waves is not None and waves.group(1).endswith("--rng-seed 2 --waves"),
              "and a waves command")
        check("9 passed, 1 failed" in out, "summary line counts 9 passed, 1 failed")
        if repro:
            r = subprocess.run(repro.group(1), shell=True, capture_output=True, text=True)
            check(r.returncode != 0 and "failed" in r.stdout, "the repro command reproduces it")
        try:
            suite = ET.parse(junit).getroot()
            cases = suite.findall("testcase")
            check(suite.get("tests") == "10" and len(cases) == 10 and suite.get("failures") == "1"
                  and len([c for c in cases if c.find("failure") is not None]) == 1,
                  "JUnit XML parses: 10 testcases, 1 failure")
            bad = [c for c in cases if c.find("failure") is not None][0]
            check("REQUIRE( x == y ) failed" in (bad.find("failure").text or ""),
                  "the JUnit failure carries the test output")
        except (ET.ParseError, OSError, IndexError) as e:
            check(False, f"JUnit XML parses ({e})")

        # --rerun-failed reruns only the failure, with waves, and names the FST.
        rc, out = regress(*common, "--rerun-failed", env=env)
        fst = tmp / "waves" / "tb_fake_fails_at_seed_2_seed2.fst"
        check(rc == 1 and "1 jobs" in out and fst.exists() and str(fst) in out,
              "--rerun-failed reruns the failure with --waves and names its FST")

        # All pass -> exit 0, nothing left to rerun.
        rc, out = regress(*common, "-R", "passes|seedless", "--seed", "5", env=env)
        check(rc == 0 and "3 passed, 0 failed" in out, "a passing run exits 0")
        rc, out = regress(*common, "--rerun-failed", env=env)
        check(rc == 0 and "no failures" in out, "after a clean run there is nothing to rerun")

    if bdir:
        # Real tests of this build folder (fast, seedless ones), in the same way.
        rc, out = regress("--build-dir", bdir, "--no-build", "-j", "1", "-R",
                          r"^config: generated|^tb: listing rejects")
        check(rc == 0 and re.search(r"2 jobs, 2 passed", out) is not None,
              "runs real CTest tests of the build folder")
        if rc != 0:
            print(out)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Lint and synthesis checks of Nuri's RTL.

  rtl_check.py lint  --top MODULE   verilator --lint-only -Wall (waivers: rtl/lint/verilator_waivers.vlt)
  rtl_check.py synth --top MODULE   yosys read_verilog -sv + synth + check -assert; any Yosys
                                    warning fails unless waived in rtl/lint/yosys_waivers.txt
  rtl_check.py prove               prove the equalities of rtl/lint/proofs.txt (yosys sat over
                                    one cycle, every register state free)
  rtl_check.py list                 print the tops from rtl/tops.txt

Sources come from rtl/files.txt. Exit status 0 when clean, 1 on findings, 2 on usage errors.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
RTL = ROOT / "rtl"


def read_list(path):
    out = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def sources():
    files = [RTL / f for f in read_list(RTL / "files.txt")]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        sys.exit(f"rtl_check: rtl/files.txt names missing files: {', '.join(missing)}")
    return files


def need(tool):
    path = shutil.which(tool)
    if not path:
        print(f"rtl_check: '{tool}' not found; run scripts/setup", file=sys.stderr)
        sys.exit(2)
    return path


def lint(top, params):
    cmd = [need("verilator"), "--lint-only", "-Wall", "--top-module", top, f"-I{RTL}",
           str(RTL / "lint" / "verilator_waivers.vlt")]
    cmd += [f"-G{p}" for p in params]
    cmd += [str(f) for f in sources()]
    r = subprocess.run(cmd, capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    if r.returncode != 0 or out:
        print(out)
        print(f"rtl_check: lint of {top} FAILED")
        return 1
    print(f"rtl_check: lint of {top}{' ' + ' '.join(params) if params else ''}: clean")
    return 0


def yosys_waivers():
    path = RTL / "lint" / "yosys_waivers.txt"
    pats = []
    if path.exists():
        for line in read_list(path):
            pats.append(re.compile(line))
    return pats


def select_top(top, params, tmpdir):
    """Yosys commands that make `top` with `params` the design's top, and the extra source they
    need. `hierarchy -chparam` trips an internal assertion in Yosys 0.23 on npu_matmul_unit (it
    re-derives a module that already exists), so the parameters go through a generated one-line
    wrapper instance instead (as scripts/fpga/run does): elaborate the wrapper, delete it, and
    rename the derived module, the only one left without a parent, to `top`."""
    if not params:
        return [], [f"hierarchy -check -top {top}"]
    pov = ", ".join(f".{p.split('=', 1)[0]}({p.split('=', 1)[1]})" for p in params)
    wrap = pathlib.Path(tmpdir) / "rtl_check_param_wrap.v"
    wrap.write_text(f"module rtl_check_param_wrap;\n  {top} #({pov}) u_top ();\nendmodule\n")
    return [str(wrap)], ["hierarchy -top rtl_check_param_wrap", "delete rtl_check_param_wrap",
                         "hierarchy -auto-top", f"rename -top {top}",
                         f"hierarchy -check -top {top}"]


def synth(top, params, report):
    tmpdir = tempfile.mkdtemp(prefix="rtl_check_")
    extra, select = select_top(top, params, tmpdir)
    files = " ".join([str(f) for f in sources()] + extra)
    script = [f"read_verilog -sv -I{RTL} {files}"] + select
    script += [f"synth -top {top}", "check -assert", "stat"]
    if report:
        script.append(f"tee -q -o {report} stat")
    with tempfile.NamedTemporaryFile("w", suffix=".ys", delete=False) as f:
        f.write("\n".join(script) + "\n")
        ys = f.name
    r = subprocess.run([need("yosys"), "-q", "-l", ys + ".log", "-s", ys], capture_output=True,
                       text=True)
    log = pathlib.Path(ys + ".log").read_text() if pathlib.Path(ys + ".log").exists() else ""
    warnings = [l for l in log.splitlines() if l.startswith("Warning:")]
    waived = yosys_waivers()
    bad = [w for w in warnings if not any(p.search(w) for p in waived)]
    if r.returncode != 0 or bad:
        print(r.stdout + r.stderr)
        for w in bad:
            print(w)
        print(f"rtl_check: synthesis of {top} FAILED (log: {ys}.log)")
        return 1
    # Yosys's `share` merges reads of one memory whose results meet only in a multiplexer into
    # one read port with a multiplexed address. The RTL reads a memory twice only to keep such a
    # choice behind the read (npu_dma_fifo's RegOut), so a merged read is a timing defect.
    merged = sorted(set(re.findall(r"Removing cell (\S*\$memrd\S*) \(\$memrd\)", log)))
    if merged:
        for m in merged:
            print(f"rtl_check: Yosys share merged memory read {m}")
        print(f"rtl_check: synthesis of {top} FAILED: {len(merged)} memory reads merged into "
              f"ports with multiplexed addresses (log: {ys}.log)")
        return 1
    cells = re.findall(r"Number of cells:\s+(\d+)", log)
    print(f"rtl_check: synthesis of {top}{' ' + ' '.join(params) if params else ''}: clean, "
          f"{cells[-1] if cells else '?'} cells")
    return 0


def read_proofs():
    """rtl/lint/proofs.txt: one proof per line, `MODULE LHS RHS [WIRE=VALUE ...]`: in MODULE, for
    every register state and input with the WIREs set to their VALUEs, wire LHS equals wire RHS.
    Used for logic restructured for timing, whose reference form is kept beside it for the
    simulation assertions (npu_cmdproc's ovf_q / ovf_ref)."""
    proofs = []
    for line in read_list(RTL / "lint" / "proofs.txt"):
        words = line.split()
        if len(words) < 3 or any("=" not in w for w in words[3:]):
            sys.exit(f"rtl_check: rtl/lint/proofs.txt: malformed line '{line}' "
                     "(want MODULE LHS RHS [WIRE=VALUE ...])")
        proofs.append((words[0], words[1], words[2], [w.split("=", 1) for w in words[3:]]))
    return proofs


def prove():
    files = " ".join(str(f) for f in sources())
    failed = 0
    for module, lhs, rhs, sets in read_proofs():
        wires = [lhs, rhs] + [w for w, _ in sets]
        setargs = " ".join(f"-set {w} {v}" for w, v in sets)
        tmpdir = tempfile.mkdtemp(prefix="rtl_check_")
        out = pathlib.Path(tmpdir) / "sat.txt"
        script = [f"read_verilog -sv -I{RTL} {files}", f"hierarchy -check -top {module}",
                  # keep the wires named in the proof through proc's and memory's clean-ups
                  "setattr -set keep 1 " + " ".join(f"w:{w}" for w in wires),
                  "proc", "flatten", "memory -nomap", "memory_map", "async2sync",
                  f"tee -o {out} sat -seq 1 {setargs} -prove {lhs} {rhs}"]
        ys = pathlib.Path(tmpdir) / "prove.ys"
        ys.write_text("\n".join(script) + "\n")
        r = subprocess.run([need("yosys"), "-q", "-s", str(ys)], capture_output=True, text=True)
        text = out.read_text() if out.exists() else ""
        what = f"{module}: {lhs} == {rhs}" + (f" when {' '.join(w + '=' + v for w, v in sets)}"
                                              if sets else "")
        if r.returncode == 0 and "SUCCESS!" in text:
            print(f"rtl_check: proved {what}")
        else:
            failed += 1
            print(r.stdout + r.stderr + text)
            print(f"rtl_check: proof FAILED: {what} (script {ys})")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description="Nuri RTL lint and synthesis checks")
    ap.add_argument("action", choices=["lint", "synth", "prove", "list"])
    ap.add_argument("--top", help="top module (see rtl/tops.txt)")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="top-level parameter override (repeatable)")
    ap.add_argument("--report", help="synth: also write Yosys 'stat' to this file")
    a = ap.parse_args()
    tops = [line.split()[0] for line in read_list(RTL / "tops.txt")]
    if a.action == "list":
        print("\n".join(tops))
        return 0
    if a.action == "prove":
        return prove()
    if not a.top:
        ap.error("--top is required")
    if a.top not in tops:
        print(f"rtl_check: '{a.top}' is not in rtl/tops.txt ({', '.join(tops)})", file=sys.stderr)
        return 2
    for p in a.param:
        if not re.fullmatch(r"[A-Za-z_]\w*=\S+", p):
            ap.error(f"--param '{p}' is not NAME=VALUE")
    if a.action == "lint":
        return lint(a.top, a.param)
    return synth(a.top, a.param, a.report)


if __name__ == "__main__":
    sys.exit(main())

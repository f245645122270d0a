#!/usr/bin/env python3
"""Checks that every signal of a GTKWave save file exists in an FST (names and ranges).

  scripts/waves/check_gtkw.py <file.fst> [scripts/waves/npu_top.gtkw]

Uses fst2vcd (installed with gtkwave, `scripts/setup --gui`) to read the FST's hierarchy.
Exit status 0 when every signal is found, 1 otherwise (the missing names are printed).
"""
import subprocess
import sys
from pathlib import Path


def fst_names(fst):
    p = subprocess.Popen(["fst2vcd", "-f", fst], stdout=subprocess.PIPE, text=True,
                         errors="replace")
    names, stack = set(), []
    for line in p.stdout:
        t = line.split()
        if not t:
            continue
        if t[0] == "$enddefinitions":
            break
        if t[0] == "$scope":
            stack.append(t[2])
        elif t[0] == "$upscope":
            stack.pop()
        elif t[0] == "$var":
            rng = t[5] if t[5] != "$end" else ""
            names.add(".".join(stack + [t[4]]) + rng)
    p.kill()
    p.wait()
    return names


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    gtkw = argv[1] if len(argv) > 1 else str(Path(__file__).with_name("npu_top.gtkw"))
    have = fst_names(argv[0])
    want = [ln.strip() for ln in Path(gtkw).read_text().splitlines()
            if ln.strip() and ln.strip()[0] not in "[@-*"]
    missing = [w for w in want if w not in have]
    for m in missing:
        print(f"check_gtkw: not in {argv[0]}: {m}")
    print(f"check_gtkw: {len(want) - len(missing)}/{len(want)} signals of {gtkw} found")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

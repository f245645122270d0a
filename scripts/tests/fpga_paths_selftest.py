#!/usr/bin/env python3
"""Tests scripts/fpga/paths (CTest "scripts: fpga paths ...", labels lint;smoke).

Writes tiny hand-made Yosys-style ECP5 netlists (JSON) into a temporary folder and runs the
script on them. Checks: (a) FF -> 3 LUT4 -> FF is reported with 3 LUT levels and the right start
and end source lines, above a parallel FF -> LUT4 -> FF path; (b) a path through an
unregistered MULT18X18D ranks above the 3-LUT path, and a MULT18X18D with its output register
ends and starts paths; (c) a DP16KD with REGMODE NOREG starts a path with the model's block RAM
delay, one with OUTREG like a flip-flop; (d) malformed input gives exit 1 and a message naming
the problem; (e) --json writes a file whose worst path matches the text output; (f) a
combinational loop is broken with one warning; (g) --by start keeps one path per startpoint;
(h) an RTL file changed after the netlist was written is named in a warning; (i) --routed takes
each connection's delay from a nextpnr SDF (escaped names; a flip-flop's data on M; a PFUMX
select on its BLUT LUT's M; a LUT RAM read address by its driver; a carry chain nextpnr broke
through an inserted cell; the model where the SDF has none) and the cell delays from its
IOPATH entries (speed 6's figures, and a message, when it has none), re-ranks the paths by them,
reads the constraint and nextpnr's critical path from the report beside it, counts the
endpoints over the period, refuses a file that is not SDF and warns on another netlist's; (j)
--to keeps the selected endpoints, --from the selected startpoints (the path from one of them,
not the endpoint's worst), --cone lists every startpoint signal of the selected endpoints'
fan-in with its own worst path, --by net keeps one path per endpoint signal, and a pattern
that matches nothing or is not a regular expression is named in an error.
"""
import importlib.machinery
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from selftest_checks import Checks

ROOT = Path(__file__).resolve().parent.parent.parent
PATHS = ROOT / "scripts" / "fpga" / "paths"

check = Checks()


def script():
    loader = importlib.machinery.SourceFileLoader("nuri_fpga_paths", str(PATHS))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


OUTPUTS = {"LUT4": {"Z"}, "TRELLIS_FF": {"Q"}, "PFUMX": {"Z"}, "CCU2C": {"S0", "S1", "COUT"},
           "MULT18X18D": {f"P{i}" for i in range(36)}, "TRELLIS_DPR16X4": {"DO"},
           "DP16KD": {f"DO{s}{i}" for s in "AB" for i in range(18)}}
SRC = "../../../rtl/paths_selftest.sv"  # not a real file: no line is an instance line


class Net:
    """A hand-made Yosys JSON netlist; bit 2 is the clock, bits are numbered by the caller."""

    def __init__(self, src=SRC):
        self.src = src
        self.cells, self.netnames = {}, {"clk_i": {"hide_name": 0, "bits": [2]}}

    def cell(self, name, typ, conns, line=None, params=None):
        c = {"hide_name": 0, "type": typ, "parameters": params or {},
             "attributes": {"src": f"{self.src}:{line}.3-{line}.20|/share/lattice/x.v:1.1-1.2"}
             if line else {"src": "/share/lattice/brams_map_16kd.v:131.3-249.2"},
             "port_directions": {p: "output" if p in OUTPUTS.get(typ, ()) else "input"
                                 for p in conns},
             "connections": {p: [b] for p, b in conns.items()}}
        self.cells[name] = c

    def ff(self, name, d, q, line):
        self.cell(name, "TRELLIS_FF", {"CLK": 2, "DI": d, "Q": q, "LSR": "0"}, line,
                  {"CEMUX": "1 ", "CLKMUX": "CLK", "GSR": "DISABLED", "LSRMUX": "LSR",
                   "REGSET": "RESET"})
        self.netnames[name] = {"hide_name": 0, "bits": [q],
                               "attributes": {"src": f"{self.src}:{line}.10-{line}.12"}}

    def lut(self, name, a, z):
        self.cell(name, "LUT4", {"A": a, "B": "0", "C": "0", "D": "0", "Z": z}, None,
                  {"INIT": "1010101010101010"})  # Z = A

    def write(self, path):
        top = {"attributes": {"top": "00000000000000000000000000000001"},
               "ports": {"clk_i": {"direction": "input", "bits": [2]}},
               "cells": self.cells, "netnames": self.netnames}
        path.write_text(json.dumps({"creator": "selftest", "modules": {"t": top}}))
        return path


def run(*args):
    r = subprocess.run([sys.executable, str(PATHS), *map(str, args)], capture_output=True,
                       text=True, cwd=ROOT)
    return r.returncode, r.stdout, r.stderr


def paths_of(out):
    """(delay, header, start, end) of every path in the text output."""
    res = []
    for m in re.finditer(r"^#\d+\s+([0-9.]+) ns  (.*)\n\s+start\s+(.*)\n\s+end\s+(.*)$", out,
                         re.M):
        res.append((float(m.group(1)), m.group(2), m.group(3), m.group(4)))
    return res


def base_net():
    """(a): ff_a -> 3 LUT4 -> ff_b (lines 10 -> 20); ff_c -> LUT4 -> ff_d (30 -> 40)."""
    n = Net()
    n.ff("ff_a", 100, 10, 10)
    n.lut("l1", 10, 11)
    n.lut("l2", 11, 12)
    n.lut("l3", 12, 13)
    n.ff("ff_b", 13, 14, 20)
    n.ff("ff_c", 101, 20, 30)
    n.lut("l4", 20, 21)
    n.ff("ff_d", 21, 22, 40)
    n.ff("ff_src_a", 14, 100, 90)  # feed the first flip-flops from registers too
    n.ff("ff_src_c", 22, 101, 91)
    return n


def sdf(wires, cells=()):
    """nextpnr-style SDF: wires = [(driver cell/port, sink cell/port, delay ns)], names escaped
    as nextpnr escapes them; cells = [(cell type, instance, [(input, output, delay ns)])], the
    cell delays (IOPATH) nextpnr writes for each packed cell."""
    esc = lambda x: re.sub(r"([$\[\]\\])", r"\\\1", x)  # noqa: E731
    lines = [f"        (INTERCONNECT {esc(s)} {esc(d)} ({int(ns * 900)}:{int(ns * 950)}:"
             f"{int(ns * 1000)}) ({int(ns * 900)}:{int(ns * 950)}:{int(ns * 1000)}))"
             for s, d, ns in wires]
    ps = lambda ns: f"({int(ns * 800)}:{int(ns * 900)}:{int(ns * 1000)})"  # noqa: E731
    blocks = "".join(
        f"  (CELL\n    (CELLTYPE \"{typ}\")\n    (INSTANCE {esc(inst)})\n    (DELAY\n"
        "      (ABSOLUTE\n" + "".join(f"        (IOPATH {i} {o} {ps(ns)} {ps(ns)})\n"
                                   for i, o, ns in arcs) + "      )\n    )\n  )\n"
        for typ, inst, arcs in cells)
    return ("(DELAYFILE\n  (SDFVERSION \"3.0\")\n  (DIVIDER /)\n  (TIMESCALE 1ps)\n" + blocks
            + "  (CELL\n    (CELLTYPE \"top\")\n    (INSTANCE )\n    (DELAY\n      (ABSOLUTE\n"
            + "\n".join(lines) + "\n      )\n    )\n  )\n)\n")


def report(mhz=125.0):
    """A nextpnr-style JSON report with a clock constraint and two critical paths."""
    clk = "posedge $glbnet$clk_i"
    crit = [{"from": clk, "to": clk, "path": [{"delay": x} for x in (0.5, 6.0, 0.2)]},
            {"from": "<async>", "to": clk, "path": [{"delay": 30.0}]}]  # not a clocked path
    return {"fmax": {"$glbnet$clk_i": {"achieved": 50.0, "constraint": mhz}},
            "utilization": {}, "critical_paths": crit}


def main():
    mod = script()
    m = mod.MODEL
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        # (a) three LUT levels above one.
        f = base_net().write(tmp / "a.json")
        rc, out, err = run(f)
        ps = paths_of(out)
        check(rc == 0, f"(a) runs (rc {rc}) {err.strip()}")
        check(len(ps) >= 2, f"(a) at least two paths reported ({len(ps)})")
        if len(ps) >= 2:
            check("3 LUT levels (3 LUT4)" in ps[0][1], f"(a) worst path has 3 LUT levels: "
                  f"{ps[0][1]}")
            check(ps[0][2].startswith("paths_selftest.sv:10 ") and "TRELLIS_FF.Q" in ps[0][2],
                  f"(a) start is line 10, TRELLIS_FF.Q: {ps[0][2]}")
            check(ps[0][3].startswith("paths_selftest.sv:20 ") and "TRELLIS_FF.DI" in ps[0][3],
                  f"(a) end is line 20, TRELLIS_FF.DI: {ps[0][3]}")
            check(ps[1][3].startswith("paths_selftest.sv:40 ")
                  and "1 LUT level (1 LUT4)" in ps[1][1] and ps[1][0] < ps[0][0],
                  f"(a) the 1-LUT path ranks second: {ps[1]}")
        check(re.search(r"^\d+ endpoints analysed, worst estimate [0-9.]+ ns \([0-9.]+ MHz\), "
                        r"[0-9.]+ s$", out, re.M) is not None, "(a) summary line")

        # (b) an unregistered multiplier beats three LUTs; a registered one cuts the path.
        n = base_net()
        n.ff("ff_e", 100, 30, 50)
        n.cell("mul", "MULT18X18D", {"A0": 30, "B0": "1", "P0": 31}, 55)
        n.ff("ff_f", 31, 32, 60)
        n.ff("ff_g", 100, 40, 70)
        n.cell("mul_r", "MULT18X18D", {"A0": 40, "B0": "1", "P0": 41, "CLK0": 2}, 75,
               {"REG_OUTPUT_CLK": "CLK0"})
        n.ff("ff_h", 41, 42, 80)
        f = n.write(tmp / "b.json")
        rc, out, err = run(f, "--top", "10")
        ps = paths_of(out)
        check(rc == 0 and len(ps) >= 3, f"(b) runs, {len(ps)} paths")
        if ps:
            check(ps[0][3].startswith("paths_selftest.sv:60 ") and "1 MULT18X18D" in ps[0][1],
                  f"(b) worst path runs through the MULT18X18D into line 60: {ps[0]}")
            want = m["ff_clk_to_q"] + 2 * (m["net"] + m["net_block"]) + m["mult18"] \
                + m["ff_setup"]
            check(abs(ps[0][0] - want) < 0.006,
                  f"(b) its delay includes the multiplier: {ps[0][0]} vs {want:.3f}")
        rank = {p[3].split(" ")[0]: i for i, p in reversed(list(enumerate(ps)))}
        check(rank.get("paths_selftest.sv:60", 99) < rank.get("paths_selftest.sv:20", 99),
              "(b) the multiplier path ranks above the 3-LUT path")
        check(any("(MULT18X18D.A0;" in p[3] for p in ps),
              "(b) a registered MULT18X18D's input is an endpoint")
        check(any("(MULT18X18D.P0;" in p[2] and p[3].startswith("paths_selftest.sv:80 ")
                  for p in ps), "(b) a registered MULT18X18D's output is a startpoint")
        check(not any("MULT18X18D.CLK" in p[3] for p in ps), "(b) DSP clock pins are no endpoints")

        # (c) block RAM read without output register starts with the EBR delay.
        n = Net()
        dp = {f"AD{s}{i}": "0" for s in "AB" for i in range(14)}
        n.cell("u_ram.mem_q.0.0", "DP16KD", {**dp, "CLKA": 2, "ADA5": 50, "DOA0": 51}, None,
               {"REGMODE_A": "NOREG", "REGMODE_B": "NOREG"})
        n.ff("ff_i", 51, 52, 110)
        n.cell("u_rom.mem_q.0.0", "DP16KD", {**dp, "CLKA": 2, "DOA0": 53}, None,
               {"REGMODE_A": "OUTREG", "REGMODE_B": "NOREG"})
        n.ff("ff_j", 53, 54, 120)
        n.ff("ff_k", 52, 50, 130)  # drives the first RAM's address
        f = n.write(tmp / "c.json")
        js = tmp / "c_out.json"
        rc, out, err = run(f, "--json", js)
        ps = paths_of(out)
        wire = m["net"] + m["net_block"] + m["ff_setup"]
        check(rc == 0 and bool(ps), f"(c) runs (rc {rc}) {err.strip()}")
        if ps:
            check("DP16KD.DOA0" in ps[0][2] and ps[0][3].startswith("paths_selftest.sv:110 "),
                  f"(c) worst path starts at the NOREG DP16KD: {ps[0][2]}")
            check(ps[0][2].startswith("memory u_ram.mem_q "),
                  f"(c) the block RAM is named by its memory: {ps[0][2]}")
            check(abs(ps[0][0] - (m["ebr_clk_to_do"] + wire)) < 0.006,
                  f"(c) its delay is the DP16KD clock-to-DO + net + setup: {ps[0][0]} vs "
                  f"{m['ebr_clk_to_do'] + wire:.3f}")
        d = json.loads(js.read_text())
        outreg = [p for p in d["paths"] if p["end"]["rtl"] == ["paths_selftest.sv:120"]]
        check(len(outreg) == 1 and abs(outreg[0]["delay_ns"] - (m["ff_clk_to_q"] + wire)) < 1e-3,
              "(c) an OUTREG DP16KD starts like a flip-flop")
        check(any(p["end"]["port"] == "ADA5" and p["end"]["type"] == "DP16KD"
                  for p in d["paths"]), "(c) a DP16KD address input is an endpoint")

        # (d) malformed input.
        bad = tmp / "bad.json"
        bad.write_text("{not json")
        rc, out, err = run(bad)
        check(rc == 1 and "not a Yosys JSON netlist" in err, f"(d) broken JSON: rc {rc}, {err}")
        rc, out, err = run(tmp / "missing.json")
        check(rc == 1 and "no such file" in err, f"(d) missing file: rc {rc}, {err}")
        notop = tmp / "notop.json"
        notop.write_text(json.dumps({"modules": {"m": {"cells": {}, "netnames": {}}}}))
        rc, out, err = run(notop)
        check(rc == 1 and "no top module" in err, f"(d) no top module: rc {rc}, {err}")
        lst = tmp / "list.json"
        lst.write_text("[1, 2]")
        rc, out, err = run(lst)
        check(rc == 1 and "not a Yosys JSON netlist" in err, f"(d) not a netlist: rc {rc}, {err}")

        # (e) --json matches the text output.
        js = tmp / "b_out.json"
        rc, out, err = run(tmp / "b.json", "--top", "10", "--json", js)
        ps = paths_of(out)
        try:
            d = json.loads(js.read_text())
        except (OSError, ValueError) as e:
            d = {}
            check(False, f"(e) --json file parses: {e}")
        if d and ps:
            w = d["paths"][0]
            check(f"{w['delay_ns']:.2f}" == f"{ps[0][0]:.2f}" and w["start"]["text"] == ps[0][2]
                  and w["end"]["text"] == ps[0][3],
                  f"(e) JSON worst path = text worst path ({w['delay_ns']}, {ps[0][0]})")
            check(len(d["paths"]) == len(ps) and d["worst_ns"] == w["delay_ns"]
                  and d["endpoints"] > 0 and w["mult18x18d"] == 1,
                  "(e) JSON path count, worst and endpoint count")

        # (f) a combinational loop is broken and reported once.
        n = base_net()
        n.cell("loop_a", "LUT4", {"A": 10, "B": 61, "C": "0", "D": "0", "Z": 60}, 140,
               {"INIT": "1110111011101110"})  # A | B
        n.lut("loop_b", 60, 61)
        n.ff("ff_l", 61, 62, 150)
        rc, out, err = run(n.write(tmp / "f.json"))
        check(rc == 0 and err.count("combinational loop") == 1 and "loop_a" in err
              and "loop_b" in err,
              f"(f) loop broken with one warning: rc {rc}, {err.strip()}")
        check(any(p[3].startswith("paths_selftest.sv:150 ") for p in paths_of(out)),
              "(f) the path out of the loop is still reported")

        # (g) --by start: one path per startpoint line.
        rc, out, err = run(tmp / "a.json", "--by", "start", "--top", "20")
        starts = [p[2].split(" ")[0] for p in paths_of(out)]
        check(rc == 0 and len(starts) == len(set(starts)) and "paths_selftest.sv:10" in starts
              and "paths_selftest.sv:30" in starts, f"(g) --by start: {starts}")

        # (h) paths that name an RTL file changed after the netlist was written get a warning.
        n = Net("../../../rtl/npu_rr_arb.sv")
        n.ff("ff_h0", 71, 70, 40)
        n.lut("l_h", 70, 72)
        n.ff("ff_h1", 72, 71, 41)
        h = n.write(tmp / "h.json")
        rc, out, err = run(h)
        check(rc == 0 and "changed after" not in err and "npu_rr_arb.sv:40" in out,
              f"(h) a netlist newer than its RTL: no warning: rc {rc}, {err.strip()}")
        os.utime(h, (1, 1))
        rc, out, err = run(h)
        check(rc == 0 and re.search(r"warning: rtl/npu_rr_arb\.sv changed after .*h\.json", err),
              f"(h) a netlist older than its RTL: the file is named: rc {rc}, {err.strip()}")

        # (i) --routed: nextpnr's routed connection delays and cell figures.
        n = base_net()
        n.ff("ff_m", 100, 80, 160)
        n.lut("u.x$y[0]", 80, 81)             # a name SDF escapes
        n.ff("ff_n", 81, 82, 170)
        n.ff("ff_p", 100, 90, 180)            # ff_p -> PFUMX select -> ff_q
        n.lut("l_a", 100, 91)
        n.lut("l_b", 100, 92)
        n.cell("mux", "PFUMX", {"ALUT": 91, "BLUT": 92, "C0": 90, "Z": 93}, 185)
        n.ff("ff_q", 93, 94, 190)
        n.ff("ff_r", 100, 95, 200)            # ff_r -> LUT RAM read address -> ff_s
        n.cell("ram", "TRELLIS_DPR16X4", {"RAD": 95, "DO": 96, "WCK": 2}, None)
        n.ff("ff_s", 96, 97, 210)
        n.ff("ff_u", 100, 110, 220)           # ff_u -> carry chain broken by nextpnr -> ff_v
        n.cell("cc1", "CCU2C", {"A0": 110, "COUT": 111}, 225)
        n.cell("cc2", "CCU2C", {"CIN": 111, "S0": 112}, 226)
        n.ff("ff_v", 112, 113, 230)
        n.ff("ff_w", 100, 120, 240)           # ff_w -> bit 0's input of a CCU2C -> its S1 -> ff_x
        n.cell("cc3", "CCU2C", {"A0": 120, "S1": 121}, 245)
        n.ff("ff_x", 121, 122, 250)
        n.ff("ff_y", 100, 125, 260)           # ff_y -> a carry out to logic -> ff_z
        n.cell("cc4", "CCU2C", {"A0": 125, "COUT": 126}, 265)
        n.lut("l_c", 126, 127)
        n.ff("ff_z", 127, 128, 270)
        f = n.write(tmp / "i.json")
        rt = dict(m, **mod.ROUTED_CELLS)
        rdir = tmp / "pnr"
        rdir.mkdir()
        sd = rdir / "routed.sdf"
        sd.write_text(sdf([
            ("ff_c/Q", "l4/A", 9.0),          # the 1-LUT path gets a long wire
            ("l4/F", "ff_d/DI", 0.5),
            ("ff_a/Q", "l1/A", 0.7),
            ("l1/F", "l2/A", 3.0),            # l2 -> l3 is not in the SDF: the model's net
            ("l3/F", "ff_b/M", 0.2),          # flip-flop data on M
            ("ff_m/Q", "u.x$y[0]/A", 7.0),
            ("u.x$y[0]/F", "ff_n/DI", 0.1),
            ("ff_p/Q", "l_b/M", 6.0),         # a PFUMX's select: M of its BLUT LUT's cell
            ("l_b/OFX", "ff_q/DI", 0.3),
            ("ff_r/Q", "ram$DPRAM_COMB0/D", 4.0),  # LUT RAM: found by its driver
            ("$PACKER_GND/F", "ram$DPRAM_COMB0/A", 8.0),
            ("ram$DPRAM_COMB0/F", "ff_s/DI", 0.2),
            ("ff_u/Q", "cc1$CCU2_COMB0/A", 0.5),
            ("cc1$CCU2_COMB1/FCO", "$nextpnr_CCU2C_7$CCU2_COMB0/FCI", 0.0),
            ("$nextpnr_CCU2C_7$CCU2_COMB0/F", "$nextpnr_CCU2C_7$CCU2_COMB1/A", 0.8),
            ("$nextpnr_CCU2C_7$CCU2_COMB1/FCO", "cc2$CCU2_COMB0/FCI", 0.0),
            ("cc2$CCU2_COMB0/F", "ff_v/DI", 0.2),
            ("ff_w/Q", "cc3$CCU2_COMB0/A", 0.5),
            ("cc3$CCU2_COMB1/F", "ff_x/DI", 0.2),
            ("ff_y/Q", "cc4$CCU2_COMB0/A", 0.5),
            ("cc4$CCU2_COMB1/FCO", "$nextpnr_CCU2C_9$CCU2_COMB0/FCI", 0.0),
            ("$nextpnr_CCU2C_9$CCU2_COMB0/F", "l_c/A", 0.6),  # leaves through a carry cell
            ("l_c/F", "ff_z/DI", 0.2),
            ("ff_b/Q", "ff_src_a/DI", 0.4),
            ("ff_d/Q", "ff_src_c/DI", 0.4)]))
        (rdir / "pnr_report.json").write_text(json.dumps(report()))
        js = tmp / "i_out.json"
        rc, out, err = run(f, "--routed", sd, "--json", js, "--top", "20")
        ps = paths_of(out)
        by_end = {p[3].split(" ")[0]: p for p in ps}
        check(rc == 0 and len(ps) >= 4, f"(i) runs (rc {rc}) {err.strip()}")
        want = {
            "paths_selftest.sv:40": rt["ff_clk_to_q"] + 9.0 + rt["lut4"] + 0.5,
            "paths_selftest.sv:20": rt["ff_clk_to_q"] + 0.7 + rt["lut4"] + 3.0 + rt["lut4"]
            + m["net"] + rt["lut4"] + 0.2,
            "paths_selftest.sv:170": rt["ff_clk_to_q"] + 7.0 + rt["lut4"] + 0.1,
            "paths_selftest.sv:190": rt["ff_clk_to_q"] + 6.0 + rt["mux"] + 0.3,
            "paths_selftest.sv:210": rt["ff_clk_to_q"] + 4.0 + rt["dpr_read"] + 0.2,
            # the break: carry out of the break cell, its routed input, carry in again
            "paths_selftest.sv:230": rt["ff_clk_to_q"] + 0.5 + rt["carry_in"]
            + (rt["carry_out"] + 0.8 + rt["carry_in"]) + rt["carry_out"] + 0.2,
            # bit 0's input to S1: into the carry, then out of bit 1 (nextpnr 0.447 + 0.403)
            "paths_selftest.sv:250": rt["ff_clk_to_q"] + 0.5 + rt["carry_in"] + rt["carry_out"]
            + 0.2,
            # a carry out to logic: the inserted cell's CIN to S before its routed output
            "paths_selftest.sv:270": rt["ff_clk_to_q"] + 0.5 + rt["carry_in"]
            + (rt["carry_out"] + 0.6) + rt["lut4"] + 0.2}
        for end, w in want.items():
            got = by_end.get(end)
            check(got is not None and abs(got[0] - w) < 0.006,
                  f"(i) path into {end}: {w:.3f} ns from the SDF: {got}")
        check(ps and ps[0][3].startswith("paths_selftest.sv:40 "),
              f"(i) the long-wire 1-LUT path ranks first: {ps[:1]}")
        check("after routing" in out and "constraint and critical path from" in err
              and "warning" not in err,
              f"(i) routed header; the report beside the SDF is read: {err.strip()}")
        check("nextpnr's critical path (clocked): 6.70 ns (149.3 MHz)" in out,
              "(i) nextpnr's own clocked critical path is printed beside the ranking")
        over = sum(1 for p in json.loads(js.read_text())["paths"] if p["delay_ns"] > 8.0)
        check(re.search(r"^1 endpoint bit over the constraint's 8\.00 ns period \(125\.0 MHz\)$",
                        out, re.M) is not None and over == 1,
              f"(i) endpoints over the 125 MHz period counted: {out[-200:]}")
        check(re.search(r"^  \(top level\)\s+1\s+10\.26$", out, re.M) is not None
              and json.loads(js.read_text())["failing_by_instance"]
              == {"(top level)": {"endpoint_bits": 1, "worst_ns": 10.261}},
              "(i) the failing endpoint counted by instance")
        rc0, out0, _ = run(f)
        ps0 = paths_of(out0)
        check(rc0 == 0 and ps0 and ps0[0][3].startswith("paths_selftest.sv:20 "),
              "(i) without --routed the 3-LUT path ranks first (the SDF changed the order)")
        rc, out, err = run(f, "--routed", tmp / "a.json")
        check(rc == 1 and "not an SDF file" in err and "--sdf" in err,
              f"(i) a file that is not SDF: rc {rc}, {err.strip()}")
        other = tmp / "other.sdf"
        other.write_text(sdf([(f"c{i}/Q", f"d{i}/A", 1.0) for i in range(4)]))
        rc, out, err = run(f, "--routed", other)
        check(rc == 0 and "is it the SDF of this netlist?" in err,
              f"(i) the SDF of another netlist: a warning: rc {rc}, {err.strip()}")
        rc, out, err = run(f, "--pnr-report", rdir / "pnr_report.json")
        check(rc == 2 and "--pnr-report goes with --routed" in err,
              f"(i) --pnr-report alone is a usage error: rc {rc}")
        # The SDF's own cell delays (another speed grade's) replace speed 6's figures: the
        # flip-flop, LUT and PFUMX select of the two paths below, and a carry cell's.
        fast = tmp / "pnr_fast"
        fast.mkdir()
        sd_fast = fast / "routed.sdf"
        sd_fast.write_text(sdf([
            ("ff_c/Q", "l4/A", 9.0), ("l4/F", "ff_d/DI", 0.5),
            ("ff_p/Q", "l_b/M", 6.0), ("l_b/OFX", "ff_q/DI", 0.3),
            ("ff_w/Q", "cc3$CCU2_COMB0/A", 0.5), ("cc3$CCU2_COMB1/F", "ff_x/DI", 0.2)], cells=[
            ("TRELLIS_FF", "ff_c", [("CLK", "Q", 0.4)]),
            ("TRELLIS_FF", "ff_p", [("CLK", "Q", 0.41)]),   # the largest of a kind counts
            ("TRELLIS_COMB", "l4", [("A", "F", 0.18), ("B", "F", 0.18)]),
            ("TRELLIS_COMB", "l_b", [("M", "OFX", 0.2), ("F1", "OFX", 0.13)]),
            ("TRELLIS_COMB", "cc3$CCU2_COMB0", [("A", "FCO", 0.35), ("FCI", "F", 0.33)])]))
        rc, out, err = run(f, "--routed", sd_fast, "--top", "20")
        by_end = {p[3].split(" ")[0]: p for p in paths_of(out)}
        want = {"paths_selftest.sv:40": 0.41 + 9.0 + 0.18 + 0.5,
                "paths_selftest.sv:190": 0.41 + 6.0 + 0.2 + 0.3,
                "paths_selftest.sv:250": 0.41 + 0.5 + 0.35 + 0.33 + 0.2}
        for end, w in want.items():
            got = by_end.get(end)
            check(rc == 0 and got is not None and abs(got[0] - w) < 0.006,
                  f"(i) path into {end} with the SDF's cell delays: {w:.3f} ns: {got}")
        check("cell delays from the SDF (ns): ff_clk_to_q 0.410, lut4 0.180" in err,
              f"(i) the SDF's cell delays are named: {err.strip()}")
        check("the SDF has no cell delays (IOPATH)" in run(f, "--routed", sd)[2],
              "(i) an SDF without cell delays falls back to speed 6's figures, and says so")

        # (j) --to, --from, --cone and --by net.
        n = base_net()
        n.ff("ff_x", 100, 300, 110)           # ff_x -> 2 LUT4 -> OR -> ff_z (3 levels)
        n.lut("l_x1", 300, 301)
        n.lut("l_x2", 301, 302)
        n.ff("ff_y", 100, 303, 111)           # ff_y -> OR -> ff_z (1 level)
        n.cell("l_or", "LUT4", {"A": 302, "B": 303, "C": "0", "D": "0", "Z": 304}, None,
               {"INIT": "1110111011101110"})  # A | B
        n.ff("ff_z", 304, 305, 120)
        n.ff("ff_r0", 100, 310, 130)          # a 2-bit register sig_r on lines 130 and 131
        n.ff("ff_r1", 100, 311, 131)
        del n.netnames["ff_r0"], n.netnames["ff_r1"]
        n.netnames["sig_r"] = {"hide_name": 0, "bits": [310, 311],
                               "attributes": {"src": f"{SRC}:130.10-131.12"}}
        n.lut("l_r0", 310, 312)
        n.ff("ff_s0", 312, 313, 140)
        n.lut("l_r1", 311, 314)
        n.ff("ff_s1", 314, 315, 141)
        f = n.write(tmp / "j.json")
        rc, out, err = run(f, "--to", r"selftest\.sv:120 ", "--top", "10")
        ps = paths_of(out)
        check(rc == 0 and len(ps) == 1 and ps[0][2].startswith("paths_selftest.sv:110 ")
              and "3 LUT levels" in ps[0][1] and "1 of " in err,
              f"(j) --to: only the selected endpoint, its worst start: rc {rc}, {ps}, {err}")
        rc, out, err = run(f, "--to", r"selftest\.sv:120 ", "--cone", "--top", "10")
        ps = paths_of(out)
        check(rc == 0 and [p[2].split(" ")[0] for p in ps]
              == ["paths_selftest.sv:110", "paths_selftest.sv:111"]
              and "3 LUT levels" in ps[0][1] and "1 LUT level (1 LUT4)" in ps[1][1]
              and ps[0][0] > ps[1][0] and all(p[3].startswith("paths_selftest.sv:120 ")
                                              for p in ps)
              and "startpoint bits of 2 signals" in out,
              f"(j) --cone: every start of the cone, deepest first: rc {rc}, {ps}")
        rc, out, err = run(f, "--to", r"selftest\.sv:120 ", "--from", r"selftest\.sv:111 ")
        ps = paths_of(out)
        check(rc == 0 and len(ps) == 1 and ps[0][2].startswith("paths_selftest.sv:111 ")
              and "1 LUT level (1 LUT4)" in ps[0][1],
              f"(j) --from: the path from the selected start, not the worst: rc {rc}, {ps}")
        rc, out, err = run(f, "--from", "sig_r", "--top", "10")
        ends = sorted(p[3].split(" ")[0] for p in paths_of(out))
        check(rc == 0 and ends == ["paths_selftest.sv:140", "paths_selftest.sv:141"],
              f"(j) --from a signal: the paths of its bits only: rc {rc}, {ends}")
        rc, out, err = run(f, "--to", "sig_r", "--top", "10")
        rc2, out2, err2 = run(f, "--to", "sig_r", "--by", "net", "--top", "10")
        check(rc == 0 and len(paths_of(out)) == 2 and rc2 == 0 and len(paths_of(out2)) == 1
              and "per endpoint signal" in out2,
              f"(j) --by net: the two bits of sig_r (two lines) are one signal: rc {rc}/{rc2}, "
              f"{paths_of(out)}, {paths_of(out2)}")
        rc, out, err = run(f, "--cone", "--to", "no_such_reg", "--top", "10")
        check(rc == 1 and "no endpoint matches --to 'no_such_reg'" in err,
              f"(j) --to that matches nothing: exit 1 and a message: rc {rc}, {err.strip()}")
        rc, out, err = run(f, "--from", "nothing_here")
        check(rc == 1 and "no startpoint matches --from 'nothing_here'" in err,
              f"(j) --from that matches nothing: exit 1 and a message: rc {rc}, {err.strip()}")
        rc, out, err = run(f, "--cone")
        check(rc == 2 and "--cone needs --to" in err, f"(j) --cone alone: usage error: rc {rc}")
        rc, out, err = run(f, "--to", "(")
        check(rc == 2 and "not a regular expression" in err,
              f"(j) a bad regular expression: usage error: rc {rc}, {err.strip()[-80:]}")

    return check.summary()


if __name__ == "__main__":
    sys.exit(main())

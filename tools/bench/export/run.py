#!/usr/bin/env python3
"""Times synapse's export (plugins/export-synapse-json, plugins/export-coco) beside the
plain-Python stand-in (stand_in.py) on the tasks prepare_data.py prepared, same data, same run.

For each item count and each format: one warm-up of each tool (not counted) and N counted runs
(default 3), the tools alternating run by run, each run after a `sync` (outside the timing)
into a fresh, never-used folder of storage `out`; nothing is deleted between runs
(shared/notes/benchmarking.md: creates right after a mass delete are up to 10x slower). Wall
time, CPU and peak RSS are measured as in tools/bench/upload/run.py (GNU time %M = the largest
single process). The table gives items/s from the median wall time, the peak
RSS, and synapse's speed ÷ the stand-in's. Running two item counts (default 10,000 and
100,000) shows whether peak RSS depends on the number of items.

Two more tools take their turn in the same alternation: `floor` (write_floor.cpp, compiled here
with the system compiler) writes the files synapse's warm-up wrote (same names, same sizes) and
nothing else, from two threads, without a sync; `floor+sync` does the same and ends with one
syncfs, as synapse's export does before it removes its EXPORT_INCOMPLETE marker. No exporter of
this output can beat `floor` (nor, if its output is to survive a crash, `floor+sync`), so the
stand-in's time ÷ theirs is the best ratio reachable on this machine in this run; the table
prints it as their "ceiling".
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import prepare_data  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "..", "upload"))
import run as upload_run  # noqa: E402  (tools/bench/upload/run.py: measure, fresh_dest, ...)

PLUGINS = {"json": "export-synapse-json", "coco": "export-coco"}
TOOLS = ("python", "synapse", "floor", "floor+sync")


def build_floor(work):
    return upload_run.build_floor_program(os.path.join(HERE, "write_floor.cpp"), work)


def write_manifest(output, manifest):
    """One `relative/path<TAB>size` line per file under OUTPUT (a finished synapse export)."""
    with open(manifest, "w") as f:
        for folder, _, names in os.walk(output):
            for name in names:
                path = os.path.join(folder, name)
                f.write(f"{os.path.relpath(path, output)}\t{os.path.getsize(path)}\n")


class Runner:
    """Runs one tool once on one format; keeps each tool's log and counted results."""

    def __init__(self, root, ids, args, use_gnu_time, commands):
        self.root, self.ids, self.args = root, ids, args
        self.use_gnu_time, self.commands = use_gnu_time, commands
        self.logs = os.path.join(root, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.floor_bin = build_floor(args.work)
        self.manifests = {}  # format -> manifest of a synapse output, for the floor

    def command(self, tool, fmt, dest):
        home = os.path.join(self.root, "home")
        if tool == "python":
            return (f"python3 {HERE}/stand_in.py --home {home} --project {self.ids['project']} "
                    f"--format {fmt} --out {dest}/bench")
        if tool.startswith("floor"):
            sync = " sync" if tool == "floor+sync" else ""
            return f"{self.floor_bin} {self.manifests[fmt]} {dest}/bench 2{sync}"
        os.makedirs(dest)
        params = os.path.join(dest + ".params.json")
        with open(params, "w") as f:
            json.dump({"name": "bench", "storage": self.ids["out"],
                       "path": os.path.relpath(dest, os.path.join(self.root, "out")),
                       "target": "task", "filter": {"project": self.ids["project"]},
                       "save_original_file": False}, f)
        plugin = os.path.join(upload_run.REPO, "plugins", PLUGINS[fmt])
        return f"{self.args.synapse_bin} run -q {plugin} export --params @{params} >/dev/null"

    def run(self, tool, fmt, label):
        """(result, None) or (None, note)."""
        log_path = os.path.join(self.logs, f"{tool}-{fmt}.log")
        dest = upload_run.fresh_dest(os.path.join(self.root, "out"))  # never used before
        cmd = self.command(tool, fmt, dest)
        env = dict(os.environ, SYNAPSE_HOME=os.path.join(self.root, "home"))
        # No tool pays for another's dirty pages (ours ends with a syncfs).
        subprocess.run(["sync"], check=False)
        with open(log_path, "a") as log:
            log.write(f"\n### {label}: {cmd}\n")
            log.flush()
            result = upload_run.measure(cmd, self.root, env, log, self.use_gnu_time,
                                        os.path.join(self.logs, ".time"))
        self.commands.append((f"{tool} {fmt}", label, cmd))
        print(f"  {tool:<10} {fmt:<5} {label:<8} {result['wall']:9.3f} s  cpu {result['cpu']:7.2f} s"
              f"  rss {result['rss_kib'] / 1024:7.1f} MiB", flush=True)
        if result["rc"] != 0:
            print(upload_run.tail(log_path), file=sys.stderr)
            return None, f"exit {result['rc']} on {label} (see {log_path})"
        written = len(os.listdir(os.path.join(dest, "bench", "json")))
        if written != self.ids["items"]:
            return None, f"{label} wrote {written} json files, expected {self.ids['items']}"
        if tool == "synapse" and fmt not in self.manifests:  # outside the timing
            self.manifests[fmt] = os.path.join(self.logs, f"{fmt}.manifest")
            write_manifest(os.path.join(dest, "bench"), self.manifests[fmt])
        return result, None


def interleaved(runner, fmt, args):
    """Warm-ups, then counted runs, alternating the tools run by run (python, synapse, floor,
    python, ...), so a drift of the machine's load over the minutes of a series weighs on all."""
    counted = {tool: [] for tool in TOOLS}
    notes = {tool: None for tool in TOOLS}
    for i in range(args.warmup + args.runs):
        label = "warm-up" if i < args.warmup else f"run {i - args.warmup + 1}"
        for tool in TOOLS:
            if notes[tool]:
                continue
            if tool.startswith("floor") and fmt not in runner.manifests:
                notes[tool] = "no synapse output to copy the shape of"
                continue
            result, note = runner.run(tool, fmt, label)
            if note:
                notes[tool] = note
            elif i >= args.warmup:
                counted[tool].append(result)
    return counted, notes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default=prepare_data.DEFAULT_WORK)
    ap.add_argument("--items", type=int, action="append", help="item counts (default 10000 and 100000)")
    ap.add_argument("--formats", default="json,coco")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--synapse-bin", default=os.path.join(upload_run.REPO, "build", "release", "synapse"))
    args = ap.parse_args(argv)
    use_gnu_time = upload_run.has_gnu_time()
    counts = args.items or [10_000, 100_000]
    formats = [f for f in args.formats.split(",") if f]
    commands, rows = [], []
    for count in counts:
        root, ids = prepare_data.prepare(args.work, count, args.synapse_bin)
        ids = dict(ids, items=count)
        runner = Runner(root, ids, args, use_gnu_time, commands)
        for fmt in formats:
            print(f"== {count:,} items, {fmt}: python and synapse, run by run", flush=True)
            counted, notes = interleaved(runner, fmt, args)
            for tool in TOOLS:
                rows.append((count, fmt, tool, counted[tool], notes[tool]))

    print()
    print("| items | format | tool | runs | median s | min–max s | items/s | CPU s | peak RSS MiB | ÷ python (items/s) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    medians = {(c, f, t): statistics.median(r["wall"] for r in runs)
               for c, f, t, runs, note in rows if runs and not note}
    for count, fmt, tool, runs, note in rows:
        if not runs or note:
            print(f"| {count:,} | {fmt} | {tool} | {len(runs or [])} | — | — | — | — | — | {note} |")
            continue
        walls = [r["wall"] for r in runs]
        med = statistics.median(walls)
        cpu = statistics.median(r["cpu"] for r in runs)
        rss = statistics.median(r["rss_kib"] for r in runs) / 1024
        py = medians.get((count, fmt, "python"))
        ratio = "—"
        if py and tool != "python":
            ratio = f"{py / med:.1f}×" + (" (ceiling)" if tool.startswith("floor") else "")
        print(f"| {count:,} | {fmt} | {tool} | {len(runs)} | **{med:.3f}** | {min(walls):.3f}–{max(walls):.3f}"
              f" | {count / med:,.0f} | {cpu:.2f} | {rss:.1f} | {ratio} |")
    print()
    print("Python stand-in: " + sys.version.split()[0] + "; outputs: json/<id>.json per item (+ instances.json for coco),"
          " save_original_file false; tools alternating run by run, each after a sync, into a fresh folder; medians of the counted runs."
          " floor = write_floor.cpp: the same files (names, sizes) written from 2 threads, nothing else;"
          " floor+sync: then one syncfs.")


if __name__ == "__main__":
    main()

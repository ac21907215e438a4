#!/usr/bin/env python3
"""Times synapse's upload against cp, rsync and rclone on the data sets of make_data.py.

Standard library only. For each chosen set, each tool runs one warm-up (not counted) and then
N counted runs (default 3; 1 for set c), every run into a fresh, never-used destination
WORK/<set>/fresh/<ns timestamp>. Nothing is deleted between runs: on this machine's ext4
without a journal, creates right after a mass delete are up to 10x slower for up to 6 minutes
(shared/notes/benchmarking.md). The copies are deleted after all series of the set, outside any
timing (see --cleanup).

Measures, per run:
  * wall time: time.perf_counter() around the whole measured process (/usr/bin/time, sh, tool);
  * peak RSS: the largest single process of the tree. With GNU time (/usr/bin/time -f '%e %U %S %M')
    %M is ru_maxrss from wait4() of its child `sh -c CMD`, which Linux reports as the maximum over
    that child and all of its waited-for descendants: the largest process, not a sum. Without GNU
    time the harness calls os.wait4() on the `sh -c CMD` child itself: the same figure;
  * CPU: user + system time of the tree (children included once waited for).

Tools (templates; {src}, {dest}, {work}, {set}, {synapse}, {params} are substituted):
  cp      cp -r {src} {dest}
  cp+sync cp -r {src} {dest} && sync -f {dest}   (cp made durable: the floor of a durable copy)
  rsync   rsync -a {src}/ {dest}/
  rclone  env -u AWS_CA_BUNDLE rclone copy {src} {dest}
  store-floor  store_floor {src} {dest} 2   (store_floor.cpp, compiled here: read, SHA-256, create
          {dest}/<aa>/<sha256>, write, from 2 threads, one syncfs; nothing else: the least a durable
          content-addressed file store does)
  synapse --synapse-cmd TEMPLATE (skipped without it). Before each synapse run, outside the
          timing, the harness creates {dest} (a fresh folder, also exported as SYNAPSE_HOME),
          writes {params} ({dest}/params.json) from --synapse-params when given, then runs the
          --synapse-setup TEMPLATE (create the catalog, register the storage and the collection,
          write params). {src} is the absolute path of the set's folder holding the spec folders.

  python3 tools/bench/upload/run.py --scale 0.01 --synapse-cmd 'cp -r {src} {dest}/copy'
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep the repository free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_data  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
GNU_TIME = "/usr/bin/time"
SMALL_FILE_SET = 10_000  # a set with at least this many files suffers from the delete trap

PEERS = {
    "cp": ("cp -r {src} {dest}", "cp"),
    # cp, then one syncfs of the destination's file system: what cp would take if its copy had
    # to survive a crash, as our upload's does (a sync barrier before each batch's rows).
    "cp+sync": ("cp -r {src} {dest} && sync -f {dest}", "cp"),
    "rsync": ("rsync -a {src}/ {dest}/", "rsync"),
    "rclone": ("env -u AWS_CA_BUNDLE rclone copy {src} {dest}", "rclone"),
    # store_floor.cpp: read, SHA-256, create <dest>/<aa>/<sha256>, write, from 2 threads, then
    # one syncfs; no catalog, no events. The least any durable content-addressed file store
    # does, so cp ÷ store-floor is the best ratio to cp our upload can reach that day.
    "store-floor": ("{store_floor} {src} {dest} 2", None),
}


def build_floor_program(source, work, libs=()):
    """Compiles a floor program (one .cpp beside floor_io.hpp's folder) into WORK, again when it or
    floor_io.hpp is newer than the binary; returns the binary's path. The export benchmark uses
    it too."""
    binary = os.path.join(work, os.path.splitext(os.path.basename(source))[0])
    header = os.path.join(HERE, "..", "floor_io.hpp")
    newest = max(os.path.getmtime(source), os.path.getmtime(header))
    if not os.path.exists(binary) or os.path.getmtime(binary) < newest:
        os.makedirs(work, exist_ok=True)
        subprocess.run([os.environ.get("CXX", "c++"), "-O2", "-pthread", "-std=c++20", "-o", binary,
                        source, *libs], check=True)
    return binary


def build_store_floor(work):
    return build_floor_program(os.path.join(HERE, "store_floor.cpp"), work, ["-lcrypto"])


class Tool:
    def __init__(self, name, template, binary=None, synapse=False):
        self.name = name
        self.template = template
        self.binary = binary  # a program that must be on PATH, or None
        self.synapse = synapse
        self.skip = None  # reason, when the tool cannot run


def fill(template, values, escape=None):
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", escape(value) if escape else value)
    return out


def has_gnu_time():
    if not os.access(GNU_TIME, os.X_OK):
        return False
    try:
        probe = subprocess.run([GNU_TIME, "-f", "%M", "true"], capture_output=True, text=True)
    except OSError:
        return False
    return probe.returncode == 0 and probe.stderr.strip().isdigit()


def measure(cmd, cwd, env, log, use_gnu_time, time_file):
    """Runs `sh -c cmd`; returns dict(wall, cpu, rss_kib, rc)."""
    if use_gnu_time:
        argv = [GNU_TIME, "-f", "%e %U %S %M", "-o", time_file, "sh", "-c", cmd]
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=log)
        rc = proc.wait()
        wall = time.perf_counter() - start
        with open(time_file) as f:
            lines = [line for line in f.read().splitlines() if line.strip()]
        try:
            _, user, system, rss = lines[-1].split()
            return {"wall": wall, "cpu": float(user) + float(system), "rss_kib": int(rss), "rc": rc}
        except (IndexError, ValueError):
            return {"wall": wall, "cpu": float("nan"), "rss_kib": 0, "rc": rc or 1,
                    "note": " / ".join(lines)}
    start = time.perf_counter()
    proc = subprocess.Popen(["sh", "-c", cmd], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=log)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_kib": usage.ru_maxrss,
            "rc": proc.returncode}


def rss_floor(use_gnu_time, cwd, time_file):
    """Peak RSS reported for `sh -c true`: the lowest figure this method can show. A child
    inherits its parent's high-water mark at fork/vfork, and exec keeps it in ru_maxrss: with GNU
    time the parent is the small `time` program (about 2 MiB), with os.wait4() it is this Python
    process (10-20 MiB). Peaks at this floor are shown as "≤ floor"."""
    with open(os.devnull, "w") as null:
        return max(measure("true", cwd, dict(os.environ), null, use_gnu_time, time_file)["rss_kib"]
                   for _ in range(3))


def fresh_dest(set_path):
    base = os.path.join(set_path, "fresh")
    os.makedirs(base, exist_ok=True)
    while True:
        path = os.path.join(base, str(time.time_ns()))
        if not os.path.exists(path):
            return path


def tail(path, lines=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def run_series(tool, set_name, set_path, src, args, use_gnu_time, commands):
    """Warm-up + counted runs of one tool on one set. Returns (list of counted runs, error)."""
    logs = os.path.join(set_path, "logs")
    os.makedirs(logs, exist_ok=True)
    log_path = os.path.join(logs, f"{tool.name}.log")
    time_file = os.path.join(logs, ".time")
    counted = []
    total = args.warmup + args.runs_for(set_name)
    with open(log_path, "a") as log:
        for i in range(total):
            label = "warm-up" if i < args.warmup else f"run {i - args.warmup + 1}"
            dest = fresh_dest(set_path)
            values = {"src": src, "dest": dest, "work": os.path.abspath(args.work), "set": set_name,
                      "synapse": args.synapse_bin, "params": os.path.join(dest, "params.json"),
                      "store_floor": args.store_floor_bin or ""}
            env = dict(os.environ)
            if tool.synapse:
                env["SYNAPSE_HOME"] = dest
                os.makedirs(dest)
                if args.synapse_params:
                    with open(values["params"], "w") as f:
                        f.write(fill(args.synapse_params, values,
                                     escape=lambda v: json.dumps(v)[1:-1]))
                if args.synapse_setup:
                    setup = fill(args.synapse_setup, values)
                    log.write(f"\n### {label} setup (not timed): {setup}\n")
                    log.flush()
                    done = subprocess.run(["sh", "-c", setup], cwd=set_path, env=env,
                                          stdin=subprocess.DEVNULL, stdout=log, stderr=log)
                    commands.append((tool.name, label + " setup", setup))
                    if done.returncode != 0:
                        return counted, f"setup exited {done.returncode} (see {log_path})"
            cmd = fill(tool.template, values)
            log.write(f"\n### {label}: {cmd}\n")
            log.flush()
            result = measure(cmd, set_path, env, log, use_gnu_time, time_file)
            commands.append((tool.name, label, cmd))
            print(f"  {tool.name:<8} {label:<8} {result['wall']:9.3f} s  cpu {result['cpu']:7.2f} s  "
                  f"rss {result['rss_kib'] / 1024:7.1f} MiB  $ {cmd}", flush=True)
            if result["rc"] != 0:
                print(tail(log_path), file=sys.stderr)
                return counted, f"exit {result['rc']} on {label} (see {log_path})"
            if i >= args.warmup:
                counted.append(result)
    return counted, None


def fmt_num(value, digits=0):
    if value >= 100 or digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def table(rows, files, nbytes, floor_kib):
    """rows: list of (tool name, runs or None, note). Returns Markdown lines."""
    head = ["tool", "runs", "median s", "min–max s", "files/s", "MB/s", "CPU s (median)",
            "peak RSS MiB (median)", "synapse / peer (speed)", "speed ÷ cp's"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    medians = {name: statistics.median(r["wall"] for r in runs)
               for name, runs, note in rows if runs and not note}
    syn = medians.get("synapse")
    cp = medians.get("cp")
    for name, runs, note in rows:
        if not runs or note:
            lines.append(f"| {name} | {len(runs or [])} | — | — | — | — | — | — | "
                         f"{note or 'no counted run'} | — |")
            continue
        walls = [r["wall"] for r in runs]
        med = statistics.median(walls)
        cpu = statistics.median(r["cpu"] for r in runs)
        rss_kib = statistics.median(r["rss_kib"] for r in runs)
        # At the measuring floor the figure is an upper bound (see rss_floor()).
        rss = (f"≤ {floor_kib / 1024:.1f}" if rss_kib <= floor_kib * 1.05
               else f"{rss_kib / 1024:.1f}")
        if syn is None:
            ratio = "—"
        elif name == "synapse":
            ratio = "1.00"
        else:
            ratio = f"{med / syn:.2f}"  # synapse files/s ÷ peer files/s
        vs_cp = "—" if cp is None else f"{cp / med:.2f}"  # this tool's files/s ÷ cp's
        lines.append(f"| {name} | {len(runs)} | **{med:.3f}** | {min(walls):.3f}–{max(walls):.3f} | "
                     f"{fmt_num(files / med, 1)} | {fmt_num(nbytes / 1e6 / med, 1)} | {cpu:.2f} | "
                     f"{rss} | {ratio} | {vs_cp} |")
    return lines


def statvfs_room(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize, st.f_favail


def delete_copies(set_path):
    fresh = os.path.join(set_path, "fresh")
    if not os.path.isdir(fresh):
        return 0
    start = time.monotonic()
    count = sum(len(names) for _, _, names in os.walk(fresh))
    subprocess.run(["rm", "-rf", "--one-file-system", fresh], check=False)
    print(f"deleted {fresh} ({count:,} files) in {time.monotonic() - start:.1f} s, outside timing")
    return count


def version_of(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).splitlines()[0].strip()
    except (OSError, IndexError, subprocess.SubprocessError):
        return "absent"


def machine_lines(use_gnu_time):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return [
        f"- date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- machine: {cpu}, {os.cpu_count()} CPUs, kernel {platform.release()}",
        f"- cp: {version_of(['cp', '--version'])}; rsync: {version_of(['rsync', '--version'])}; "
        f"rclone: {version_of(['rclone', 'version'])}",
        "- wall: Python perf_counter around the measured process; peak RSS: "
        + ("GNU time `%M` (wait4 ru_maxrss: largest single process of the tree)" if use_gnu_time
           else "os.wait4() ru_maxrss of `sh -c CMD` (largest single process of the tree)")
        + "; CPU: user+sys of the tree",
        "- MB = 10^6 bytes; files/s and MB/s from the median wall time; "
        "synapse / peer = peer median ÷ synapse median (> 1: synapse is faster); "
        "speed ÷ cp's = cp median ÷ the tool's median (the upload target for set a is ≥ 0.80)",
    ]


def parse_tools(text):
    return [t.strip() for t in text.split(",") if t.strip()]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default=make_data.DEFAULT_WORK, help="work folder of make_data.py")
    ap.add_argument("--sets", type=make_data.parse_sets, default=["a", "b"],
                    help="comma list of a,b,c (default a,b)")
    ap.add_argument("--scale", type=make_data.parse_scale, default=1.0,
                    help="the --scale the sets were generated with")
    ap.add_argument("--tools", type=parse_tools, default=["cp", "cp+sync", "rsync", "rclone", "store-floor", "synapse"],
                    help="comma list, in run order (default cp,cp+sync,rsync,rclone,store-floor,synapse; names given "
                         "with --extra may be listed too)")
    ap.add_argument("--extra", action="append", default=[], metavar="NAME=TEMPLATE",
                    help="another peer, e.g. 'tar=mkdir {dest} && tar -C {src} -cf - . | tar -C {dest} -xf -'"
                         " (appended to --tools unless listed there)")
    ap.add_argument("--synapse-cmd", help="command template of the tool under test, e.g. "
                    "'{synapse} run plugins/upload-default upload --params-file {params}'")
    ap.add_argument("--synapse-setup", help="command template run before each synapse run, not timed")
    ap.add_argument("--synapse-params", help="JSON template (or @file) written to {params} before "
                    "the setup; placeholders are substituted JSON-escaped")
    ap.add_argument("--synapse-bin", default=os.path.join(REPO, "build", "release", "synapse"),
                    help="substituted for {synapse} (default build/release/synapse)")
    ap.add_argument("--runs", type=int, help="counted runs per tool (default 3; 1 for set c)")
    ap.add_argument("--warmup", type=int, default=1, help="warm-up runs, not counted (default 1)")
    ap.add_argument("--cleanup", choices=["auto", "set", "end", "keep"], default="auto",
                    help="when the copies are deleted: set = after each set's series; end = after "
                         "all sets; keep = never; auto (default) = after the set, or at the end when "
                         f"a later set has >= {SMALL_FILE_SET:,} files (deletes slow its creates)")
    ap.add_argument("--no-sync", action="store_true",
                    help="do not run sync (outside timing) before each series")
    ap.add_argument("--no-space-check", action="store_true",
                    help="run even when the copies may not fit in the free space or inodes")
    ap.add_argument("--timer", choices=["auto", "gnu-time", "wait4"], default="auto",
                    help=f"how CPU and peak RSS are read: {GNU_TIME} -f '%%e %%U %%S %%M' or os.wait4() "
                         "on the `sh -c` child (auto: GNU time when it works)")
    ap.add_argument("--out", help="Markdown results file (default WORK/results/upload-<time>.md)")
    args = ap.parse_args(argv)

    args.runs_for = lambda s: args.runs if args.runs is not None else (1 if s == "c" else 3)
    if args.synapse_params and args.synapse_params.startswith("@"):
        with open(args.synapse_params[1:]) as f:
            args.synapse_params = f.read()
    if args.runs is not None and args.runs < 1 or args.warmup < 0:
        ap.error("--runs must be >= 1 and --warmup >= 0")

    tools = []
    extras = {}
    for spec in args.extra:
        name, sep, template = spec.partition("=")
        if not sep or not name or not template:
            ap.error(f"--extra wants NAME=TEMPLATE, got {spec!r}")
        extras[name] = template
    names = args.tools + [n for n in extras if n not in args.tools]
    for name in names:
        if name in PEERS:
            tool = Tool(name, *PEERS[name])
        elif name in extras:
            tool = Tool(name, extras[name])
        elif name == "synapse":
            tool = Tool("synapse", args.synapse_cmd or "", synapse=True)
            if not args.synapse_cmd:
                tool.skip = "skipped: no --synapse-cmd"
            elif "{synapse}" in (args.synapse_cmd + (args.synapse_setup or "")) and \
                    not os.access(args.synapse_bin, os.X_OK):
                tool.skip = f"skipped: {args.synapse_bin} not built"
        else:
            ap.error(f"unknown tool {name!r} (cp, cp+sync, rsync, rclone, store-floor, synapse or an "
                     "--extra name)")
        if tool.binary and not tool.skip and shutil.which(tool.binary) is None:
            tool.skip = f"skipped: {tool.binary} not installed (apt-get install {tool.binary})"
        tools.append(tool)

    args.store_floor_bin = None
    if any(t.name == "store-floor" and not t.skip for t in tools):
        try:
            args.store_floor_bin = build_store_floor(os.path.abspath(args.work))
        except (OSError, subprocess.CalledProcessError) as e:
            for t in tools:
                if t.name == "store-floor":
                    t.skip = f"skipped: store_floor.cpp did not build ({e}; needs libssl-dev)"

    use_gnu_time = args.timer != "wait4" and has_gnu_time()
    if args.timer == "gnu-time" and not use_gnu_time:
        ap.error(f"--timer gnu-time: no working GNU time at {GNU_TIME} (apt-get install time)")
    work = os.path.abspath(args.work)
    out = args.out or os.path.join(work, "results",
                                   f"upload-{time.strftime('%Y%m%d-%H%M%S')}.md")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    os.makedirs(work, exist_ok=True)
    floor_kib = rss_floor(use_gnu_time, work, os.path.join(work, ".time"))
    doc = ["# Upload benchmark", ""] + machine_lines(use_gnu_time) + [
        f"- peak RSS floor of this method (`sh -c true`): {floor_kib / 1024:.1f} MiB; "
        "peaks at the floor show as ≤ floor",
        f"- invocation: `{shlex.join([sys.executable] + sys.argv)}`", ""]
    print("\n".join(doc))
    for tool in tools:
        if tool.skip:
            print(f"note: {tool.name} {tool.skip}")

    deferred = []
    deleted = 0
    for index, set_name in enumerate(args.sets):
        set_path = make_data.set_dir(work, set_name, args.scale)
        marker = make_data.read_marker(set_path)
        title = f"## Set {set_name} (scale {args.scale:g})"
        if marker is None:
            note = (f"not generated: run `python3 tools/bench/upload/make_data.py --work {work} "
                    f"--sets {set_name} --scale {args.scale:g}` first")
            print(f"\n{title}: {note}")
            doc += [title, "", note, ""]
            continue
        src = os.path.join(set_path, "src")
        runnable = [t for t in tools if not t.skip]
        copies = len(runnable) * (args.warmup + args.runs_for(set_name))
        need_bytes = copies * marker["disk_bytes"] * 1.05
        need_inodes = copies * (marker["files"] + marker["dirs"] + 1)
        free_bytes, free_inodes = statvfs_room(set_path)
        if not args.no_space_check and (need_bytes > free_bytes or need_inodes > free_inodes):
            note = (f"skipped: {copies} copies need {need_bytes / 1e9:.1f} GB and {need_inodes:,} "
                    f"inodes, {free_bytes / 1e9:.1f} GB and {free_inodes:,} free "
                    "(fewer --runs/--tools, or --cleanup set)")
            print(f"\n{title}: {note}")
            doc += [title, "", note, ""]
            continue
        header = (f"{marker['files']:,} file{'s' if marker['files'] != 1 else ''}, {marker['bytes'] / 1e6:,.1f} MB "
                  f"({marker['description']}, scaled {args.scale:g}); source `{src}`; "
                  f"{args.warmup} warm-up + {args.runs_for(set_name)} counted run(s) per tool, "
                  "each into a fresh `fresh/<ns>` folder")
        print(f"\n{title}: {header}")
        rows = []
        commands = []
        for tool in tools:
            if tool.skip:
                rows.append((tool.name, None, tool.skip))
                continue
            if not args.no_sync:
                os.sync()
            runs, error = run_series(tool, set_name, set_path, src, args, use_gnu_time, commands)
            rows.append((tool.name, runs, f"failed: {error}" if error else None))
        lines = table(rows, marker["files"], marker["bytes"], floor_kib)
        print()
        print("\n".join(lines))
        doc += [title, "", header, ""] + lines + ["", "Commands, exactly as run "
                                                   "(`sh -c CMD` under the timer, cwd the set folder):", ""]
        doc += [f"- {name}, {label}: `{cmd}`" for name, label, cmd in commands] + [""]
        with open(out, "w") as f:
            f.write("\n".join(doc) + "\n")

        later_small = any(
            make_data.read_marker(make_data.set_dir(work, s, args.scale)) and
            make_data.read_marker(make_data.set_dir(work, s, args.scale))["files"] >= SMALL_FILE_SET
            for s in args.sets[index + 1:])
        many_copies = copies * marker["files"] >= SMALL_FILE_SET
        if args.cleanup == "set" or (args.cleanup == "auto" and not (later_small and many_copies)):
            deleted += delete_copies(set_path)
        elif args.cleanup in ("auto", "end"):
            deferred.append(set_path)
            print(f"copies of set {set_name} are deleted at the end of the run"
                  + (" (a later set has many files: deleting now would slow its creates)"
                     if args.cleanup == "auto" else ""))
        else:
            print(f"copies kept in {os.path.join(set_path, 'fresh')} (--cleanup keep)")
    for set_path in deferred:
        deleted += delete_copies(set_path)

    with open(out, "w") as f:
        f.write("\n".join(doc) + "\n")
    print(f"\nresults written to {out}")
    if deleted >= SMALL_FILE_SET:
        print(f"note: {deleted:,} files were just deleted; file creates on this file system are slow "
              "for up to 6 minutes after a mass delete: wait before the next small-file benchmark")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generates the upload benchmark's data sets ONCE, into a work folder, and reuses them.

Standard library only. Files hold random bytes (os.urandom): zeros would write 3-4x faster.
Each set is laid out as an upload source, one folder per file specification:

  a  50,000 x image_1/NNNNNN.jpg + 50,000 x meta/NNNNNN.json, 4 KiB each (same stems)
  b  32 x image_1/NNNNNN.jpg of 64 MiB
  c  1,000,000 x image_1/dNNN/NNNNNN.jpg of 1 KiB, 1,000 folders of 1,000 files (recursive layout)

into WORK/<set>/src (WORK/<set>-scale<F>/src when --scale is not 1). A set whose marker file
(WORK/<set>/.complete) exists is skipped. An interrupted set is completed, not recreated: files
that already have the right size are kept. Never delete and regenerate a large set between
benchmark runs: on this machine's ext4 without a journal, creates right after a mass delete are
up to 10x slower for up to 6 minutes (see shared/notes/benchmarking.md).

  python3 tools/bench/upload/make_data.py                       # sets a and b, full size
  python3 tools/bench/upload/make_data.py --sets a,b,c --scale 0.01   # small smoke sets
"""

import argparse
import json
import math
import os
import sys
import time

DEFAULT_WORK = "/tmp/synapse-bench/upload"
KIB = 1024
MIB = 1024 * KIB
BLOCK = 4096  # ext4 block: a 1 KiB file still takes 4 KiB

# name -> (file specifications with their extension, files per specification, file size,
#          files per sub-folder or None for a flat spec folder)
SETS = {
    "a": ({"image_1": ".jpg", "meta": ".json"}, 50_000, 4 * KIB, None),
    "b": ({"image_1": ".jpg"}, 32, 64 * MIB, None),
    "c": ({"image_1": ".jpg"}, 1_000_000, 1 * KIB, 1_000),
}
DESCRIPTIONS = {
    "a": "50,000 x image_1/*.jpg + 50,000 x meta/*.json, 4 KiB each",
    "b": "32 x image_1/*.jpg, 64 MiB each",
    "c": "1,000,000 x image_1/dNNN/*.jpg, 1 KiB each, 1,000 files per folder",
}
MARKER = ".complete"


def scaled_count(name, scale):
    return max(1, round(SETS[name][1] * scale))


def set_dir(work, name, scale):
    """WORK/a for scale 1, WORK/a-scale0.01 otherwise (so smoke sets never clash with full ones)."""
    suffix = "" if scale == 1 else f"-scale{scale:g}"
    return os.path.join(os.path.abspath(work), name + suffix)


def plan(name, scale):
    """The files of one set: a list of (relative path, size), and its totals."""
    specs, _, size, per_dir = SETS[name]
    count = scaled_count(name, scale)
    files = []
    dirs = set()
    for spec, ext in specs.items():
        for i in range(count):
            folder = spec if per_dir is None else f"{spec}/d{i // per_dir:03d}"
            dirs.add(folder)
            files.append((f"{folder}/{i:06d}{ext}", size))
    for d in list(dirs):
        dirs.add(d.split("/")[0])
    total = sum(s for _, s in files)
    disk = sum(math.ceil(s / BLOCK) * BLOCK for _, s in files)
    return files, sorted(dirs), {"files": len(files), "dirs": len(dirs), "bytes": total,
                                 "disk_bytes": disk, "file_size": size}


def read_marker(directory):
    try:
        with open(os.path.join(directory, MARKER)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def check_room(directory, totals):
    probe = directory
    while not os.path.exists(probe):
        probe = os.path.dirname(probe)
    st = os.statvfs(probe)
    free_bytes = st.f_bavail * st.f_frsize
    free_inodes = st.f_favail
    need_bytes = int(totals["disk_bytes"] * 1.05)
    need_inodes = totals["files"] + totals["dirs"] + 16
    if need_bytes > free_bytes or need_inodes > free_inodes:
        sys.exit(f"make_data: not enough room under {probe}: need {need_bytes / 1e9:.1f} GB and "
                 f"{need_inodes:,} inodes, have {free_bytes / 1e9:.1f} GB and {free_inodes:,}")


def write_file(path, size, chunk=8 * MIB):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        left = size
        while left > 0:
            n = min(left, chunk)
            os.write(fd, os.urandom(n))
            left -= n
    finally:
        os.close(fd)


def generate(work, name, scale):
    directory = set_dir(work, name, scale)
    files, dirs, totals = plan(name, scale)
    marker = read_marker(directory)
    if marker is not None:
        print(f"set {name}: {directory} exists ({marker['files']:,} file{'s' if marker['files'] != 1 else ''}, "
              f"{marker['bytes'] / 1e6:,.1f} MB), skipped")
        return directory
    src = os.path.join(directory, "src")
    check_room(directory, totals)
    print(f"set {name}: generating {totals['files']:,} file{'s' if totals['files'] != 1 else ''}, {totals['bytes'] / 1e6:,.1f} MB "
          f"into {src} ({DESCRIPTIONS[name]}, scale {scale:g})", flush=True)
    start = time.monotonic()
    for d in dirs:
        os.makedirs(os.path.join(src, d), exist_ok=True)
    kept = 0
    last_report = start
    for i, (rel, size) in enumerate(files, 1):
        path = os.path.join(src, rel)
        try:
            if os.stat(path).st_size == size:  # left by an interrupted run
                kept += 1
                continue
        except FileNotFoundError:
            pass
        write_file(path, size)
        now = time.monotonic()
        if now - last_report >= 5:
            last_report = now
            print(f"  {i:,}/{len(files):,} files, {now - start:.1f} s", flush=True)
    os.sync()  # so the benchmark does not compete with this set's writeback
    seconds = time.monotonic() - start
    marker = dict(totals, set=name, scale=scale, description=DESCRIPTIONS[name],
                  generated_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                  seconds=round(seconds, 1), kept_from_earlier_run=kept)
    with open(os.path.join(directory, MARKER), "w") as f:
        json.dump(marker, f, indent=2)
        f.write("\n")
    print(f"set {name}: done in {seconds:.1f} s (including sync)"
          + (f", {kept:,} files kept from an interrupted run" if kept else ""))
    return directory


def parse_sets(text):
    names = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in names if s not in SETS]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"sets are a comma list of {', '.join(SETS)}; got {text!r}")
    return names


def parse_scale(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("scale must be > 0")
    return value


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default=DEFAULT_WORK, help=f"work folder (default {DEFAULT_WORK})")
    ap.add_argument("--sets", type=parse_sets, default=["a", "b"],
                    help="comma list of a,b,c (default a,b; c is 10^6 files, 4 GB on disk)")
    ap.add_argument("--scale", type=parse_scale, default=1.0,
                    help="multiplies the file counts (at least 1 file per spec); "
                         "--scale 0.01 gives 1,000 files per spec for (a)")
    args = ap.parse_args(argv)
    for name in args.sets:
        generate(args.work, name, args.scale)


if __name__ == "__main__":
    main()

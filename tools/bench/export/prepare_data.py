#!/usr/bin/env python3
"""Builds the export benchmark's input once: N annotated tasks in an embedded catalog.

Standard library only. For N items (default 100,000) it writes, under WORK/<N>/:
  src/image_1/NNNNNNN.png   N distinct 640x480 PNGs (one shared IDAT, a tEXt chunk with the
                            index makes each one distinct, so the content store keeps N files)
  annotations/NNNNNNN.json  one Synapse DM v2 document per image with 10 bounding boxes
                            (docs/annotation-format.md), deterministic (random.Random(index))
  home/                     SYNAPSE_HOME: catalog with storages `src` and `out`, the collection
                            of bench-collection.yaml, project `bench`, the N images uploaded
                            (plugins/upload-default) and the N annotations imported as task
                            annotations (`synapse annotations import`)
  out/                      the root of storage `out`, where every export run writes
A marker file WORK/<N>/READY holds the ids; an existing READY set is reused as is.
"""

import argparse
import json
import os
import random
import struct
import subprocess
import sys
import zlib

DEFAULT_WORK = "/tmp/synapse-bench/export"
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
WIDTH, HEIGHT = 640, 480
CLASSES = ["car", "person", "bicycle", "dog", "cat"]
BOXES_PER_ITEM = 10


def chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_parts():
    header = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 0, 0, 0, 0))
    raw = b"".join(b"\x00" + bytes([(y * 255) // HEIGHT]) * WIDTH for y in range(HEIGHT))
    tail = chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    return header, tail


def annotation(index):
    rnd = random.Random(index)
    boxes = []
    for b in range(BOXES_PER_ITEM):
        w = rnd.randint(8, WIDTH // 3)
        h = rnd.randint(8, HEIGHT // 3)
        x = rnd.randint(0, WIDTH - w)
        y = rnd.randint(0, HEIGHT - h)
        boxes.append({"id": f"b{b}", "classification": rnd.choice(CLASSES), "attrs": [],
                      "data": [x, y, w, h]})
    return {"classification": {"bounding_box": CLASSES}, "images": [{"bounding_box": boxes}]}


def write_inputs(root, count):
    header, tail = png_parts()
    images = os.path.join(root, "src", "image_1")
    notes = os.path.join(root, "annotations")
    os.makedirs(images, exist_ok=True)
    os.makedirs(notes, exist_ok=True)
    for i in range(count):
        stem = f"{i:07d}"
        with open(os.path.join(images, stem + ".png"), "wb") as f:
            f.write(header + chunk(b"tEXt", b"index\x00" + stem.encode()) + tail)
        with open(os.path.join(notes, stem + ".json"), "w") as f:
            json.dump(annotation(i), f)


def synapse(binary, home, *args, capture=False):
    env = dict(os.environ, SYNAPSE_HOME=home)
    done = subprocess.run([binary, *args], env=env, check=True, text=True,
                          stdout=subprocess.PIPE if capture else None)
    return done.stdout


def build_catalog(root, binary):
    home = os.path.join(root, "home")
    os.makedirs(os.path.join(root, "out"), exist_ok=True)
    synapse(binary, home, "catalog", "init")
    synapse(binary, home, "storage", "add", "src", "--provider", "local", "--config",
            "location=" + os.path.join(root, "src"))
    synapse(binary, home, "storage", "add", "out", "--provider", "local", "--config",
            "location=" + os.path.join(root, "out"))
    synapse(binary, home, "collection", "create", "--from",
            os.path.join(REPO, "tools", "bench", "export", "bench-collection.yaml"))
    synapse(binary, home, "project", "create", "--name", "bench", "--collection", "export-bench")
    ids = {
        "src": next(s["id"] for s in json.loads(synapse(binary, home, "storage", "list", "--json", capture=True))
                    if s["name"] == "src"),
        "out": next(s["id"] for s in json.loads(synapse(binary, home, "storage", "list", "--json", capture=True))
                    if s["name"] == "out"),
        "collection": json.loads(synapse(binary, home, "collection", "show", "export-bench", "--json",
                                         capture=True))["id"],
        "project": next(p["id"] for p in json.loads(synapse(binary, home, "project", "list", "--json",
                                                             capture=True)) if p["name"] == "bench"),
    }
    params = {"name": "bench", "storage": ids["src"], "data_collection": ids["collection"],
              "project": ids["project"], "path": "."}
    synapse(binary, home, "run", "-q", os.path.join(REPO, "plugins", "upload-default"), "upload",
            "--params", json.dumps(params))
    synapse(binary, home, "annotations", "import", "--collection", str(ids["collection"]),
            "--project", str(ids["project"]), os.path.join(root, "annotations"))
    return home, ids


def prepare(work, count, binary):
    """Returns (root, ids); builds what is missing."""
    root = os.path.join(work, str(count))
    marker = os.path.join(root, "READY")
    if os.path.exists(marker):
        with open(marker) as f:
            return root, json.load(f)
    inputs = os.path.join(root, "INPUTS")
    if not os.path.exists(inputs):
        if os.path.exists(root):
            sys.exit(f"{root} exists without INPUTS (an interrupted build): remove it and run again")
        print(f"generating {count:,} images and annotations in {root} ...", flush=True)
        write_inputs(root, count)
        open(inputs, "w").close()
    if os.path.exists(os.path.join(root, "home")):
        sys.exit(f"{root}/home exists without READY (an interrupted catalog build): remove "
                 f"{root}/home and {root}/out and run again")
    print("uploading and importing them into the catalog ...", flush=True)
    _, ids = build_catalog(root, binary)
    with open(marker, "w") as f:
        json.dump(ids, f)
    return root, ids


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default=DEFAULT_WORK)
    ap.add_argument("--items", type=int, action="append", help="item counts (default 100000)")
    ap.add_argument("--synapse-bin", default=os.path.join(REPO, "build", "release", "synapse"))
    args = ap.parse_args(argv)
    for count in args.items or [100_000]:
        root, ids = prepare(args.work, count, args.synapse_bin)
        print(f"{root}: ready {ids}")


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    main()

#!/usr/bin/env python3
"""The Python SDK's stand-in for the export benchmark: a plain-Python converter of the same
input (the tasks of one project in the embedded catalog) to the same output as synapse's
export-synapse-json / export-coco plugins, with the standard `json` module.

It does what the Python SDK's export does per item (spec/export.md §3, §8), minus the network:
pages through the tasks 100 at a time, builds {data, files, id}, converts, and writes
json/<id>.json with json.dump(indent=4, ensure_ascii=False); for COCO it also keeps every image
and annotation in lists, as a Python exporter would, and dumps instances.json at the end.

  stand_in.py --home HOME --project ID --format json|coco --out FOLDER
"""

import argparse
import datetime
import json
import os
import sqlite3
import struct
import sys

PAGE = 100


def pages(db, project):
    """Yields lists of (task id, annotation JSON text, original name, content path suffix)."""
    last = 0
    query = """
        SELECT t.id, t.annotation_data, f.original_name, f.location
        FROM tasks t
        JOIN data_units u ON u.id = t.data_unit_id
        JOIN data_unit_files uf ON uf.data_unit_id = u.id
        JOIN file_specifications s ON s.collection_id = u.collection_id AND s.name = uf.spec_name
        JOIN data_files f ON f.id = uf.data_file_id
        WHERE t.project_id = ? AND t.id > ?
          AND s.position = (SELECT MIN(s2.position) FROM data_unit_files uf2
                            JOIN file_specifications s2
                              ON s2.collection_id = u.collection_id AND s2.name = uf2.spec_name
                            WHERE uf2.data_unit_id = u.id)
        ORDER BY t.id LIMIT ?"""
    while True:
        rows = db.execute(query, (project, last, PAGE)).fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def image_size(path):
    """(width, height) of a PNG, from its IHDR."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    return struct.unpack(">II", head[16:24])


class Coco:
    def __init__(self):
        self.images, self.annotations, self.categories = [], [], {}

    def category(self, name):
        if name not in self.categories:
            self.categories[name] = len(self.categories) + 1
        return self.categories[name]

    def convert(self, item):
        data = item["data"]
        for names in (data.get("classification") or {}).values():
            for name in names:
                self.category(name)
        width, height = item["files"]["width"], item["files"]["height"]
        image = {"id": item["id"], "file_name": item["files"]["file_name_original"],
                 "width": width, "height": height}
        annotations = []
        for img in data.get("images", []):
            for box in img.get("bounding_box", []):
                x, y, w, h = box["data"]
                x0, y0 = min(max(x, 0), width), min(max(y, 0), height)
                x1, y1 = min(max(x + w, 0), width), min(max(y + h, 0), height)
                w, h = x1 - x0, y1 - y0
                if w <= 0 or h <= 0:
                    continue
                annotations.append({
                    "id": len(self.annotations) + len(annotations) + 1, "image_id": item["id"],
                    "category_id": self.category(box["classification"]),
                    "bbox": [x0, y0, w, h], "area": w * h,
                    "segmentation": [[x0, y0, x1, y0, x1, y1, x0, y1]], "iscrowd": 0})
        self.images.append(image)
        self.annotations.extend(annotations)
        return {"image": image, "annotations": annotations}

    def dump(self, folder):
        now = datetime.datetime.now(datetime.timezone.utc)
        doc = {"info": {"description": "bench", "version": "1.0", "year": now.year,
                        "contributor": "stand_in.py", "date_created": now.isoformat()},
               "licenses": [], "images": self.images,
               "annotations": self.annotations,
               "categories": [{"id": i, "name": n, "supercategory": ""}
                              for n, i in self.categories.items()]}
        with open(os.path.join(folder, "instances.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True)
    ap.add_argument("--project", type=int, required=True)
    ap.add_argument("--format", choices=["json", "coco"], required=True)
    ap.add_argument("--out", required=True, help="the export folder to create")
    args = ap.parse_args(argv)

    db = sqlite3.connect(f"file:{os.path.join(args.home, 'catalog.sqlite3')}?mode=ro", uri=True)
    store = os.path.join(args.home, "files")
    json_dir = os.path.join(args.out, "json")
    os.makedirs(json_dir)
    coco = Coco() if args.format == "coco" else None
    errors = []
    count = 0
    for rows in pages(db, args.project):
        for task_id, annotation, name, location in rows:
            path = os.path.join(store, location)
            item = {"id": task_id, "data": json.loads(annotation) if annotation else None,
                    "files": {"file_name_original": name, "path": path}}
            try:
                if coco:
                    item["files"]["width"], item["files"]["height"] = image_size(path)
                    item["data"] = coco.convert(item)
                if item["data"] is None:
                    raise ValueError("data is null")
                with open(os.path.join(json_dir, f"{task_id}.json"), "w", encoding="utf-8") as f:
                    json.dump(item["data"], f, indent=4, ensure_ascii=False)
                count += 1
            except (OSError, ValueError, KeyError) as e:
                errors.append([f"{task_id}.json", str(e)])
    if coco:
        coco.dump(args.out)
    if errors:
        with open(os.path.join(args.out, "error_file_list.json"), "w", encoding="utf-8") as f:
            json.dump({"json_file_name": errors, "origin_file_name": []}, f, indent=4,
                      ensure_ascii=False)
    print(f"exported {count} items, {len(errors)} failed")


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    main()

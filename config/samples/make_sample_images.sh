#!/usr/bin/env bash
# Regenerates config/samples/sample-images/: the bundled upload sample for the collection in
# config/collections/sample-images.yaml (one folder per file specification, plus meta.xlsx).
# The outputs are committed, so nothing needs to run this; it exists to make them reproducible.
#
# Needs: ImageMagick's real convert at /usr/bin/convert (apt-get install imagemagick; a
# /usr/local/bin/convert stand-in may shadow it on PATH, so the path is explicit), the DejaVu
# fonts (fonts-dejavu-core) and /usr/bin/python3 with openpyxl (apt-get install python3-openpyxl).
# Usage: bash config/samples/make_sample_images.sh [OUT_DIR]   (default: beside this script)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/sample-images}
convert_bin=/usr/bin/convert
python_bin=/usr/bin/python3
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

[ -x "$convert_bin" ] || { echo "need ImageMagick at $convert_bin: apt-get install imagemagick" >&2; exit 1; }
[ -f "$font" ] || { echo "need $font: apt-get install fonts-dejavu-core" >&2; exit 1; }
"$python_bin" -c 'import openpyxl' 2>/dev/null \
  || { echo "need openpyxl for $python_bin: apt-get install python3-openpyxl" >&2; exit 1; }

mkdir -p "$out/image_1" "$out/meta"
# Only the files this script owns are replaced; the folders are never removed.
rm -f "$out"/image_1/* "$out"/meta/* "$out/meta.xlsx"

# image NAME SEED BACKGROUND [EXTRA convert options before the output]
# 160x120, a seeded background, the name written in the middle. Metadata, dates and
# timestamps are stripped so reruns give the same bytes.
image() {
  local name=$1 seed=$2 background=$3
  shift 3
  "$convert_bin" -seed "$seed" -size 160x120 "$background" \
    -font "$font" -pointsize 28 -gravity center \
    -fill black -annotate +2+2 "${name%.*}" -fill white -annotate +0+0 "${name%.*}" \
    -depth 8 -strip +set date:create +set date:modify -define png:exclude-chunks=date,time \
    "$@" "$out/image_1/$name"
}

image cat.jpg    11 plasma:orange-saddlebrown  -quality 70
image dog.jpg    12 gradient:wheat-sienna     -quality 70
image bird.png   13 gradient:skyblue-white    -colors 16
image street.jpg 14 plasma:gray40-gray80      -quality 70
image beach.jpeg 15 gradient:lightskyblue-khaki -quality 70
image forest.png 16 gradient:darkgreen-yellowgreen -colors 16

# JSON sidecars for most images (beach and forest have none: `meta` is optional).
sidecar() {
  printf '{\n  "device": "%s",\n  "location": "%s",\n  "captured_at": "%s"\n}\n' "$2" "$3" "$4" \
    > "$out/meta/$1.json"
}
sidecar cat    "Pixel 7"         "Lyon, FR"     "2024-03-02T09:15:00Z"
sidecar dog    "Canon EOS R6"    "Porto, PT"    "2024-03-05T16:40:00Z"
sidecar bird   "Nikon Z6"        "Texel, NL"    "2024-04-11T06:05:00Z"
sidecar street "iPhone 14"       "Osaka, JP"    "2024-05-20T21:30:00Z"

# meta.xlsx: one row per image, typed cells (strings, integers, dates). Workbook properties and
# the zip entries' timestamps are fixed so the file is byte-for-byte reproducible.
"$python_bin" - "$out/meta.xlsx" <<'PY'
import datetime, os, sys, zipfile
import openpyxl

path = sys.argv[1]
rows = [
    ("cat.jpg",    "phone",   "train", "Ana Ruiz",     4, datetime.date(2024, 3, 2)),
    ("dog.jpg",    "camera",  "train", "Joao Silva",   5, datetime.date(2024, 3, 5)),
    ("bird.png",   "camera",  "val",   "Eva de Vries", 3, datetime.date(2024, 4, 11)),
    ("street.jpg", "phone",   "test",  "Ken Sato",     4, datetime.date(2024, 5, 20)),
    ("beach.jpeg", "drone",   "train", "Lea Martin",   2, datetime.date(2024, 6, 14)),
    ("forest.png", "archive", "val",   "Tom Berg",     5, datetime.date(2023, 10, 1)),
]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "meta"
ws.append(["filename", "source", "split", "photographer", "rating", "captured"])
for row in rows:
    ws.append(list(row))
for cell in ws["F"][1:]:
    cell.number_format = "yyyy-mm-dd"
fixed = datetime.datetime(2024, 1, 1)
wb.properties.creator = "make_sample_images.sh"
wb.properties.created = fixed
wb.properties.modified = fixed
tmp = path + ".tmp"
wb.save(tmp)
with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        dst.writestr(entry, src.read(info.filename))
os.remove(tmp)
PY

file "$out"/image_1/* "$out/meta.xlsx"
du -sh "$out"

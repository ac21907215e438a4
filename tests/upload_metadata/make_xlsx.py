#!/usr/bin/python3
"""Writes the .xlsx fixtures for upload_metadata_test into the directory given as argv[1].

Run with Debian's /usr/bin/python3 (python3-openpyxl). openpyxl is the writer the Python SDK
reads with, so these files prove the C++ reader against another implementation; a few parts
openpyxl cannot produce (rich text runs, inline strings, error cells, renamed sheet parts) are
patched in or written by hand with zipfile.
"""
import datetime
import os
import random
import re
import sys
import zipfile

import openpyxl

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def path(name):
    return os.path.join(out, name)


def rewrite(name, patch):
    """Rewrites zip `name`, passing each (entry name, bytes) through patch -> (name, bytes)."""
    with zipfile.ZipFile(path(name)) as z:
        entries = [patch(i.filename, z.read(i.filename)) for i in z.infolist()]
    entries = add_shared_strings(entries)
    entries.sort(key=lambda e: 0 if "worksheets/sheet2" in e[0] else 1)  # sheet2 first in file
    with zipfile.ZipFile(path(name), "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in entries:
            z.writestr(n, data)


SHARED = []


def share_strings(data):
    """openpyxl 3.0.9 writes inline strings; turn them into shared strings (what Excel writes)."""
    def repl(m):
        text = m.group(3)
        if text not in SHARED:
            SHARED.append(text)
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (m.group(1), m.group(2), SHARED.index(text))
    return re.sub(rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>',
                  repl, data)


def swap_sheet_parts(n, data):
    # Swap sheet1.xml <-> sheet2.xml everywhere so the first workbook sheet lives in sheet2.xml.
    n = n.replace("sheet1.xml", "@").replace("sheet2.xml", "sheet1.xml").replace("@", "sheet2.xml")
    if n.endswith(".rels") or n == "[Content_Types].xml":
        data = data.replace(b"sheet1.xml", b"@").replace(b"sheet2.xml", b"sheet1.xml")
        data = data.replace(b"@", b"sheet2.xml")
    if n.startswith("xl/worksheets/"):
        data = share_strings(data)
    return n, data


def add_shared_strings(entries):
    items = b"".join(b"<si><t>%s</t></si>" % t for t in SHARED)
    # One shared string uses rich text runs plus a phonetic run that must not leak into the value.
    items = items.replace(b"<si><t>rich text</t></si>",
                          b"<si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r>"
                          b'<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>')
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d">'
           % len(SHARED)) + items + b"</sst>"
    out = []
    for n, data in entries:
        if n == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.'
                                b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
                                b' Target="sharedStrings.xml"/></Relationships>')
        out.append((n, data))
    out.append(("xl/sharedStrings.xml", sst))
    return out


# basic.xlsx: typed cells, blanks in the middle, duplicates, sheet order vs part names.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Meta"
ws.append(["filename", "label", "count", "ratio", "taken", "ok", None, "note"])
ws.append(["a.jpg", "  cat ", 3, 2.5, datetime.datetime(2024, 5, 1, 12, 30, 15), True, None, "x"])
ws.append(["b.png", None, 7, 4.0, None, False, "g", None])
ws.append([None, "orphan row", 1])
ws.append(["c.tif", "first", 1])
ws.append(["c.tif", "rich text", 2, None, datetime.date(1900, 1, 1)])
ws.append([42, "numeric key", -5, 1e-7, datetime.date(2023, 12, 31)])
ws["E7"].number_format = "mm-dd-yy"  # built-in numFmtId 14
other = wb.create_sheet("Other")
other.append(["wrong", "sheet"])
other.append(["z.jpg", "from other sheet"])
wb.save(path("basic.xlsx"))
rewrite("basic.xlsx", swap_sheet_parts)

# active.xlsx: the SDK reads workbook.active, which is the second sheet here.
wb = openpyxl.Workbook()
wb.active.title = "First"
wb.active.append(["filename", "src"])
wb.active.append(["one.jpg", "first sheet"])
chosen = wb.create_sheet("Chosen")
chosen.append(["File_Name ", "src"])
chosen.append(["two.jpg", "chosen sheet"])
wb.active = 1
wb.save(path("active.xlsx"))


def simple(name, rows):
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    book.save(path(name))


simple("rows.xlsx", [["filename", "n"]] + [[f"f{i}.jpg", i] for i in range(7)])
simple("columns.xlsx", [["filename", "a", "b", "c", "d"], ["x.jpg", 1, 2, 3, 4]])
simple("long_filename.xlsx", [["filename", "v"], ["n" * 300 + ".jpg", 1], ["ok.jpg", 2]])
simple("long_column.xlsx", [["filename", "c" * 150], ["ok.jpg", "v"]])
simple("long_value.xlsx", [["filename", "v", "w"], ["ok.jpg", "\u00e9" * 1200, "short"]])
simple("bad_header.xlsx", [["name", "v"], ["ok.jpg", 1]])
simple("one_column.xlsx", [["filename"], ["ok.jpg"]])
simple("blank_first_row.xlsx", [[None, "v"], ["filename", "v"], ["ok.jpg", 1]])
rng = random.Random(7)
simple("big.xlsx", [["filename", "blob"]] +
       [[f"f{i}.jpg", "%064x" % rng.getrandbits(256)] for i in range(40000)])
simple("compressible.xlsx", [["filename", "v"]] + [[f"f{i}.jpg", "x" * 50] for i in range(30000)])

# handmade.xlsx: parts openpyxl does not write. Prefixed namespaces, renamed sheet part with an
# absolute target, inline strings, error cell, 1904 dates, custom formats, cells without r=.
CT = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
workbook = b"""<?xml version="1.0"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:workbookPr date1904="1"/><x:sheets><x:sheet name="Data" sheetId="2" rel:id="rId9"/>
<x:sheet name="Unused" sheetId="1" rel:id="rId1"/></x:sheets></x:workbook>"""
rels = b"""<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
styles = b"""<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[Red]0.00;&quot;days&quot;"/></numFmts>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>"""
data = b"""<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c t="inlineStr"><is><t>filename</t></is></c><c t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c><c r="C1" t="inlineStr"><is><t>err</t></is></c><c r="D1" t="inlineStr"><is><t>day</t></is></c><c r="E1" t="inlineStr"><is><t>red</t></is></c><c r="F1" t="inlineStr"><is><t>formula</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>h.jpg</t></is></c><c r="B2" t="inlineStr"><is><t>v</t></is></c><c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2" s="1"><v>0</v></c><c r="E2" s="2"><v>12</v></c><c r="F2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>i.jpg</t></is></c><c r="D3" s="1"><v>1.5</v></c><c r="E3" s="2"/></row>
</sheetData></worksheet>"""
unused = data.replace(b"h.jpg", b"WRONG.jpg")
with zipfile.ZipFile(path("handmade.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", CT)
    z.writestr("xl/worksheets/sheet1.xml", unused)
    z.writestr("xl/workbook.xml", workbook)
    z.writestr("xl/_rels/workbook.xml.rels", rels)
    z.writestr("xl/styles.xml", styles)
    z.writestr("xl/worksheets/data.xml", data)

# Broken inputs.
with open(path("not_a_zip.xlsx"), "wb") as f:
    f.write(b"filename,label\nx.jpg,1\n")
with zipfile.ZipFile(path("no_workbook.xlsx"), "w") as z:
    z.writestr("hello.txt", "no workbook here")
with zipfile.ZipFile(path("no_sheet_part.xlsx"), "w") as z:
    z.writestr("xl/workbook.xml", workbook)
    z.writestr("xl/_rels/workbook.xml.rels", rels)
with zipfile.ZipFile(path("bad_xml.xlsx"), "w") as z:
    z.writestr("xl/workbook.xml", b"<workbook><sheets><sheet name='a'")
with open(path("basic.xlsx"), "rb") as f:
    whole = f.read()
with open(path("truncated.xlsx"), "wb") as f:
    f.write(whole[: len(whole) // 2])
with open(path("legacy.xls"), "wb") as f:
    f.write(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512)

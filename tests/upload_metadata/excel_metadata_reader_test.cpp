#include <fstream>
#include <sstream>

#include "fixtures.hpp"
#include "upload/metadata/excel_metadata_reader.hpp"

using namespace synapse::runtime::upload;
using nlohmann::json;
using upload_metadata_test::error_of;
using upload_metadata_test::fixture;

TEST_CASE("xlsx: first workbook sheet is found through workbook rels, not sheet1.xml") {
  // basic.xlsx stores sheet "Meta" in sheet2.xml (written first in the zip); sheet1.xml is
  // "Other", whose header would be rejected.
  const MetadataTable t = ExcelMetadataReader().read(fixture("basic.xlsx"));
  CHECK(t.columns ==
        std::vector<std::string>{"label", "count", "ratio", "taken", "ok", "column_6", "note"});
  CHECK(t.file_order == std::vector<std::string>{"a.jpg", "b.png", "c.tif", "42"});
  CHECK(t.rows_by_file.count("z.jpg") == 0);
}

TEST_CASE("xlsx: cells are typed: shared strings, ints, floats, dates, booleans, blanks") {
  const MetadataTable t = ExcelMetadataReader().read(fixture("basic.xlsx"));
  CHECK(t.rows_by_file.at("a.jpg") == json{{"label", "cat"},
                                           {"count", 3},
                                           {"ratio", 2.5},
                                           {"taken", "2024-05-01T12:30:15"},
                                           {"ok", true},
                                           {"column_6", nullptr},
                                           {"note", "x"}});
  const json& b = t.rows_by_file.at("b.png");
  CHECK(b == json{{"label", nullptr},
                  {"count", 7},
                  {"ratio", 4},
                  {"taken", nullptr},
                  {"ok", false},
                  {"column_6", "g"},
                  {"note", nullptr}});
  CHECK(b.at("count").is_number_integer());
  CHECK(b.at("ratio").is_number_integer());  // 4.0 is integral -> int
  const json& n = t.rows_by_file.at("42");   // numeric file-name key rendered like Python str()
  CHECK(n.at("count") == -5);
  CHECK(n.at("ratio") == 1e-7);
  CHECK(n.at("taken") == "2023-12-31T00:00:00");  // built-in numFmtId 14
}

TEST_CASE("xlsx: rich-text runs are joined, phonetic runs ignored, duplicates last wins") {
  const MetadataTable t = ExcelMetadataReader().read(fixture("basic.xlsx"));
  CHECK(t.duplicates == std::vector<std::string>{"c.tif"});
  const json& c = t.rows_by_file.at("c.tif");
  CHECK(c.at("label") == "rich text");
  CHECK(c.at("count") == 2);
  CHECK(c.at("taken") == "1900-01-01T00:00:00");  // serial 1 in the 1900 system
  CHECK(t.to_json().begin().key() == "a.jpg");
}

TEST_CASE("xlsx: inline strings, error cells, 1904 dates, custom formats, prefixed XML") {
  const MetadataTable t = ExcelMetadataReader().read(fixture("handmade.xlsx"));
  CHECK(t.columns == std::vector<std::string>{"inline", "err", "day", "red", "formula"});
  CHECK(t.rows_by_file.at("h.jpg") == json{{"inline", "v"},
                                           {"err", "#DIV/0!"},
                                           {"day", "1904-01-01T00:00:00"},
                                           {"red", 12},
                                           {"formula", "ab"}});
  CHECK(t.rows_by_file.at("i.jpg") == json{{"inline", nullptr},
                                           {"err", nullptr},
                                           {"day", "1904-01-02T12:00:00"},
                                           {"red", nullptr},
                                           {"formula", nullptr}});
}

TEST_CASE("xlsx: the active sheet is read, header 'File_Name ' accepted") {
  const MetadataTable t = ExcelMetadataReader().read(fixture("active.xlsx"));
  CHECK(t.to_json() == nlohmann::ordered_json{{"two.jpg", {{"src", "chosen sheet"}}}});
}

TEST_CASE("xlsx: reading from a stream gives the same table as from the path") {
  std::ifstream in(fixture("basic.xlsx"), std::ios::binary);
  const MetadataTable t = ExcelMetadataReader().read(in, "upload.xlsx");
  CHECK(t.to_json() == ExcelMetadataReader().read(fixture("basic.xlsx")).to_json());
}

TEST_CASE("xlsx: row and column limits raise too_many_rows / too_many_columns") {
  ExcelLimits rows;
  rows.max_rows = 5;
  auto e = error_of([&] { ExcelMetadataReader(rows).read(fixture("rows.xlsx")); });
  CHECK(e.code() == "too_many_rows");
  CHECK(e.category() == ErrorCategory::parsing);
  CHECK(e.cell() == "A7");
  CHECK(e.sheet() == "Sheet");
  CHECK_THAT(e.what(),
             Catch::Contains("rows.xlsx, sheet 'Sheet', cell A7") && Catch::Contains("max_rows=5"));
  rows.max_rows = 7;
  CHECK(ExcelMetadataReader(rows).read(fixture("rows.xlsx")).size() == 7);

  ExcelLimits cols;
  cols.max_columns = 4;
  e = error_of([&] { ExcelMetadataReader(cols).read(fixture("columns.xlsx")); });
  CHECK(e.code() == "too_many_columns");
  CHECK_THAT(e.what(), Catch::Contains("max_columns=4"));
}

TEST_CASE("xlsx: over-long file names skip the row, long names/values are truncated") {
  MetadataTable t = ExcelMetadataReader().read(fixture("long_filename.xlsx"));
  CHECK(t.file_order == std::vector<std::string>{"ok.jpg"});
  REQUIRE(t.warnings.size() == 1);
  CHECK_THAT(t.warnings[0], Catch::StartsWith("A2: file name longer than 255"));

  t = ExcelMetadataReader().read(fixture("long_column.xlsx"));
  CHECK(t.columns == std::vector<std::string>{std::string(100, 'c')});

  t = ExcelMetadataReader().read(fixture("long_value.xlsx"));
  std::string e1000;
  for (int i = 0; i < 1000; ++i)
    e1000 += "\xC3\xA9";  // 1000 code points, not 1000 bytes
  CHECK(t.rows_by_file.at("ok.jpg") == json{{"v", e1000}, {"w", "short"}});
  CHECK(t.warnings == std::vector<std::string>{"B2: value truncated to 1000 characters"});
}

TEST_CASE("xlsx: file size and memory limits are security errors") {
  ExcelLimits small;
  small.max_file_size_mb = 1;
  auto e = error_of([&] { ExcelMetadataReader(small).read(fixture("big.xlsx")); });
  CHECK(e.code() == "file_too_large");
  CHECK(std::string(e.sdk_class()) == "ExcelSecurityError");
  CHECK_THAT(e.what(), Catch::Contains("(max: 1048576"));
  std::ifstream in(fixture("big.xlsx"), std::ios::binary);
  CHECK(error_of([&] { ExcelMetadataReader(small).read(in); }).code() == "file_too_large");
  CHECK(ExcelMetadataReader().read(fixture("big.xlsx")).size() == 40000);

  ExcelLimits mem;
  mem.max_memory_usage_mb = 1;  // 2 MB file x 3 > 1 MiB
  CHECK(error_of([&] { ExcelMetadataReader(mem).read(fixture("big.xlsx")); }).code() ==
        "memory_limit_exceeded");
  // 320 KB zip that inflates to several MB: caught while inflating, not by the size estimate.
  e = error_of([&] { ExcelMetadataReader(mem).read(fixture("compressible.xlsx")); });
  CHECK(e.code() == "memory_limit_exceeded");
  CHECK_THAT(e.what(), Catch::Contains("xl/worksheets/sheet1.xml"));
}

TEST_CASE("xlsx: header problems raise invalid_header / too_few_columns / missing_header") {
  ExcelMetadataReader r;
  auto e = error_of([&] { r.read(fixture("bad_header.xlsx")); });
  CHECK(e.code() == "invalid_header");
  CHECK_THAT(e.what(), Catch::Contains("got 'name'"));
  CHECK(error_of([&] { r.read(fixture("one_column.xlsx")); }).code() == "too_few_columns");
  e = error_of([&] { r.read(fixture("blank_first_row.xlsx")); });
  CHECK(e.code() == "missing_header");
  CHECK(e.cell() == "A2");
}

TEST_CASE("xlsx: broken packages give clear errors, never a crash") {
  ExcelMetadataReader r;
  CHECK(error_of([&] { r.read(fixture("not_a_zip.xlsx")); }).code() == "invalid_file_format");
  CHECK(error_of([&] { r.read(fixture("legacy.xls")); }).code() == "invalid_file_format");
  CHECK(error_of([&] { r.read(fixture("truncated.xlsx")); }).code() == "invalid_file_format");
  CHECK(error_of([&] { r.read(fixture("no_workbook.xlsx")); }).code() == "workbook_missing");
  auto e = error_of([&] { r.read(fixture("no_sheet_part.xlsx")); });
  CHECK(e.code() == "sheet_missing");
  CHECK_THAT(e.what(), Catch::Contains("xl/worksheets/data.xml") && Catch::Contains("'Data'"));
  CHECK(error_of([&] { r.read(fixture("bad_xml.xlsx")); }).code() == "invalid_xml");
  CHECK(error_of([&] { r.read(fixture("does_not_exist.xlsx")); }).code() == "file_not_found");
  std::istringstream empty;
  CHECK(error_of([&] { r.read(empty); }).code() == "invalid_file_format");
}

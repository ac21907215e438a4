// Metadata strategies excel / csv / none: loaded from a stream, a unit's row found by its stem
// or by its first file's name; `none` never has metadata.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <synapse/upload/strategy_registry.hpp>

#include "strategies_fixture.hpp"
#include "upload/metadata/metadata_error.hpp"
#include "upload/strategies/builtin_strategies.hpp"
#include "upload/strategies/metadata_strategies.hpp"

using namespace upload_strategies_test;
using nlohmann::json;
using synapse::runtime::upload::ExcelLimits;
using synapse::runtime::upload::ExcelMetadataError;
using synapse::runtime::upload::make_csv_metadata;
using synapse::runtime::upload::make_excel_metadata;
using synapse::runtime::upload::make_no_metadata;
using synapse::upload::MetadataStrategy;

namespace {

// Written at build time by tests/upload_metadata/make_xlsx.py with openpyxl.
std::filesystem::path xlsx(const std::string& name) {
  return std::filesystem::path(UPLOAD_METADATA_FIXTURE_DIR) / name;
}

void load_file(MetadataStrategy& strategy, const std::string& name) {
  std::ifstream in(xlsx(name), std::ios::binary);
  REQUIRE(in.good());
  strategy.load(in, "meta/" + name);
}

void load_text(MetadataStrategy& strategy, const std::string& text) {
  std::istringstream in(text);
  strategy.load(in, "meta/labels.csv");
}

const char* kCsv =
    "filename,label,score\n"
    "1.jpg,one,0.5\n"
    "sub/2.png,two,\n"
    "\"3,x.jpg\",\"three, quoted\",7\n";

}  // namespace

TEST_CASE("upload_strategies: excel metadata loads a real .xlsx from a stream", "[metadata]") {
  auto excel = make_excel_metadata(ExcelLimits{});
  CHECK(excel->name() == "excel");
  CHECK(excel->size() == 0);
  CHECK(excel->meta_for(unit("a", {{"image", "image/a.jpg"}})).is_null());

  load_file(*excel, "basic.xlsx");

  CHECK(excel->size() == 4);  // a.jpg, b.png, c.tif (twice: last wins), 42
  // By stem: the unit key's last component is the stem of the row's file name.
  const json a = excel->meta_for(unit("a", {{"image", "image/a.jpg"}}));
  CHECK(a["label"] == "cat");
  CHECK(a["count"] == 3);
  CHECK(excel->meta_for(unit("sub/dir/c", {{"image", "image/sub/dir/c.jpg"}}))["label"] ==
        "rich text");
  CHECK(excel->meta_for(unit("42", {{"image", "image/42.jpg"}}))["count"] == -5);
  CHECK(excel->meta_for(unit("zzz", {{"image", "image/zzz.jpg"}})).is_null());
  CHECK(excel->meta_for(unit("a", {})).is_null());
}

TEST_CASE("upload_strategies: excel metadata matches a unit by its first file's name",
          "[metadata]") {
  auto excel = make_excel_metadata(ExcelLimits{});
  load_file(*excel, "basic.xlsx");
  // A folder key ("batch_7", group_by folder) has no matching stem; the file name matches.
  const json b = excel->meta_for(unit("batch_7", {{"image", "batch_7/b.png"}}));
  CHECK(b["count"] == 7);
  CHECK(b["column_6"] == "g");
  // The stem rule comes first: key "a" wins over the file name b.png.
  CHECK(excel->meta_for(unit("a", {{"image", "x/b.png"}}))["label"] == "cat");
}

TEST_CASE("upload_strategies: a broken workbook fails the load with an Excel error", "[metadata]") {
  auto excel = make_excel_metadata(ExcelLimits{});
  std::istringstream not_a_zip("filename,label\nx.jpg,1\n");
  CHECK_THROWS_AS(excel->load(not_a_zip, "meta/labels.xlsx"), ExcelMetadataError);
  auto bad_header = make_excel_metadata(ExcelLimits{});
  CHECK_THROWS_AS(load_file(*bad_header, "bad_header.xlsx"), ExcelMetadataError);
}

TEST_CASE("upload_strategies: csv metadata loads from a stream and matches stem or file name",
          "[metadata]") {
  auto csv = make_csv_metadata(ExcelLimits{});
  CHECK(csv->name() == "csv");
  load_text(*csv, kCsv);

  CHECK(csv->size() == 3);
  // By stem, whatever the folders of the unit.
  CHECK(csv->meta_for(unit("a/b/1", {{"image", "image/a/b/1.jpg"}})) ==
        json{{"label", "one"}, {"score", "0.5"}});
  // By the row's file name "2.png" (its key has a folder; the unit's stem "x" matches nothing).
  CHECK(csv->meta_for(unit("x", {{"image", "image/x/2.png"}})) ==
        json{{"label", "two"}, {"score", nullptr}});
  // Quoted fields keep their commas.
  CHECK(csv->meta_for(unit("3,x", {{"image", "image/3,x.jpg"}}))["label"] == "three, quoted");
  CHECK(csv->meta_for(unit("4", {{"image", "image/4.jpg"}})).is_null());
  CHECK(csv->warnings().empty());
}

TEST_CASE("upload_strategies: csv metadata reports cells beyond the header as warnings",
          "[metadata]") {
  auto csv = make_csv_metadata(ExcelLimits{});
  load_text(*csv, "filename,label\n1.jpg,one,surplus\n");
  CHECK(csv->size() == 1);
  CHECK(csv->meta_for(unit("1", {{"image", "1.jpg"}})) == json{{"label", "one"}});
  CHECK_FALSE(csv->warnings().empty());
}

TEST_CASE("upload_strategies: the excel limits given at registration reach the readers",
          "[metadata]") {
  ExcelLimits limits;
  limits.max_rows = 2;
  synapse::upload::StrategyRegistry registry;
  synapse::runtime::upload::register_builtin_strategies(registry, limits);

  auto csv = registry.create<MetadataStrategy>("csv", json::object());
  CHECK_NOTHROW(load_text(*csv, "filename,v\n1.jpg,a\n2.jpg,b\n"));
  CHECK(csv->size() == 2);
  auto too_many = registry.create<MetadataStrategy>("csv", json::object());
  CHECK_THROWS_AS(load_text(*too_many, "filename,v\n1.jpg,a\n2.jpg,b\n3.jpg,c\n"),
                  ExcelMetadataError);
  auto excel = registry.create<MetadataStrategy>("excel", json::object());
  CHECK_THROWS_AS(load_file(*excel, "rows.xlsx"), ExcelMetadataError);  // 7 rows
}

TEST_CASE("upload_strategies: metadata none has no rows and never matches", "[metadata]") {
  auto none = make_no_metadata();
  CHECK(none->name() == "none");
  std::istringstream in(kCsv);
  CHECK_NOTHROW(none->load(in, "meta/labels.csv"));
  CHECK(none->size() == 0);
  CHECK(none->meta_for(unit("1", {{"image", "image/1.jpg"}})).is_null());
  CHECK(none->warnings().empty());
}

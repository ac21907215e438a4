#include <sstream>

#include "fixtures.hpp"
#include "upload/metadata/csv_metadata_reader.hpp"

using namespace synapse::runtime::upload;
using nlohmann::json;
using upload_metadata_test::error_of;

namespace {
MetadataTable csv(const std::string& text, ExcelLimits limits = {}) {
  std::istringstream in(text);
  return CsvMetadataReader(limits).read(in, "meta.csv");
}
}  // namespace

TEST_CASE("csv: RFC 4180 quoting, CRLF, BOM, blanks and extra fields") {
  const MetadataTable t =
      csv("\xEF\xBB\xBF"
          "filename,label,note\r\n"
          "a.jpg,\"x, \"\"y\"\"\",\"multi\nline\"\r\n"
          "b.png,,\r\n"
          ",orphan,\n"
          "c.tif, spaced ,n,extra\n");
  CHECK(t.columns == std::vector<std::string>{"label", "note"});
  CHECK(t.rows_by_file.at("a.jpg") == json{{"label", "x, \"y\""}, {"note", "multi\nline"}});
  CHECK(t.rows_by_file.at("b.png") == json{{"label", nullptr}, {"note", nullptr}});
  CHECK(t.rows_by_file.at("c.tif") == json{{"label", "spaced"}, {"note", "n"}});
  CHECK(t.file_order == std::vector<std::string>{"a.jpg", "b.png", "c.tif"});
  CHECK(t.warnings == std::vector<std::string>{"D5: field has no header, ignored"});
}

TEST_CASE("csv: malformed quoting and limits give exact error codes") {
  auto e = error_of([] { csv("filename,v\na.jpg,\"open\n"); });
  CHECK(e.code() == "invalid_csv");
  CHECK(e.cell() == "B2");
  CHECK(error_of([] { csv("filename,v\na.jpg,b\"c\n"); }).code() == "invalid_csv");
  CHECK(error_of([] { csv("filename,v\na.jpg,\"b\"c\n"); }).code() == "invalid_csv");
  CHECK(error_of([] { csv("name,v\na.jpg,1\n"); }).code() == "invalid_header");
  ExcelLimits l;
  l.max_rows = 1;
  CHECK(error_of([&] { csv("filename,v\na,1\nb,2\n", l); }).code() == "too_many_rows");
  l = {};
  l.max_columns = 2;
  CHECK(error_of([&] { csv("filename,v,w\na,1,2\n", l); }).code() == "too_many_columns");
  l = {};
  l.max_file_size_mb = 1;
  CHECK(error_of([&] { csv(std::string(2 << 20, 'x'), l); }).code() == "file_too_large");
  CHECK(error_of([] {
          CsvMetadataReader().read(std::filesystem::path("/nonexistent.csv"));
        }).code() == "file_not_found");
}

TEST_CASE("limits: defaults match the SDK and excel_config is validated strictly") {
  const ExcelLimits d = ExcelLimits::from_action_config(json::object());
  CHECK(d.max_file_size_mb == 10);
  CHECK(d.max_rows == 100000);
  CHECK(d.max_columns == 50);
  CHECK(d.max_memory_usage_mb == 30);
  CHECK(d.max_filename_length == 255);
  CHECK(d.max_column_name_length == 100);
  CHECK(d.max_metadata_value_length == 1000);
  CHECK(d.validation_check_interval == 1000);

  const ExcelLimits l = ExcelLimits::from_action_config(
      json{{"excel_config", {{"max_rows", 10}, {"MAX_COLUMNS", 3}}}});
  CHECK(l.max_rows == 10);
  CHECK(l.max_columns == 3);

  for (const json& bad :
       {json{{"max_rowz", 1}}, json{{"max_rows", 0}}, json{{"max_rows", "5"}},
        json{{"max_rows", true}}, json{{"max_rows", 1.5}}, json{{"validation_check_interval", 99}},
        json{{"max_columns", 16384}},  // x 100000 rows > 50M cells
        json::array()}) {
    auto e = error_of([&] { ExcelLimits::from_json(bad); });
    CHECK(e.code() == "invalid_excel_config");
    CHECK(e.category() == ErrorCategory::config);
  }
  CHECK_THAT(error_of([] {
               ExcelLimits::from_json(json{{"max_rowz", 1}});
             }).what(),
             Catch::Contains("unknown key 'max_rowz'"));
}

TEST_CASE("table: match by stem, then file name, then substring in row order") {
  const MetadataTable t =
      csv("filename,k\n"
          "photos/img_001.jpg,stem\n"
          "scan.tif,name\n"
          "deep/2024,sub\n");
  CHECK(t.match("/data/image/img_001.png")->at("k") == "stem");
  CHECK(t.match("/data/x/scan.tif", "other")->at("k") == "name");
  CHECK(t.match("/data/deep/2024/q.bin")->at("k") == "sub");
  CHECK(t.match("/data/none.jpg") == nullptr);
}

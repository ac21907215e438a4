// error_file_list.json exactly as Python's json.dump(indent=4, ensure_ascii=False) writes it.
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "export/error_list.hpp"
#include "test_dir.hpp"

using synapse::runtime::exports::ErrorList;

namespace {

class StringStream final : public synapse::WriteStream {
 public:
  void write(const char* data, std::size_t size) override { text.append(data, size); }
  void commit() override {}
  std::string text;
};

}  // namespace

TEST_CASE("two JSON errors and no original error, as Python formats them", "[error_list]") {
  export_targets_test::TestDir dir;
  ErrorList errors(dir.path());
  errors.add_json("1.json", "data is null");
  errors.add_json("7.json", "convert_data failed: caf\xc3\xa9 \"quoted\"");
  CHECK(errors.size() == 2);
  StringStream out;
  errors.write_to(out);
  CHECK(out.text ==
        "{\n"
        "    \"json_file_name\": [\n"
        "        [\n"
        "            \"1.json\",\n"
        "            \"data is null\"\n"
        "        ],\n"
        "        [\n"
        "            \"7.json\",\n"
        "            \"convert_data failed: caf\xc3\xa9 \\\"quoted\\\"\"\n"
        "        ]\n"
        "    ],\n"
        "    \"origin_file_name\": []\n"
        "}");
  // And it is the JSON it claims to be.
  const auto parsed = nlohmann::json::parse(out.text);
  CHECK(parsed["json_file_name"].size() == 2);
  CHECK(parsed["origin_file_name"].empty());
}

TEST_CASE("an original error and bytes that are not UTF-8", "[error_list]") {
  export_targets_test::TestDir dir;
  ErrorList errors(dir.path());
  errors.add_origin("bad\xff.jpg", "cannot open");
  StringStream out;
  errors.write_to(out);
  const auto parsed = nlohmann::json::parse(out.text);
  CHECK(parsed["json_file_name"].empty());
  REQUIRE(parsed["origin_file_name"].size() == 1);
  CHECK(parsed["origin_file_name"][0][0] == "bad\xef\xbf\xbd.jpg");  // U+FFFD
  CHECK(parsed["origin_file_name"][0][1] == "cannot open");
}

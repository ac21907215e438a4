// synapse::append_json (sdk-headers/synapse/json_writer.hpp) against nlohmann's dump(), which
// it promises to match byte for byte.
#include <synapse/json_writer.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "random_json.hpp"

using Json = nlohmann::json;

namespace {

template <typename BasicJson>
std::string written(const BasicJson& value, int indent) {
  std::string out = "<before>";
  synapse::append_json(out, value, indent);
  REQUIRE(out.rfind("<before>", 0) == 0);  // appended, not replaced
  return out.substr(8);
}

void check_like_dump(const Json& value) {
  INFO(value.dump());
  CHECK(written(value, -1) == value.dump());
  CHECK(written(value, 4) == value.dump(4));
  CHECK(written(value, 0) == value.dump(0));
}

}  // namespace

TEST_CASE("append_json writes a COCO fragment as dump() and dump(4) do") {
  const Json fragment = Json::parse(R"({"image":{"id":7,"file_name":"a b/é.png","width":640,
      "height":480},"annotations":[{"id":1,"image_id":7,"category_id":2,"bbox":[41.0,132.0,
      106.0,115.5],"area":12190.25,"segmentation":[[41.0,132.0,147.0,132.0]],"iscrowd":0}],
      "empty":{},"none":[],"flag":true,"nothing":null,"big":18446744073709551615,"neg":-3})");
  check_like_dump(fragment);
  CHECK(written(Json::parse(R"({"a":[1.0,{}]})"), 2) == "{\n  \"a\": [\n    1.0,\n    {}\n  ]\n}");
  CHECK(synapse::json_text(fragment) == fragment.dump());  // the returning form
  CHECK(synapse::json_text(fragment, 4) == fragment.dump(4));
}

TEST_CASE("append_json writes every integral double below 10^15 as nlohmann does") {
  // The fast path for integral doubles must agree with Grisu2 + nlohmann's formatting.
  for (std::int64_t i = -70000; i <= 70000; ++i)
    REQUIRE(written(Json(static_cast<double>(i)), -1) == Json(static_cast<double>(i)).dump());
  std::mt19937_64 rng(20261130);
  for (int i = 0; i < 200000; ++i) {
    const int digits = 1 + static_cast<int>(rng() % 15);
    const auto limit = static_cast<std::uint64_t>(std::pow(10.0, digits));
    double value = static_cast<double>(rng() % limit);
    if (rng() % 2 == 0)
      value = -value;
    INFO(value);
    REQUIRE(written(Json(value), -1) == Json(value).dump());
  }
  for (const double edge :
       {0.0, -0.0, 1e15 - 1, -(1e15 - 1), 1e15, -1e15, 1e16, 9007199254740993.0, 0.5, -0.5, 1e-7,
        123.456, std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min()})
    check_like_dump(Json(edge));
  CHECK(written(Json(std::numeric_limits<double>::infinity()), -1) == "null");
  CHECK(written(Json(std::nan("")), 4) == "null");
}

TEST_CASE("append_json matches dump() on random documents, escapes and UTF-8 included") {
  test_support::RandomJson random(42);
  for (int i = 0; i < 3000; ++i)
    check_like_dump(random.value(0));
}

TEST_CASE("append_json keeps an ordered_json's key order, as dump() does") {
  nlohmann::ordered_json value;
  value["z"] = 1;
  value["a"] = {{"y", 2.0}, {"b", "x"}};
  CHECK(written(value, 4) == value.dump(4));
  CHECK(written(value, -1) == R"({"z":1,"a":{"y":2.0,"b":"x"}})");
}

TEST_CASE("append_json leaves binary values to nlohmann and fails on broken UTF-8 as dump()") {
  const Json binary = {{"blob", Json::binary({1, 2, 3})}, {"n", 1.0}};
  CHECK(written(binary, 4) == binary.dump(4));
  CHECK(written(binary, -1) == binary.dump());

  const Json broken = {{"ok", "fine"}, {"bad", std::string("\xff\xfe")}};
  std::string out = "kept";
  CHECK_THROWS_AS(synapse::append_json(out, broken, 4), Json::type_error);
  CHECK(out == "kept");  // nothing half-written
  try {
    synapse::append_json(out, broken);
  } catch (const Json::type_error& e) {
    CHECK(e.id == 316);
  }
}

TEST_CASE("append_json escapes every ASCII byte as dump() does, UTF-8 beside escapes kept") {
  std::string every;
  for (int c = 1; c < 0x80; ++c)
    every += static_cast<char>(c);
  const Json strings = {every,
                        "{\"file_name\": \"1.json\"}",
                        "tab\there \xc3\xa9t\xc3\xa9 \"q\"",
                        std::string("nul\0byte", 8),
                        "\\path\\to\x7f",
                        "\xf0\x9f\x98\x80\n"};
  check_like_dump(strings);
  check_like_dump(Json{{every, every}});  // keys take the same path

  // Broken UTF-8 after an escape: nlohmann's error, nothing left of the half-escaped string.
  const Json broken = std::string("\"quoted\" then \xc3");
  std::string out = "kept";
  CHECK_THROWS_AS(synapse::append_json(out, broken), Json::type_error);
  CHECK(out == "kept");
}

#include "common/json_reindent.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "random_json.hpp"

using synapse::runtime::kMaxReindentDepth;
using synapse::runtime::reindent_json;
using Json = nlohmann::json;
using test_support::RandomJson;
using namespace std::string_literals;

namespace {

const char* const kAnnotation =
    R"({"classification":{"bounding_box":["car","person","bicycle","dog","cat"]},)"
    R"("images":[{"bounding_box":[{"attrs":[],"classification":"cat","data":[41,132,106,115],)"
    R"("id":"b0"},{"attrs":[],"classification":"dog","data":[470,155,132,111],"id":"b1"}]}]})";

// reindent_json's output, or "<false>" when it declines.
std::string reindented(std::string_view text) {
  std::string out;
  return reindent_json(text, out) ? out : "<false>";
}

// The fast path must give what the slow path gives: nlohmann's compact dump in, dump(4) out.
void check_like_nlohmann(const Json& value) {
  INFO(value.dump());
  CHECK(reindented(value.dump()) == value.dump(4));
}

}  // namespace

TEST_CASE("an annotation is written as nlohmann's dump(4) writes it") {
  const Json annotation = Json::parse(kAnnotation);
  REQUIRE(annotation.dump() == kAnnotation);
  CHECK(reindented(kAnnotation) == annotation.dump(4));
  CHECK(reindented(R"({"a":[1,{"b":null}],"c":"d"})") ==
        "{\n"
        "    \"a\": [\n"
        "        1,\n"
        "        {\n"
        "            \"b\": null\n"
        "        }\n"
        "    ],\n"
        "    \"c\": \"d\"\n"
        "}");
}

TEST_CASE("empty objects and arrays stay on one line, nested or not") {
  CHECK(reindented("{}") == "{}");
  CHECK(reindented("[]") == "[]");
  CHECK(reindented(R"({"a":{},"b":[]})") == "{\n    \"a\": {},\n    \"b\": []\n}");
  check_like_nlohmann(Json::parse(R"([[],{},[[]],[{}],{"x":{"y":{}}}])"));
}

TEST_CASE("arrays of arrays put each element on its own line") {
  check_like_nlohmann(Json::parse("[[1,2],[3,[4,[5]]],[[[]]]]"));
  check_like_nlohmann(Json::parse(R"({"m":[[0.5,1.5],[true,false,null]]})"));
}

TEST_CASE("strings keep nlohmann's escapes and UTF-8 as they are") {
  check_like_nlohmann(Json("quote \" backslash \\ newline \n tab \t"));
  check_like_nlohmann(Json("nul \0 one \x01 unit \x1f del \x7f"s));
  check_like_nlohmann(Json("\b\f\r / slash"));
  check_like_nlohmann(Json("é 😀 漢字"));
  check_like_nlohmann(Json{{"é", "😀"}, {"\n", {"\u0001"}}, {"\"", "\\"}});
  CHECK(reindented(R"(["a\u0001b"])") == "[\n    \"a\\u0001b\"\n]");
}

TEST_CASE("numbers nlohmann writes back the same are copied") {
  check_like_nlohmann(Json::parse("[0,-0.5,1e300,-1e-300,0.1,1e-05,123456789012345.0,-0.0]"));
  check_like_nlohmann(Json{1e300, 1.5e-7, 873.75, 1e16, 123.456, -2.5e-5});
  check_like_nlohmann(Json{std::numeric_limits<std::uint64_t>::max(),
                           std::numeric_limits<std::int64_t>::min(),
                           std::numeric_limits<std::int64_t>::max(), 0, -1});
  check_like_nlohmann(Json{std::numeric_limits<double>::max(), std::numeric_limits<double>::min(),
                           std::numeric_limits<double>::denorm_min()});
}

TEST_CASE("scalars at the top level are written as they are") {
  for (const char* text : {"true", "false", "null", "0", "-12", "2.5", "1e+300", R"("s")",
                           "18446744073709551615", "-9223372036854775808"}) {
    INFO(text);
    CHECK(reindented(text) == Json::parse(text).dump(4));
  }
  check_like_nlohmann(Json{{"t", true}, {"f", false}, {"n", nullptr}});
}

TEST_CASE("whitespace between tokens is dropped") {
  const char* const spaced = " \n{ \"a\" :\t[ 1 ,\r\n2 ] , \"b\" : { } , \"c\":[ ] }\n ";
  CHECK(reindented(spaced) == Json::parse(spaced).dump(4));
  CHECK(reindented(" 7 ") == "7");
}

TEST_CASE("the text is appended after what out already holds") {
  std::string out = "head:";
  REQUIRE(reindent_json("[1]", out));
  CHECK(out == "head:[\n    1\n]");
}

TEST_CASE("random documents come out byte for byte as nlohmann's dump(4)") {
  RandomJson random(20240531);
  for (int i = 0; i < 400; ++i)
    check_like_nlohmann(random.value(0));
}

TEST_CASE("nesting up to the limit is written, deeper is declined") {
  const auto nested = [](std::size_t depth) {
    return std::string(depth, '[') + "1" + std::string(depth, ']');
  };
  check_like_nlohmann(Json::parse(nested(kMaxReindentDepth)));
  CHECK(reindented(nested(kMaxReindentDepth + 1)) == "<false>");
}

TEST_CASE("malformed text is declined") {
  const std::vector<std::string> structure = {
      "",      " ",           "{",        "[",         "}",          "]",           "[1,]",
      "[,1]",  "[1 2]",       R"({"a"})", R"({"a":})", R"({"a" 1})", R"({"a":1,})", R"({,"a":1})",
      "{1:2}", R"({"a":1]})", "[1}",      "[]]",       "[] []",      "1 2",         "{}x",
      "tru",   "truex",       "nul",      "False",     "NaN",        "Infinity",    "'a'"};
  const std::vector<std::string> numbers = {"-",    "+1", "01",  "-01",  "1.",  ".5",
                                            "1.e5", "1e", "1e+", "0x10", "--1", "1e400"};
  // Unterminated, bad escapes, raw control characters (also NUL and tab), then UTF-8 that is
  // truncated, has a bad continuation, is overlong, a surrogate, above U+10FFFF, no lead byte.
  const std::vector<std::string> strings = {R"("abc)",          R"("a\")",
                                            R"("\x")",          R"("\u00")",
                                            R"("\u00g1")",      "\"a\x01\"",
                                            "\"tab\there\"",    "[\"\0\"]"s,
                                            "\"\xc3\"",         "\"\xc3\x28\"",
                                            "\"\xc0\xaf\"",     "\"\xe0\x80\xaf\"",
                                            "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
                                            "\"\xff\"",         "\"\x80\""};
  for (const auto* list : {&structure, &numbers, &strings}) {
    for (const std::string& text : *list) {
      INFO(Json(text).dump(-1, ' ', true, Json::error_handler_t::replace));
      CHECK(reindented(text) == "<false>");
      CHECK_THROWS(Json::parse(text));  // malformed for nlohmann too
    }
  }
}

TEST_CASE("keys out of order or repeated are declined") {
  CHECK(reindented(R"({"b":1,"a":2})") == "<false>");
  CHECK(reindented(R"({"a":1,"a":2})") == "<false>");
  CHECK(reindented(R"({"a":{"y":1,"x":2}})") == "<false>");
  CHECK(reindented(R"({"ab":1,"a":2})") == "<false>");
  // Ordered by the decoded bytes, unsigned: '"' (0x22) before '#', "z" before "é".
  check_like_nlohmann(Json{{"a\"", 1}, {"a#", 2}, {"z", 3}, {"é", 4}});
  CHECK(reindented(R"({"a#":1,"a\"":2})") == "<false>");
  CHECK(reindented(R"({"é":1,"z":2})") == "<false>");
  // Each object has its own order.
  check_like_nlohmann(Json::parse(R"({"b":{"z":1},"c":{"a":2}})"));
}

TEST_CASE("valid text that nlohmann would write differently is declined") {
  for (const char* text :
       {R"("a\/b")", R"("\u00e9")", R"("\u0041")", R"("\u001F")", R"("\u000a")",
        R"("\ud83d\ude00")", "-0", "1E2", "1e2", "1.50", "1.0e1", "100000.00", "0.5e0",
        "873.75394",  // nlohmann's Grisu2 writes 873.7539399999999
        "18446744073709551616", "-9223372036854775809", "\xef\xbb\xbf{}"}) {
    INFO(text);
    CHECK(reindented(text) == "<false>");
    // All valid for nlohmann: the caller's fallback writes them.
    CHECK_NOTHROW(Json::parse(text));
  }
}

TEST_CASE("hand-written numbers are either declined or written as nlohmann writes them") {
  std::mt19937_64 rng(7);
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = rng() % 2 == 0 ? "-" : "";
    text += std::to_string(rng() % 100000);
    if (rng() % 2 == 0)
      text += "." + std::to_string(rng() % 1000);
    if (rng() % 3 == 0)
      text += "e" + std::to_string(static_cast<int>(rng() % 40) - 20);
    const std::string out = reindented(text);
    if (out != "<false>") {
      INFO(text);
      CHECK(out == Json::parse(text).dump(4));
      ++accepted;
    }
  }
  CHECK(accepted > 1000);
}

TEST_CASE("damaged documents are declined or written as nlohmann writes them") {
  // One byte changed, dropped or doubled in random documents: whatever reindent_json accepts
  // must be what parse + dump(4) gives, and what nlohmann refuses it must refuse.
  const std::string bytes = "\"\\{}[],:0-1.eE+ \x01\xc3\xa9\xffuatn/";
  RandomJson random(99);
  std::mt19937_64 rng(99);
  int accepted = 0;
  int declined = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string original = random.value(0).dump();
    for (int k = 0; k < 5; ++k) {
      std::string text = original;
      const std::size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[at] = bytes[rng() % bytes.size()];
          break;
        case 1:
          text.erase(at, 1);
          break;
        default:
          text.insert(at, 1, text[at]);
      }
      INFO(Json(text).dump(-1, ' ', true, Json::error_handler_t::replace));
      const std::string out = reindented(text);
      const Json parsed = Json::parse(text, nullptr, false);
      if (parsed.is_discarded()) {
        CHECK(out == "<false>");
      } else if (out != "<false>") {
        CHECK(out == parsed.dump(4));
      }
      (out == "<false>" ? declined : accepted) += 1;
    }
  }
  CHECK(accepted > 100);
  CHECK(declined > 100);
}

namespace {

// `value` with every object's keys inserted in reverse order: a document whose text order is
// not sorted, as imported annotations often are.
nlohmann::ordered_json reversed_keys(const Json& value) {
  if (value.is_object()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (auto it = value.crbegin(); it != value.crend(); ++it)
      out[it.key()] = reversed_keys(it.value());
    return out;
  }
  if (value.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& element : value)
      out.push_back(reversed_keys(element));
    return out;
  }
  return nlohmann::ordered_json::parse(value.dump());
}

std::string reindented_stored_order(std::string_view text) {
  std::string out;
  return synapse::runtime::reindent_json_stored_order(text, out) ? out : "<false>";
}

}  // namespace

TEST_CASE("stored order keeps each object's keys as the text has them") {
  const std::string text =
      R"({"images":[{"bounding_box":[{"id":"b0","classification":"cat","attrs":[],)"
      R"("data":[41,132,106,115]}]}],"classification":{"bounding_box":["cat"]}})";
  CHECK(reindented_stored_order(text) == nlohmann::ordered_json::parse(text).dump(4));
  CHECK(reindented(text) == "<false>");  // the sorted mode declines it
  RandomJson random(777);
  for (int i = 0; i < 300; ++i) {
    const auto document = reversed_keys(random.value(0));
    INFO(document.dump());
    CHECK(reindented_stored_order(document.dump()) == document.dump(4));
  }
}

TEST_CASE("stored order declines a key repeated within an object, not across objects") {
  CHECK(reindented_stored_order(R"({"a":1,"b":2,"a":3})") == "<false>");
  CHECK(reindented_stored_order(R"({"a":1,"\u0061":2})") == "<false>");  // the same key, escaped
  CHECK(reindented_stored_order(R"({"a":{"a":1},"b":{"a":2}})") ==
        nlohmann::ordered_json::parse(R"({"a":{"a":1},"b":{"a":2}})").dump(4));
  std::string many = "{";
  for (std::size_t i = 0; i <= synapse::runtime::kMaxStoredOrderKeys; ++i)
    many += (i == 0 ? "\"k" : ",\"k") + std::to_string(i) + "\":0";
  many += "}";
  CHECK(reindented_stored_order(many) == "<false>");
}

namespace {

std::string reindented_as_written(std::string_view text) {
  std::string out;
  return synapse::runtime::reindent_json_as_written(text, out) ? out : "<false>";
}

}  // namespace

TEST_CASE("as written keeps keys, repeats, numbers and escapes as the text has them") {
  CHECK(reindented_as_written(R"({"b":1,"a":2,"b":3})") ==
        "{\n    \"b\": 1,\n    \"a\": 2,\n    \"b\": 3\n}");
  CHECK(reindented_as_written(R"([1.50,1E2,-0,1e400,"\/","\u00E9\uD83D\uDE00"])") ==
        "[\n    1.50,\n    1E2,\n    -0,\n    1e400,\n    \"\\/\",\n    "
        "\"\\u00E9\\uD83D\\uDE00\"\n]");
  CHECK(reindented_as_written(R"({"a":{},"b":[],"c":[[]]})") ==
        "{\n    \"a\": {},\n    \"b\": [],\n    \"c\": [\n        []\n    ]\n}");
  // nlohmann's own text comes out as its dump(4), whatever the key order.
  RandomJson random(4242);
  for (int i = 0; i < 300; ++i) {
    const auto document = reversed_keys(random.value(0));
    INFO(document.dump());
    CHECK(reindented_as_written(document.dump()) == document.dump(4));
  }
}

TEST_CASE("as written declines what is not one JSON value, or nests too deep") {
  for (const std::string text :
       {"", "{", "[1,]", R"({"a"})", R"({"a":1,})", "01", "1.", "-", "[1 2]", "{}x", "tru",
        R"("\x")", R"("\u00g1")", R"("\u12")", "\"\xc3\"", "\"a\x01\"", "'a'"}) {
    INFO(text);
    CHECK(reindented_as_written(text) == "<false>");
  }
  CHECK(reindented_as_written(std::string(kMaxReindentDepth + 1, '[') + "1" +
                              std::string(kMaxReindentDepth + 1, ']')) == "<false>");
}

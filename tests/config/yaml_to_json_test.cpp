// YAML -> JSON typing (YAML 1.2 core schema): quoted scalars stay strings, plain ones are typed.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <yaml-cpp/yaml.h>

#include "config/yaml_to_json.hpp"

using synapse::runtime::impl::plain_scalar_to_json;
using synapse::runtime::impl::yaml_to_json;

namespace {

nlohmann::json convert(const std::string& yaml) {
  return yaml_to_json(YAML::Load(yaml));
}

}  // namespace

TEST_CASE("quoted scalars stay strings, plain ones are typed", "[config][yaml]") {
  const nlohmann::json j = convert(
      "quoted: \"10\"\nsingle: 'true'\nplain: 10\nflag: true\nnothing: ~\nempty:\n"
      "ratio: 1.5\nword: yes\nnull_word: null\nquoted_null: 'null'\n");
  CHECK(j["quoted"] == "10");
  CHECK(j["quoted"].is_string());
  CHECK(j["single"] == "true");
  CHECK(j["plain"] == 10);
  CHECK(j["plain"].is_number_integer());
  CHECK(j["flag"] == true);
  CHECK(j["nothing"].is_null());
  CHECK(j["empty"].is_null());
  CHECK(j["ratio"] == 1.5);
  CHECK(j["word"] == "yes");  // YAML 1.2: only true/false are booleans
  CHECK(j["null_word"].is_null());
  CHECK(j["quoted_null"] == "null");
}

TEST_CASE("plain scalars follow the YAML 1.2 core schema", "[config][yaml]") {
  CHECK(plain_scalar_to_json("True") == true);
  CHECK(plain_scalar_to_json("FALSE") == false);
  CHECK(plain_scalar_to_json("tRUE") == "tRUE");
  CHECK(plain_scalar_to_json("NULL").is_null());
  CHECK(plain_scalar_to_json("-7") == -7);
  CHECK(plain_scalar_to_json("+7") == 7);
  CHECK(plain_scalar_to_json("0x1F") == 31);
  CHECK(plain_scalar_to_json("0o17") == 15);
  CHECK(plain_scalar_to_json("1e3") == 1000.0);
  CHECK(plain_scalar_to_json("1e3").is_number_float());
  CHECK(plain_scalar_to_json(".5") == 0.5);
  CHECK(plain_scalar_to_json("-.inf") == -INFINITY);
  CHECK(std::isnan(plain_scalar_to_json(".nan").get<double>()));
  CHECK(plain_scalar_to_json("1.2.3") == "1.2.3");
  CHECK(plain_scalar_to_json("0x") == "0x");
  CHECK(plain_scalar_to_json("12abc") == "12abc");
  // Too large for int64: a double, not a wrapped integer.
  CHECK(plain_scalar_to_json("99999999999999999999").is_number_float());
}

TEST_CASE("standard tags force the type", "[config][yaml]") {
  const nlohmann::json j = convert("s: !!str 5\ni: !!int '7'\nf: !!float 2\nb: !!bool 'true'\n");
  CHECK(j["s"] == "5");
  CHECK(j["i"] == 7);
  CHECK(j["f"].is_number_float());
  CHECK(j["f"] == 2.0);
  CHECK(j["b"] == true);
}

TEST_CASE("lists and mappings nest, keys become strings", "[config][yaml]") {
  const nlohmann::json j = convert("list: [1, '2', {a: [true]}]\n10: ten\n");
  CHECK(j == nlohmann::json{{"list", {1, "2", {{"a", {true}}}}}, {"10", "ten"}});
  CHECK(convert("").is_null());
}

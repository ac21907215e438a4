// Validation strategy `default`, per unit: spec known, extension allowed (case-insensitive, with
// or without a leading dot, any when none listed), base name <= 255 bytes, required specs there.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "strategies_fixture.hpp"
#include "upload/strategies/default_validation.hpp"

using namespace upload_strategies_test;
using synapse::runtime::upload::make_default_validation;
using synapse::upload::ValidationResult;

namespace {

const std::vector<synapse::FileSpecification> kSpecs{
    spec("image", {".jpg", "PNG"}),   // required; one dotted, one bare upper-case
    spec("meta", {"json"}, false),    // bare extension
    spec("raw", {".tar.gz"}, false),  // multi-part extension
    spec("anything", {}, false),      // no extensions: any file
};

ValidationResult validate(std::map<std::string, std::string> files, std::string key = "u") {
  return make_default_validation()->validate_unit(unit(std::move(key), std::move(files)), kSpecs);
}

}  // namespace

TEST_CASE("upload_strategies: default validation is named default", "[validation]") {
  CHECK(make_default_validation()->name() == "default");
}

TEST_CASE("upload_strategies: a complete unit with allowed extensions is valid", "[validation]") {
  const auto result = validate({{"image", "image/a/1.jpg"},
                                {"meta", "meta/a/1.json"},
                                {"raw", "raw/a/1.tar.gz"},
                                {"anything", "x/1.bin"}});
  CHECK(result.valid);
  CHECK(static_cast<bool>(result));
  CHECK(result.errors.empty());
}

TEST_CASE("upload_strategies: allowed extensions are matched case-insensitively", "[validation]") {
  CHECK(validate({{"image", "image/1.JPG"}}).valid);
  CHECK(validate({{"image", "image/1.Jpg"}}).valid);
  CHECK(validate({{"image", "image/1.png"}}).valid);  // listed as "PNG"
  CHECK(validate({{"image", "image/1.PnG"}}).valid);
  CHECK(validate({{"image", "image/1.jpg"}, {"raw", "raw/1.TAR.GZ"}}).valid);
}

TEST_CASE("upload_strategies: an extension listed without its dot still needs the dot",
          "[validation]") {
  CHECK(validate({{"image", "image/1.jpg"}, {"meta", "meta/1.json"}}).valid);
  // "json" means ".json": a name merely ending in the letters is not accepted.
  const auto result = validate({{"image", "image/1.jpg"}, {"meta", "meta/1.xjson"}});
  CHECK_FALSE(result.valid);
  REQUIRE(result.errors.size() == 1);
  CHECK_THAT(result.errors[0], Catch::Contains("meta/1.xjson") && Catch::Contains("'meta'"));
}

TEST_CASE("upload_strategies: a file with an extension its spec does not allow is invalid",
          "[validation]") {
  const auto result = validate({{"image", "image/1.gif"}}, "a/1");
  CHECK_FALSE(result.valid);
  CHECK_FALSE(static_cast<bool>(result));
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] ==
        "unit 'a/1': file image/1.gif has an extension spec 'image' does not allow (.jpg, PNG)");
  // ".gz" alone is not ".tar.gz".
  CHECK_FALSE(validate({{"image", "image/1.jpg"}, {"raw", "raw/1.gz"}}).valid);
}

TEST_CASE("upload_strategies: a spec without extensions accepts any file", "[validation]") {
  for (const char* name : {"x/1.bin", "x/noext", "x/1.JPG", "x/.hidden", "x/a.b.c"})
    CHECK(validate({{"image", "image/1.jpg"}, {"anything", name}}).valid);
}

TEST_CASE("upload_strategies: a file for a spec the collection does not have is invalid",
          "[validation]") {
  const auto result = validate({{"image", "image/1.jpg"}, {"thumbnail", "thumb/1.jpg"}});
  CHECK_FALSE(result.valid);
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] ==
        "unit 'u': file thumb/1.jpg is for 'thumbnail', which is not a file specification of "
        "the collection");
}

TEST_CASE("upload_strategies: a unit missing a required spec is invalid", "[validation]") {
  const auto result = validate({{"meta", "meta/1.json"}}, "7");
  CHECK_FALSE(result.valid);
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] == "unit '7': required spec 'image' is missing");
  // Optional specs may be absent.
  CHECK(validate({{"image", "image/7.jpg"}}).valid);
  // No files at all.
  const auto empty = validate({});
  CHECK_FALSE(empty.valid);
  CHECK_THAT(empty.errors.front(), Catch::Contains("has no files"));
}

TEST_CASE("upload_strategies: a base name over 255 bytes is invalid, folders do not count",
          "[validation]") {
  const std::string folders = std::string(300, 'd') + "/" + std::string(300, 'e') + "/";
  CHECK(validate({{"image", folders + std::string(251, 'n') + ".jpg"}}).valid);  // 255 bytes
  const auto long_name = validate({{"image", "image/" + std::string(252, 'n') + ".jpg"}});
  CHECK_FALSE(long_name.valid);
  REQUIRE(long_name.errors.size() == 1);
  CHECK_THAT(long_name.errors[0], Catch::Contains("longer than 255 bytes"));

  // Bytes, not characters: 126 two-byte characters + ".jpg" is 130 characters but 256 bytes.
  std::string accented;
  for (int i = 0; i < 126; ++i)
    accented += "\u00e9";
  CHECK_FALSE(validate({{"image", "image/" + accented + ".jpg"}}).valid);
  CHECK(validate({{"image", "image/" + accented.substr(2) + ".jpg"}}).valid);  // 254 bytes
}

TEST_CASE("upload_strategies: every problem of a unit is reported at once", "[validation]") {
  const auto result = validate({{"meta", "meta/1.txt"}, {"extra", "extra/1.jpg"}}, "k");
  CHECK_FALSE(result.valid);
  REQUIRE(result.errors.size() == 3);
  for (const auto& error : result.errors)
    CHECK_THAT(error, Catch::StartsWith("unit 'k': "));
  CHECK_THAT(result.errors[0], Catch::Contains("'extra'"));
  CHECK_THAT(result.errors[1], Catch::Contains("meta/1.txt"));
  CHECK_THAT(result.errors[2], Catch::Contains("required spec 'image' is missing"));
}

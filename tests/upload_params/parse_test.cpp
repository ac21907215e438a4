// parse_upload_params: defaults, every error reported together with its path, and the single-
// vs multi-path rules (spec/upload.md §2).
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "upload/params/upload_params.hpp"

using nlohmann::json;
using synapse::runtime::ParamError;
using synapse::runtime::upload::parse_upload_params;

namespace {

json minimal() {
  return {{"name", "batch 1"}, {"path", "incoming"}, {"storage", 1}, {"data_collection", 2}};
}

// "<path>: <message>" per error, sorted, so a CHECK shows the whole list on failure.
std::vector<std::string> rendered(const std::vector<ParamError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors)
    out.push_back(e.path + ": " + e.message);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("a minimal valid input gets every default", "[parse]") {
  const auto check = parse_upload_params(minimal());
  REQUIRE(check.ok());
  const auto& p = check.params;
  CHECK(p.name == "batch 1");
  CHECK(p.path == "incoming");
  CHECK(p.storage == 1);
  CHECK(p.data_collection == 2);
  CHECK_FALSE(p.description);
  CHECK_FALSE(p.project);
  CHECK_FALSE(p.excel_metadata_path);
  CHECK(p.is_recursive);
  CHECK(p.max_file_size_mb == 50);
  CHECK(p.creating_data_unit_batch_size == 1);
  CHECK(p.use_async_upload);
  CHECK(p.max_concurrent_uploads == 10);
  CHECK(p.upload_batch_size == 1);
  CHECK_FALSE(p.skip_cleanup);
  CHECK(p.validation_strategy == "default");
  CHECK(p.use_single_path);
  CHECK(p.assets.empty());
  CHECK_FALSE(p.dry_run);
  CHECK(p.extra_params.is_null());
}

TEST_CASE("given values replace the defaults, null and 0 project mean none", "[parse]") {
  json in = minimal();
  in.update({{"description", "d"},
             {"project", 7},
             {"excel_metadata_path", "meta.xlsx"},
             {"is_recursive", false},
             {"max_file_size_mb", 5},
             {"creating_data_unit_batch_size", 100},
             {"use_async_upload", false},
             {"max_concurrent_uploads", 3},
             {"upload_batch_size", 4},
             {"skip_cleanup", true},
             {"validation_strategy", "strict"},
             {"dry_run", true},
             {"extra_params", {{"k", 1}}},
             {"unknown_key", "ignored"}});
  auto check = parse_upload_params(in);
  REQUIRE(check.ok());
  const auto& p = check.params;
  CHECK(p.description == "d");
  CHECK(p.project == 7);
  CHECK(p.excel_metadata_path == "meta.xlsx");
  CHECK_FALSE(p.is_recursive);
  CHECK(p.max_file_size_mb == 5);
  CHECK(p.creating_data_unit_batch_size == 100);
  CHECK_FALSE(p.use_async_upload);
  CHECK(p.max_concurrent_uploads == 3);
  CHECK(p.upload_batch_size == 4);
  CHECK(p.skip_cleanup);
  CHECK(p.validation_strategy == "strict");
  CHECK(p.dry_run);
  CHECK(p.extra_params == json{{"k", 1}});

  for (const json& none : {json(nullptr), json(0)}) {
    in["project"] = none;
    check = parse_upload_params(in);
    CHECK(check.ok());
    CHECK_FALSE(check.params.project);
  }
  in["excel_metadata_path"] = "";  // falsy: accepted as absent (spec §2.1 step 1)
  CHECK_FALSE(parse_upload_params(in).params.excel_metadata_path);
}

TEST_CASE("wrong types, missing fields and ranges are all reported together", "[parse]") {
  const json in = {{"name", "   "},
                   {"path", 3},
                   {"storage", "1"},
                   {"project", -2},
                   {"is_recursive", "yes"},
                   {"max_file_size_mb", 0},
                   {"creating_data_unit_batch_size", 1.5},
                   {"max_concurrent_uploads", -1},
                   {"dry_run", 1},
                   {"extra_params", json::array()}};
  const auto check = parse_upload_params(in);
  CHECK(rendered(check.errors) ==
        std::vector<std::string>{
            "/creating_data_unit_batch_size: must be an integer, got number",
            "/data_collection: is required",
            "/dry_run: must be a boolean, got integer",
            "/extra_params: must be an object, got array",
            "/is_recursive: must be a boolean, got string",
            "/max_concurrent_uploads: must be at least 1, got -1",
            "/max_file_size_mb: must be at least 1, got 0",
            "/name: must not be blank",
            "/path: must be a string, got integer",
            "/project: must be at least 0, got -2",
            "/storage: must be an integer, got string",
        });
  // Bad fields keep their defaults, so a caller never reads garbage.
  CHECK(check.params.max_file_size_mb == 50);
  CHECK(check.params.is_recursive);
  CHECK(check.params.storage == 0);
}

TEST_CASE("params that are not an object are one error at the root", "[parse]") {
  const auto check = parse_upload_params(json::array());
  REQUIRE(check.errors.size() == 1);
  CHECK(check.errors[0].path == "");
  CHECK(check.errors[0].message == "params must be a JSON object, got array");
}

TEST_CASE("single-path mode requires path", "[parse][mode]") {
  json in = minimal();
  in.erase("path");
  CHECK(rendered(parse_upload_params(in).errors) ==
        std::vector<std::string>{"/path: is required when use_single_path is true"});
  in["path"] = nullptr;
  CHECK(rendered(parse_upload_params(in).errors) ==
        std::vector<std::string>{"/path: is required when use_single_path is true"});
  in["path"] = " ";
  CHECK(rendered(parse_upload_params(in).errors) ==
        std::vector<std::string>{"/path: must not be blank"});
}

TEST_CASE("multi-path mode reads assets and requires at least one", "[parse][mode]") {
  json in = minimal();
  in.erase("path");
  in["use_single_path"] = false;
  in["is_recursive"] = false;
  in["assets"] = {{"image_1", {{"path", "imgs"}, {"storage", 4}, {"is_recursive", true}}},
                  {"meta", {{"path", "json"}}}};
  auto check = parse_upload_params(in);
  REQUIRE(check.ok());
  const auto& p = check.params;
  CHECK_FALSE(p.use_single_path);
  CHECK_FALSE(p.path);
  REQUIRE(p.assets.size() == 2);
  const auto& img = p.assets.at("image_1");
  const auto& meta = p.assets.at("meta");
  CHECK(img.path == "imgs");
  CHECK(img.storage == 4);
  CHECK(p.asset_storage(img) == 4);
  CHECK(p.asset_is_recursive(img));
  CHECK(meta.path == "json");
  CHECK_FALSE(meta.storage);
  CHECK(p.asset_storage(meta) == 1);        // falls back to the top-level storage
  CHECK_FALSE(p.asset_is_recursive(meta));  // and to the top-level is_recursive

  in["assets"] = json::object();
  CHECK(rendered(parse_upload_params(in).errors) ==
        std::vector<std::string>{
            "/assets: must name at least one file specification when use_single_path is false"});
  in.erase("assets");
  CHECK(rendered(parse_upload_params(in).errors) ==
        std::vector<std::string>{
            "/assets: must name at least one file specification when use_single_path is false"});
}

TEST_CASE("every bad asset entry is reported with its own path", "[parse][mode]") {
  json in = minimal();
  in["use_single_path"] = false;
  in["assets"] = {{"a/b", {{"storage", 0}, {"is_recursive", "no"}}},
                  {"image_1", "imgs"},
                  {"ok", {{"path", "x"}}}};
  const auto check = parse_upload_params(in);
  CHECK(rendered(check.errors) == std::vector<std::string>{
                                      "/assets/a~1b/is_recursive: must be a boolean, got string",
                                      "/assets/a~1b/path: is required",
                                      "/assets/a~1b/storage: must be at least 1, got 0",
                                      "/assets/image_1: must be an object with a path, got string",
                                  });
  in["assets"] = json::array();
  CHECK(rendered(parse_upload_params(in).errors) ==
        std::vector<std::string>{"/assets: must be an object, got array"});
}

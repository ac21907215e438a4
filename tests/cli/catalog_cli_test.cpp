// The operator's catalog commands: catalog init, collections, projects, data units, storages
// (secrets never printed) and doctor, each with --json.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "synapse_process.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using cli_test::Sandbox;
using nlohmann::json;

namespace {

const std::string sample_collection =
    std::string(SYNAPSE_SOURCE_DIR) + "/config/collections/sample-images.yaml";

json run_json(const Sandbox& sandbox, const std::vector<std::string>& args) {
  const auto r = sandbox.run(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("catalog_init_creates_the_catalog_in_the_data_home", "[cli][catalog]") {
  Sandbox sandbox;
  const auto out = run_json(sandbox, {"catalog", "init", "--json"});
  CHECK(out["data_home"] == sandbox.home().string());
  CHECK(fs::exists(sandbox.home() / "catalog.sqlite3"));
  // Running it again is harmless.
  CHECK(sandbox.run({"catalog", "init"}).exit_code == 0);
}

TEST_CASE("collections_are_created_listed_and_shown", "[cli][catalog]") {
  Sandbox sandbox;
  const auto created =
      run_json(sandbox, {"collection", "create", "--from", sample_collection, "--json"});
  CHECK(created["name"] == "sample-images");
  CHECK(created["file_specifications"][0]["extensions"] == json({".jpg", ".jpeg", ".png"}));
  const auto id = std::to_string(created["id"].get<long long>());

  const auto list = run_json(sandbox, {"collection", "list", "--json"});
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == created["id"]);

  const auto by_name = run_json(sandbox, {"collection", "show", "sample-images", "--json"});
  const auto by_id = run_json(sandbox, {"collection", "show", id, "--json"});
  CHECK(by_name == by_id);
  CHECK(by_name["data_units"] == 0);

  const auto again = sandbox.run({"collection", "create", "--from", sample_collection});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Contains("error[catalog.conflict]"));

  const auto missing = sandbox.run({"collection", "show", "nope"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("error[catalog.not_found]"));
}

TEST_CASE("a_bad_collection_file_is_refused_with_positions", "[cli][catalog]") {
  Sandbox sandbox;
  const auto file = sandbox.dir() / "bad.yaml";
  std::ofstream(file) << "name: x\nfile_specifications: []\n";
  const auto r = sandbox.run({"collection", "create", "--from", file.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("error[collection.invalid]") &&
                        Contains("bad.yaml:2:1: file_specifications: expected a non-empty list"));
}

TEST_CASE("projects_and_data_units_are_listed_per_collection", "[cli][catalog]") {
  Sandbox sandbox;
  run_json(sandbox, {"collection", "create", "--from", sample_collection, "--json"});
  const auto project = run_json(sandbox, {"project", "create", "--name", "labels", "--collection",
                                          "sample-images", "--json"});
  CHECK(project["name"] == "labels");
  CHECK(project["collection_id"].is_number());
  const auto units =
      run_json(sandbox, {"data-units", "list", "--collection", "sample-images", "--json"});
  CHECK(units["items"] == json::array());
  CHECK(units["next_cursor"] == "");
}

TEST_CASE("storages_are_added_and_listed_without_their_secrets", "[cli][catalog][storage]") {
  Sandbox sandbox;
  const auto folder = sandbox.dir() / "data";
  fs::create_directories(folder);
  run_json(sandbox, {"storage", "add", "disk", "--provider", "local", "--config",
                     "location=" + folder.string(), "--json"});
  const auto s3 = sandbox.run({"storage", "add", "bucket", "--provider", "s3", "--config",
                               "endpoint_url=http://127.0.0.1:9", "bucket_name=b",
                               "access_key=AKIDEXAMPLE", "secret_key=TOPSECRETVALUE"});
  INFO(s3.err);
  REQUIRE(s3.exit_code == 0);
  CHECK_THAT(s3.out + s3.err, !Contains("TOPSECRETVALUE"));

  const auto list = sandbox.run({"storage", "list", "--json"});
  REQUIRE(list.exit_code == 0);
  CHECK_THAT(list.out, !Contains("TOPSECRETVALUE"));
  const auto storages = json::parse(list.out);
  REQUIRE(storages.size() == 2);
  CHECK(storages[0]["configuration"]["location"] == folder.string());
  CHECK(storages[1]["configuration"]["secret_key"] == "***");
  CHECK(storages[1]["configuration"]["access_key"] == "AKIDEXAMPLE");
  CHECK_THAT(sandbox.run({"storage", "list"}).out, !Contains("TOPSECRETVALUE"));
}

TEST_CASE("a_bad_storage_is_refused_when_added", "[cli][catalog][storage]") {
  Sandbox sandbox;
  const auto provider = sandbox.run({"storage", "add", "x", "--provider", "ftp"});
  CHECK(provider.exit_code == 2);
  CHECK_THAT(provider.err, Contains("error[cli.bad_provider]") && Contains("local, s3, sftp"));
  const auto missing = sandbox.run({"storage", "add", "x", "--provider", "local"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("error[storage.invalid_config]") && Contains("location"));
}

TEST_CASE("doctor_passes_on_a_good_setup_and_says_how_to_fix_a_bad_one", "[cli][doctor]") {
  Sandbox sandbox;
  const auto folder = sandbox.dir() / "data";
  fs::create_directories(folder);
  run_json(sandbox, {"storage", "add", "disk", "--provider", "local", "--config",
                     "location=" + folder.string(), "--json"});
  const auto good = sandbox.run({"doctor"});
  INFO(good.out << good.err);
  CHECK(good.exit_code == 0);
  CHECK_THAT(good.out, Contains("[ ok ] data home") && Contains("[ ok ] catalog") &&
                           Contains("[ ok ] storage 'disk' (local)"));

  SECTION("a storage whose folder is gone: fix the set-up, exit 2") {
    fs::remove_all(folder);
    const auto r = sandbox.run({"doctor", "--json"});
    CHECK(r.exit_code == 2);
    bool found = false;
    for (const auto& check : json::parse(r.out)) {
      if (check["check"] == "storage 'disk' (local)") {
        found = true;
        CHECK(check["ok"] == false);
        CHECK_THAT(check["fix"].get<std::string>(), Contains("location"));
      }
    }
    CHECK(found);
  }
  SECTION("an unreachable S3 endpoint: retry later, exit 4") {
    run_json(sandbox, {"storage", "add", "down", "--provider", "s3", "--config",
                       "endpoint_url=http://127.0.0.1:9", "bucket_name=b", "access_key=a",
                       "secret_key=s", "--json"});
    const auto r = sandbox.run({"doctor"});
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.out, Contains("[FAIL] storage 'down' (s3): unreachable") &&
                          Contains("fix: check endpoint_url/host"));
  }
}

TEST_CASE("doctor_accepts_a_plugin_folder_not_created_yet_but_not_a_file_in_its_place",
          "[cli][doctor]") {
  Sandbox sandbox;
  const auto missing = sandbox.dir() / "user-plugins";
  const auto good = sandbox.run({"--plugin-path", missing.string(), "doctor", "--json"});
  INFO(good.out << good.err);
  CHECK(good.exit_code == 0);
  bool reported = false;
  for (const auto& check : json::parse(good.out)) {
    if (check["check"] == "plugin path " + missing.string()) {
      reported = true;
      CHECK(check["ok"] == true);
      CHECK_THAT(check["detail"].get<std::string>(), Contains("does not exist yet"));
    }
  }
  CHECK(reported);

  std::ofstream(missing) << "not a folder\n";
  const auto bad = sandbox.run({"--plugin-path", missing.string(), "doctor"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.out, Contains("not a readable folder"));
}

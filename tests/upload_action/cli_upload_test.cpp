// Layer B: the real `synapse` binary running the real upload plugins (plugins/upload-default
// and plugins/upload-example, staged in the build's plugins/), as an operator does it. Outcomes
// are read back from exit codes, stdout/stderr, the JSONL events file and the data home's
// catalog.
#include <catch2/catch.hpp>

#include "cli_support.hpp"

using namespace upload_action_test;
using Catch::Matchers::Contains;

TEST_CASE("cli: upload-default uploads the sample: exit 0, result, events and catalog rows",
          "[upload_action][cli]") {
  CliUpload cli;
  copy_sample(cli.data() / "sample-images");
  const auto r = cli.upload(plugin_dir("upload-default"), cli.params("sample-images"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  const auto events = cli.events();
  REQUIRE_FALSE(events.empty());
  const auto& last = events.back();
  CHECK(last["event"] == "result");
  CHECK(last["data"]["status"] == "succeeded");
  CHECK(last["data"]["exit_code"] == 0);
  const auto& result = last["data"]["result"];
  CHECK(result["success"] == true);
  CHECK(result["uploaded_files_count"] == kSampleUnits);
  CHECK(result["generated_data_units_count"] == kSampleUnits);

  CHECK(events_named(events, "upload_data_file").size() == kSampleUnits);
  CHECK(events_named(events, "upload_data_unit").size() == kSampleUnits);
  bool import_completed = false;
  for (const auto& m : events_named(events, "message"))
    import_completed |= m["data"].value("code", "") == "IMPORT_COMPLETED";
  CHECK(import_completed);

  // Progress reaches 100 % overall; metrics are pushed, not only returned.
  const auto progress = events_named(events, "progress");
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.back()["data"]["overall"] == Approx(100.0));
  bool data_units_metrics = false;
  for (const auto& m : events_named(events, "metrics")) {
    data_units_metrics |=
        m["data"]["category"] == "data_units" &&
        m["data"]["value"] == json({{"stand_by", 0}, {"success", 6}, {"failed", 0}});
  }
  CHECK(data_units_metrics);

  CHECK(cli.count("data_units") == kSampleUnits);
  CHECK(cli.count("data_files") == kSampleFiles);
  CHECK(cli.count("tasks") == kSampleUnits);
  const auto listed = cli.ok({"data-units", "list", "--collection", "sample-images", "--json"});
  CHECK_THAT(listed.out, Contains("\"origin_file_stem\"") && Contains("\"street\""));
}

TEST_CASE("cli: a wrong upload path exits 1 naming the path and stores nothing",
          "[upload_action][cli]") {
  CliUpload cli;
  copy_sample(cli.data() / "sample-images");
  const auto r = cli.upload(plugin_dir("upload-default"), cli.params("no-such-folder"));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("'no-such-folder'") && Contains("does not exist"));
  CHECK(cli.count("data_files") == 0);
  CHECK(cli.count("data_units") == 0);
  CHECK(stored_content(cli.sandbox.home()).empty());
}

TEST_CASE("cli: upload params naming no storage exit 2 listing the problem",
          "[upload_action][cli]") {
  CliUpload cli;
  copy_sample(cli.data() / "sample-images");
  SECTION("unknown storage id") {
    const auto r =
        cli.upload(plugin_dir("upload-default"), cli.params("sample-images", {{"storage", 42}}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("storage 42 does not exist"));
  }
  SECTION("storage missing") {
    auto params = cli.params("sample-images");
    params.erase("storage");
    const auto r = cli.upload(plugin_dir("upload-default"), params);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("/storage") && Contains("is required"));
  }
  CHECK(cli.count("data_files") == 0);
}

TEST_CASE("cli: --dry-run prints the plan and changes nothing", "[upload_action][cli][dry_run]") {
  CliUpload cli;
  copy_sample(cli.data() / "sample-images");
  const auto before = cli.snapshot();
  const auto r =
      cli.upload(plugin_dir("upload-default"), cli.params("sample-images"), {"--dry-run"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_same(before, cli.snapshot());
  const auto result = cli.events().back()["data"]["result"];
  CHECK(result["dry_run"] == true);
  CHECK(result["plan"]["units_to_create"] == kSampleUnits);
  CHECK(result["plan"]["metadata"]["coverage"] == "6/6");
  CHECK(result["plan"]["would_succeed"] == true);
  CHECK(events_named(cli.events(), "upload_data_file").empty());
}

TEST_CASE("cli: upload-example's custom step report_extensions emits upload_extension_report",
          "[upload_action][cli][plugin]") {
  CliUpload cli;
  copy_sample(cli.data() / "sample-images");
  const auto r = cli.upload("upload-example", cli.params("sample-images"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto events = cli.events();
  const auto reports = events_named(events, "upload_extension_report");
  REQUIRE(reports.size() == 1);
  CHECK(reports[0]["data"]["extensions"] ==
        json({{".jpeg", 1}, {".jpg", 3}, {".json", 4}, {".png", 2}}));
  // It runs before validate_files, so before any file is stored.
  std::size_t report_at = 0, first_upload_at = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i]["event"] == "upload_extension_report")
      report_at = i;
    if (events[i]["event"] == "upload_data_file" && first_upload_at == 0)
      first_upload_at = i;
  }
  CHECK(report_at < first_upload_at);
  CHECK(events.back()["data"]["result"]["steps"] ==
        json({"initialize", "process_metadata", "analyze_collection", "organize_files",
              "report_extensions", "validate_files", "upload_files", "generate_data_units",
              "cleanup"}));
  CHECK(cli.count("data_units") == kSampleUnits);
}

TEST_CASE(
    "cli: the custom strategy all_specs is selectable and rejects units lacking an optional spec",
    "[upload_action][cli][plugin]") {
  CliUpload cli;
  copy_sample(cli.data() / "sample-images");
  const auto params = cli.params("sample-images", {{"validation_strategy", "all_specs"}});

  SECTION("beach and forest have no sidecar: rejected, nothing stored") {
    const auto r = cli.upload("upload-example", params);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("Failed at step 'validate_files'") &&
                          Contains("unit 'beach' has no file for spec 'meta'") &&
                          Contains("unit 'forest' has no file for spec 'meta'") &&
                          Contains("all_specs demands every spec"));
    CHECK(cli.count("data_files") == 0);
    CHECK(cli.count("data_units") == 0);
  }
  SECTION("the default strategy accepts the same layout") {
    const auto r = cli.upload("upload-example", cli.params("sample-images"));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(cli.count("data_units") == kSampleUnits);
  }
  SECTION("every unit complete: accepted") {
    fs::remove(cli.data() / "sample-images/image_1/beach.jpeg");
    fs::remove(cli.data() / "sample-images/image_1/forest.png");
    const auto r = cli.upload("upload-example", params);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(cli.events().back()["data"]["result"]["strategies"]["validation"] == "all_specs");
    CHECK(cli.count("data_units") == 4);
  }
  SECTION("upload-default does not register it: params error listing the registered ones") {
    const auto r = cli.upload(plugin_dir("upload-default"), params);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("unknown validation strategy 'all_specs'") &&
                          Contains("registered: default"));
  }
}

TEST_CASE("cli: upload-example's handle_upload_files drops the units whose key starts with skip_",
          "[upload_action][cli][plugin]") {
  CliUpload cli;
  const auto batch = copy_sample(cli.data() / "sample-images");
  write_file(batch / "image_1/skip_me.jpg", "a picture to drop");
  write_file(batch / "image_1/keep_me.jpg", "a picture to keep");
  json params = cli.params("sample-images");
  std::string dropped = "skip_me", kept = "keep_me";
  SECTION("default prefix skip_") {}
  SECTION("extra_params drop_prefix keep_") {
    params["extra_params"] = {{"drop_prefix", "keep_"}};
    std::swap(dropped, kept);
  }
  const auto r = cli.upload("upload-example", params);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(cli.count("data_units") == kSampleUnits + 1);
  std::set<std::string> stems;
  for (const auto& row :
       CatalogDb(cli.sandbox.home())
           .rows("SELECT json_extract(meta, '$.origin_file_stem') FROM data_units"))
    stems.insert(row[0]);
  CHECK(stems.contains(kept));
  CHECK_FALSE(stems.contains(dropped));
  CHECK(events_named(cli.events(), "upload_data_file").size() == kSampleUnits + 1);
}

TEST_CASE("cli: the same upload twice gives the same data units, data files and tasks",
          "[upload_action][cli][idempotency]") {
  CliUpload cli;
  copy_sample(cli.data() / "sample-images");
  const auto params = cli.params("sample-images");
  cli.ok(cli.upload_args(plugin_dir("upload-default"), params));
  const auto first = cli.snapshot();
  CHECK(first.counts.at("data_units") == kSampleUnits);
  CHECK(first.counts.at("data_files") == kSampleFiles);
  CHECK(first.counts.at("tasks") == kSampleUnits);
  cli.ok(cli.upload_args(plugin_dir("upload-default"), params));
  check_same(first, cli.snapshot());
  const auto result = cli.events().back()["data"]["result"];
  CHECK(result["generated_data_units_count"] == kSampleUnits);
}

TEST_CASE("cli: storage, data collection and project can be given by name",
          "[upload_action][cli][names]") {
  CliUpload cli;
  copy_sample(cli.data() / "sample-images");
  SECTION("names resolve to the same records as their ids") {
    const auto r = cli.upload(plugin_dir("upload-default"),
                              cli.params("sample-images", {{"storage", "samples"},
                                                           {"data_collection", "sample-images"},
                                                           {"project", "demo"}}));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(cli.count("data_units") == kSampleUnits);
    CHECK(cli.count("tasks") == kSampleUnits);
    // The job record keeps the ids the names stood for.
    const auto jobs = json::parse(cli.ok({"jobs", "list", "--json"}).out);
    REQUIRE(jobs.size() == 1);
    const auto job = json::parse(cli.ok({"jobs", "show", jobs[0]["id"].get<std::string>()}).out);
    CHECK(job["params"]["storage"] == cli.storage_id);
    CHECK(job["params"]["data_collection"] == cli.collection_id);
    CHECK(job["params"]["project"] == cli.project_id);
  }
  SECTION("a name that matches nothing exits 2 naming the field, and stores nothing") {
    const auto r = cli.upload(
        plugin_dir("upload-default"),
        cli.params("sample-images", {{"data_collection", "no-such"}, {"project", "nobody"}}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("params.unknown_name") &&
                          Contains("/data_collection: no data collection named 'no-such'") &&
                          Contains("/project: no project named 'nobody'"));
    CHECK(cli.count("data_units") == 0);
    CHECK(cli.count("data_files") == 0);
  }
}

// Layer A, step by step: run_upload in-process with a recording RunContext, a real SQLite
// catalog and a local storage in a temp dir; each test checks what one of the 8 built-in steps
// is responsible for, through its outcome (catalog rows, stored bytes, events, messages).
#include <catch2/catch.hpp>

#include "upload_test_support.hpp"

using namespace upload_action_test;
using Catch::Matchers::Contains;

namespace {

// data_file_info of an upload_data_file event is a JSON string (as in Python).
json file_info(const json& event) {
  return json::parse(event.at("data_file_info").get<std::string>());
}

}  // namespace

// ---- initialize ------------------------------------------------------------------------------

TEST_CASE("initialize: an upload path that does not exist fails naming the path",
          "[upload_action][initialize]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  const auto before = env.snapshot();
  RecordingRun run;
  const auto message =
      error_of<synapse::ActionError>([&] { env.run(run, env.params("batch/no-such-folder")); });
  CHECK_THAT(message, Contains("Failed at step 'initialize'") &&
                          Contains("'batch/no-such-folder'") && Contains("does not exist"));
  check_same(before, env.snapshot());
}

TEST_CASE("initialize: an upload path naming a file fails saying a folder is expected",
          "[upload_action][initialize]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  RecordingRun run;
  const auto message =
      error_of<synapse::ActionError>([&] { env.run(run, env.params("batch/meta.xlsx")); });
  CHECK_THAT(message, Contains("Failed at step 'initialize'") && Contains("'batch/meta.xlsx'") &&
                          Contains("expected a folder"));
  CHECK(env.count("data_files") == 0);
}

TEST_CASE("initialize: an unknown storage id is a params error naming the storage",
          "[upload_action][initialize]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  RecordingRun run;
  const auto message = error_of<synapse::ParamsError>([&] {
    env.run(run, env.params("batch", {{"storage", 999}}));
  });
  CHECK_THAT(message, Contains("/storage") && Contains("storage 999 does not exist"));
  // Params are checked before any step runs.
  CHECK_FALSE(run.logged("Step 'initialize' starting"));
}

TEST_CASE("initialize: a storage whose configuration is broken fails the initialize step",
          "[upload_action][initialize]") {
  UploadEnv env;
  synapse::StorageRecord broken;
  broken.name = "broken";
  broken.provider = "s3";
  broken.configuration = {{"endpoint_url", "http://127.0.0.1:9"}};  // no bucket, no keys
  const auto broken_id = env.catalog->create_storage(broken).id;
  RecordingRun run;
  const auto message = error_of<synapse::ActionError>([&] {
    env.run(run, env.params("batch", {{"storage", broken_id}}));
  });
  CHECK_THAT(message, Contains("Failed at step 'initialize'") && Contains("bucket_name"));
  CHECK(env.count("data_files") == 0);
}

// ---- process_metadata ------------------------------------------------------------------------

TEST_CASE("process_metadata: meta.xlsx is auto-detected and its typed values land in unit meta",
          "[upload_action][process_metadata]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  RecordingRun run;
  env.run(run, env.params("batch"));
  INFO(run.transcript());
  const auto loaded = run.with_code("EXCEL_METADATA_LOADED");
  REQUIRE(loaded.size() == 1);
  CHECK(loaded[0].text == "Excel metadata loaded for 6 files");

  const auto units = env.units_by_stem();
  REQUIRE(units.size() == kSampleUnits);
  const json& cat = units.at("cat").meta;
  CHECK(cat["origin_file_stem"] == "cat");
  CHECK(cat["origin_file_extension"] == ".jpg");
  CHECK(cat["source"] == "phone");
  CHECK(cat["split"] == "train");
  CHECK(cat["photographer"] == "Ana Ruiz");
  REQUIRE(cat["rating"].is_number_integer());  // typed, not Python's "4"
  CHECK(cat["rating"] == 4);
  CHECK(cat["captured"] == "2024-03-02T00:00:00");
  CHECK(units.at("forest").meta["rating"] == 5);
  CHECK(units.at("beach").meta["source"] == "drone");
  CHECK(units.at("beach").meta["origin_file_extension"] == ".jpeg");
}

TEST_CASE("process_metadata: an explicit excel_metadata_path is read instead of meta.xlsx",
          "[upload_action][process_metadata]") {
  UploadEnv env;
  const auto batch = copy_sample(env.src() / "batch");
  fs::remove(batch / "meta.xlsx");  // nothing to auto-detect
  std::string value;
  SECTION("relative to the upload path") {
    fs::create_directories(batch / "sheets");
    fs::copy_file(sample_images() / "meta.xlsx", batch / "sheets" / "labels.xlsx");
    value = "sheets/labels.xlsx";
  }
  SECTION("absolute inside the storage") {
    fs::create_directories(env.src() / "elsewhere");
    fs::copy_file(sample_images() / "meta.xlsx", env.src() / "elsewhere" / "labels.xlsx");
    value = "/elsewhere/labels.xlsx";
  }
  RecordingRun run;
  env.run(run, env.params("batch", {{"excel_metadata_path", value}}));
  INFO(run.transcript());
  CHECK(run.with_code("EXCEL_METADATA_LOADED").size() == 1);
  const auto units = env.units_by_stem();
  REQUIRE(units.size() == kSampleUnits);
  CHECK(units.at("dog").meta["photographer"] == "Joao Silva");
  CHECK(units.at("dog").meta["rating"] == 5);
}

TEST_CASE("process_metadata: a missing or non-Excel excel_metadata_path is a params error",
          "[upload_action][process_metadata]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  write_file(env.src() / "batch/labels.txt", "filename,source\n");
  const auto before = env.snapshot();
  RecordingRun run;
  SECTION("missing") {
    const auto message = error_of<synapse::ParamsError>([&] {
      env.run(run, env.params("batch", {{"excel_metadata_path", "nowhere.xlsx"}}));
    });
    CHECK_THAT(message, Contains("/excel_metadata_path") &&
                            Contains("Excel metadata file not found: batch/nowhere.xlsx"));
  }
  SECTION("not a spreadsheet name") {
    const auto message = error_of<synapse::ParamsError>([&] {
      env.run(run, env.params("batch", {{"excel_metadata_path", "labels.txt"}}));
    });
    CHECK_THAT(message, Contains("/excel_metadata_path") && Contains(".xlsx or .xls"));
  }
  CHECK(run.messages().empty());  // refused before any step
  check_same(before, env.snapshot());
}

TEST_CASE("process_metadata: without any spreadsheet the units carry only the generated keys",
          "[upload_action][process_metadata]") {
  UploadEnv env;
  const auto batch = copy_sample(env.src() / "batch");
  fs::remove(batch / "meta.xlsx");
  RecordingRun run;
  env.run(run, env.params("batch"));
  CHECK(run.with_code("EXCEL_METADATA_LOADED").empty());
  const auto units = env.units_by_stem();
  REQUIRE(units.size() == kSampleUnits);
  CHECK(units.at("cat").meta ==
        json({{"origin_file_stem", "cat"}, {"origin_file_extension", ".jpg"}}));
}

TEST_CASE("process_metadata: a corrupt .xlsx named explicitly fails with Excel parsing error",
          "[upload_action][process_metadata]") {
  UploadEnv env;
  const auto batch = copy_sample(env.src() / "batch");
  write_file(batch / "broken.xlsx", std::string("PK\x03\x04", 4) + "this is not a zip archive");
  const auto before = env.snapshot();
  RecordingRun run;
  const auto message = error_of<synapse::ActionError>([&] {
    env.run(run, env.params("batch", {{"excel_metadata_path", "broken.xlsx"}}));
  });
  INFO(run.transcript());
  CHECK_THAT(message,
             Contains("Failed at step 'process_metadata'") && Contains("Excel parsing error"));
  CHECK(run.with_code("EXCEL_PARSING_ERROR").size() == 1);
  check_same(before, env.snapshot());
}

TEST_CASE("process_metadata: a corrupt auto-detected meta.xlsx is skipped with EXCEL_PARSING_ERROR",
          "[upload_action][process_metadata]") {
  UploadEnv env;
  const auto batch = copy_sample(env.src() / "batch");
  write_file(batch / "meta.xlsx", "definitely not a spreadsheet");
  RecordingRun run;
  const auto result = env.run(run, env.params("batch"));
  INFO(run.transcript());
  const auto parsing = run.with_code("EXCEL_PARSING_ERROR");
  REQUIRE(parsing.size() == 1);
  CHECK(parsing[0].level == synapse::MessageContext::danger);
  CHECK_THAT(parsing[0].text, Contains("Excel parsing failed: "));
  CHECK(run.with_code("EXCEL_METADATA_LOADED").empty());
  CHECK(result["success"] == true);
  const auto units = env.units_by_stem();
  REQUIRE(units.size() == kSampleUnits);
  CHECK_FALSE(units.at("cat").meta.contains("source"));
}

// ---- analyze_collection ----------------------------------------------------------------------

TEST_CASE("analyze_collection: reports progress 0/2, 1/2, 2/2 on analyze_collection",
          "[upload_action][analyze_collection]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  RecordingRun run;
  env.run(run, env.params("batch"));
  const auto progress = run.progress("analyze_collection");
  REQUIRE(progress.size() == 3);
  for (std::int64_t i = 0; i < 3; ++i) {
    CHECK(progress[i].current == i);
    CHECK(progress[i].total == 2);
  }
}

TEST_CASE("analyze_collection: a collection without file specifications fails the step",
          "[upload_action][analyze_collection]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  const auto empty = env.catalog->create_data_collection(collection("no-specs", {})).id;
  RecordingRun run;
  const auto message = error_of<synapse::ActionError>([&] {
    env.run(run, env.params("batch", {{"data_collection", empty}}));
  });
  CHECK_THAT(message, Contains("Failed at step 'analyze_collection'") &&
                          Contains("has no file specifications"));
  CHECK(env.count("data_files") == 0);
}

// ---- organize_files --------------------------------------------------------------------------

TEST_CASE("organize_files: files of different specs sharing a stem make one unit",
          "[upload_action][organize_files]") {
  UploadEnv env;
  const auto batch = copy_sample(env.src() / "batch");
  RecordingRun run;
  env.run(run, env.params("batch"));
  const auto discovered = run.with_code("FILES_DISCOVERED");
  REQUIRE(discovered.size() == 1);
  CHECK(discovered[0].text == "Discovered 6 files");
  const auto units = env.units_by_stem();
  REQUIRE(units.size() == sample_units().size());
  for (const auto& [stem, files] : sample_units()) {
    INFO(stem);
    const auto& unit = units.at(stem);
    CHECK(static_cast<int>(unit.files.size()) == files);
    REQUIRE(unit.files.contains("image_1"));
    const auto image =
        fs::path("image_1") / (stem + unit.meta["origin_file_extension"].get<std::string>());
    CHECK(env.bytes(unit.files.at("image_1")) == read_file(batch / image));
    if (files == 2)
      CHECK(env.bytes(unit.files.at("meta")) == read_file(batch / "meta" / (stem + ".json")));
  }
}

TEST_CASE("organize_files: recursive mode keeps image/a/1.jpg and image/b/1.jpg apart",
          "[upload_action][organize_files]") {
  UploadEnv env(collection(
      "nested", {spec("image", true, {".jpg"}), spec("label", false, {".json"}, "data")}));
  const auto batch = env.src() / "batch";
  write_file(batch / "image/a/1.jpg", "image a1");
  write_file(batch / "image/b/1.jpg", "image b1");
  write_file(batch / "label/a/1.json", "{\"label\": \"a1\"}");
  write_file(batch / "image/top.jpg", "image top");
  RecordingRun run;
  const auto result = env.run(run, env.params("batch"));
  INFO(run.transcript());
  CHECK(result["generated_data_units_count"] == 3);

  std::map<std::string, std::string> by_image;  // image bytes -> label bytes ("" = none)
  for (const auto& unit : env.units()) {
    REQUIRE(unit.files.contains("image"));
    by_image[env.bytes(unit.files.at("image"))] =
        unit.files.contains("label") ? env.bytes(unit.files.at("label")) : "";
  }
  CHECK(by_image == std::map<std::string, std::string>{
                        {"image a1", "{\"label\": \"a1\"}"}, {"image b1", ""}, {"image top", ""}});
  std::set<std::string> paths;
  for (const auto& event : run.events("upload_data_file"))
    paths.insert(file_info(event)["files"]["image"]["path"].get<std::string>());
  CHECK(paths ==
        std::set<std::string>{"batch/image/a/1.jpg", "batch/image/b/1.jpg", "batch/image/top.jpg"});
}

TEST_CASE("organize_files: flat mode reads only the files directly in each spec folder",
          "[upload_action][organize_files]") {
  UploadEnv env(collection(
      "nested", {spec("image", true, {".jpg"}), spec("label", false, {".json"}, "data")}));
  write_file(env.src() / "batch/image/a/1.jpg", "image a1");
  write_file(env.src() / "batch/label/a/1.json", "{}");
  write_file(env.src() / "batch/image/top.jpg", "image top");
  RecordingRun run;
  const auto result = env.run(run, env.params("batch", {{"is_recursive", false}}));
  CHECK(result["strategies"]["file_discovery"] == "flat");
  const auto units = env.units();
  REQUIRE(units.size() == 1);
  CHECK(env.bytes(units[0].files.at("image")) == "image top");
  CHECK(env.count("data_files") == 1);
}

TEST_CASE("organize_files: the spec folder image does not capture image_2/",
          "[upload_action][organize_files]") {
  SECTION("image_2 is not a spec: its files are ignored") {
    UploadEnv env(collection("images", {spec("image", true, {".jpg"})}));
    write_file(env.src() / "batch/image/1.jpg", "one");
    write_file(env.src() / "batch/image_2/2.jpg", "two");
    RecordingRun run;
    env.run(run, env.params("batch"));
    const auto units = env.units();
    REQUIRE(units.size() == 1);
    CHECK(units[0].meta["origin_file_stem"] == "1");
    CHECK(env.count("data_files") == 1);
  }
  SECTION("image_2 is another spec: its files go to image_2 only") {
    UploadEnv env(
        collection("images", {spec("image", true, {".jpg"}), spec("image_2", false, {".jpg"})}));
    write_file(env.src() / "batch/image/1.jpg", "one");
    write_file(env.src() / "batch/image_2/1.jpg", "one, second view");
    write_file(env.src() / "batch/image_2/9.jpg", "nine, second view only");
    RecordingRun run;
    env.run(run, env.params("batch"));
    INFO(run.transcript());
    const auto units = env.units();
    REQUIRE(units.size() == 1);  // 9 lacks the required image
    CHECK(env.bytes(units[0].files.at("image")) == "one");
    CHECK(env.bytes(units[0].files.at("image_2")) == "one, second view");
    const auto missing = run.with_code("MISSING_REQUIRED_FILES");
    REQUIRE(missing.size() == 1);
    CHECK_THAT(missing[0].text, Contains("1 unit(s)") && Contains("9 (image)"));
  }
}

// ---- validate_files --------------------------------------------------------------------------

TEST_CASE("validate_files: meta breaking the data_unit_meta_schema fails before anything is stored",
          "[upload_action][validate_files]") {
  auto strict = sample_collection();
  strict.name = "strict-images";
  strict.data_unit_meta_schema = {
      {"type", "object"}, {"properties", {{"rating", {{"type", "integer"}, {"maximum", 4}}}}}};
  UploadEnv env(strict);
  copy_sample(env.src() / "batch");
  const auto before = env.snapshot();
  RecordingRun run;
  const auto message = error_of<synapse::ActionError>([&] {
    env.run(run, env.params("batch", {{"project", env.project_id}}));
  });
  INFO(run.transcript());
  // dog and forest are rated 5 in meta.xlsx.
  CHECK_THAT(message, Contains("Failed at step 'validate_files'") &&
                          Contains("2 unit(s) whose meta breaks the collection's "
                                   "data_unit_meta_schema") &&
                          Contains("unit 'dog'") && Contains("unit 'forest'"));
  CHECK(run.with_code("VALIDATION_FAILED").size() == 1);
  CHECK(run.events("upload_data_file").empty());
  CHECK(env.count("data_files") == 0);
  CHECK(env.count("data_units") == 0);
  CHECK(stored_content(env.home()).empty());
  check_same(before, env.snapshot());
}

// ---- upload_files ----------------------------------------------------------------------------

TEST_CASE("upload_files: one upload_data_file event per unit, data_files metrics and progress",
          "[upload_action][upload_files]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  bool async = true;
  SECTION("async") {}
  SECTION("sync") {
    async = false;
  }
  RecordingRun run;
  const auto result = env.run(run, env.params("batch", {{"use_async_upload", async}}));
  INFO(run.transcript());
  CHECK(result["strategies"]["upload"] == (async ? "async" : "sync"));
  CHECK(run.with_code("UPLOADING_DATA_FILES").size() == 1);

  const auto events = run.events("upload_data_file");
  REQUIRE(events.size() == kSampleUnits);
  std::set<std::string> stems;
  for (const auto& event : events) {
    CHECK(event["status"] == "success");
    const auto info = file_info(event);
    CHECK(info["data_collection"] == env.collection_id);
    const auto stem = info["meta"]["origin_file_stem"].get<std::string>();
    stems.insert(stem);
    CHECK(static_cast<int>(info["files"].size()) == sample_units().at(stem));
    CHECK(info["files"]["image_1"]["checksum"].get<std::string>().size() == 64);
  }
  CHECK(stems.size() == kSampleUnits);

  CHECK(run.last_metrics("data_files") == json({{"stand_by", 0}, {"success", 6}, {"failed", 0}}));
  CHECK(result["metrics"]["data_files"]["success"] == 6);
  CHECK(result["uploaded_files_count"] == 6);
  const auto progress = run.progress("upload_data_files");
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.front().current == 0);
  CHECK(progress.back().current == 6);
  CHECK(progress.back().total == 6);
  CHECK(env.count("data_files") == kSampleFiles);
}

// ---- generate_data_units ---------------------------------------------------------------------

TEST_CASE("generate_data_units: one upload_data_unit event per unit and one task per unit",
          "[upload_action][generate_data_units]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  json extra = {{"project", env.project_id}};
  SECTION("single") {}
  SECTION("batch of 4") {
    extra["creating_data_unit_batch_size"] = 4;
  }
  RecordingRun run;
  const auto result = env.run(run, env.params("batch", extra));
  INFO(run.transcript());
  CHECK(result["strategies"]["data_unit"] ==
        (extra.contains("creating_data_unit_batch_size") ? "batch" : "single"));
  CHECK(run.with_code("GENERATING_DATA_UNITS").size() == 1);

  std::set<synapse::CatalogId> unit_ids;
  for (const auto& unit : env.units())
    unit_ids.insert(unit.id);
  REQUIRE(unit_ids.size() == kSampleUnits);

  std::set<synapse::CatalogId> event_ids;
  for (const auto& event : run.events("upload_data_unit")) {
    CHECK(event["status"] == "success");
    CHECK(event["data_unit_meta"].contains("origin_file_stem"));
    event_ids.insert(event["data_unit_id"].get<synapse::CatalogId>());
  }
  CHECK(run.events("upload_data_unit").size() == kSampleUnits);
  CHECK(event_ids == unit_ids);

  CHECK(env.catalog->count_tasks(env.project_id) == kSampleUnits);
  std::set<synapse::CatalogId> task_units;
  for (const auto& task : env.catalog->list_tasks(env.project_id, {"", 100}).items) {
    CHECK(task.status == "pending");
    task_units.insert(task.data_unit_id);
  }
  CHECK(task_units == unit_ids);

  CHECK(run.last_metrics("data_units") == json({{"stand_by", 0}, {"success", 6}, {"failed", 0}}));
  CHECK(result["metrics"]["data_units"]["success"] == 6);
  CHECK(result["generated_data_units_count"] == 6);
  const auto progress = run.progress("generate_data_units");
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.back().current == 6);
  CHECK(progress.back().total == 6);
}

TEST_CASE("generate_data_units: without a project no task is created",
          "[upload_action][generate_data_units]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  RecordingRun run;
  env.run(run, env.params("batch"));
  CHECK(env.count("data_units") == kSampleUnits);
  CHECK(env.count("tasks") == 0);
}

// ---- cleanup ---------------------------------------------------------------------------------

TEST_CASE("cleanup: logs IMPORT_COMPLETED and skip_cleanup skips the step",
          "[upload_action][cleanup]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  SECTION("runs by default") {
    RecordingRun run;
    const auto result = env.run(run, env.params("batch"));
    const auto completed = run.with_code("IMPORT_COMPLETED");
    REQUIRE(completed.size() == 1);
    CHECK(completed[0].text == "Import completed.");
    CHECK(run.logged("Step 'cleanup' completed"));
    CHECK(result["success"] == true);
    CHECK(result["steps"] ==
          json({"initialize", "process_metadata", "analyze_collection", "organize_files",
                "validate_files", "upload_files", "generate_data_units", "cleanup"}));
  }
  SECTION("skip_cleanup") {
    RecordingRun run;
    const auto result = env.run(run, env.params("batch", {{"skip_cleanup", true}}));
    CHECK(run.with_code("IMPORT_COMPLETED").empty());
    CHECK(run.logged("Step 'cleanup' skipped"));
    CHECK_FALSE(run.logged("Step 'cleanup' starting"));
    CHECK(result["success"] == true);
    CHECK(result["generated_data_units_count"] == kSampleUnits);
  }
}

// Layer A, the less travelled paths: units whose files cannot be read, spreadsheet limits from
// config.yaml's excel_config, uploads big enough for the unit spools to move to disk, and the
// multi-path (assets) mode.
#include <algorithm>

#include <catch2/catch.hpp>

#include "upload_test_support.hpp"

using namespace upload_action_test;
using Catch::Matchers::Contains;

namespace {

// handle_upload_files points the `spec` file of the units in `vanish` at a path that does not
// exist, so reading it fails in upload_files.
class VanishingFileUploader : public synapse::upload::Uploader {
 public:
  std::map<std::string, std::string> vanish;  // unit key -> spec

  std::vector<synapse::upload::OrganizedUnit> handle_upload_files(
      std::vector<synapse::upload::OrganizedUnit> units, synapse::upload::UploadContext&) override {
    for (auto& unit : units) {
      if (auto it = vanish.find(unit.key); it != vanish.end()) {
        // Same folder and extension (validate_files checks those), a name that is not there.
        const fs::path original = unit.files.at(it->second);
        unit.files[it->second] =
            (original.parent_path() / ("vanished-" + unit.key + original.extension().string()))
                .generic_string();
      }
    }
    return units;
  }
};

class CountingUploader : public synapse::upload::Uploader {
 public:
  int calls = 0;
  std::size_t units = 0;
  std::vector<synapse::upload::OrganizedUnit> handle_upload_files(
      std::vector<synapse::upload::OrganizedUnit> batch, synapse::upload::UploadContext&) override {
    ++calls;
    units += batch.size();
    return batch;
  }
};

std::int64_t orphan_files(const UploadEnv& env) {
  return CatalogDb(env.home())
      .count(
          "SELECT COUNT(*) FROM data_files WHERE id NOT IN (SELECT data_file_id FROM "
          "data_unit_files)");
}

}  // namespace

TEST_CASE("upload_files: a unit whose file cannot be read fails alone and none of its files stays",
          "[upload_action][upload_files]") {
  const std::string spec = GENERATE(as<std::string>{}, "image_1", "meta");
  const bool async = GENERATE(true, false);
  INFO("dog's " << spec << " vanishes, " << (async ? "async" : "sync") << " upload");
  UploadEnv env;
  copy_sample(env.src() / "batch");
  VanishingFileUploader uploader;
  uploader.vanish = {{"dog", spec}};
  RecordingRun run;
  const auto result = env.run(run, env.params("batch", {{"use_async_upload", async}}), &uploader);
  INFO(run.transcript());

  const auto failures = run.with_code("FILE_UPLOAD_FAILED");
  REQUIRE(failures.size() == 1);
  CHECK_THAT(failures[0].text, Contains("Failed to upload file: ") && Contains("vanished-dog"));
  int failed_events = 0;
  for (const auto& event : run.events("upload_data_file"))
    failed_events += event["status"] == "failed" ? 1 : 0;
  CHECK(run.events("upload_data_file").size() == kSampleUnits);
  CHECK(failed_events == 1);
  CHECK(run.last_metrics("data_files") == json({{"stand_by", 0}, {"success", 5}, {"failed", 1}}));

  // The run goes on without the unit, and says so in its result.
  CHECK(result["success"] == false);
  REQUIRE(result["errors"].size() == 1);
  CHECK_THAT(result["errors"][0].get<std::string>(),
             Contains("1 of 6 unit(s) could not be uploaded") && Contains("dog"));
  CHECK(result["generated_data_units_count"] == 5);
  CHECK_FALSE(env.units_by_stem().contains("dog"));
  // dog.jpg and dog.json: neither is stored when one of them fails.
  CHECK(env.count("data_files") == kSampleFiles - 2);
  CHECK(orphan_files(env) == 0);
  CHECK(stored_content(env.home()).size() == kSampleFiles - 2);
}

TEST_CASE("upload_files: when no unit can be stored the step fails and nothing is left",
          "[upload_action][upload_files][rollback]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  VanishingFileUploader uploader;
  // The second file of the units with a sidecar, the only file of the others: every unit has
  // something staged or not before its failure.
  uploader.vanish = {{"beach", "image_1"}, {"bird", "meta"},      {"cat", "meta"},
                     {"dog", "meta"},      {"forest", "image_1"}, {"street", "meta"}};
  const auto before = env.snapshot();
  RecordingRun run;
  const auto message = error_of<synapse::ActionError>([&] {
    env.run(run, env.params("batch", {{"project", env.project_id}}), &uploader);
  });
  INFO(run.transcript());
  CHECK_THAT(message, Contains("Failed at step 'upload_files'") &&
                          Contains("none of the 6 unit(s) could be stored"));
  CHECK(run.with_code("FILE_UPLOAD_FAILED").size() == kSampleUnits);
  CHECK(run.with_code("NO_FILES_UPLOADED").size() == 1);
  check_same(before, env.snapshot());
}

TEST_CASE("process_metadata: the excel_config of config.yaml sets the spreadsheet size limit",
          "[upload_action][process_metadata]") {
  UploadEnv env;
  const auto batch = copy_sample(env.src() / "batch");
  // 2 MiB that are not a spreadsheet: under the default 10 MB limit, over a 1 MB one.
  write_file(batch / "meta.xlsx", std::string("PK\x03\x04", 4) + std::string(2 << 20, 'x'));
  SECTION("default limit: parsed, fails to parse, auto-detected so skipped") {
    RecordingRun run;
    const auto result = env.run(run, env.params("batch"));
    INFO(run.transcript());
    CHECK(run.with_code("EXCEL_PARSING_ERROR").size() == 1);
    CHECK(run.with_code("EXCEL_SECURITY_VIOLATION").empty());
    CHECK(result["generated_data_units_count"] == kSampleUnits);
  }
  SECTION("max_file_size_mb 1: a security violation, which always fails") {
    const auto before = env.snapshot();
    RecordingRun run;
    const auto message = error_of<synapse::ActionError>([&] {
      env.run(run, env.params("batch"), nullptr, {{"excel_config", {{"max_file_size_mb", 1}}}});
    });
    INFO(run.transcript());
    CHECK_THAT(message, Contains("Failed at step 'process_metadata'") &&
                            Contains("Excel security violation"));
    const auto violations = run.with_code("EXCEL_SECURITY_VIOLATION");
    REQUIRE(violations.size() == 1);
    CHECK(violations[0].level == synapse::MessageContext::danger);
    check_same(before, env.snapshot());
  }
  SECTION("an invalid excel_config is refused before anything runs") {
    RecordingRun run;
    const auto message = error_of<synapse::ActionError>([&] {
      env.run(run, env.params("batch"), nullptr, {{"excel_config", {{"max_rows", 0}}}});
    });
    CHECK_THAT(message, Contains("excel_config") && Contains("max_rows"));
    CHECK(run.messages().empty());
  }
}

TEST_CASE("spooling: 5,000 units move the unit lists to disk and each still becomes one data unit",
          "[upload_action][organize_files][upload_files][generate_data_units]") {
  constexpr int kUnits = 5000;  // above the spools' 4,096 in-memory records
  UploadEnv env(collection("frames", {spec("image", true, {".jpg"})}));
  for (int i = 0; i < kUnits; ++i)
    write_file(env.src() / "batch/image" / ("f" + std::to_string(i) + ".jpg"),
               "frame " + std::to_string(i));
  CountingUploader uploader;
  RecordingRun run;
  const auto result = env.run(
      run,
      env.params("batch", {{"creating_data_unit_batch_size", 500}, {"project", env.project_id}}),
      &uploader);
  CHECK(uploader.calls == 1);  // fewer than Uploader::kHandleChunk units: one call
  CHECK(uploader.units == kUnits);
  CHECK(result["uploaded_files_count"] == kUnits);
  CHECK(result["generated_data_units_count"] == kUnits);
  CHECK(run.events("upload_data_file").size() == kUnits);
  CHECK(run.events("upload_data_unit").size() == kUnits);
  const auto upload_progress = run.progress("upload_data_files");
  REQUIRE_FALSE(upload_progress.empty());
  CHECK(upload_progress.back().current == kUnits);
  CHECK(upload_progress.back().total == kUnits);
  const auto unit_progress = run.progress("generate_data_units");
  REQUIRE_FALSE(unit_progress.empty());
  CHECK(unit_progress.back().current == kUnits);
  CHECK(env.count("data_units") == kUnits);
  CHECK(env.count("data_files") == kUnits);
  CHECK(env.catalog->count_tasks(env.project_id) == kUnits);
  CatalogDb db(env.home());
  CHECK(
      db.count("SELECT COUNT(DISTINCT json_extract(meta, '$.origin_file_stem')) FROM data_units") ==
      kUnits);
  CHECK(orphan_files(env) == 0);
}

TEST_CASE("multi-path: with use_single_path false each spec is read from its own asset folder",
          "[upload_action][organize_files]") {
  UploadEnv env;
  write_file(env.src() / "pictures/cat.jpg", "cat picture");
  write_file(env.src() / "pictures/dog.png", "dog picture");
  write_file(env.src() / "sidecars/cat.json", "{\"cat\": true}");
  RecordingRun run;
  const auto params =
      json{{"name", "assets"},
           {"storage", env.storage_id},
           {"data_collection", env.collection_id},
           {"use_single_path", false},
           {"assets", {{"image_1", {{"path", "pictures"}}}, {"meta", {{"path", "sidecars"}}}}}};
  const auto result = env.run(run, params);
  INFO(run.transcript());
  CHECK(result["generated_data_units_count"] == 2);
  const auto units = env.units_by_stem();
  REQUIRE(units.size() == 2);
  CHECK(env.bytes(units.at("cat").files.at("image_1")) == "cat picture");
  CHECK(env.bytes(units.at("cat").files.at("meta")) == "{\"cat\": true}");
  CHECK(units.at("dog").files.size() == 1);
}

namespace {

// Deletes the data file of dog's sidecar between upload_files and generate_data_units, so the
// catalog refuses to create dog's unit.
class DeleteDogSidecar : public synapse::upload::Step {
 public:
  std::string name() const override { return "sabotage"; }
  double progress_weight() const override { return 0.0; }

 protected:
  synapse::upload::StepResult do_execute(synapse::upload::UploadContext& context) override {
    context.uploaded_files().for_each([&](synapse::upload::UploadedUnit&& unit) {
      if (unit.key == "dog")
        context.catalog()->delete_data_file(unit.files.at("meta").id);
    });
    return synapse::upload::StepResult::ok();
  }
};

class SabotageUploader : public synapse::upload::Uploader {
 public:
  void configure(synapse::upload::UploadPipeline& pipeline) override {
    pipeline.steps().insert_after("upload_files", std::make_shared<DeleteDogSidecar>());
  }
};

}  // namespace

TEST_CASE(
    "generate_data_units: a unit the catalog refuses fails alone with single, with its batch with "
    "batch",
    "[upload_action][generate_data_units]") {
  const int batch_size = GENERATE(1, 4);
  INFO("creating_data_unit_batch_size " << batch_size);
  // Units go in key order: beach bird cat dog | forest street; dog is in the first batch of 4.
  const int failed = batch_size == 1 ? 1 : 4;
  UploadEnv env;
  copy_sample(env.src() / "batch");
  SabotageUploader uploader;
  RecordingRun run;
  const auto result = env.run(run,
                              env.params("batch", {{"project", env.project_id},
                                                   {"creating_data_unit_batch_size", batch_size}}),
                              &uploader);
  INFO(run.transcript());
  const auto batch_failed = run.with_code("DATA_UNIT_BATCH_FAILED");
  REQUIRE(batch_failed.size() == 1);
  CHECK_THAT(batch_failed[0].text,
             Contains("Failed to create data units batch: ") && Contains("does not exist"));
  int failed_events = 0;
  for (const auto& event : run.events("upload_data_unit")) {
    if (event["status"] == "failed") {
      ++failed_events;
      CHECK(event["data_unit_id"].is_null());
    }
  }
  CHECK(failed_events == failed);
  CHECK(run.last_metrics("data_units") ==
        json({{"stand_by", 0}, {"success", kSampleUnits - failed}, {"failed", failed}}));
  CHECK(result["success"] == false);
  REQUIRE(result["errors"].size() == 1);
  CHECK_THAT(result["errors"][0].get<std::string>(),
             Contains(std::to_string(failed) + " of 6 data unit(s) could not be created"));
  CHECK(result["generated_data_units_count"] == kSampleUnits - failed);
  CHECK(env.count("data_units") == kSampleUnits - failed);
  CHECK(env.catalog->count_tasks(env.project_id) == kSampleUnits - failed);
  CHECK_FALSE(env.units_by_stem().contains("dog"));
}

TEST_CASE(
    "storage root: symlinks leaving it are not uploaded, with a warning naming them, and a path "
    "with .. is refused",
    "[upload_action][initialize][organize_files]") {
  UploadEnv env;
  const auto batch = copy_sample(env.src() / "batch");
  write_file(env.root() / "secret/evil.jpg", "SECRET BYTES");
  fs::create_symlink(env.root() / "secret/evil.jpg", batch / "image_1/evil.jpg");
  fs::create_symlink(env.root() / "secret", batch / "image_1/linked");
  SECTION("symlinks out of the root") {
    RecordingRun run;
    const auto result = env.run(run, env.params("batch"));
    CHECK(result["generated_data_units_count"] == kSampleUnits);
    for (const auto& unit : env.units()) {
      for (const auto& [spec, id] : unit.files)
        CHECK(env.bytes(id) != "SECRET BYTES");
    }
    CHECK_FALSE(env.units_by_stem().contains("evil"));
    // Not dropped without a word: one warning names both links and why.
    const auto warnings = run.messages();
    const auto warning = std::find_if(warnings.begin(), warnings.end(), [](const auto& m) {
      return m.text.find("not uploaded (") != std::string::npos;
    });
    REQUIRE(warning != warnings.end());
    CHECK(warning->level == synapse::MessageContext::warning);
    CHECK(warning->text ==
          "2 entries not uploaded (batch/image_1/evil.jpg: a symlink leading out of the storage "
          "root, not followed; batch/image_1/linked: a symlink leading out of the storage root, "
          "not followed)");
  }
  SECTION("a dangling symlink") {
    fs::remove(batch / "image_1/evil.jpg");
    fs::remove(batch / "image_1/linked");
    fs::create_symlink(env.root() / "secret/gone.jpg", batch / "image_1/gone.jpg");
    RecordingRun run;
    const auto result = env.run(run, env.params("batch"));
    CHECK(result["generated_data_units_count"] == kSampleUnits);
    CHECK(
        run.logged("1 entry not uploaded (batch/image_1/gone.jpg: a symlink to nothing (its "
                   "target does not exist))"));
  }
  SECTION("a folder link back to an ancestor is not walked through") {
    fs::remove(batch / "image_1/evil.jpg");
    fs::remove(batch / "image_1/linked");
    fs::create_symlink("..", batch / "image_1/loop");
    RecordingRun run;
    const auto result = env.run(run, env.params("batch"));
    // Followed, the loop gave image_1/loop/image_1/loop/... units until the path was too long.
    CHECK(result["generated_data_units_count"] == kSampleUnits);
    CHECK(env.count("data_units") == kSampleUnits);
    CHECK(
        run.logged("1 entry not uploaded (batch/image_1/loop: a symlink to a folder, not "
                   "descended into (a recursive listing does not follow folder links))"));
  }
  SECTION("an upload path with ..") {
    const auto before = env.snapshot();
    RecordingRun run;
    const auto message =
        error_of<synapse::ActionError>([&] { env.run(run, env.params("../secret")); });
    CHECK_THAT(message,
               Contains("Failed at step 'initialize'") && Contains("leaves the storage root"));
    check_same(before, env.snapshot());
  }
}

// Tasks in a project bound to ANOTHER collection would make no sense to any export of it.
TEST_CASE("params: a project of another data collection is refused before anything is stored",
          "[upload_action][generate_data_units]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  const auto other = env.catalog->create_data_collection(collection("other", {spec("x", true)})).id;
  synapse::Project elsewhere;
  elsewhere.name = "elsewhere";
  elsewhere.collection_id = other;
  const auto project = env.catalog->create_project(elsewhere).id;
  const auto before = env.snapshot();
  RecordingRun run;
  const auto message = error_of<synapse::ParamsError>([&] {
    env.run(run, env.params("batch", {{"project", project}}));
  });
  CHECK_THAT(message, Contains("/project"));
  check_same(before, env.snapshot());
}

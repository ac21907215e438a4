// Layer A, what a failed, cancelled or dry run leaves behind: run_upload in-process against a
// real catalog, with failures injected by Uploader subclasses (a throwing step inserted after a
// given step, a throwing handle_upload_files) or by a RunContext that reports a cancellation
// after N questions. "As before" means every table's rows and every file of the content store.
#include <tuple>

#include <catch2/catch.hpp>

#include "upload_test_support.hpp"

using namespace upload_action_test;
using Catch::Matchers::Contains;

namespace {

// An earlier upload of cat (image + sidecar) and dog (image only) into the project, with the
// same meta.xlsx, and bird.png stored on its own: all three share content with the full sample.
struct EarlierContent {
  synapse::CatalogId standalone_file = 0;
};

EarlierContent add_earlier_content(UploadEnv& env) {
  const auto earlier = env.src() / "earlier";
  fs::create_directories(earlier / "image_1");
  fs::create_directories(earlier / "meta");
  fs::copy_file(sample_images() / "image_1/cat.jpg", earlier / "image_1/cat.jpg");
  fs::copy_file(sample_images() / "meta/cat.json", earlier / "meta/cat.json");
  fs::copy_file(sample_images() / "image_1/dog.jpg", earlier / "image_1/dog.jpg");
  fs::copy_file(sample_images() / "meta.xlsx", earlier / "meta.xlsx");  // the same meta as later
  RecordingRun run;
  const auto result = env.run(run, env.params("earlier", {{"project", env.project_id}}));
  REQUIRE(result["generated_data_units_count"] == 2);
  REQUIRE(env.catalog->count_tasks(env.project_id) == 2);
  EarlierContent content;
  content.standalone_file =
      env.catalog->put_file(sample_images() / "image_1/bird.png", "bird.png").file.id;
  return content;
}

class ThrowingHandleUploader : public synapse::upload::Uploader {
 public:
  std::vector<synapse::upload::OrganizedUnit> handle_upload_files(
      std::vector<synapse::upload::OrganizedUnit>, synapse::upload::UploadContext&) override {
    throw std::runtime_error("the plugin's hook broke");
  }
};

}  // namespace

TEST_CASE("rollback: a failure after any step leaves the catalog and content store as before",
          "[upload_action][rollback]") {
  const std::string after = GENERATE(as<std::string>{}, "organize_files", "validate_files",
                                     "upload_files", "generate_data_units", "cleanup");
  // 1: a batch per unit, so upload_files has two batches in flight (batch_overlap.hpp).
  const std::size_t batch_units = GENERATE(1000, 1);
  INFO("failure injected after " << after << ", batches of " << batch_units << " unit(s)");
  UploadEnv env;
  copy_sample(env.src() / "batch");
  const auto earlier = add_earlier_content(env);
  const auto before = env.snapshot();

  FailAfterUploader uploader(after);
  RecordingRun run;
  const auto message = error_of<synapse::ActionError>([&] {
    env.run(run, env.params("batch", {{"project", env.project_id}}), &uploader, json::object(),
            {batch_units});
  });
  INFO(run.transcript());
  CHECK_THAT(message,
             Contains("Upload failed: Failed at step 'explode'") && Contains("injected failure"));
  if (after == "generate_data_units" || after == "cleanup") {
    // cat is reused whole (its unit and task too); dog gets a new unit reusing dog.jpg;
    // bird.png, cat.jpg, cat.json and dog.jpg were stored before: 10 - 4 files are new.
    CHECK_THAT(message, Contains("rolled back: removed 5 data unit(s), 6 data file(s), 5 task(s)"));
    CHECK(run.events("upload_data_unit").size() == kSampleUnits);
  }
  check_same(before, env.snapshot());

  // The pre-existing file the upload shared is still there, bytes and all.
  const auto kept = env.catalog->get_data_file(earlier.standalone_file);
  CHECK(kept.original_name == "bird.png");
  CHECK(env.bytes(kept.id) == read_file(sample_images() / "image_1/bird.png"));
  CHECK(env.catalog->count_data_units(env.collection_id) == 2);
  CHECK(env.catalog->count_tasks(env.project_id) == 2);
}

TEST_CASE("rollback: a failing handle_upload_files stops the run before anything is stored",
          "[upload_action][rollback]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  const auto before = env.snapshot();
  ThrowingHandleUploader uploader;
  RecordingRun run;
  const auto message =
      error_of<synapse::ActionError>([&] { env.run(run, env.params("batch"), &uploader); });
  CHECK_THAT(message, Contains("Failed at step 'handle_upload_files'") &&
                          Contains("the plugin's hook broke"));
  check_same(before, env.snapshot());
}

TEST_CASE("rollback: a failed re-run keeps every unit, file and task of the first run",
          "[upload_action][rollback]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  RecordingRun first;
  env.run(first, env.params("batch", {{"project", env.project_id}}));
  const auto before = env.snapshot();
  REQUIRE(before.counts.at("data_units") == kSampleUnits);

  FailAfterUploader uploader("generate_data_units");
  RecordingRun second;
  const auto message = error_of<synapse::ActionError>([&] {
    env.run(second, env.params("batch", {{"project", env.project_id}}), &uploader);
  });
  CHECK_THAT(message, Contains("injected failure"));
  CHECK(second.events("upload_data_unit").size() == kSampleUnits);  // all reused
  check_same(before, env.snapshot());
}

TEST_CASE("idempotency: the same upload twice gives the same units, files and tasks",
          "[upload_action][idempotency]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  const auto params = env.params("batch", {{"project", env.project_id}});
  RecordingRun first;
  const auto first_result = env.run(first, params);
  const auto after_first = env.snapshot();
  RecordingRun second;
  const auto second_result = env.run(second, params);
  INFO(second.transcript());
  const auto after_second = env.snapshot();
  CHECK(after_second.counts.at("data_units") == kSampleUnits);
  CHECK(after_second.counts.at("data_files") == kSampleFiles);
  CHECK(after_second.counts.at("tasks") == kSampleUnits);
  check_same(after_first, after_second);
  CHECK(second_result["generated_data_units_count"] == first_result["generated_data_units_count"]);
  // The second run reports the units it found, with the ids of the first run's.
  std::set<json> first_ids, second_ids;
  for (const auto& e : first.events("upload_data_unit"))
    first_ids.insert(e["data_unit_id"]);
  for (const auto& e : second.events("upload_data_unit"))
    second_ids.insert(e["data_unit_id"]);
  CHECK(first_ids == second_ids);
}

TEST_CASE("batches: stored a unit per batch, two at a time, the upload gives the same result",
          "[upload_action][batches]") {
  // The same sample in batches of 1000 (one batch) and of 1 (six, two in flight at once):
  // the same units, files and tasks, and upload_data_file events in the same (input) order.
  // (Data file ids may differ: they follow commit order, which two batches may interleave.)
  const auto upload = [](std::size_t batch_units) {
    UploadEnv env;
    copy_sample(env.src() / "batch");
    RecordingRun run;
    const auto result = env.run(run, env.params("batch", {{"project", env.project_id}}), nullptr,
                                json::object(), {batch_units});
    INFO(run.transcript());
    std::vector<std::string> order;
    for (const auto& e : run.events("upload_data_file")) {
      CHECK(e["status"] == "success");
      // Data file ids follow commit order, which two batches in flight may interleave.
      json files = json::parse(e["data_file_info"].get<std::string>())["files"];
      for (auto& [spec, file] : files.items())
        file.erase("data_file_id");
      order.push_back(files.dump());
    }
    const auto counts = env.snapshot().counts;
    return std::make_tuple(result["uploaded_files_count"], result["generated_data_units_count"],
                           counts.at("data_units"), counts.at("data_files"), counts.at("tasks"),
                           order);
  };
  const auto one_batch = upload(1000);
  const auto many = upload(1);
  CHECK(std::get<0>(one_batch) == kSampleUnits);
  CHECK(std::get<2>(one_batch) == kSampleUnits);
  CHECK(std::get<3>(one_batch) == kSampleFiles);
  CHECK(std::get<5>(one_batch).size() == kSampleUnits);
  CHECK(many == one_batch);
}

namespace {

// a.jpg and b.jpg hold the same bytes: one data file, two units differing only by their meta.
struct TwinEnv {
  UploadEnv env{collection("frames", {spec("image", true, {".jpg"})})};
  json params;
  explicit TwinEnv(int batch_size) {
    write_file(env.src() / "batch/image/a.jpg", "same bytes");
    write_file(env.src() / "batch/image/b.jpg", "same bytes");
    write_file(env.src() / "batch/image/c.jpg", "other bytes");
    params = env.params(
        "batch", {{"creating_data_unit_batch_size", batch_size}, {"project", env.project_id}});
  }
};

}  // namespace

TEST_CASE("idempotency: units with identical bytes stay separate data units",
          "[upload_action][idempotency]") {
  const int batch_size = GENERATE(1, 4);
  INFO("creating_data_unit_batch_size " << batch_size);
  TwinEnv twins(batch_size);
  RecordingRun run;
  twins.env.run(run, twins.params);
  const auto units = twins.env.units_by_stem();
  REQUIRE(units.size() == 3);
  CHECK(units.at("a").files == units.at("b").files);  // one data file, two units
  CHECK(units.at("a").id != units.at("b").id);
  CHECK(twins.env.count("data_files") == 2);
  CHECK(twins.env.count("tasks") == 3);
}

// a and b share one data file; the re-run must match each to its own unit (by meta), not
// create b a second time (a regression test).
TEST_CASE("idempotency: a re-run reuses units with identical bytes instead of duplicating one",
          "[upload_action][idempotency]") {
  const int batch_size = GENERATE(1, 4);
  INFO("creating_data_unit_batch_size " << batch_size);
  TwinEnv twins(batch_size);
  RecordingRun first;
  twins.env.run(first, twins.params);
  const auto units = twins.env.units_by_stem();
  REQUIRE(units.size() == 3);
  const auto after_first = twins.env.snapshot();

  RecordingRun second;
  twins.env.run(second, twins.params);
  check_same(after_first, twins.env.snapshot());
  std::set<json> second_ids;
  for (const auto& e : second.events("upload_data_unit"))
    second_ids.insert(e["data_unit_id"]);
  CHECK(second_ids == std::set<json>{units.at("a").id, units.at("b").id, units.at("c").id});
}

TEST_CASE("cancellation: cancelled at any point, the run throws CancelledError and is rolled back",
          "[upload_action][cancellation]") {
  // 1: a batch per unit, so a cancellation may land while two batches are being stored.
  const std::size_t batch_units = GENERATE(1000, 1);
  INFO("batches of " << batch_units << " unit(s)");
  const synapse::runtime::upload::UploadTuning tuning{batch_units};
  // How many times a complete run asks is_cancelled().
  std::int64_t questions = 0;
  {
    UploadEnv env;
    copy_sample(env.src() / "batch");
    RecordingRun run;
    env.run(run, env.params("batch", {{"project", env.project_id}}), nullptr, json::object(),
            tuning);
    questions = run.cancel_checks();
  }
  REQUIRE(questions > 16);  // at least one per step, twice (orchestrator + step)

  bool rolled_back_units = false;
  for (std::int64_t n = 0; n < questions; ++n) {
    INFO("cancelled after " << n << " of " << questions << " is_cancelled() calls");
    UploadEnv env;
    copy_sample(env.src() / "batch");
    const auto before = env.snapshot();
    RecordingRun run;
    run.cancel_after(n);
    const auto message = error_of<synapse::CancelledError>([&] {
      env.run(run, env.params("batch", {{"project", env.project_id}}), nullptr, json::object(),
              tuning);
    });
    INFO(run.transcript());
    CHECK_THAT(message, Contains("Upload cancelled"));
    check_same(before, env.snapshot());
    if (const auto units = run.events("upload_data_unit").size(); units > 0) {
      rolled_back_units = true;
      // Every unit made before the cancellation (all six in one batch; with a unit per batch
      // the run may stop between two), and all ten files: they were stored before any unit.
      if (batch_units > 1)
        CHECK(units == kSampleUnits);
      const std::string n = std::to_string(units);
      CHECK(run.logged("Rolled back: removed " + n + " task(s), " + n + " data unit(s), " +
                       "10 data file(s)"));
    }
  }
  CHECK(rolled_back_units);  // some cancellation landed after the units were created
}

TEST_CASE(
    "dry run: changes nothing and the plan reports specs, units, metadata and schema failures",
    "[upload_action][dry_run]") {
  auto strict = sample_collection();
  strict.name = "strict-images";
  strict.data_unit_meta_schema = {
      {"type", "object"}, {"properties", {{"rating", {{"type", "integer"}, {"maximum", 4}}}}}};
  UploadEnv env(strict);
  const auto batch = copy_sample(env.src() / "batch");
  write_file(batch / "meta/orphan.json", "{}");  // no picture: misses the required image_1
  write_file(batch / "image_1/notes.txt", "not a picture");
  const auto before = env.snapshot();

  RecordingRun run;
  const auto result =
      env.run(run, env.params("batch", {{"dry_run", true}, {"project", env.project_id}}));
  INFO(run.transcript());
  INFO(result.dump(2));
  check_same(before, env.snapshot());
  CHECK(run.events("upload_data_file").empty());
  CHECK(run.events("upload_data_unit").empty());

  CHECK(result["dry_run"] == true);
  CHECK(result["uploaded_files_count"] == 0);
  CHECK(result["generated_data_units_count"] == 0);
  const json& plan = result.at("plan");
  REQUIRE(plan["specs"].size() == 2);
  CHECK(plan["specs"][0]["spec"] == "image_1");
  CHECK(plan["specs"][0]["found"] == true);
  CHECK(plan["specs"][0]["required"] == true);
  CHECK(plan["specs"][0]["files"] == 6);
  CHECK(plan["specs"][1]["spec"] == "meta");
  CHECK(plan["specs"][1]["files"] == 5);
  CHECK(plan["units_to_create"] == kSampleUnits);
  CHECK(plan["units_missing_required"]["count"] == 1);
  REQUIRE(plan["units_missing_required"]["examples"].size() == 1);
  CHECK(plan["units_missing_required"]["examples"][0]["key"] == "orphan");
  CHECK(plan["units_missing_required"]["examples"][0]["missing"] == json({"image_1"}));
  CHECK(plan["unmatched_files"]["count"] == 1);
  CHECK(plan["metadata"]["source"] == "batch/meta.xlsx");
  CHECK(plan["metadata"]["rows"] == 6);
  CHECK(plan["metadata"]["units_matched"] == 6);
  CHECK(plan["metadata"]["coverage"] == "6/6");
  CHECK(plan["meta_schema_failures"]["count"] == 2);
  CHECK_THAT(plan["meta_schema_failures"].dump(),
             Contains("unit 'dog'") && Contains("unit 'forest'"));
  CHECK(plan["invalid_units"]["count"] == 0);
  CHECK(plan["would_succeed"] == false);
}

TEST_CASE("dry run: a clean layout would succeed and the storing steps are skipped",
          "[upload_action][dry_run]") {
  UploadEnv env;
  copy_sample(env.src() / "batch");
  const auto before = env.snapshot();
  RecordingRun run;
  const auto result =
      env.run(run, env.params("batch", {{"dry_run", true}, {"project", env.project_id}}));
  check_same(before, env.snapshot());
  CHECK(result["plan"]["would_succeed"] == true);
  CHECK(result["plan"]["units_to_create"] == kSampleUnits);
  CHECK(result["plan"]["meta_schema_failures"]["count"] == 0);
  CHECK(result["plan"]["units_missing_required"]["count"] == 0);
  CHECK(run.logged("Step 'upload_files' skipped"));
  CHECK(run.logged("Step 'generate_data_units' skipped"));
  CHECK(run.logged("Step 'cleanup' skipped"));
}

// ---- wrong layouts ---------------------------------------------------------------------------

TEST_CASE("wrong layout: no spec folder under the path fails naming expected and found",
          "[upload_action][layout]") {
  UploadEnv env;
  write_file(env.src() / "batch/random/cat.jpg", "x");
  write_file(env.src() / "batch/notes.txt", "x");
  const auto before = env.snapshot();
  RecordingRun run;
  const auto message = error_of<synapse::ActionError>([&] { env.run(run, env.params("batch")); });
  CHECK_THAT(message, Contains("Failed at step 'organize_files'") &&
                          Contains("none of the spec folders (image_1/, meta/) exists") &&
                          Contains("found: notes.txt, random/"));
  check_same(before, env.snapshot());
}

TEST_CASE("wrong layout: an empty upload folder fails saying what it should contain",
          "[upload_action][layout]") {
  UploadEnv env;
  fs::create_directories(env.src() / "batch");
  const auto before = env.snapshot();
  RecordingRun run;
  const auto message = error_of<synapse::ActionError>([&] { env.run(run, env.params("batch")); });
  CHECK_THAT(message, Contains("Failed at step 'organize_files'") && Contains("is empty") &&
                          Contains("one folder per spec: image_1/, meta/"));
  check_same(before, env.snapshot());
}

TEST_CASE("wrong layout: a missing required spec folder fails naming it and what was found",
          "[upload_action][layout]") {
  UploadEnv env;
  write_file(env.src() / "batch/meta/cat.json", "{}");
  const auto before = env.snapshot();
  RecordingRun run;
  const auto message = error_of<synapse::ActionError>([&] { env.run(run, env.params("batch")); });
  CHECK_THAT(message,
             Contains("required spec folder(s) image_1/ missing") && Contains("found: meta/"));
  check_same(before, env.snapshot());
}

TEST_CASE("wrong layout: no unit has its required spec: fails naming expected and found",
          "[upload_action][layout]") {
  UploadEnv env;
  write_file(env.src() / "batch/image_1/cat.gif", "wrong extension");
  write_file(env.src() / "batch/meta/cat.json", "{}");
  write_file(env.src() / "batch/meta/dog.json", "{}");
  const auto before = env.snapshot();
  RecordingRun run;
  const auto message = error_of<synapse::ActionError>([&] { env.run(run, env.params("batch")); });
  INFO(run.transcript());
  CHECK_THAT(message, Contains("no data unit to upload under 'batch'") &&
                          Contains("Expected: one folder per file specification: image_1/ "
                                   "(required), meta/") &&
                          Contains("spec 'image_1' (required) in batch/image_1: 0 file(s)") &&
                          Contains("spec 'meta' in batch/meta: 2 file(s)") &&
                          Contains("2 unit(s) missing a required spec ('cat' lacks image_1; "
                                   "'dog' lacks image_1)") &&
                          Contains("batch/image_1/cat.gif: extension not accepted"));
  CHECK(run.with_code("MISSING_REQUIRED_FILES").size() == 1);
  check_same(before, env.snapshot());
}

TEST_CASE("wrong layout: units lacking a required spec are dropped, the others uploaded",
          "[upload_action][layout]") {
  UploadEnv env;
  write_file(env.src() / "batch/image_1/cat.jpg", "cat picture");
  write_file(env.src() / "batch/meta/cat.json", "{\"cat\": 1}");
  write_file(env.src() / "batch/meta/dog.json", "{\"dog\": 1}");
  RecordingRun run;
  const auto result = env.run(run, env.params("batch"));
  const auto missing = run.with_code("MISSING_REQUIRED_FILES");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].text == "1 unit(s) missing required files: dog (image_1)");
  CHECK(result["generated_data_units_count"] == 1);
  CHECK(env.count("data_files") == 2);
  CHECK(env.units_by_stem().contains("cat"));
}

// Step::execute / Step::rollback bookkeeping and UploadContext.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>
#include <synapse/storage.hpp>
#include <synapse/upload/step.hpp>
#include <synapse/upload/upload_context.hpp>

#include "fakes.hpp"

using synapse::CancelledError;
using synapse::upload::StepResult;
using synapse::upload::UploadContext;
using namespace upload_pipeline_test;

TEST_CASE("a successful step logs starting and completed and stamps its result", "[step]") {
  FakeRun run;
  UploadContext context(run, run.params());
  auto step = make_step("initialize", 0.05);
  step->action = [](UploadContext&) { return StepResult::ok({{"x", 1}}, {{"created", 2}}); };

  StepResult result = step->execute(context);

  CHECK(result.success);
  CHECK(result.started);
  CHECK_FALSE(result.skipped);
  CHECK(result.data == nlohmann::json{{"x", 1}});
  CHECK(result.rollback_data == nlohmann::json{{"created", 2}, {"step_name", "initialize"}});
  CHECK(result.duration.count() >= 0);
  CHECK(run.logged("Step 'initialize' starting"));
  CHECK(run.logged("Step 'initialize' completed"));
}

TEST_CASE("an exception thrown by do_execute becomes a failed result with its message", "[step]") {
  FakeRun run;
  UploadContext context(run, {});
  auto step = make_step("organize_files");
  step->action = [](UploadContext&) -> StepResult { throw std::runtime_error("disk on fire"); };

  StepResult result = step->execute(context);

  CHECK_FALSE(result.success);
  CHECK_FALSE(result.cancelled);
  CHECK(result.started);
  CHECK(result.error == "Exception in step organize_files: disk on fire");
  CHECK(run.logged("Step 'organize_files' error: Exception in step organize_files: disk on fire"));
}

TEST_CASE("a non-std exception from do_execute is also captured", "[step]") {
  FakeRun run;
  UploadContext context(run, {});
  auto step = make_step("s");
  step->action = [](UploadContext&) -> StepResult { throw 42; };
  StepResult result = step->execute(context);
  CHECK_FALSE(result.success);
  CHECK(result.error == "Exception in step s: unknown exception");
}

TEST_CASE("a failed result without error text gets 'Unknown error'", "[step]") {
  FakeRun run;
  UploadContext context(run, {});
  auto step = make_step("s");
  step->action = [](UploadContext&) { return StepResult::failure(""); };
  CHECK(step->execute(context).error == "Unknown error");
}

TEST_CASE("CancelledError from do_execute becomes a cancelled result", "[step]") {
  FakeRun run;
  UploadContext context(run, {});
  auto step = make_step("upload_files");
  step->action = [](UploadContext&) -> StepResult { throw CancelledError(); };

  StepResult result = step->execute(context);

  CHECK_FALSE(result.success);
  CHECK(result.cancelled);
  CHECK(result.started);
  CHECK(result.error.find("cancelled") != std::string::npos);
}

TEST_CASE("a step is not started when the run is already cancelled", "[step]") {
  FakeRun run;
  run.cancelled = true;
  UploadContext context(run, {});
  auto journal = std::make_shared<Journal>();
  auto step = make_step("cleanup", 0.05, journal);

  StepResult result = step->execute(context);

  CHECK(result.cancelled);
  CHECK_FALSE(result.started);
  CHECK(journal->empty());
}

TEST_CASE("a skippable step is a skipped success without running", "[step]") {
  FakeRun run;
  UploadContext context(run, {});
  auto journal = std::make_shared<Journal>();
  auto step = make_step("cleanup", 0.05, journal);
  step->skip = true;

  StepResult result = step->execute(context);

  CHECK(result.success);
  CHECK(result.skipped);
  CHECK_FALSE(result.started);
  CHECK(journal->empty());
  CHECK(run.logged("Step 'cleanup' skipped"));
}

TEST_CASE("rollback returns and logs the error of a throwing do_rollback", "[step]") {
  FakeRun run;
  UploadContext context(run, {});
  auto step = make_step("s");
  CHECK_FALSE(step->rollback(context, StepResult::ok()).has_value());
  step->rollback_throws = true;
  auto error = step->rollback(context, StepResult::ok());
  REQUIRE(error.has_value());
  CHECK(*error == "Rollback of step 's' failed: rollback of s broke");
  CHECK(run.logged("Rollback of step 's' failed"));
}

TEST_CASE("the context records results, errors and rollback data per step", "[context]") {
  FakeRun run;
  UploadContext context(run, {{"storage", 3}});
  CHECK(context.param("storage") == 3);
  CHECK(context.param("missing", "d") == "d");
  CHECK(context.catalog() == nullptr);
  CHECK(context.storage() == nullptr);

  StepResult good = StepResult::ok({}, {{"step_name", "a"}, {"n", 1}});
  StepResult bad = StepResult::failure("boom", {{"step_name", "b"}});
  context.record("a", good);
  context.record("b", bad);

  REQUIRE(context.step_results().size() == 2);
  CHECK(context.step_result("a")->success);
  CHECK(context.step_result("b")->error == "boom");
  CHECK(context.step_result("zzz") == nullptr);
  CHECK(context.errors() == std::vector<std::string>{"boom"});
  CHECK(context.rollback_data()["a"]["n"] == 1);

  context.update_metrics("data_files", {{"success", 2}});
  context.update_metrics("data_files", {{"failed", 1}});
  synapse::upload::UploadedUnit uploaded;
  uploaded.key = "1";
  context.uploaded_files().append(std::move(uploaded));
  context.bag()["plugin"] = true;
  nlohmann::json result = context.result();
  CHECK(result["uploaded_files_count"] == 1);
  CHECK(result["generated_data_units_count"] == 0);
  CHECK(result["success"] == false);
  CHECK(result["metrics"]["data_files"] == nlohmann::json{{"success", 2}, {"failed", 1}});
  CHECK(result["metrics"]["data_units"] == nlohmann::json::object());
}

TEST_CASE("the context's unit lists are spools and the result counts them", "[context]") {
  FakeRun run;
  UploadContext context(run, {});
  CHECK(context.organized_files().empty());
  for (int i = 0; i < 3; ++i) {
    synapse::upload::OrganizedUnit unit;
    unit.key = std::to_string(i);
    unit.files["image"] = "image/" + unit.key + ".jpg";
    context.organized_files().append(std::move(unit));
  }
  synapse::DataUnit unit;
  unit.id = 7;
  context.data_units().append(unit);

  const auto organized = context.organized_files().to_vector();
  REQUIRE(organized.size() == 3);
  CHECK(organized[2].files.at("image") == "image/2.jpg");
  const nlohmann::json result = context.result();
  CHECK(result["uploaded_files_count"] == 0);
  CHECK(result["generated_data_units_count"] == 1);
  CHECK(result["success"] == true);
  CHECK_FALSE(result.contains("dry_run"));
  // No strategy until the upload creates them.
  CHECK(context.strategies().validation == nullptr);
  CHECK(context.strategies().upload == nullptr);
}

namespace {

// A storage that is only ever compared by address.
class NamedStorage : public synapse::Storage {
 public:
  explicit NamedStorage(std::string name) : name_(std::move(name)) {}
  std::string provider() const override { return name_; }
  std::optional<synapse::ObjectInfo> stat(std::string_view) override { return std::nullopt; }
  std::unique_ptr<synapse::ObjectLister> list(std::string_view, bool) override { return nullptr; }
  std::unique_ptr<synapse::ReadStream> open_read(std::string_view, std::uint64_t,
                                                 std::optional<std::uint64_t>) override {
    return nullptr;
  }
  std::unique_ptr<synapse::WriteStream> open_write(std::string_view) override { return nullptr; }
  void remove(std::string_view) override {}

 private:
  std::string name_;
};

}  // namespace

TEST_CASE("storage_for gives a spec's own storage, else the upload's, else throws", "[context]") {
  FakeRun run;
  UploadContext context(run, {});
  CHECK_THROWS_AS(context.storage_for("image"), synapse::ActionError);
  CHECK_THROWS_WITH(context.storage_for("image"),
                    Catch::Contains("no storage for file specification 'image'"));

  NamedStorage main("main");
  NamedStorage assets("assets");
  context.set_storage(&main);
  context.set_storage_for("meta", &assets);
  context.set_storage_for("mask", nullptr);  // null falls back to the upload's storage
  CHECK(&context.storage_for("image") == &main);
  CHECK(&context.storage_for("meta") == &assets);
  CHECK(&context.storage_for("mask") == &main);
}

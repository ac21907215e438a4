// UploadOrchestrator: order, skips, progress, rollback on failure and on cancellation.
#include <numeric>

#include <catch2/catch.hpp>
#include <synapse/errors.hpp>
#include <upload/pipeline/orchestrator.hpp>

#include "fakes.hpp"

using synapse::upload::StepRegistry;
using synapse::upload::StepResult;
using synapse::upload::UploadContext;
using namespace synapse::runtime::upload;
using namespace upload_pipeline_test;
using Names = std::vector<std::string>;

namespace {

struct Fixture {
  FakeRun run;
  UploadContext context{run, nlohmann::json::object()};
  std::shared_ptr<Journal> journal = std::make_shared<Journal>();
  StepRegistry registry;

  std::shared_ptr<TestStep> add(const std::string& name, double weight = 0.25) {
    auto step = make_step(name, weight, journal);
    registry.add(step);
    return step;
  }

  std::vector<std::int64_t> progress_values() const {
    std::vector<std::int64_t> values;
    for (const ProgressCall& call : run.progress) {
      CHECK(call.total == 1000);
      CHECK(call.category == "upload_steps");
      values.push_back(call.current);
    }
    return values;
  }
};

Names names_of(const UploadOutcome& outcome) {
  Names names;
  for (const auto& entry : outcome.step_results) {
    names.push_back(entry.step);
  }
  return names;
}

}  // namespace

TEST_CASE("the default step list has the 8 steps with code weights summing to 1",
          "[orchestrator]") {
  CHECK(default_step_names() == Names{"initialize", "process_metadata", "analyze_collection",
                                      "organize_files", "validate_files", "upload_files",
                                      "generate_data_units", "cleanup"});
  double total = 0.0;
  for (const DefaultStep& step : kDefaultSteps) {
    total += step.weight;
  }
  CHECK(total == Approx(1.0));
  CHECK(kDefaultSteps[5].weight == 0.30);
}

TEST_CASE("every step runs in order, a custom inserted one too, with weighted progress",
          "[orchestrator]") {
  Fixture f;
  for (const DefaultStep& step : kDefaultSteps) {
    f.add(std::string(step.name), step.weight);
  }
  f.registry.insert_after("organize_files", make_step("handle_upload_files", 0.0, f.journal));

  UploadOutcome outcome = UploadOrchestrator().run(f.registry, f.context);

  CHECK(outcome.success);
  CHECK_FALSE(outcome.cancelled);
  CHECK(outcome.error.empty());
  CHECK(outcome.rolled_back.empty());
  CHECK(*f.journal ==
        Journal{"execute:initialize", "execute:process_metadata", "execute:analyze_collection",
                "execute:organize_files", "execute:handle_upload_files", "execute:validate_files",
                "execute:upload_files", "execute:generate_data_units", "execute:cleanup"});
  CHECK(names_of(outcome).size() == 9);
  CHECK(f.context.step_results().size() == 9);
  CHECK(f.progress_values() ==
        std::vector<std::int64_t>{0, 50, 150, 200, 350, 350, 450, 750, 950, 1000});
  const nlohmann::json& workflow = f.context.metrics()["workflow"];
  CHECK(workflow["current_step"] == 9);
  CHECK(workflow["total_steps"] == 9);
  CHECK(workflow["progress_percentage"].get<double>() == Approx(100.0));
  CHECK(workflow["total_weight"].get<double>() == Approx(1.0));
  CHECK(f.run.logged("Upload workflow starting: 9 steps (initialize, process_metadata"));
  CHECK(f.run.logged("Upload workflow completed"));
}

TEST_CASE("a skippable step is not run, not rolled back, and counts toward progress",
          "[orchestrator]") {
  Fixture f;
  f.add("a", 0.5);
  f.add("skipme", 0.25)->skip = true;
  f.add("c", 0.25)->action = [](UploadContext&) { return StepResult::failure("bad"); };

  UploadOutcome outcome = UploadOrchestrator().run(f.registry, f.context);

  CHECK_FALSE(outcome.success);
  REQUIRE(outcome.step_results.size() == 3);
  CHECK(outcome.step_results[1].result.skipped);
  CHECK(*f.journal == Journal{"execute:a", "execute:c", "rollback:c", "rollback:a"});
  CHECK(f.progress_values() == std::vector<std::int64_t>{0, 500, 750});
}

TEST_CASE("a failing step rolls back itself and the executed steps in reverse order",
          "[orchestrator]") {
  Fixture f;
  f.add("a");
  f.add("b");
  auto failing = f.add("c");
  failing->action = [](UploadContext&) {
    return StepResult::failure("quota exceeded", {{"partial", 7}});
  };
  f.add("d");

  UploadOutcome outcome = UploadOrchestrator().run(f.registry, f.context);

  CHECK_FALSE(outcome.success);
  CHECK_FALSE(outcome.cancelled);
  CHECK(outcome.failed_step == "c");
  CHECK(outcome.error == "quota exceeded");
  CHECK(names_of(outcome) == Names{"a", "b", "c"});
  CHECK(*f.journal ==
        Journal{"execute:a", "execute:b", "execute:c", "rollback:c", "rollback:b", "rollback:a"});
  CHECK(outcome.rolled_back == Names{"c", "b", "a"});
  // The failing step sees its own result, with what it recorded before failing.
  CHECK(failing->last_rollback_result.rollback_data["partial"] == 7);
  CHECK(f.context.errors() == std::vector<std::string>{"quota exceeded"});
  CHECK(f.run.logged("Upload workflow stopped at step 'c': quota exceeded"));
}

TEST_CASE("an exception in a step is a failure with its message, then rollback", "[orchestrator]") {
  Fixture f;
  f.add("a");
  f.add("b")->action = [](UploadContext&) -> StepResult { throw std::runtime_error("io"); };

  UploadOutcome outcome = UploadOrchestrator().run(f.registry, f.context);

  CHECK(outcome.failed_step == "b");
  CHECK(outcome.error == "Exception in step b: io");
  CHECK(outcome.rolled_back == Names{"b", "a"});
}

TEST_CASE("a throwing rollback is reported and does not stop the other rollbacks",
          "[orchestrator]") {
  Fixture f;
  f.add("a");
  f.add("b")->rollback_throws = true;
  f.add("c")->action = [](UploadContext&) { return StepResult::failure("x"); };

  UploadOutcome outcome = UploadOrchestrator().run(f.registry, f.context);

  CHECK(*f.journal ==
        Journal{"execute:a", "execute:b", "execute:c", "rollback:c", "rollback:b", "rollback:a"});
  CHECK(outcome.rollback_errors == Names{"Rollback of step 'b' failed: rollback of b broke"});
  CHECK(f.run.logged("Rollback completed with 1 error(s)"));
}

TEST_CASE("cancellation between steps stops the run, rolls back and reports cancelled",
          "[orchestrator]") {
  Fixture f;
  f.add("a");
  f.add("b")->action = [&f](UploadContext&) {
    f.run.cancelled = true;  // the operator pressed Ctrl-C while b ran; b still finished
    return StepResult::ok();
  };
  f.add("c");

  UploadOutcome outcome = UploadOrchestrator().run(f.registry, f.context);

  CHECK_FALSE(outcome.success);
  CHECK(outcome.cancelled);
  CHECK(outcome.failed_step.empty());
  CHECK(outcome.error == "cancelled before step 'c'");
  CHECK(*f.journal == Journal{"execute:a", "execute:b", "rollback:b", "rollback:a"});
}

TEST_CASE("CancelledError inside a step reports that step cancelled and rolls it back",
          "[orchestrator]") {
  Fixture f;
  f.add("a");
  f.add("b")->action = [](UploadContext&) -> StepResult { throw synapse::CancelledError(); };
  f.add("c");

  UploadOutcome outcome = UploadOrchestrator().run(f.registry, f.context);

  CHECK(outcome.cancelled);
  CHECK(outcome.failed_step == "b");
  CHECK(outcome.rolled_back == Names{"b", "a"});
}

TEST_CASE("a run cancelled before the first step runs and rolls back nothing", "[orchestrator]") {
  Fixture f;
  f.add("a");
  f.run.cancelled = true;

  UploadOutcome outcome = UploadOrchestrator().run(f.registry, f.context);

  CHECK(outcome.cancelled);
  CHECK(outcome.step_results.empty());
  CHECK(outcome.rolled_back.empty());
  CHECK(f.journal->empty());
}

TEST_CASE("all-zero weights give each step an equal share of progress", "[orchestrator]") {
  Fixture f;
  f.add("a", 0.0);
  f.add("b", 0.0);
  UploadOrchestrator().run(f.registry, f.context);
  CHECK(f.progress_values() == std::vector<std::int64_t>{0, 500, 1000});
}

TEST_CASE("an empty progress category records workflow metrics only", "[orchestrator]") {
  Fixture f;
  f.add("a", 1.0);
  UploadOutcome outcome =
      UploadOrchestrator({.progress_category = "", .hooks = {}}).run(f.registry, f.context);
  CHECK(outcome.success);
  CHECK(f.run.progress.empty());
  CHECK(f.context.metrics()["workflow"]["completed_weight"].get<double>() == Approx(1.0));
}

namespace {

StepHook journal_hook(const std::string& after, const std::string& name,
                      const std::shared_ptr<Journal>& journal,
                      std::function<void(UploadContext&)> extra = {}) {
  return {after, name, [journal, name, extra](UploadContext& context) {
            journal->push_back("hook:" + name);
            if (extra) {
              extra(context);
            }
          }};
}

}  // namespace

TEST_CASE("a hook runs right after its step succeeds, before the next step", "[orchestrator]") {
  Fixture f;
  f.add("organize_files", 0.5);
  f.add("validate_files", 0.5);
  bool saw_organize_result = false;
  OrchestratorOptions options;
  options.hooks.push_back(journal_hook("organize_files", "handle_upload_files", f.journal,
                                       [&saw_organize_result](UploadContext& context) {
                                         saw_organize_result =
                                             context.step_result("organize_files") != nullptr;
                                       }));
  options.hooks.push_back({"organize_files", "no_op", nullptr});  // a hook without code is ignored

  UploadOutcome outcome = UploadOrchestrator(options).run(f.registry, f.context);

  CHECK(outcome.success);
  CHECK(*f.journal ==
        Journal{"execute:organize_files", "hook:handle_upload_files", "execute:validate_files"});
  CHECK(saw_organize_result);
  // A hook is not a step: no result of its own, no share of the progress.
  CHECK(names_of(outcome) == Names{"organize_files", "validate_files"});
  CHECK(f.progress_values() == std::vector<std::int64_t>{0, 500, 1000});
}

TEST_CASE("a throwing hook fails the run under its name and rolls back the executed steps",
          "[orchestrator]") {
  Fixture f;
  f.add("a");
  f.add("b");
  f.add("c");
  OrchestratorOptions options;
  options.hooks.push_back(journal_hook("b", "handle_upload_files", f.journal, [](UploadContext&) {
    throw std::runtime_error("bad units");
  }));

  UploadOutcome outcome = UploadOrchestrator(options).run(f.registry, f.context);

  CHECK_FALSE(outcome.success);
  CHECK_FALSE(outcome.cancelled);
  CHECK(outcome.failed_step == "handle_upload_files");
  CHECK(outcome.error == "Exception in handle_upload_files: bad units");
  CHECK(*f.journal ==
        Journal{"execute:a", "execute:b", "hook:handle_upload_files", "rollback:b", "rollback:a"});
  CHECK(outcome.rolled_back == Names{"b", "a"});
  CHECK(names_of(outcome) == Names{"a", "b"});
  CHECK(f.run.logged(
      "Upload workflow stopped at 'handle_upload_files': Exception in handle_upload_files: "
      "bad units"));
}

TEST_CASE("CancelledError from a hook cancels the run and rolls back", "[orchestrator]") {
  Fixture f;
  f.add("a");
  f.add("b");
  OrchestratorOptions options;
  options.hooks.push_back(journal_hook("a", "handle_upload_files", f.journal,
                                       [](UploadContext&) { throw synapse::CancelledError(); }));

  UploadOutcome outcome = UploadOrchestrator(options).run(f.registry, f.context);

  CHECK_FALSE(outcome.success);
  CHECK(outcome.cancelled);
  CHECK(outcome.failed_step == "handle_upload_files");
  CHECK_THAT(outcome.error, Catch::StartsWith("'handle_upload_files' cancelled"));
  CHECK(*f.journal == Journal{"execute:a", "hook:handle_upload_files", "rollback:a"});
}

TEST_CASE("a hook after a step that fails is never called", "[orchestrator]") {
  Fixture f;
  f.add("a")->action = [](UploadContext&) { return StepResult::failure("nope"); };
  OrchestratorOptions options;
  options.hooks.push_back(journal_hook("a", "handle_upload_files", f.journal));

  UploadOutcome outcome = UploadOrchestrator(options).run(f.registry, f.context);

  CHECK(outcome.failed_step == "a");
  CHECK(*f.journal == Journal{"execute:a", "rollback:a"});
}

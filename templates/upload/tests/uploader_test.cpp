// Unit tests of the plugin's code, without the host: the pipeline change configure() makes, the
// handle_upload_files hook, and the custom step run on an UploadContext over a FakeRunContext.
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <synapse/testing/fake_contexts.hpp>
#include <synapse/upload/step_registry.hpp>
#include <synapse/upload/strategy_registry.hpp>
#include <synapse/upload/upload_context.hpp>

#include "summary_step.hpp"
#include "uploader.hpp"

using synapse::upload::OrganizedUnit;
using synapse::upload::UploadContext;

namespace {

// Stands in for one of the host's built-in steps (only its name matters to the registry).
class NamedStep final : public synapse::upload::Step {
 public:
  explicit NamedStep(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  double progress_weight() const override { return 0.1; }

 protected:
  synapse::upload::StepResult do_execute(UploadContext&) override {
    return synapse::upload::StepResult::ok();
  }

 private:
  std::string name_;
};

const std::vector<std::string> kDefaultSteps = {
    "initialize",     "process_metadata", "analyze_collection",  "organize_files",
    "validate_files", "upload_files",     "generate_data_units", "cleanup"};

OrganizedUnit unit(std::string key, std::vector<std::string> specs) {
  OrganizedUnit out;
  out.key = key;
  for (const auto& spec : specs)
    out.files[spec] = spec + "/" + key + ".jpg";
  return out;
}

nlohmann::json params_with_tag(const std::string& tag) {
  nlohmann::json extra = nlohmann::json::object();
  extra["file_format"] = "original";
  extra["include_metadata"] = true;
  extra["custom_tag"] = tag;
  nlohmann::json params = nlohmann::json::object();
  params["extra_params"] = extra;
  return params;
}

}  // namespace

TEST_CASE("configure inserts the summary step right after organize_files", "[uploader]") {
  synapse::upload::StepRegistry steps;
  for (const auto& name : kDefaultSteps)
    steps.add(std::make_shared<NamedStep>(name));
  synapse::upload::StrategyRegistry strategies;
  const nlohmann::json params = nlohmann::json::object();
  synapse::upload::UploadPipeline pipeline(steps, strategies, params);

  plugin::PluginUploader().configure(pipeline);

  std::vector<std::string> expected = kDefaultSteps;
  expected.insert(expected.begin() + 4, "summarize_units");
  CHECK(steps.list() == expected);
  CHECK(steps.total_weight() == Approx(0.8));  // the new step takes no share of the progress
}

TEST_CASE("handle_upload_files keeps every unit, in order", "[uploader]") {
  synapse::testing::FakeRunContext run;
  UploadContext context(run, run.params());
  std::vector<OrganizedUnit> units = {unit("a", {"image_1"}), unit("b", {"image_1", "meta"})};

  const auto kept = plugin::PluginUploader().handle_upload_files(units, context);

  REQUIRE(kept.size() == 2);
  CHECK(kept[0].key == "a");
  CHECK(kept[1].files == units[1].files);
}

TEST_CASE("UnitSummary counts units and files per spec", "[summary]") {
  plugin::UnitSummary summary;
  summary.add(unit("a", {"image_1", "meta"}));
  summary.add(unit("b", {"image_1"}));

  CHECK(summary.units() == 2);
  CHECK(summary.files() == 3);
  CHECK(summary.to_json()["files_per_spec"] ==
        nlohmann::json::parse(R"({"image_1": 2, "meta": 1})"));
  CHECK(summary.describe() == "2 units, 3 files (image_1: 2, meta: 1)");
  CHECK(plugin::UnitSummary().describe() == "0 units, 0 files");
}

TEST_CASE("the summary step logs and records the organized units", "[summary]") {
  synapse::testing::FakeRunContext run(params_with_tag("batch-7"));
  UploadContext context(run, run.params());
  context.organized_files().append(unit("a", {"image_1", "meta"}));
  context.organized_files().append(unit("b", {"image_1"}));

  const auto result = plugin::SummarizeUnitsStep().execute(context);

  REQUIRE(result.success);
  CHECK(context.bag()["unit_summary"]["units"] == 2);
  CHECK(context.bag()["unit_summary"]["custom_tag"] == "batch-7");
  CHECK(result.data == context.bag()["unit_summary"]);
  CHECK(run.has_message("Organized 2 units, 3 files (image_1: 2, meta: 1)"));
  REQUIRE(run.events_named("unit_summary").size() == 1);
  CHECK(run.events_named("unit_summary")[0]["files"] == 3);
  CHECK(run.warnings().empty());
}

TEST_CASE("the summary step stops when the run is cancelled", "[summary]") {
  synapse::testing::FakeRunContext run;
  UploadContext context(run, run.params());
  context.organized_files().append(unit("a", {"image_1"}));
  context.organized_files().append(unit("b", {"image_1"}));
  // Step::execute checks once before starting; the step's loop checks per unit.
  run.cancel_after_checks(2);

  const auto result = plugin::SummarizeUnitsStep().execute(context);

  CHECK_FALSE(result.success);
  CHECK(result.cancelled);
  CHECK_FALSE(context.bag().contains("unit_summary"));
}

// The SDK's test doubles (synapse/testing/fake_contexts.hpp), which every template's unit tests
// use: they record what a plugin reports, warn where the host would, and keep export outputs in
// memory.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <synapse/testing/fake_contexts.hpp>
#include <synapse/upload/upload_context.hpp>

using Catch::Matchers::Contains;
using synapse::MessageContext;
using synapse::testing::FakeExportContext;
using synapse::testing::FakeRunContext;

TEST_CASE("FakeRunContext records messages, events, progress and merged metrics", "[fakes]") {
  FakeRunContext run(nlohmann::json::parse(R"({"name": "Ann"})"));
  CHECK(run.params()["name"] == "Ann");

  run.log_message(MessageContext::info, "starting");
  run.log_code("FILES_DISCOVERED", MessageContext::success, "3 files");
  run.log_event("greeting", nlohmann::json::parse(R"({"step": 1})"));
  run.set_progress(1, 4, "greet");
  run.set_progress(2, 4, "greet");
  run.set_metrics("files", nlohmann::json::parse(R"({"success": 1, "failed": 0})"));
  run.set_metrics("files", nlohmann::json::parse(R"({"success": 2})"));

  REQUIRE(run.messages().size() == 2);
  CHECK(run.messages()[1].code == "FILES_DISCOVERED");
  CHECK(run.messages()[1].context == MessageContext::success);
  CHECK(run.has_message("3 files"));
  CHECK_FALSE(run.has_message("nothing like this"));
  REQUIRE(run.events_named("greeting").size() == 1);
  CHECK(run.events_named("greeting")[0]["step"] == 1);
  CHECK(run.progress().size() == 2);
  CHECK(run.last_progress("greet")->current == 2);
  CHECK_FALSE(run.last_progress("other").has_value());
  CHECK(run.metrics()["files"] == nlohmann::json::parse(R"({"success": 2, "failed": 0})"));
  CHECK(run.warnings().empty());
}

TEST_CASE("FakeRunContext warns where the host ignores a call", "[fakes]") {
  FakeRunContext run;
  run.set_progress(5, 4, "greet");
  run.set_progress(0, 0, "greet");
  run.set_metrics("files", nlohmann::json::array());
  run.log_event("progress", nlohmann::json::object());
  run.log_event("", nlohmann::json::object());
  CHECK(run.progress().empty());
  CHECK(run.events().empty());
  CHECK(run.metrics().empty());
  REQUIRE(run.warnings().size() == 5);
  CHECK_THAT(run.warnings()[3], Contains("reserved"));
}

TEST_CASE("FakeRunContext cancels now or after a number of checks", "[fakes]") {
  FakeRunContext run;
  CHECK_FALSE(run.is_cancelled());
  run.cancel_after_checks(2);
  CHECK_FALSE(run.is_cancelled());
  CHECK_FALSE(run.is_cancelled());
  CHECK(run.is_cancelled());
  CHECK(run.is_cancelled());

  FakeRunContext now;
  now.cancel();
  CHECK(now.is_cancelled());
}

TEST_CASE("an UploadContext over a FakeRunContext needs no host", "[fakes]") {
  FakeRunContext run(nlohmann::json::parse(R"({"extra_params": {"tag": "x"}})"));
  synapse::upload::UploadContext context(run, run.params());
  synapse::upload::OrganizedUnit unit;
  unit.key = "cat";
  unit.files["image_1"] = "image_1/cat.jpg";
  context.organized_files().append(unit);
  CHECK(context.organized_files().size() == 1);
  CHECK(context.param("extra_params")["tag"] == "x");
  CHECK(context.catalog() == nullptr);
  context.run().log_message(MessageContext::info, "via the context");
  CHECK(run.has_message("via the context"));
}

TEST_CASE("FakeExportContext keeps outputs in memory, committed streams only", "[fakes]") {
  FakeExportContext context;
  CHECK(context.params()["target"] == "task");
  CHECK(context.params()["extra_params"].is_object());
  context.write_output("json/1.json", "{}");
  {
    auto stream = context.open_output("instances.json");
    stream->write("[1,", 3);
    stream->write("2]", 2);
    CHECK_FALSE(context.has_output("instances.json"));
    stream->commit();
  }
  {
    auto dropped = context.open_output("dropped.json");
    dropped->write("x", 1);
  }
  CHECK(context.output("json/1.json") == "{}");
  CHECK(context.output("instances.json") == "[1,2]");
  CHECK_FALSE(context.has_output("dropped.json"));
  CHECK(context.outputs().size() == 2);
  CHECK_THROWS_AS(context.output("missing.json"), std::out_of_range);

  context.run().log_message(MessageContext::info, "hello");
  CHECK(context.fake_run().has_message("hello"));
}

TEST_CASE("FakeExportContext refuses what the host refuses", "[fakes]") {
  FakeExportContext context;
  for (const char* bad : {"", "/abs.json", "../out.json", "a//b.json", "./a.json"})
    CHECK_THROWS_AS(context.write_output(bad, "x"), synapse::ActionError);
  CHECK_THROWS_WITH(context.catalog(), Contains("not available in unit tests"));
  CHECK_THROWS_WITH(context.output_storage(), Contains("not available in unit tests"));
}

TEST_CASE("FakeExportContext has a scratch folder for its lifetime", "[fakes]") {
  std::filesystem::path scratch;
  {
    FakeExportContext context;
    scratch = context.scratch_dir();
    REQUIRE(std::filesystem::is_directory(scratch));
    std::ofstream(scratch / "part.txt") << "x";
  }
  CHECK_FALSE(std::filesystem::exists(scratch));
}

TEST_CASE("FakeExportContext settings are what the test sets", "[fakes]") {
  FakeExportContext context(FakeExportContext::default_params(),
                            nlohmann::json::parse(R"({"classes": ["car"]})"));
  context.set_count(7);
  context.set_project_id(3);
  context.set_output_path("exports/x(1)");
  CHECK(context.count() == 7);
  CHECK(context.project_id() == 3);
  CHECK(context.output_path() == "exports/x(1)");
  CHECK(context.configuration()["classes"][0] == "car");
}

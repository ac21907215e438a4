// Unit tests of the action, without the host: run() with a FakeRunContext that records its
// progress, metrics, events and messages.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>
#include <synapse/testing/fake_contexts.hpp>

#include "action.hpp"

namespace {

// The params as the host passes them: checked, defaults filled in.
nlohmann::json params(const std::string& message, std::int64_t count) {
  nlohmann::json out = nlohmann::json::object();
  out["message"] = message;
  out["count"] = count;
  out["extra_params"] = nlohmann::json::object();
  return out;
}

}  // namespace

TEST_CASE("process_item numbers the message", "[action]") {
  CHECK(plugin::process_item("Hello", 2) == "Hello #2");
}

TEST_CASE("run processes every item and reports progress, metrics and a result", "[action]") {
  synapse::testing::FakeRunContext run(params("Hi", 3));

  const auto result = plugin::PluginAction().run(run);

  CHECK(result["count"] == 3);
  CHECK(result["outputs"] == nlohmann::json::parse(R"(["Hi #1", "Hi #2", "Hi #3"])"));
  const auto last = run.last_progress("process");
  REQUIRE(last.has_value());
  CHECK(last->current == 3);
  CHECK(last->total == 3);
  CHECK(run.metrics()["items"] == nlohmann::json::parse(R"({"done": 3, "remaining": 0})"));
  CHECK(run.events_named("item_processed").size() == 3);
  CHECK(run.has_message("Processed 3 item(s)"));
  CHECK(run.warnings().empty());
}

TEST_CASE("run stops with CancelledError when the run is cancelled", "[action]") {
  synapse::testing::FakeRunContext run(params("Hi", 5));
  run.cancel_after_checks(2);  // two items, then the operator's Ctrl-C

  CHECK_THROWS_AS(plugin::PluginAction().run(run), synapse::CancelledError);
  CHECK(run.events_named("item_processed").size() == 2);
}

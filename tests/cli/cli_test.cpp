// `synapse` as an operator uses it: exit codes, messages, events, job records, signals.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <synapse/version.hpp>

#include "synapse_process.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using cli_test::Result;
using cli_test::Sandbox;
using nlohmann::json;

namespace {

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty())
      lines.push_back(json::parse(line));
  }
  return lines;
}

std::string fixture(const std::string& name) {
  return std::string(SYNAPSE_FIXTURE_DIR) + "/" + name;
}

json job_record(const Sandbox& sandbox, const std::string& id) {
  const auto r = sandbox.run({"jobs", "show", id});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

const std::string quick_hello = R"({"name": "Ann", "steps": 3, "delay_ms": 1})";

}  // namespace

TEST_CASE("version_names_sdk_abi_and_toolchain", "[cli]") {
  Sandbox sandbox;
  const auto r = sandbox.run({"--version"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("synapse " SYNAPSE_SDK_VERSION_STRING) &&
                        Contains("plugin ABI " + std::to_string(SYNAPSE_ABI_VERSION)) &&
                        Contains("gcc_"));
}

TEST_CASE("plugin_list_shows_plugins_of_the_search_path", "[cli]") {
  Sandbox sandbox;
  const auto r = sandbox.run({"plugin", "list", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto plugins = json::parse(r.out);
  bool found_hello = false;
  for (const auto& p : plugins) {
    if (p["code"] == "hello") {
      found_hello = true;
      CHECK(p["version"] == "0.1.0");
      CHECK(p["category"] == "custom");
      CHECK(p["actions"] == json::array({"greet"}));
    }
  }
  CHECK(found_hello);
}

TEST_CASE("run_prints_events_as_jsonl_and_the_result", "[cli]") {
  Sandbox sandbox;
  const auto r = sandbox.run({"run", "hello", "greet", "--params", quick_hello, "--events", "jsonl",
                              "--job-id", "jsonl-run"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto events = json_lines(r.out);
  REQUIRE(events.size() > 5);
  std::map<std::string, int> counts;
  for (const auto& e : events) {
    counts[e.at("event").get<std::string>()]++;
    CHECK(e.at("job") == "jsonl-run");
    CHECK(e.at("datetime").get<std::string>().size() == 26);  // YYYY-MM-DD HH:MM:SS.ffffff
  }
  CHECK(counts["greeting"] == 3);
  CHECK(counts["metrics"] == 3);
  CHECK(counts["message"] == 2);
  CHECK(counts["result"] == 1);
  json last_progress;
  for (const auto& e : events) {
    if (e["event"] == "progress")
      last_progress = e["data"];
  }
  CHECK(last_progress["category"] == "greet");
  CHECK(last_progress["overall"] == 100.0);
  const auto& result = events.back();
  REQUIRE(result["event"] == "result");
  CHECK(result["data"]["status"] == "succeeded");
  CHECK(result["data"]["exit_code"] == 0);
  CHECK(result["data"]["result"] == json({{"greeting", "Hello, Ann!"}, {"steps", 3}}));

  const auto record = job_record(sandbox, "jsonl-run");
  CHECK(record["status"] == "succeeded");
  CHECK(record["result"]["greeting"] == "Hello, Ann!");
  CHECK(record["metrics"]["record"]["categories"]["greetings"]["sent"] == 3);
  CHECK(record["progress"]["current_progress"]["overall"] == 100.0);
  CHECK(record["event_count"] == events.size());
}

TEST_CASE("run_without_events_prints_the_result_json_on_stdout", "[cli]") {
  Sandbox sandbox;
  const auto r = sandbox.run({"run", "hello", "greet", "--params", quick_hello});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out) == json({{"greeting", "Hello, Ann!"}, {"steps", 3}}));
  CHECK_THAT(r.err, Contains("[info] Preparing to greet Ann") && Contains("succeeded"));
}

TEST_CASE("run_writes_events_to_a_file_with_jsonl_equals", "[cli]") {
  Sandbox sandbox;
  const auto file = sandbox.dir() / "events.jsonl";
  const auto r = sandbox.run(
      {"run", "hello", "greet", "--params", quick_hello, "--events", "jsonl=" + file.string()});
  REQUIRE(r.exit_code == 0);
  const auto events = json_lines(cli_test::read_file(file));
  REQUIRE_FALSE(events.empty());
  CHECK(events.back()["event"] == "result");
}

TEST_CASE("run_applies_defaults_of_params_schema_and_ui_schema", "[cli]") {
  Sandbox sandbox;
  const auto r =
      sandbox.run({"run", "hello", "greet", "--params",
                   R"({"name": "Bo", "delay_ms": 0, "extra_params": {"language": "fr"}})",
                   "--job-id", "defaults"});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["greeting"] == "Bonjour, Bo!");
  const auto params = job_record(sandbox, "defaults")["params"];
  CHECK(params["steps"] == 5);
  CHECK(params["extra_params"]["shout"] == false);
}

TEST_CASE("run_reads_params_from_a_yaml_file", "[cli]") {
  Sandbox sandbox;
  const auto file = sandbox.dir() / "params.yaml";
  std::ofstream(file) << "name: Cy\nsteps: 2\ndelay_ms: 0\nextra_params:\n  shout: true\n";
  const auto r = sandbox.run({"run", "hello", "greet", "--params", "@" + file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["greeting"] == "HELLO, CY!");
}

TEST_CASE("run_from_the_source_folder_uses_the_built_copy", "[cli]") {
  Sandbox sandbox;
  const auto r = sandbox.run({"run", std::string(SYNAPSE_SOURCE_DIR) + "/plugins/hello", "greet",
                              "--params", quick_hello});
  INFO(r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("params_errors_are_listed_together_and_exit_2", "[cli]") {
  Sandbox sandbox;
  const auto r = sandbox.run({"run", "hello", "greet", "--params",
                              R"({"steps": "many", "extra_params": {"language": "de"}})",
                              "--job-id", "bad-params"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("error[params.invalid]") && Contains("/name") && Contains("/steps") &&
                        Contains("/extra_params/language"));
  CHECK_THAT(r.err, Contains("are invalid (3 problems)"));
  const auto record = job_record(sandbox, "bad-params");
  CHECK(record["status"] == "failed");
  CHECK(record["exit_code"] == 2);
  CHECK(record["error"]["id"] == "params.invalid");
  CHECK(record["error"]["details"].size() == 3);
}

TEST_CASE("bad_usage_exits_2", "[cli]") {
  Sandbox sandbox;
  SECTION("malformed params JSON") {
    const auto r = sandbox.run({"run", "hello", "greet", "--params", "{name:"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("error[cli.bad_params]: --params: not valid JSON"));
  }
  SECTION("unknown action") {
    const auto r = sandbox.run({"run", "hello", "wave", "--params", "{}"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("error[run.unknown_action]") && Contains("its actions are: greet"));
  }
  SECTION("unknown subcommand") {
    CHECK(sandbox.run({"launch"}).exit_code == 2);
  }
  SECTION("unknown job") {
    const auto r = sandbox.run({"jobs", "show", "nope"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("error[jobs.not_found]"));
  }
  SECTION("bad job id") {
    const auto r =
        sandbox.run({"run", "hello", "greet", "--params", quick_hello, "--job-id", "a b"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("error[run.bad_job_id]"));
  }
}

TEST_CASE("unknown_plugin_exits_3", "[cli]") {
  Sandbox sandbox;
  const auto r = sandbox.run({"run", "no-such-plugin", "greet"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("error[plugin.not_found]"));
}

TEST_CASE("validate_reports_each_broken_fixture_with_its_error_and_exit_code", "[cli]") {
  Sandbox sandbox;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"fixture_abi_mismatch", "loader.abi_mismatch"},
      {"fixture_compiler_mismatch", "loader.compiler_mismatch"},
      {"fixture_missing_alias", "loader.missing_alias"},
      {"fixture_undefined_symbol", "loader.undefined_symbol"},
      {"fixture_not_elf", "loader.not_elf"},
      {"fixture_truncated", "loader.truncated"},
      {"fixture_no_metadata", "loader.no_metadata"},
      {"fixture_category_mismatch", "loader.category_mismatch"},
  };
  for (const auto& [name, id] : cases) {
    INFO(name);
    const auto r = sandbox.run({"plugin", "validate", fixture(name)});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("error[" + id + "]"));
    CHECK_THAT(r.out, Contains("invalid"));
  }
  const auto good = sandbox.run({"plugin", "validate", fixture("fixture_good")});
  CHECK(good.exit_code == 0);
  CHECK_THAT(good.out, Contains("action echo: ok") && Contains("valid"));
}

TEST_CASE("run_reports_each_broken_fixture_and_the_host_survives", "[cli]") {
  Sandbox sandbox;
  const std::vector<std::tuple<std::string, std::string, int>> cases = {
      {"fixture_abi_mismatch", "loader.abi_mismatch", 3},
      {"fixture_missing_alias", "loader.missing_alias", 3},
      {"fixture_undefined_symbol", "loader.undefined_symbol", 3},
      {"fixture_factory_throws", "loader.factory_failed", 3},
      {"fixture_action_throws", "run.action_failed", 1},
      {"fixture_not_elf", "loader.not_elf", 3},
      {"fixture_truncated", "loader.truncated", 3},
  };
  int n = 0;
  for (const auto& [name, id, code] : cases) {
    INFO(name);
    const std::string job = "fixture-" + std::to_string(n++);
    const auto r = sandbox.run({"run", fixture(name), "echo", "--job-id", job});
    INFO(r.err);
    CHECK(r.exit_code == code);
    CHECK_THAT(r.err, Contains("error[" + id + "]"));
    const auto record = job_record(sandbox, job);
    CHECK(record["status"] == "failed");
    CHECK(record["error"]["id"] == id);
  }
  const auto thrown = sandbox.run({"run", fixture("fixture_action_throws"), "echo"});
  CHECK_THAT(thrown.err, Contains("fixture action blew up"));
  const auto good = sandbox.run({"run", fixture("fixture_good"), "echo", "--params", R"({"a":1})"});
  CHECK(good.exit_code == 0);
  CHECK(json::parse(good.out) == json({{"echo", {{"a", 1}}}}));
}

TEST_CASE("bad_config_is_reported_with_file_line_column_and_exit_2", "[cli]") {
  Sandbox sandbox;
  const auto dir = sandbox.dir() / "broken";
  fs::create_directories(dir);
  std::ofstream(dir / "config.yaml") << "name: Broken\ncode: broken\nversion: 1.0.0\n"
                                        "category: upload\nactions:\n  upload:\n"
                                        "    entrypoint: Uploader\n    method: jobs\n";
  const auto r = sandbox.run({"plugin", "validate", dir.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("error[config.invalid]") &&
                        Contains("config.yaml:8:5: actions.upload.method: 'jobs' is not one of "
                                 "job, task, restapi, serve"));
}

namespace {

// Starts a slow hello run, waits until it is running, sends `signo`, returns the exit code.
int interrupt_run(const Sandbox& sandbox, const std::string& job, int signo) {
  const auto pid =
      sandbox.start({"run", "hello", "greet", "--params",
                     R"({"name": "Di", "steps": 400, "delay_ms": 25})", "--job-id", job});
  // Wait until the job record (in the catalog) says the action is running.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto r = sandbox.run({"jobs", "show", job});
    if (r.exit_code == 0 && json::parse(r.out)["status"] == "running")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ::kill(pid, signo);
  return Sandbox::wait(pid);
}

}  // namespace

TEST_CASE("sigint_cancels_the_run_with_exit_130_and_a_cancelled_record", "[cli]") {
  Sandbox sandbox;
  CHECK(interrupt_run(sandbox, "interrupted", SIGINT) == 130);
  const auto record = job_record(sandbox, "interrupted");
  CHECK(record["status"] == "cancelled");
  CHECK(record["exit_code"] == 130);
  CHECK(record["progress"]["current_progress"]["overall"].get<double>() < 100.0);
}

TEST_CASE("sigterm_cancels_the_run_too", "[cli]") {
  Sandbox sandbox;
  CHECK(interrupt_run(sandbox, "terminated", SIGTERM) == 130);
  CHECK(job_record(sandbox, "terminated")["status"] == "cancelled");
}

TEST_CASE("a_run_killed_with_sigkill_is_shown_failed_abandoned_not_running", "[cli]") {
  Sandbox sandbox;
  // interrupt_run first waits until `jobs show` says running: a live run is never settled.
  CHECK(interrupt_run(sandbox, "killed", SIGKILL) == 128 + SIGKILL);
  const auto list = sandbox.run({"jobs", "list", "--json"});
  REQUIRE(list.exit_code == 0);
  const auto jobs = json::parse(list.out);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0]["status"] == "failed");
  const auto record = job_record(sandbox, "killed");
  CHECK(record["status"] == "failed");
  CHECK(record["error"]["id"] == "run.abandoned");
  CHECK_FALSE(fs::exists(sandbox.home() / "running" / "killed.lock"));
}

TEST_CASE("jobs_list_shows_runs_newest_first", "[cli]") {
  Sandbox sandbox;
  REQUIRE(sandbox.run({"run", "hello", "greet", "--params", quick_hello, "--job-id", "first"})
              .exit_code == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(sandbox.run({"run", "hello", "greet", "--params", quick_hello, "--job-id", "second"})
              .exit_code == 0);
  const auto r = sandbox.run({"jobs", "list", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto jobs = json::parse(r.out);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0]["id"] == "second");
  CHECK(jobs[1]["id"] == "first");
  CHECK(jobs[0]["plugin"] == "hello@0.1.0");
}

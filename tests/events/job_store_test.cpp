#include "events/job_store.hpp"

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "common/runtime_error.hpp"

using namespace synapse::runtime;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("synapse-jobs-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

JobRecord sample(std::string id, std::string created_at) {
  JobRecord r;
  r.id = std::move(id);
  r.plugin = "hello@1.0.0";
  r.action = "greet";
  r.status = "running";
  r.created_at = std::move(created_at);
  return r;
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

std::set<std::string> file_names(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

}  // namespace

TEST_CASE("events: job ids: format and validation", "[jobs]") {
  const std::string id = new_job_id();
  CHECK(std::regex_match(id, std::regex(R"(\d{8}-\d{6}-[0-9a-f]{6})")));
  CHECK(is_valid_job_id(id));
  CHECK(new_job_id() != new_job_id());  // 24 random bits: a collision here is ~1e-7

  CHECK(is_valid_job_id("a"));
  CHECK(is_valid_job_id("Job_01-x"));
  CHECK(is_valid_job_id(std::string(100, 'z')));
  CHECK_FALSE(is_valid_job_id(""));
  CHECK_FALSE(is_valid_job_id(std::string(101, 'z')));
  CHECK_FALSE(is_valid_job_id("../etc"));
  CHECK_FALSE(is_valid_job_id("a.b"));
  CHECK_FALSE(is_valid_job_id("a b"));
  CHECK_FALSE(is_valid_job_id("a/b"));
  CHECK_FALSE(is_valid_job_id("caf\xc3\xa9"));
}

TEST_CASE("events: JobRecord JSON round trip keeps every field", "[jobs]") {
  JobRecord r = sample("20260102-030405-abcdef", "2026-01-02 03:04:05.000001");
  r.status = "failed";
  r.started_at = "2026-01-02 03:04:06.000002";
  r.finished_at = "2026-01-02 03:04:07.000003";
  r.exit_code = 1;
  r.params = {{"name", "Ann"}};
  r.progress = {{"record", {{"percent", 50.0}}}, {"current_progress", {{"overall", 50.0}}}};
  r.metrics = {{"record", {{"categories", {{"greetings", {{"sent", 2}}}}}}}};
  r.result = {{"greeted", "Ann"}};
  r.error = {{"id", "plugin.failed"}, {"message", "boom"}, {"details", Json::array()}};

  const Json j = r.to_json();
  CHECK(j["id"] == "20260102-030405-abcdef");
  CHECK(j["plugin"] == "hello@1.0.0");
  CHECK(j["action"] == "greet");
  CHECK(j["status"] == "failed");
  CHECK(j["created_at"] == "2026-01-02 03:04:05.000001");
  CHECK(j["started_at"] == "2026-01-02 03:04:06.000002");
  CHECK(j["finished_at"] == "2026-01-02 03:04:07.000003");
  CHECK(j["exit_code"] == 1);
  CHECK(j["params"] == Json{{"name", "Ann"}});
  CHECK(j["error"]["message"] == "boom");

  const JobRecord back = JobRecord::from_json(j);
  CHECK(back.to_json() == j);
  CHECK(back.metrics == r.metrics);
  CHECK(back.progress == r.progress);
  CHECK(back.result == r.result);
}

TEST_CASE("events: JobRecord unset timestamps are null and read back empty", "[jobs]") {
  JobRecord r = sample("j1", "2026-01-02 03:04:05.000001");
  r.status = "pending";
  const Json j = r.to_json();
  CHECK(j["started_at"].is_null());
  CHECK(j["finished_at"].is_null());
  CHECK(j["exit_code"] == -1);
  CHECK(j["result"].is_null());
  CHECK(j["error"].is_null());
  const JobRecord back = JobRecord::from_json(j);
  CHECK(back.started_at.empty());
  CHECK(back.exit_code == -1);
  CHECK(back.params == Json::object());
}

TEST_CASE("events: JobRecord::from_json rejects malformed records", "[jobs]") {
  Json good = sample("j1", "t").to_json();
  auto rejects = [](const Json& j) {
    try {
      JobRecord::from_json(j);
    } catch (const RuntimeError& e) {
      return e.id() == "jobs.corrupt" && e.exit_code() == ExitCode::action_failed;
    }
    return false;
  };
  CHECK(rejects(Json::array()));
  Json bad = good;
  bad["status"] = "sleeping";
  CHECK(rejects(bad));
  bad = good;
  bad["id"] = "../x";
  CHECK(rejects(bad));
  bad = good;
  bad["plugin"] = 3;
  CHECK(rejects(bad));
  bad = good;
  bad["exit_code"] = "one";
  CHECK(rejects(bad));
  CHECK_FALSE(rejects(good));
}

TEST_CASE("events: JobStore save/load round trip", "[jobs]") {
  TempDir tmp;
  JobStore store(tmp.path);
  CHECK(store.directory() == tmp.path / "jobs");
  CHECK_FALSE(fs::exists(store.directory()));  // created on demand only
  CHECK_FALSE(store.load("nope").has_value());
  CHECK_FALSE(store.exists("nope"));

  JobRecord r = sample("20260102-030405-abcdef", "2026-01-02 03:04:05.000001");
  r.params = {{"name", "Ann"}};
  store.save(r);
  CHECK(fs::is_regular_file(tmp.path / "jobs" / "20260102-030405-abcdef.json"));
  CHECK(store.exists(r.id));

  auto loaded = store.load(r.id);
  REQUIRE(loaded.has_value());
  CHECK(loaded->to_json() == r.to_json());

  // Saving again replaces the record.
  r.status = "succeeded";
  r.exit_code = 0;
  r.result = {{"greeted", "Ann"}};
  store.save(r);
  loaded = store.load(r.id);
  REQUIRE(loaded.has_value());
  CHECK(loaded->status == "succeeded");
  CHECK(loaded->exit_code == 0);
  CHECK(loaded->result == Json{{"greeted", "Ann"}});

  // Atomic save leaves only the record behind, no temporary file.
  CHECK(file_names(store.directory()) == std::set<std::string>{"20260102-030405-abcdef.json"});
}

TEST_CASE("events: JobStore refuses invalid ids", "[jobs]") {
  TempDir tmp;
  JobStore store(tmp.path);
  try {
    store.save(sample("../escape", "t"));
    FAIL("expected RuntimeError");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "jobs.invalid_id");
    CHECK(e.exit_code() == ExitCode::usage);
  }
  CHECK_FALSE(fs::exists(tmp.path / "escape.json"));
  CHECK_FALSE(store.load("../escape").has_value());
  CHECK_FALSE(store.exists("../escape"));
  CHECK(store.events("../escape").empty());
  CHECK_THROWS_AS(store.event_sink("a/b"), RuntimeError);
}

TEST_CASE("events: JobStore save reports an unwritable directory", "[jobs]") {
  TempDir tmp;
  // data_home is a regular file: the jobs directory cannot be created.
  write_text(tmp.path / "home", "not a directory");
  JobStore store(tmp.path / "home");
  try {
    store.save(sample("j1", "t"));
    FAIL("expected RuntimeError");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "jobs.write_failed");
    CHECK(e.exit_code() == ExitCode::transient);
    CHECK(e.message().find((tmp.path / "home" / "jobs").string()) != std::string::npos);
  }
}

TEST_CASE("events: JobStore list is newest first and skips other files", "[jobs]") {
  TempDir tmp;
  JobStore store(tmp.path);
  CHECK(store.list().empty());  // no directory yet

  store.save(sample("20260101-000000-aaaaaa", "2026-01-01 00:00:00.000000"));
  store.save(sample("20260103-000000-cccccc", "2026-01-03 00:00:00.000000"));
  store.save(sample("20260102-000000-bbbbbb", "2026-01-02 00:00:00.000000"));
  // Same created_at: the id decides (descending).
  store.save(sample("20260102-000000-bbbbbc", "2026-01-02 00:00:00.000000"));

  // Leftovers that are not records: a stray temporary file, an events file, a stranger.
  write_text(store.directory() / ".20260101-000000-aaaaaa.json.tmp-1-deadbeef", "{\"id\":");
  write_text(store.directory() / "20260101-000000-aaaaaa.events.jsonl", "{}\n");
  write_text(store.directory() / "notes.txt", "hello");

  const auto records = store.list();
  REQUIRE(records.size() == 4);
  CHECK(records[0].id == "20260103-000000-cccccc");
  CHECK(records[1].id == "20260102-000000-bbbbbc");
  CHECK(records[2].id == "20260102-000000-bbbbbb");
  CHECK(records[3].id == "20260101-000000-aaaaaa");
  CHECK(records[3].plugin == "hello@1.0.0");
}

TEST_CASE("events: JobStore reports a corrupt record with its file", "[jobs]") {
  TempDir tmp;
  JobStore store(tmp.path);
  store.save(sample("good", "2026-01-01 00:00:00.000000"));
  const fs::path bad = store.directory() / "bad.json";
  write_text(bad, "{\"id\": \"bad\", \"status\": ");

  for (int i = 0; i < 2; ++i) {
    try {
      if (i == 0) {
        store.load("bad");
      } else {
        store.list();
      }
      FAIL("expected RuntimeError");
    } catch (const RuntimeError& e) {
      CHECK(e.id() == "jobs.corrupt");
      CHECK(e.exit_code() == ExitCode::action_failed);
      CHECK(e.message().find(bad.string()) != std::string::npos);
    }
  }

  // A valid record stored under another job's name is corrupt too.
  JobRecord other = sample("other", "t");
  write_text(store.directory() / "moved.json", other.to_json().dump());
  CHECK_THROWS_AS(store.load("moved"), RuntimeError);
  CHECK(store.load("good").has_value());
}

TEST_CASE("events: JobStore event sink appends and events() reads them back", "[jobs]") {
  TempDir tmp;
  JobStore store(tmp.path);
  const std::string id = "20260102-030405-abcdef";
  CHECK(store.events(id).empty());

  {
    EventBus bus(id);
    bus.add_sink(store.event_sink(id));
    bus.publish("message", {{"context", "info"}, {"content", "one"}});
    // Readable while the run goes on: flushed per event.
    const auto live = store.events(id);
    REQUIRE(live.size() == 1);
    CHECK(live[0]["data"]["content"] == "one");
    bus.publish("progress", {{"percent", 50.0}});
    bus.close();
  }
  {
    // A second sink (a resumed run) appends instead of truncating.
    auto sink = store.event_sink(id);
    sink->write(Event{"result", {{"ok", true}}, "2026-01-02 03:04:09.000000", id});
    sink->close();
  }

  const auto events = store.events(id);
  REQUIRE(events.size() == 3);
  CHECK(events[0]["event"] == "message");
  CHECK(events[0]["job"] == id);
  CHECK(events[1]["event"] == "progress");
  CHECK(events[1]["data"]["percent"] == 50.0);
  CHECK(events[2] == Json{{"event", "result"},
                          {"data", {{"ok", true}}},
                          {"datetime", "2026-01-02 03:04:09.000000"},
                          {"job", id}});
}

TEST_CASE("events: JobStore events tolerates a truncated last line only", "[jobs]") {
  TempDir tmp;
  JobStore store(tmp.path);
  fs::create_directories(store.directory());
  const fs::path file = store.directory() / "j1.events.jsonl";

  write_text(file, "{\"event\":\"a\"}\n\n{\"event\":\"b\"}\n{\"event\":\"c\",\"da");
  auto events = store.events("j1");
  REQUIRE(events.size() == 2);
  CHECK(events[0]["event"] == "a");
  CHECK(events[1]["event"] == "b");

  // A complete last line without its newline is kept.
  write_text(file, "{\"event\":\"a\"}\n{\"event\":\"b\"}");
  events = store.events("j1");
  REQUIRE(events.size() == 2);
  CHECK(events[1]["event"] == "b");

  // A damaged line in the middle is an error naming file:line.
  write_text(file, "{\"event\":\"a\"}\n{broken\n{\"event\":\"c\"}\n");
  try {
    store.events("j1");
    FAIL("expected RuntimeError");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "jobs.corrupt");
    CHECK(e.message().find(file.string() + ":2") != std::string::npos);
  }
}

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "common/runtime_error.hpp"
#include "events/event.hpp"

using namespace synapse::runtime;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A FILE* whose contents the test can read back (open_memstream updates on fflush).
class MemStream {
 public:
  MemStream() : stream_(open_memstream(&buffer_, &size_)) { REQUIRE(stream_ != nullptr); }
  ~MemStream() {
    if (stream_ != nullptr) {
      std::fclose(stream_);
    }
    std::free(buffer_);
  }
  MemStream(const MemStream&) = delete;
  MemStream& operator=(const MemStream&) = delete;

  std::FILE* get() const { return stream_; }
  // What the sink flushed; the sinks flush themselves, so no fflush here.
  std::string text() const {
    return buffer_ == nullptr ? std::string() : std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* stream_;
};

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("synapse-events-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

Event make_event(std::string name, Json data) {
  return Event{std::move(name), std::move(data), "2026-01-02 03:04:05.000006", "job-1"};
}

Json progress_data(const char* category, double percent, double overall, Json time_remaining) {
  return {{"category", category == nullptr ? Json(nullptr) : Json(category)},
          {"current", 2},
          {"total", 5},
          {"percent", percent},
          {"overall", overall},
          {"time_remaining", time_remaining}};
}

// Records what it receives; optionally throws on every write.
class RecordingSink : public EventSink {
 public:
  explicit RecordingSink(bool fail = false) : fail_(fail) {}
  void write(const Event& event) override {
    ++writes;
    if (fail_) {
      throw std::runtime_error("sink is broken");
    }
    events.push_back(event);
  }
  void close() override { ++closes; }
  std::vector<Event> events;
  int writes = 0;
  int closes = 0;

 private:
  bool fail_;
};

}  // namespace

TEST_CASE("events: Event::to_json has event, data, datetime and job", "[events]") {
  const Event event = make_event("message", {{"context", "info"}, {"content", "hi"}});
  CHECK(event.to_json() == Json{{"event", "message"},
                                {"data", {{"context", "info"}, {"content", "hi"}}},
                                {"datetime", "2026-01-02 03:04:05.000006"},
                                {"job", "job-1"}});
}

TEST_CASE("events: event_datetime_now is local time with microseconds", "[events]") {
  const std::string now = event_datetime_now();
  CHECK(std::regex_match(now, std::regex(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6})")));
  // Same local date as strftime gives (unless the test straddles midnight).
  std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char year[8];
  std::strftime(year, sizeof year, "%Y", &local);
  CHECK(now.substr(0, 4) == year);
}

TEST_CASE("events: event_datetime_now keeps telling the time across seconds (cached date part)",
          "[events]") {
  const auto seconds_of = [](const std::string& stamp) {
    std::tm local{};
    REQUIRE(strptime(stamp.c_str(), "%Y-%m-%d %H:%M:%S", &local) != nullptr);
    local.tm_isdst = -1;
    return static_cast<double>(std::mktime(&local)) + std::stod(stamp.substr(19));
  };
  const auto now = [] {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
  };
  const std::string first = event_datetime_now();
  std::string last = first;
  for (int i = 0; i < 26; ++i) {  // ~1.3 s: at least one new second
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const double before = now();
    last = event_datetime_now();
    const double after = now();
    CHECK(seconds_of(last) >= before - 0.000002);
    CHECK(seconds_of(last) <= after + 0.000001);
  }
  CHECK(last.substr(0, 19) != first.substr(0, 19));
}

TEST_CASE("events: console sink writes one human line per event", "[events][console]") {
  MemStream out;
  auto sink = make_console_sink(out.get(), false);
  sink->write(make_event("message", {{"context", "info"}, {"content", "Preparing to greet Ann"}}));
  sink->write(make_event("message", {{"context", "danger"}, {"content", "disk almost full"}}));
  sink->write(make_event("progress", progress_data("greet", 40, 46, 1.23)));
  sink->write(make_event("progress", progress_data("greet", 0, 6, nullptr)));
  sink->write(make_event("progress", progress_data(nullptr, 12.5, 12.5, 125.0)));
  sink->write(make_event("progress", progress_data("big", 1, 1, 7322.0)));
  sink->write(make_event("metrics", {{"category", "greetings"}, {"value", {{"sent", 2}}}}));
  sink->write(make_event("upload_data_file", {{"path", "a.jpg"}, {"ok", true}}));
  sink->write(make_event("result", {{"greeted", "Ann"}}));
  sink->close();
  CHECK(out.text() ==
        "[info] Preparing to greet Ann\n"
        "[danger] disk almost full\n"
        "progress greet 40.00% (overall 46.00%, ~1.2s left)\n"
        "progress greet 0.00% (overall 6.00%)\n"
        "progress 12.50% (overall 12.50%, ~2m05s left)\n"
        "progress big 1.00% (overall 1.00%, ~2h02m left)\n"
        "metrics greetings {\"sent\":2}\n"
        "upload_data_file {\"ok\":true,\"path\":\"a.jpg\"}\n"
        "result {\"greeted\":\"Ann\"}\n");
}

TEST_CASE("events: console sink bar mode redraws one line in place", "[events][console]") {
  MemStream out;
  auto sink = make_console_sink(out.get(), true);
  sink->write(make_event("progress", progress_data("greet", 40, 46, 1.2)));
  const std::string bar46 = "[#############.................]  46% greet";
  CHECK(out.text() == "\r" + bar46);

  sink->write(make_event("message", {{"context", "success"}, {"content", "Hello Ann"}}));
  CHECK(out.text() == "\r" + bar46 + "\r\033[K[success] Hello Ann\n\r" + bar46);

  // A shorter bar line is padded over the longer one.
  sink->write(make_event("progress", progress_data("x", 100, 100, 0.0)));
  const std::string bar100 = "[##############################] 100% x";
  const std::string pad(bar46.size() - bar100.size(), ' ');
  CHECK(out.text() ==
        "\r" + bar46 + "\r\033[K[success] Hello Ann\n\r" + bar46 + "\r" + bar100 + pad);

  sink->close();
  CHECK(out.text().back() == '\n');
  const std::size_t before = out.text().size();
  sink->close();  // the second close adds nothing
  CHECK(out.text().size() == before);
}

TEST_CASE("events: console sink bar mode prints plain lines until a progress arrives",
          "[events][console]") {
  MemStream out;
  auto sink = make_console_sink(out.get(), true);
  sink->write(make_event("message", {{"context", "info"}, {"content", "start"}}));
  sink->close();
  CHECK(out.text() == "[info] start\n");
}

TEST_CASE("events: console sink shows a per-item event 5 times, then counts it",
          "[events][console]") {
  const auto run = [](bool every_event) {
    MemStream out;
    auto sink = make_console_sink(out.get(), false, every_event);
    for (int i = 1; i <= 8; ++i) {
      sink->write(make_event("export_data_file", {{"target_id", i}}));
      sink->write(make_event("message", {{"context", "info"}, {"content", std::to_string(i)}}));
    }
    sink->write(make_event("upload_data_unit", {{"id", 1}}));
    sink->write(make_event("result", {{"ok", true}}));
    sink->close();
    sink->close();  // the count is printed once
    return out.text();
  };
  std::string expected;
  for (int i = 1; i <= 8; ++i) {
    if (i <= 5)
      expected += "export_data_file {\"target_id\":" + std::to_string(i) + "}\n";
    expected += "[info] " + std::to_string(i) + "\n";  // messages are never capped
  }
  expected += "upload_data_unit {\"id\":1}\nresult {\"ok\":true}\n";
  CHECK(run(false) == expected +
                          "export_data_file: 3 more not shown (all are in the job record: synapse "
                          "jobs show <job id> --events; synapse run -v prints every event)\n");

  std::string every;
  for (int i = 1; i <= 8; ++i)
    every += "export_data_file {\"target_id\":" + std::to_string(i) + "}\n[info] " +
             std::to_string(i) + "\n";
  CHECK(run(true) == every + "upload_data_unit {\"id\":1}\nresult {\"ok\":true}\n");
}

TEST_CASE("events: console sink bar mode prints the count above the final bar",
          "[events][console]") {
  MemStream out;
  auto sink = make_console_sink(out.get(), true);
  for (int i = 0; i < 6; ++i)
    sink->write(make_event("upload_data_file", {{"n", i}}));
  sink->write(make_event("progress", progress_data("upload", 100, 100, 0.0)));
  sink->close();
  const std::string bar = "[##############################] 100% upload";
  CHECK_THAT(out.text(), Catch::EndsWith("upload_data_file {\"n\":4}\n\r" + bar +
                                         "\r\033[Kupload_data_file: 1 more not shown (all are in "
                                         "the job record: synapse jobs show <job id> --events; "
                                         "synapse run -v prints every event)\n\r" +
                                         bar + "\n"));
}

TEST_CASE("events: jsonl sink writes one parseable object per line", "[events][jsonl]") {
  MemStream out;
  auto sink = make_jsonl_sink(out.get());
  const Event a = make_event("message", {{"context", "info"}, {"content", "héllo \"x\""}});
  const Event b = make_event("progress", progress_data("greet", 40, 46, nullptr));
  sink->write(a);
  // Flushed per event: visible before the next write or close.
  CHECK(out.text() == a.to_json().dump() + "\n");
  sink->write(b);
  sink->close();

  std::istringstream lines(out.text());
  std::string line;
  std::vector<Json> parsed;
  while (std::getline(lines, line)) {
    parsed.push_back(Json::parse(line));
  }
  REQUIRE(parsed.size() == 2);
  CHECK(parsed[0] == a.to_json());
  CHECK(parsed[1] == b.to_json());
  CHECK(parsed[1]["data"]["time_remaining"].is_null());
}

TEST_CASE("events: jsonl sink replaces invalid UTF-8 instead of failing", "[events][jsonl]") {
  MemStream out;
  auto sink = make_jsonl_sink(out.get());
  sink->write(
      make_event("message", {{"context", "info"}, {"content", std::string("a\xff") + "b"}}));
  const Json parsed = Json::parse(out.text());
  CHECK(parsed["data"]["content"] ==
        "a\xEF\xBF\xBD"
        "b");
}

TEST_CASE("events: jsonl file sink truncates the file and writes lines", "[events][jsonl]") {
  TempDir dir;
  const fs::path file = dir.path / "events.jsonl";
  {
    std::ofstream old(file);
    old << "old content that must go\n";
  }
  auto sink = make_jsonl_file_sink(file);
  sink->write(make_event("result", {{"ok", true}}));
  {
    // Readable while the sink is still open (flushed per event).
    std::ifstream in(file);
    std::string line;
    REQUIRE(std::getline(in, line));
    CHECK(Json::parse(line)["data"] == Json{{"ok", true}});
  }
  sink->write(make_event("message", {{"context", "info"}, {"content", "bye"}}));
  sink->close();
  std::ifstream in(file);
  std::string first;
  std::string second;
  std::string third;
  REQUIRE(std::getline(in, first));
  REQUIRE(std::getline(in, second));
  CHECK_FALSE(std::getline(in, third));
  CHECK(Json::parse(first)["event"] == "result");
  CHECK(Json::parse(second)["data"]["content"] == "bye");
}

TEST_CASE("events: jsonl file sink reports a file it cannot open", "[events][jsonl]") {
  TempDir dir;
  const fs::path file = dir.path / "missing-dir" / "events.jsonl";
  try {
    make_jsonl_file_sink(file);
    FAIL("expected RuntimeError");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "events.open_failed");
    CHECK(e.exit_code() == ExitCode::usage);
    CHECK(e.message() ==
          "cannot open events file " + file.string() + ": No such file or directory");
  }
}

TEST_CASE("events: event bus stamps events and fans them out", "[events][bus]") {
  EventBus bus("20260102-030405-abcdef");
  CHECK(bus.job_id() == "20260102-030405-abcdef");
  auto first = std::make_shared<RecordingSink>();
  auto second = std::make_shared<RecordingSink>();
  bus.add_sink(first);
  bus.add_sink(std::static_pointer_cast<EventSink>(second));
  bus.publish("message", {{"context", "info"}, {"content", "hi"}});
  bus.publish("result", {{"ok", true}});

  REQUIRE(first->events.size() == 2);
  REQUIRE(second->events.size() == 2);
  CHECK(first->events[0].name == "message");
  CHECK(first->events[0].data["content"] == "hi");
  CHECK(first->events[0].job == "20260102-030405-abcdef");
  CHECK(std::regex_match(first->events[0].datetime,
                         std::regex(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6})")));
  CHECK(first->events[0].datetime <= first->events[1].datetime);
  CHECK(second->events[1].to_json() == first->events[1].to_json());

  bus.close();
  CHECK(first->closes == 1);
  CHECK(second->closes == 1);
  bus.publish("late", nullptr);  // after close: goes nowhere, does not crash
  CHECK(first->writes == 2);
}

TEST_CASE("events: event bus keeps going when a sink throws", "[events][bus]") {
  EventBus bus("job");
  auto before = std::make_shared<RecordingSink>();
  auto broken = std::make_shared<RecordingSink>(true);
  auto after = std::make_shared<RecordingSink>();
  bus.add_sink(before);
  bus.add_sink(broken);
  bus.add_sink(after);
  bus.add_sink(std::unique_ptr<EventSink>());  // null sinks are ignored
  bus.publish("one", {{"n", 1}});
  bus.publish("two", {{"n", 2}});
  CHECK(broken->writes == 2);
  REQUIRE(before->events.size() == 2);
  REQUIRE(after->events.size() == 2);
  CHECK(after->events[1].data["n"] == 2);
  bus.close();
  CHECK(after->closes == 1);
}

TEST_CASE("events: event bus is safe from several threads", "[events][bus]") {
  MemStream out;
  EventBus bus("job");
  bus.add_sink(make_jsonl_sink(out.get()));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&bus, t] {
      for (int i = 0; i < 50; ++i) {
        bus.publish("tick", {{"thread", t}, {"i", i}});
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  bus.close();
  std::istringstream lines(out.text());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    CHECK(Json::parse(line)["event"] == "tick");
    ++count;
  }
  CHECK(count == 200);
}

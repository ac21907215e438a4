// The job record's event sink: events reach the catalog in order through its appending thread,
// and a failed append is reported (by a later write or by close()), never lost silently.
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "action/job_recorder.hpp"
#include "catalog/catalog_factory.hpp"
#include "events/event.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using synapse::runtime::Event;
using synapse::runtime::JobRecorder;

namespace {

synapse::Job job(const std::string& id) {
  synapse::Job j;
  j.id = id;
  j.plugin = "plugin";
  j.action = "upload";
  return j;
}

Event event(int i) {
  return {"upload_data_file", {{"i", i}}, "2026-11-30 07:00:00.000000", ""};
}

}  // namespace

TEST_CASE("job recorder: events reach the job in order, across batches, by close()",
          "[job_recorder]") {
  test_support::TempDir home("job-recorder");
  auto catalog = synapse::runtime::open_catalog(home.path());
  JobRecorder recorder(*catalog, job("job-1"));
  auto sink = recorder.event_sink(std::chrono::milliseconds(60000));
  constexpr int kEvents = 1234;  // more than two batches of 500
  for (int i = 0; i < kEvents; ++i)
    sink->write(event(i));
  sink->close();

  int seen = 0;
  synapse::PageRequest page{"", 1000};
  do {
    const auto events = catalog->list_job_events("job-1", page);
    for (const auto& e : events.items) {
      CHECK(e.seq == seen + 1);
      CHECK(e.data.at("i") == seen);
      ++seen;
    }
    page.cursor = events.next_cursor;
  } while (!page.cursor.empty());
  CHECK(seen == kEvents);
}

TEST_CASE("job recorder: a failed append is reported by close()", "[job_recorder]") {
  test_support::TempDir home("job-recorder");
  auto catalog = synapse::runtime::open_catalog(home.path());
  JobRecorder recorder(*catalog, job("job-2"));
  auto sink = recorder.event_sink(std::chrono::milliseconds(60000));
  // The job disappears behind the recorder's back: its events have nowhere to go.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((home.path() / "catalog.sqlite3").c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  REQUIRE(sqlite3_exec(db, "DELETE FROM job_events; DELETE FROM jobs", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
  sqlite3_close(db);
  sink->write(event(1));
  CHECK_THROWS_WITH(sink->close(), Catch::Contains("job-2"));
  CHECK_NOTHROW(sink->close());  // reported once
}

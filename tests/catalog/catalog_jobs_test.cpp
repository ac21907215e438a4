// Jobs and their events.
#include <catch2/catch.hpp>

#include "catalog_test_util.hpp"

using nlohmann::json;
using namespace synapse;
using synapse::runtime::open_catalog;
using synapse::runtime::test::TempHome;
using synapse::runtime::test::walk_pages;

TEST_CASE("catalog: jobs: create generates an id and created_at, update replaces the run state",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  Job job;
  job.plugin = "acme-upload";
  job.action = "upload";
  job.params = {{"name", "x"}};
  auto created = catalog->create_job(job);
  CHECK(created.id.size() == 32);
  CHECK(created.created_at.size() == 24);
  CHECK(created.status == "pending");
  CHECK_FALSE(created.exit_code.has_value());

  created.status = "succeeded";
  created.progress = {{"upload", {{"percent", 100}}}};
  created.result = {{"uploaded_files", 3}};
  created.started_at = "2025-01-01T00:00:00.000Z";
  created.finished_at = "2025-01-01T00:00:05.000Z";
  created.exit_code = 0;
  created.params = {{"name", "x"}, {"steps", 2}};  // defaults applied after creation
  auto updated = catalog->update_job(created);
  CHECK(updated.status == "succeeded");
  CHECK(updated.exit_code == 0);
  CHECK(updated.params == json{{"name", "x"}, {"steps", 2}});
  auto read = catalog->get_job(created.id);
  CHECK(read.result == json{{"uploaded_files", 3}});
  CHECK(read.progress["upload"]["percent"] == 100);
  CHECK(read.finished_at == "2025-01-01T00:00:05.000Z");
  CHECK(read.error.is_null());

  Job named;
  named.id = "job-1";
  CHECK(catalog->create_job(named).id == "job-1");
  try {
    catalog->create_job(named);
    FAIL("duplicate job id accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::conflict);
    CHECK(std::string(e.what()) == "jobs: id \"job-1\" is taken");
  }
  Job missing;
  missing.id = "nope";
  CHECK_THROWS_AS(catalog->update_job(missing), CatalogError);
  CHECK_THROWS_AS(catalog->get_job("nope"), CatalogError);
}

TEST_CASE("catalog: jobs list newest first, 250 as 100, 100, 50", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  std::vector<std::string> ids;
  for (int i = 0; i < 250; ++i) {
    Job job;
    job.id = "job-" + std::to_string(i);
    ids.push_back(catalog->create_job(job).id);
  }
  auto walk = walk_pages<Job>([&](const PageRequest& r) { return catalog->list_jobs(r); });
  CHECK(walk.page_sizes == std::vector<std::size_t>{100, 100, 50});
  CHECK(walk.cursors == std::vector<std::string>{"job-150", "job-50", ""});
  REQUIRE(walk.items.size() == 250);
  CHECK(walk.items.front().id == "job-249");
  CHECK(walk.items.back().id == "job-0");
  CHECK_THROWS_AS(catalog->list_jobs({"no-such-job", 10}), CatalogError);
}

TEST_CASE("catalog: job events get consecutive seq numbers across appends and page in order",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto job = catalog->create_job(Job{});
  std::vector<JobEvent> batch;
  for (int i = 0; i < 150; ++i)
    batch.push_back({0, "progress", {{"current", i}}, ""});
  auto first = catalog->append_job_events(job.id, batch);
  REQUIRE(first.size() == 150);
  CHECK(first.front().seq == 1);
  CHECK(first.back().seq == 150);
  CHECK_FALSE(first.front().datetime.empty());
  batch.resize(100);
  batch[0] = {0, "message", {{"content", "done"}}, "2025-02-02T00:00:00.000Z"};
  auto second = catalog->append_job_events(job.id, batch);
  CHECK(second.front().seq == 151);

  auto walk = walk_pages<JobEvent>(
      [&](const PageRequest& r) { return catalog->list_job_events(job.id, r); });
  CHECK(walk.page_sizes == std::vector<std::size_t>{100, 100, 50});
  CHECK(walk.cursors == std::vector<std::string>{"100", "200", ""});
  CHECK(walk.items[150].event == "message");
  CHECK(walk.items[150].datetime == "2025-02-02T00:00:00.000Z");
  CHECK(walk.items[42].data == json{{"current", 42}});
  CHECK(catalog->list_job_events("other", {}).items.empty());

  try {
    catalog->append_job_events("ghost", batch);
    FAIL("events for a missing job accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::not_found);
    CHECK(std::string(e.what()) == "jobs \"ghost\" does not exist");
  }
}

TEST_CASE("catalog: update_job stores the resolved plugin and the defaulted params", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  Job job;
  job.plugin = "hello";
  job.params = json{{"name", "x"}};
  auto created = catalog->create_job(job);
  created.plugin = "hello@0.1.0";
  created.params = json{{"name", "x"}, {"steps", 5}};
  catalog->update_job(created);
  const auto read = catalog->get_job(created.id);
  CHECK(read.plugin == "hello@0.1.0");
  CHECK(read.params == json{{"name", "x"}, {"steps", 5}});
}

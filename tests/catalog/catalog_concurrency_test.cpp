// Several writer processes on one data home: nothing lost, nothing duplicated.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "catalog/content_store.hpp"
#include "catalog_test_util.hpp"

using nlohmann::json;
using namespace synapse;
using synapse::runtime::open_catalog;
using synapse::runtime::catalog::ContentStore;
using synapse::runtime::test::stored_files;
using synapse::runtime::test::temp_files;
using synapse::runtime::test::TempHome;
using synapse::runtime::test::walk_pages;

namespace {

constexpr int kWriters = 4;
constexpr int kItems = 200;

// One writer process: its own catalog, kItems files + units + jobs (each a separate
// transaction, so the writers interleave), and the shared content several times.
int run_writer(const std::filesystem::path& home, int writer, CatalogId collection_id) {
  try {
    auto catalog = open_catalog(home);
    for (int i = 0; i < kItems; ++i) {
      std::istringstream content("writer " + std::to_string(writer) + " item " + std::to_string(i));
      auto file = catalog->put_stream(content, "item.txt").file;
      catalog->create_data_units(collection_id,
                                 {{{{"file", file.id}}, {{"writer", writer}, {"i", i}}}});
      Job job;
      job.plugin = "writer-" + std::to_string(writer);
      auto created = catalog->create_job(job);
      catalog->append_job_events(created.id, {{0, "progress", {{"i", i}}, ""}});
      if (i % 50 == 0) {
        std::istringstream shared("the same bytes from every writer");
        catalog->put_stream(shared, "shared.txt");
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "writer %d failed: %s\n", writer, e.what());
    return 1;
  }
}

}  // namespace

TEST_CASE("catalog: 4 writer processes on one home: exact counts, shared content stored once",
          "[catalog][concurrency]") {
  TempHome home;
  CatalogId collection_id = 0;
  {
    // Created and closed before fork(): an SQLite connection must not cross a fork.
    auto catalog = open_catalog(home.path());
    DataCollection c;
    c.name = "shared";
    c.file_specifications = {{"file", "text", {}, true, ""}};
    collection_id = catalog->create_data_collection(c).id;
  }
  std::vector<pid_t> children;
  for (int writer = 0; writer < kWriters; ++writer) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
      _exit(run_writer(home.path(), writer, collection_id));
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }

  auto catalog = open_catalog(home.path());
  CHECK(catalog->count_data_units(collection_id) == kWriters * kItems);
  auto units = walk_pages<DataUnit>(
      [&](const PageRequest& r) { return catalog->list_data_units(collection_id, r); });
  std::set<std::pair<int, int>> seen;
  std::set<CatalogId> files;
  for (const auto& unit : units.items) {
    seen.insert({unit.meta["writer"].get<int>(), unit.meta["i"].get<int>()});
    files.insert(unit.files.at("file"));
  }
  CHECK(seen.size() == kWriters * kItems);
  CHECK(files.size() == kWriters * kItems);

  for (int writer = 0; writer < kWriters; ++writer) {
    for (int i = 0; i < kItems; i += 37) {
      std::istringstream probe("writer " + std::to_string(writer) + " item " + std::to_string(i));
      // put again: must find the existing row, not create one.
      CHECK_FALSE(catalog->put_stream(probe, "probe").created);
    }
  }
  std::istringstream shared("the same bytes from every writer");
  auto shared_put = catalog->put_stream(shared, "again");
  CHECK_FALSE(shared_put.created);

  // Every file once on disk: kWriters * kItems distinct items + the shared one.
  auto on_disk = stored_files(home.path());
  CHECK(on_disk.size() == kWriters * kItems + 1);
  CHECK(temp_files(home.path()).empty());
  CHECK(on_disk.front().filename().string() == ContentStore::sha256_of_file(on_disk.front()));

  auto jobs = walk_pages<Job>([&](const PageRequest& r) { return catalog->list_jobs(r); });
  CHECK(jobs.items.size() == kWriters * kItems);
  std::set<std::string> job_ids;
  std::map<std::string, int> per_plugin;
  for (const auto& job : jobs.items) {
    job_ids.insert(job.id);
    ++per_plugin[job.plugin];
    auto events = catalog->list_job_events(job.id, {});
    REQUIRE(events.items.size() == 1);
    CHECK(events.items[0].seq == 1);
  }
  CHECK(job_ids.size() == kWriters * kItems);
  CHECK(per_plugin == std::map<std::string, int>{{"writer-0", kItems},
                                                 {"writer-1", kItems},
                                                 {"writer-2", kItems},
                                                 {"writer-3", kItems}});
}

TEST_CASE("catalog: 4 processes opening a brand-new home at once all migrate it safely",
          "[catalog][concurrency]") {
  TempHome home;
  std::vector<pid_t> children;
  for (int writer = 0; writer < kWriters; ++writer) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      try {
        auto catalog = open_catalog(home.path());
        catalog->create_storage({0, "s" + std::to_string(writer), "local", json::object()});
        _exit(0);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "opener %d failed: %s\n", writer, e.what());
        _exit(1);
      }
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  auto catalog = open_catalog(home.path());
  auto storages = catalog->list_storages({});
  REQUIRE(storages.items.size() == kWriters);
  std::set<std::string> names;
  for (const auto& s : storages.items)
    names.insert(s.name);
  CHECK(names == std::set<std::string>{"s0", "s1", "s2", "s3"});
}

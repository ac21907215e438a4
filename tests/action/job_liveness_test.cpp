// Job liveness: a run's lock tells `synapse jobs` whether the run is alive; a record left
// running by a dead run is settled as failed (run.abandoned), a live or finished one never is.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "action/job_liveness.hpp"
#include "catalog/catalog_factory.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using synapse::runtime::JobLivenessLock;
using synapse::runtime::settle_abandoned_job;

namespace {

synapse::Job running_job(synapse::Catalog& catalog, const std::string& id) {
  synapse::Job job;
  job.id = id;
  job.plugin = "hello@0.1.0";
  job.action = "greet";
  job = catalog.create_job(job);
  job.status = "running";
  return catalog.update_job(job);
}

fs::path lock_file(const test_support::TempDir& home, const std::string& id) {
  return home.path() / "running" / (id + ".lock");
}

}  // namespace

TEST_CASE("job liveness: a held lock keeps the job running, its release removes the file",
          "[job_liveness]") {
  test_support::TempDir home("liveness-held");
  auto catalog = synapse::runtime::open_catalog(home.path());
  const auto job = running_job(*catalog, "alive");
  {
    const JobLivenessLock lock(home.path(), "alive");
    REQUIRE(lock.held());
    CHECK(fs::exists(lock_file(home, "alive")));
    CHECK(settle_abandoned_job(*catalog, home.path(), job).status == "running");
    CHECK(catalog->get_job("alive").status == "running");
  }
  CHECK_FALSE(fs::exists(lock_file(home, "alive")));
  // No lock file (an older synapse, or a run that just ended): liveness unknown, left alone.
  CHECK(settle_abandoned_job(*catalog, home.path(), job).status == "running");
}

TEST_CASE("job liveness: an unheld lock file marks a running or pending job abandoned",
          "[job_liveness]") {
  test_support::TempDir home("liveness-dead");
  auto catalog = synapse::runtime::open_catalog(home.path());
  for (const std::string status : {"running", "pending"}) {
    INFO(status);
    auto job = running_job(*catalog, "dead-" + status);
    job.status = status;
    job = catalog->update_job(job);
    // What a killed run leaves: the file, no lock (the kernel released it with the process).
    fs::create_directories(lock_file(home, job.id).parent_path());
    std::ofstream(lock_file(home, job.id)).put('\n');

    const auto settled = settle_abandoned_job(*catalog, home.path(), job);
    CHECK(settled.status == "failed");
    CHECK(settled.error["id"] == "run.abandoned");
    CHECK_FALSE(settled.finished_at.empty());
    CHECK(catalog->get_job(job.id).status == "failed");
    CHECK_FALSE(fs::exists(lock_file(home, job.id)));
  }
}

TEST_CASE("job liveness: a job that finished meanwhile keeps its own final status",
          "[job_liveness]") {
  test_support::TempDir home("liveness-finished");
  auto catalog = synapse::runtime::open_catalog(home.path());
  auto stale = running_job(*catalog, "done");  // what a reader saw before the run ended
  auto finished = stale;
  finished.status = "succeeded";
  finished.exit_code = 0;
  catalog->update_job(finished);
  fs::create_directories(lock_file(home, "done").parent_path());
  std::ofstream(lock_file(home, "done")).put('\n');

  CHECK(settle_abandoned_job(*catalog, home.path(), stale).status == "succeeded");
  CHECK(catalog->get_job("done").status == "succeeded");
  // Settled jobs and jobs not running are never touched.
  CHECK(settle_abandoned_job(*catalog, home.path(), catalog->get_job("done")).status ==
        "succeeded");
}

TEST_CASE("job liveness: a lock held by another process is alive", "[job_liveness]") {
  test_support::TempDir home("liveness-other");
  auto catalog = synapse::runtime::open_catalog(home.path());
  const auto job = running_job(*catalog, "other");
  fs::create_directories(lock_file(home, "other").parent_path());
  int ready[2];
  int release[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(release) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // holds the lock until its end of `release` reads end-of-file
    ::close(release[1]);
    ::close(ready[0]);
    const int fd = ::open(lock_file(home, "other").c_str(), O_RDWR | O_CREAT, 0644);
    const bool locked = fd >= 0 && ::flock(fd, LOCK_EX) == 0;
    char c = locked ? 'y' : 'n';
    (void)!::write(ready[1], &c, 1);
    (void)!::read(release[0], &c, 1);
    ::_exit(0);
  }
  ::close(ready[1]);
  ::close(release[0]);
  char c = 0;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  REQUIRE(c == 'y');
  CHECK(settle_abandoned_job(*catalog, home.path(), job).status == "running");
  CHECK(fs::exists(lock_file(home, "other")));
  ::close(release[1]);  // the child exits: its lock goes with it, its file stays
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(settle_abandoned_job(*catalog, home.path(), job).status == "failed");
  ::close(ready[0]);
}

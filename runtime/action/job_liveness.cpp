#include "action/job_liveness.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <spdlog/spdlog.h>

#include "common/clock.hpp"

namespace synapse::runtime {

namespace {

std::filesystem::path lock_file(const std::filesystem::path& data_home, const std::string& id) {
  return data_home / "running" / (id + ".lock");
}

}  // namespace

JobLivenessLock::JobLivenessLock(const std::filesystem::path& data_home,
                                 const std::string& job_id) {
  if (data_home.empty())
    return;
  file_ = lock_file(data_home, job_id);
  std::error_code error;
  std::filesystem::create_directories(file_.parent_path(), error);
  UniqueFd fd(::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!fd || ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    spdlog::debug("job {}: no liveness lock at {}: {}", job_id, file_.string(),
                  std::strerror(errno));
    return;
  }
  fd_ = std::move(fd);
}

JobLivenessLock::~JobLivenessLock() {
  if (fd_)
    ::unlink(file_.c_str());  // before the lock goes: nobody can find an unlocked file of ours
}

synapse::Job settle_abandoned_job(synapse::Catalog& catalog, const std::filesystem::path& data_home,
                                  synapse::Job job) {
  if ((job.status != "running" && job.status != "pending") || data_home.empty())
    return job;
  const auto file = lock_file(data_home, job.id);
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd)
    return job;  // no lock file: a synapse without liveness locks runs it, or it just ended
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0)
    return job;  // its run holds the lock: alive
  // We hold the lock, so its run is gone; it saved its final status before letting go, so a
  // record still "running" (or "pending": killed while loading the plugin) was abandoned.
  synapse::Job current;
  try {
    current = catalog.get_job(job.id);
    if (current.status == "running" || current.status == "pending") {
      current.status = "failed";
      current.finished_at = now_iso8601();
      current.error = {{"id", "run.abandoned"},
                       {"message",
                        "the synapse process running this job ended without finishing it "
                        "(killed or crashed); what it did before is in its events"},
                       {"details", nlohmann::json::array()}};
      current = catalog.update_job(current);
    }
  } catch (const synapse::CatalogError& e) {
    // A read-only catalog, say: the record is shown as it is, settled by a later look.
    spdlog::debug("job {}: abandoned, but its record could not be updated: {}", job.id, e.what());
    return job;
  }
  ::unlink(file.c_str());
  return current;
}

}  // namespace synapse::runtime

#include "action/job_liveness.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <spdlog/spdlog.h>

#include "common/clock.hpp"
#include "common/owner_lock.hpp"

namespace synapse::runtime {

namespace {

std::filesystem::path lock_file(const std::filesystem::path& data_home, const std::string& id) {
  return data_home / "running" / (id + ".lock");
}

// Not finished, as far as the record says.
bool unfinished(const synapse::Job& job) {
  return job.status == "running" || job.status == "pending";
}

}  // namespace

JobLivenessLock::JobLivenessLock(const std::filesystem::path& data_home,
                                 const std::string& job_id) {
  if (data_home.empty())
    return;
  file_ = lock_file(data_home, job_id);
  std::error_code error;
  std::filesystem::create_directories(file_.parent_path(), error);
  fd_ = try_lock_exclusive(file_, O_RDWR | O_CREAT | O_NOFOLLOW, 0644);
  if (!fd_)
    spdlog::debug("job {}: no liveness lock at {}: {}", job_id, file_.string(),
                  std::strerror(errno));
}

JobLivenessLock::~JobLivenessLock() {
  if (fd_)
    ::unlink(file_.c_str());  // before the lock goes: nobody can find an unlocked file of ours
}

synapse::Job settle_abandoned_job(synapse::Catalog& catalog, const std::filesystem::path& data_home,
                                  synapse::Job job) {
  if (!unfinished(job) || data_home.empty())
    return job;
  const auto file = lock_file(data_home, job.id);
  // Not taken: its run holds the lock (alive), or there is no lock file (a synapse without
  // liveness locks runs it, or it just ended).
  const UniqueFd lock = try_lock_exclusive(file, O_RDONLY | O_NOFOLLOW);
  if (!lock)
    return job;
  // We hold the lock, so its run is gone; it saved its final status before letting go, so a
  // record still "running" (or "pending": killed while loading the plugin) was abandoned.
  synapse::Job current;
  try {
    current = catalog.get_job(job.id);
    if (unfinished(current)) {
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

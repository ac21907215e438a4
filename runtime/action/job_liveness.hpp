// Whether the process running a job is still alive, so that a job left "running" by a synapse
// that was killed (kill -9, the OOM killer, a power cut) is not shown as running for ever.
//
// The run holds an exclusive flock on <data home>/running/<job id>.lock for its whole life and
// removes the file after the job's final status is saved. The kernel drops the lock when the
// process dies, however it dies: a lock file that can be locked by someone else belongs to a
// run that ended without finishing. Process ids are not used (they are reused).
#pragma once

#include <filesystem>
#include <string>

#include <synapse/catalog.hpp>

#include "common/unique_fd.hpp"

namespace synapse::runtime {

class JobLivenessLock {
 public:
  // Takes the job's lock; an empty `data_home` or a failure leaves it not held (the job's
  // liveness is then unknown to others, which is reported at debug level and never fails a run).
  JobLivenessLock(const std::filesystem::path& data_home, const std::string& job_id);
  ~JobLivenessLock();  // removes the lock file, then releases the lock
  JobLivenessLock(const JobLivenessLock&) = delete;
  JobLivenessLock& operator=(const JobLivenessLock&) = delete;

  bool held() const { return static_cast<bool>(fd_); }

 private:
  std::filesystem::path file_;
  UniqueFd fd_;
};

// For a job whose record says "running" or "pending": when its lock file exists and nobody holds
// it, marks the record failed with error run.abandoned (re-reading it under the lock first, so a
// run that finished meanwhile is left alone), removes the lock file and returns the updated record.
// Otherwise returns `job` unchanged (alive, or liveness unknown).
synapse::Job settle_abandoned_job(synapse::Catalog& catalog, const std::filesystem::path& data_home,
                                  synapse::Job job);

}  // namespace synapse::runtime

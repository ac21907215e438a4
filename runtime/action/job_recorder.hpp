// JobRecorder: the persistent record of one run, kept in the catalog (jobs + job_events). The
// record is created before anything can fail, so every run, even one whose config does not
// parse, has one; events are batched into the catalog by a sink (one transaction per batch, not
// per event) and flushed at least every `flush_interval` and at the end of the run.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <synapse/catalog.hpp>

#include "events/event.hpp"

namespace synapse::runtime {

// "20261129-193012-5f3a9c": sortable by time, random suffix.
std::string new_job_id();
// Job ids: 1..100 characters of [A-Za-z0-9_-] (the agent's rule).
bool is_valid_job_id(const std::string& id);

class JobRecorder {
 public:
  // Creates the job row. Throws RuntimeError run.bad_job_id / run.job_exists (exit 2).
  JobRecorder(synapse::Catalog& catalog, synapse::Job job);

  synapse::Job& job() { return job_; }
  // Writes the job's current fields (status, progress, metrics, result, ...).
  void save();
  // A sink that appends the run's events to the job; flush it with EventBus::close().
  std::shared_ptr<EventSink> event_sink(
      std::chrono::milliseconds flush_interval = std::chrono::milliseconds(250));

 private:
  synapse::Catalog& catalog_;
  synapse::Job job_;
};

}  // namespace synapse::runtime

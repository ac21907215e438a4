// JobStore: the persistent record of every run, under <data home>/jobs/ (a later issue moves it
// into the catalog). Per job: <id>.json (status, timestamps, progress, metrics, result, error),
// rewritten atomically (temporary file + rename) on every change, and <id>.events.jsonl, the
// run's events appended one per line.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/event.hpp"

namespace synapse::runtime {

struct JobRecord {
  std::string id;
  std::string plugin;  // code@version
  std::string action;
  std::string status;  // pending running succeeded failed cancelled
  std::string created_at;
  std::string started_at;
  std::string finished_at;
  int exit_code = -1;
  nlohmann::json params = nlohmann::json::object();
  nlohmann::json progress = nlohmann::json::object();  // {record, current_progress}
  nlohmann::json metrics = nlohmann::json::object();   // {record}
  nlohmann::json result;                               // null until finished
  nlohmann::json error;                                // null or {id, message, details}

  nlohmann::json to_json() const;
  // Missing fields keep their defaults; a wrong type, an invalid id or an unknown status
  // throws RuntimeError "jobs.corrupt" (exit 1).
  static JobRecord from_json(const nlohmann::json& j);
};

// "20261129-193012-5f3a9c": sortable by time, random suffix.
std::string new_job_id();
// Job ids: 1..100 characters of [A-Za-z0-9_-] (the agent's rule).
bool is_valid_job_id(const std::string& id);

class JobStore {
 public:
  explicit JobStore(std::filesystem::path data_home);

  // Throws RuntimeError "jobs.write_failed" (exit 4) when the record cannot be written,
  // "jobs.invalid_id" (exit 2) when record.id is not a valid job id.
  void save(const JobRecord& record) const;
  // nullopt when there is no such job (an invalid id never names one). Throws RuntimeError
  // "jobs.corrupt" (exit 1) naming the file when it does not hold a valid record.
  std::optional<JobRecord> load(const std::string& id) const;
  // Newest first (created_at, then id). A corrupt record throws as load() does.
  std::vector<JobRecord> list() const;
  // The recorded events, in order; empty when none. A truncated last line (being written) is
  // skipped; any other unparseable line throws "jobs.corrupt" naming file:line.
  std::vector<nlohmann::json> events(const std::string& id) const;
  bool exists(const std::string& id) const;

  // A sink that appends every event to <id>.events.jsonl (flushed per event). Throws
  // "jobs.write_failed" when the file cannot be opened, "jobs.invalid_id" for a bad id.
  std::shared_ptr<EventSink> event_sink(const std::string& id) const;

  const std::filesystem::path& directory() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace synapse::runtime

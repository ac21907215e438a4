// run_action: design.md §4 for one action — resolve the plugin and its config, validate the
// params (defaults applied, every error listed), create the job record, load the library, run,
// and record the outcome. Never throws for a plugin's failure: the outcome says how it ended.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/exit_code.hpp"
#include "config/runtime_config.hpp"
#include "events/event.hpp"

namespace synapse {
class Catalog;
}

namespace synapse::runtime {

struct RunRequest {
  std::string plugin;  // plugin folder or code
  std::string action;
  nlohmann::json params = nlohmann::json::object();
  std::string job_id;  // empty: a new id
  // --dry-run: only an upload plugin's `upload` action supports it (params.dry_run = true).
  bool dry_run = false;
};

struct RunOutcome {
  ExitCode exit_code = ExitCode::success;
  std::string job_id;
  std::string status;     // succeeded failed cancelled
  nlohmann::json result;  // the action's result, or null
  nlohmann::json error;   // null, or {id, message, details}
};

// `sinks` receive every event of the run, in addition to the job record's own event log in the
// catalog. Throws only when no job record can be made at all: RuntimeError "run.bad_job_id",
// "run.job_exists", or the catalog's own CatalogError.
RunOutcome run_action(const RuntimeConfig& config, synapse::Catalog& catalog,
                      const RunRequest& request,
                      const std::vector<std::shared_ptr<EventSink>>& sinks);

}  // namespace synapse::runtime

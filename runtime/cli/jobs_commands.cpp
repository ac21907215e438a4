// `synapse jobs list [--json]`, `synapse jobs show <id> [--events]`
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_context.hpp"
#include "common/runtime_error.hpp"
#include "events/job_store.hpp"

namespace synapse::runtime::cli {

namespace {

int list_jobs(CliContext& context, bool as_json) {
  JobStore store(context.config().data_home);
  const auto jobs = store.list();
  if (as_json) {
    auto out = nlohmann::json::array();
    for (const auto& job : jobs)
      out.push_back(job.to_json());
    print_json(out);
    return 0;
  }
  std::printf("%-24s %-10s %-22s %-14s %s\n", "ID", "STATUS", "PLUGIN", "ACTION", "CREATED");
  for (const auto& job : jobs) {
    std::printf("%-24s %-10s %-22s %-14s %s\n", job.id.c_str(), job.status.c_str(),
                job.plugin.c_str(), job.action.c_str(), job.created_at.c_str());
  }
  if (jobs.empty())
    std::fprintf(stderr, "no jobs in %s\n", store.directory().c_str());
  return 0;
}

int show_job(CliContext& context, const std::string& id, bool with_events) {
  JobStore store(context.config().data_home);
  const auto job = store.load(id);
  if (!job) {
    throw RuntimeError(ExitCode::usage, "jobs.not_found",
                       "no job '" + id + "' in " + store.directory().string());
  }
  auto out = job->to_json();
  const auto events = store.events(id);
  out["event_count"] = events.size();
  if (with_events)
    out["events"] = events;
  print_json(out);
  return 0;
}

}  // namespace

void add_jobs_commands(CLI::App& app, CliContext& context, int& exit_code) {
  auto* jobs = app.add_subcommand("jobs", "Job records of past and running runs");
  jobs->require_subcommand(1);

  auto list_json = std::make_shared<bool>(false);
  auto* list = jobs->add_subcommand("list", "List job records, newest first");
  list->add_flag("--json", *list_json, "print JSON");
  list->callback([&, list_json] { exit_code = list_jobs(context, *list_json); });

  auto id = std::make_shared<std::string>();
  auto with_events = std::make_shared<bool>(false);
  auto* show = jobs->add_subcommand("show", "Show one job record");
  show->add_option("id", *id, "job id")->required();
  show->add_flag("--events", *with_events, "include the job's events");
  show->callback([&, id, with_events] { exit_code = show_job(context, *id, *with_events); });
}

}  // namespace synapse::runtime::cli

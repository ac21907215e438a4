// `synapse jobs list [--json]`, `synapse jobs show <id> [--events]`: job records in the catalog.
// A job left running by a synapse that was killed is marked failed (run.abandoned) when seen.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "action/job_liveness.hpp"
#include "cli/cli_context.hpp"
#include "cli/record_json.hpp"
#include "common/runtime_error.hpp"

namespace synapse::runtime::cli {

namespace {

int list_jobs(CliContext& context, bool as_json, std::size_t limit) {
  auto& catalog = context.catalog();
  auto page = catalog.list_jobs({"", limit});
  for (auto& job : page.items)
    job = settle_abandoned_job(catalog, context.config().data_home, std::move(job));
  if (as_json) {
    auto out = nlohmann::json::array();
    for (const auto& job : page.items)
      out.push_back(to_json(job));
    print_json(out);
    return 0;
  }
  std::printf("%-24s %-10s %-22s %-14s %s\n", "ID", "STATUS", "PLUGIN", "ACTION", "CREATED");
  for (const auto& job : page.items) {
    std::printf("%-24s %-10s %-22s %-14s %s\n", job.id.c_str(), job.status.c_str(),
                job.plugin.c_str(), job.action.c_str(), job.created_at.c_str());
  }
  if (page.items.empty())
    std::fprintf(stderr, "no jobs in %s\n", context.config().data_home.c_str());
  return 0;
}

int show_job(CliContext& context, const std::string& id, bool with_events) {
  auto& catalog = context.catalog();
  synapse::Job job;
  try {
    job = settle_abandoned_job(catalog, context.config().data_home, catalog.get_job(id));
  } catch (const synapse::CatalogError& e) {
    if (e.kind() != synapse::CatalogError::Kind::not_found)
      throw;
    throw RuntimeError(ExitCode::usage, "jobs.not_found",
                       "no job '" + id + "' in " + context.config().data_home.string());
  }
  auto out = to_json(job);
  auto events = nlohmann::json::array();
  std::size_t count = 0;
  synapse::PageRequest page{"", 1000};
  do {
    auto batch = catalog.list_job_events(id, page);
    count += batch.items.size();
    if (with_events) {
      for (const auto& e : batch.items)
        events.push_back(to_json(e));
    }
    page.cursor = batch.next_cursor;
  } while (!page.cursor.empty());
  out["event_count"] = count;
  if (with_events)
    out["events"] = std::move(events);
  print_json(out);
  return 0;
}

}  // namespace

void add_jobs_commands(CLI::App& app, CliContext& context, int& exit_code) {
  auto* jobs = app.add_subcommand("jobs", "Job records of past and running runs");
  jobs->require_subcommand(1);

  auto list_json = std::make_shared<bool>(false);
  auto limit = std::make_shared<std::size_t>(50);
  auto* list = jobs->add_subcommand("list", "List job records, newest first");
  list->add_flag("--json", *list_json, "print JSON");
  list->add_option("--limit", *limit, "at most this many (default 50)");
  list->callback([&, list_json, limit] { exit_code = list_jobs(context, *list_json, *limit); });

  auto id = std::make_shared<std::string>();
  auto with_events = std::make_shared<bool>(false);
  auto* show = jobs->add_subcommand("show", "Show one job record");
  show->add_option("id", *id, "job id")->required();
  show->add_flag("--events", *with_events, "include the job's events");
  show->callback([&, id, with_events] { exit_code = show_job(context, *id, *with_events); });
}

}  // namespace synapse::runtime::cli

// `synapse annotations import`: annotation files (docs/annotation-format.md) into the catalog,
// onto tasks, assignments or ground truth. The work is in runtime/annotations/; this file
// reads the options and prints the summary (a line, or JSON with --json).
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "action/catalog_names.hpp"
#include "annotations/annotation_import.hpp"
#include "cli/cli_context.hpp"
#include "common/runtime_error.hpp"

namespace synapse::runtime::cli {

namespace {

namespace ann = synapse::runtime::annotations;

struct ImportArguments {
  std::string collection;
  std::string project;
  std::string target = "task";
  std::string version;
  bool dry_run = false;
  bool as_json = false;
  std::vector<std::string> inputs;
};

// A collection named by id ("3") or by name ("sample-images").
synapse::CatalogId collection_id(synapse::Catalog& catalog, const std::string& key) {
  if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos)
    return catalog.get_data_collection(std::stoll(key)).id;
  if (auto found = catalog.find_data_collection(key))
    return found->id;
  throw RuntimeError(ExitCode::usage, "catalog.not_found",
                     "no data collection with id or name '" + key + "'");
}

// A project named by id ("2") or by name ("sample-labeling"); names are not unique, so two
// projects of the same name make the name ambiguous.
synapse::CatalogId project_id(synapse::Catalog& catalog, const std::string& key) {
  if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos)
    return catalog.get_project(std::stoll(key)).id;
  const auto ids = find_ids_by_name(catalog, CatalogRecord::project, key);
  if (ids.size() == 1)
    return ids.front();
  if (ids.empty()) {
    throw RuntimeError(ExitCode::usage, "catalog.not_found",
                       "--project: no project with id or name '" + key + "'");
  }
  throw RuntimeError(ExitCode::usage, "catalog.ambiguous_name",
                     "--project: " + std::to_string(ids.size()) + " projects are named '" + key +
                         "'; give the id");
}

nlohmann::json summary_json(const ann::ImportOptions& options, const ann::ImportSummary& summary) {
  nlohmann::json out = {
      {"target", ann::target_name(options.target)},
      {"data_collection", options.collection_id},
      {"project", options.project_id ? nlohmann::json(*options.project_id) : nlohmann::json()},
      {"dataset_version", options.dataset_version.empty()
                              ? nlohmann::json()
                              : nlohmann::json(options.dataset_version)},
      {"dry_run", options.dry_run},
      {"files", summary.files},
      {"data_units", summary.data_units},
      {"created", summary.created},
      {"updated", summary.updated},
      {"tasks_created", summary.tasks_created},
  };
  if (options.dry_run) {  // nothing was written: there is nothing to count
    out["created"] = nullptr;
    out["updated"] = nullptr;
    out["tasks_created"] = nullptr;
  }
  return out;
}

void print_summary(const ann::ImportOptions& options, const ann::ImportSummary& summary) {
  if (options.dry_run) {
    std::cout << "checked " << summary.files << " annotation file(s): each names one of "
              << summary.data_units << " data unit(s) of data collection " << options.collection_id
              << " (dry run: nothing written)\n";
    return;
  }
  std::cout << "imported " << summary.files << " annotation file(s) onto " << summary.data_units
            << " data unit(s) of data collection " << options.collection_id << ": ";
  switch (options.target) {
    case ann::ImportTarget::task:
      std::cout << "tasks of project " << *options.project_id;
      break;
    case ann::ImportTarget::assignment:
      std::cout << "assignments of project " << *options.project_id;
      break;
    case ann::ImportTarget::ground_truth:
      std::cout << "ground truth version '" << options.dataset_version << "'";
      break;
  }
  std::cout << ", " << summary.created << " created, " << summary.updated << " updated";
  if (options.target == ann::ImportTarget::assignment)
    std::cout << " (" << summary.tasks_created << " task(s) created for them)";
  std::cout << "\n";
}

int import_command(CliContext& context, const ImportArguments& args) {
  auto& catalog = context.catalog();
  ann::ImportOptions options;
  options.collection_id = collection_id(catalog, args.collection);
  if (!args.project.empty())
    options.project_id = project_id(catalog, args.project);
  options.target = *ann::parse_target(args.target);  // CLI11 checked the name
  options.dataset_version = args.version;
  options.dry_run = args.dry_run;
  options.inputs.assign(args.inputs.begin(), args.inputs.end());
  const auto summary = ann::import_annotations(catalog, options);
  if (args.as_json)
    print_json(summary_json(options, summary));
  else
    print_summary(options, summary);
  return 0;
}

}  // namespace

void add_annotations_commands(CLI::App& app, CliContext& context, int& exit_code) {
  auto* group = app.add_subcommand("annotations", "Annotations of data units");
  group->require_subcommand(1);
  auto args = std::make_shared<ImportArguments>();
  auto* import = group->add_subcommand(
      "import",
      "Import annotation files (docs/annotation-format.md) onto tasks, assignments or ground "
      "truth. Every file is checked first: one bad file and nothing is written.");
  import->add_option("--collection", args->collection, "data collection (id or name)")->required();
  import->add_option("--project", args->project,
                     "project (id or name); required for --target task and assignment");
  import
      ->add_option("--target", args->target,
                   "what holds the annotation: task (default), assignment or ground_truth")
      ->check(CLI::IsMember({"task", "assignment", "ground_truth"}));
  import->add_option("--version", args->version,
                     "ground truth dataset version (required for --target ground_truth)");
  import->add_flag("--dry-run", args->dry_run, "check the files and resolve their units only");
  import->add_flag("--json", args->as_json, "print the summary as JSON");
  import
      ->add_option("inputs", args->inputs,
                   "annotation files, or folders (every *.json below them, sorted)")
      ->required();
  import->callback([&, args] { exit_code = import_command(context, *args);
});
}  // namespace synapse::runtime::cli

}  // namespace synapse::runtime::cli

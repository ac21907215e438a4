// Catalog commands of the operator: `catalog init`, `collection create|list|show`,
// `project create|list`, `data-units list`. Each prints a table, or JSON with --json.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "admin/collection_file.hpp"
#include "cli/cli_context.hpp"
#include "cli/record_json.hpp"
#include "common/runtime_error.hpp"
#include "common/text.hpp"

namespace synapse::runtime::cli {

namespace {

// A collection named by id ("3") or by name ("sample-images").
synapse::DataCollection find_collection(synapse::Catalog& catalog, const std::string& key) {
  if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos) {
    return catalog.get_data_collection(std::stoll(key));
  }
  if (auto found = catalog.find_data_collection(key))
    return *found;
  throw RuntimeError(ExitCode::usage, "catalog.not_found",
                     "no data collection with id or name '" + key + "'");
}

void print_collection_line(const synapse::DataCollection& c) {
  std::vector<std::string> specs;
  for (const auto& s : c.file_specifications)
    specs.push_back(s.name + (s.is_required ? "*" : ""));
  std::printf("%-6lld %-24s %s\n", static_cast<long long>(c.id), c.name.c_str(),
              join(specs, ",").c_str());
}

int catalog_init(CliContext& context, bool as_json) {
  context.catalog();  // opening creates the database, the file store and migrates the schema
  const auto& home = context.config().data_home;
  const nlohmann::json out = {{"data_home", home.string()},
                              {"catalog", (home / "catalog.sqlite3").string()},
                              {"files", (home / "files").string()}};
  if (as_json) {
    print_json(out);
  } else {
    std::cout << "catalog ready in " << home.string() << "\n";
  }
  return 0;
}

int collection_create(CliContext& context, const std::string& file, bool as_json) {
  const auto created = context.catalog().create_data_collection(read_collection_file(file));
  if (as_json) {
    print_json(to_json(created));
  } else {
    std::cout << "created data collection " << created.id << " '" << created.name << "' with "
              << created.file_specifications.size() << " file specification(s)\n";
  }
  return 0;
}

int collection_list(CliContext& context, bool as_json) {
  auto& catalog = context.catalog();
  auto out = nlohmann::json::array();
  if (!as_json)
    std::printf("%-6s %-24s %s\n", "ID", "NAME", "SPECIFICATIONS (* required)");
  synapse::PageRequest page;
  do {
    auto batch = catalog.list_data_collections(page);
    for (const auto& c : batch.items) {
      if (as_json) {
        out.push_back(to_json(c));
      } else {
        print_collection_line(c);
      }
    }
    page.cursor = batch.next_cursor;
  } while (!page.cursor.empty());
  if (as_json)
    print_json(out);
  return 0;
}

int project_list(CliContext& context, bool as_json) {
  auto& catalog = context.catalog();
  auto out = nlohmann::json::array();
  if (!as_json)
    std::printf("%-6s %-24s %s\n", "ID", "NAME", "COLLECTION");
  synapse::PageRequest page;
  do {
    auto batch = catalog.list_projects(page);
    for (const auto& p : batch.items) {
      if (as_json) {
        out.push_back(to_json(p));
      } else {
        std::printf("%-6lld %-24s %s\n", static_cast<long long>(p.id), p.name.c_str(),
                    p.collection_id ? std::to_string(*p.collection_id).c_str() : "-");
      }
    }
    page.cursor = batch.next_cursor;
  } while (!page.cursor.empty());
  if (as_json)
    print_json(out);
  return 0;
}

int collection_show(CliContext& context, const std::string& key, bool as_json) {
  auto& catalog = context.catalog();
  const auto collection = find_collection(catalog, key);
  auto out = to_json(collection);
  out["data_units"] = catalog.count_data_units(collection.id);
  if (as_json) {
    print_json(out);
    return 0;
  }
  std::cout << "data collection " << collection.id << " '" << collection.name << "'\n";
  if (!collection.description.empty())
    std::cout << "  " << collection.description << "\n";
  for (const auto& s : collection.file_specifications) {
    std::cout << "  " << s.name << ": " << s.file_type << " [" << join(s.extensions) << "]"
              << (s.is_required ? " required" : " optional") << "\n";
  }
  std::cout << "  data units: " << out["data_units"] << "\n";
  return 0;
}

struct ProjectOptions {
  std::string name;
  std::string description;
  std::string collection;
  bool as_json = false;
};

int project_create(CliContext& context, const ProjectOptions& options) {
  auto& catalog = context.catalog();
  synapse::Project project;
  project.name = options.name;
  project.description = options.description;
  if (!options.collection.empty())
    project.collection_id = find_collection(catalog, options.collection).id;
  const auto created = catalog.create_project(project);
  if (options.as_json) {
    print_json(to_json(created));
  } else {
    std::cout << "created project " << created.id << " '" << created.name << "'\n";
  }
  return 0;
}

struct UnitListOptions {
  std::string collection;
  std::size_t limit = 100;
  std::string cursor;
  bool as_json = false;
};

int data_units_list(CliContext& context, const UnitListOptions& options) {
  auto& catalog = context.catalog();
  const auto collection = find_collection(catalog, options.collection);
  const auto page = catalog.list_data_units(collection.id, {options.cursor, options.limit});
  if (options.as_json) {
    auto items = nlohmann::json::array();
    for (const auto& u : page.items)
      items.push_back(to_json(u));
    print_json({{"items", items}, {"next_cursor", page.next_cursor}});
    return 0;
  }
  std::printf("%-8s %-28s %s\n", "ID", "FILES (spec=data file id)", "META");
  for (const auto& u : page.items) {
    std::vector<std::string> files;
    for (const auto& [spec, id] : u.files)
      files.push_back(spec + "=" + std::to_string(id));
    // The meta on one line, cut to keep the table readable (--json has it whole).
    std::string meta = u.meta.dump();
    if (meta.size() > 100)
      meta = meta.substr(0, 97) + "...";
    std::printf("%-8lld %-28s %s\n", static_cast<long long>(u.id), join(files, " ").c_str(),
                meta.c_str());
  }
  if (!page.next_cursor.empty())
    std::cerr << "more: --cursor " << page.next_cursor << "\n";
  return 0;
}

}  // namespace

void add_catalog_commands(CLI::App& app, CliContext& context, int& exit_code) {
  auto* catalog = app.add_subcommand("catalog", "The embedded catalog of the data home");
  catalog->require_subcommand(1);
  auto init_json = std::make_shared<bool>(false);
  auto* init = catalog->add_subcommand("init", "Create (or migrate) the catalog");
  init->add_flag("--json", *init_json, "print JSON");
  init->callback([&, init_json] { exit_code = catalog_init(context, *init_json); });

  auto* collection = app.add_subcommand("collection", "Data collections");
  collection->require_subcommand(1);
  auto from = std::make_shared<std::string>();
  auto create_json = std::make_shared<bool>(false);
  auto* create = collection->add_subcommand("create", "Create a data collection from YAML");
  create->add_option("--from", *from, "collection.yaml (name + file specifications)")->required();
  create->add_flag("--json", *create_json, "print JSON");
  create->callback(
      [&, from, create_json] { exit_code = collection_create(context, *from, *create_json); });
  auto list_json = std::make_shared<bool>(false);
  auto* list = collection->add_subcommand("list", "List data collections");
  list->add_flag("--json", *list_json, "print JSON");
  list->callback([&, list_json] { exit_code = collection_list(context, *list_json); });
  auto key = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  auto* show = collection->add_subcommand("show", "Show a data collection");
  show->add_option("collection", *key, "id or name")->required();
  show->add_flag("--json", *show_json, "print JSON");
  show->callback([&, key, show_json] { exit_code = collection_show(context, *key, *show_json); });

  auto* project = app.add_subcommand("project", "Projects");
  project->require_subcommand(1);
  auto project_options = std::make_shared<ProjectOptions>();
  auto* project_create_cmd = project->add_subcommand("create", "Create a project");
  project_create_cmd->add_option("--name", project_options->name, "project name")->required();
  project_create_cmd->add_option("--description", project_options->description);
  project_create_cmd->add_option("--collection", project_options->collection,
                                 "data collection (id or name)");
  project_create_cmd->add_flag("--json", project_options->as_json, "print JSON");
  project_create_cmd->callback(
      [&, project_options] { exit_code = project_create(context, *project_options); });
  auto project_list_json = std::make_shared<bool>(false);
  auto* project_list_cmd = project->add_subcommand("list", "List projects");
  project_list_cmd->add_flag("--json", *project_list_json, "print JSON");
  project_list_cmd->callback(
      [&, project_list_json] { exit_code = project_list(context, *project_list_json); });

  auto* units = app.add_subcommand("data-units", "Data units");
  units->require_subcommand(1);
  auto unit_options = std::make_shared<UnitListOptions>();
  auto* units_list =
      units->add_subcommand("list", "List a collection's data units, a page at a time");
  units_list->add_option("--collection", unit_options->collection, "id or name")->required();
  units_list->add_option("--limit", unit_options->limit, "page size (default 100, at most 1000)");
  units_list->add_option("--cursor", unit_options->cursor, "next_cursor of the previous page");
  units_list->add_flag("--json", unit_options->as_json, "print JSON");
  units_list->callback([&, unit_options] { exit_code = data_units_list(context, *unit_options); });
}

}  // namespace synapse::runtime::cli

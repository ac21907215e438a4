// `synapse storage add <name> --provider local|s3|sftp --config key=value ...`, `storage list`.
// Secrets (e.g. s3 secret_key) are stored but never printed.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "cli/cli_context.hpp"
#include "cli/record_json.hpp"
#include "common/runtime_error.hpp"
#include "common/text.hpp"
#include "config/yaml_to_json.hpp"
#include "storage/storage_factory.hpp"

namespace synapse::runtime::cli {

namespace {

struct AddOptions {
  std::string name;
  std::string provider;
  std::vector<std::string> config;
  bool as_json = false;
};

// key=value pairs; values typed like YAML plain scalars (true, 10, 1.5, text).
nlohmann::json parse_config_pairs(const std::vector<std::string>& pairs) {
  auto config = nlohmann::json::object();
  for (const auto& pair : pairs) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw RuntimeError(ExitCode::usage, "cli.bad_config",
                         "--config: expected key=value, got '" + pair.substr(0, eq) + "...'");
    }
    config[pair.substr(0, eq)] = impl::plain_scalar_to_json(pair.substr(eq + 1));
  }
  return config;
}

int storage_add(CliContext& context, const AddOptions& options) {
  const auto& providers = storage_providers();
  if (std::find(providers.begin(), providers.end(), options.provider) == providers.end()) {
    throw RuntimeError(ExitCode::usage, "cli.bad_provider",
                       "--provider: '" + options.provider + "' is not one of " + join(providers));
  }
  synapse::StorageRecord record;
  record.name = options.name;
  record.provider = options.provider;
  record.configuration = parse_config_pairs(options.config);
  make_storage(record.provider, record.configuration);  // refuses a bad configuration now
  const auto created = context.catalog().create_storage(record);
  if (options.as_json) {
    print_json(to_json(created));
  } else {
    std::cout << "added storage " << created.id << " '" << created.name << "' (" << created.provider
              << "); check it with `synapse doctor`\n";
  }
  return 0;
}

int storage_list(CliContext& context, bool as_json) {
  auto& catalog = context.catalog();
  auto out = nlohmann::json::array();
  if (!as_json)
    std::printf("%-6s %-20s %-8s %s\n", "ID", "NAME", "PROVIDER", "CONFIGURATION");
  synapse::PageRequest page;
  do {
    auto batch = catalog.list_storages(page);
    for (const auto& s : batch.items) {
      auto j = to_json(s);
      if (as_json) {
        out.push_back(j);
      } else {
        std::printf("%-6lld %-20s %-8s %s\n", static_cast<long long>(s.id), s.name.c_str(),
                    s.provider.c_str(), j["configuration"].dump().c_str());
      }
    }
    page.cursor = batch.next_cursor;
  } while (!page.cursor.empty());
  if (as_json)
    print_json(out);
  return 0;
}

}  // namespace

void add_storage_commands(CLI::App& app, CliContext& context, int& exit_code) {
  auto* storage = app.add_subcommand("storage", "Storages uploads read from and exports write to");
  storage->require_subcommand(1);
  auto options = std::make_shared<AddOptions>();
  auto* add = storage->add_subcommand("add", "Add a storage to the catalog");
  add->add_option("name", options->name, "unique storage name")->required();
  add->add_option("--provider", options->provider, "local, s3 or sftp")->required();
  add->add_option("--config", options->config, "key=value (repeatable), see README")
      ->expected(0, -1);
  add->add_flag("--json", options->as_json, "print JSON");
  add->callback([&, options] { exit_code = storage_add(context, *options); });

  auto list_json = std::make_shared<bool>(false);
  auto* list = storage->add_subcommand("list", "List storages (secrets hidden)");
  list->add_flag("--json", *list_json, "print JSON");
  list->callback([&, list_json] { exit_code = storage_list(context, *list_json); });
}

}  // namespace synapse::runtime::cli

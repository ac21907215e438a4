// `synapse doctor [--json]`: every set-up check at once, with how to fix what fails. Exits 0
// when all pass, otherwise with the worst failure's code (2: fix the set-up, 4: retry).
#include <algorithm>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "admin/doctor.hpp"
#include "cli/cli_context.hpp"

namespace synapse::runtime::cli {

namespace {

int doctor(CliContext& context, bool as_json) {
  const auto checks = run_doctor(context.config());
  int exit_code = 0;
  auto out = nlohmann::json::array();
  for (const auto& c : checks) {
    if (!c.ok)
      exit_code = std::max(exit_code, to_int(c.severity));
    if (as_json) {
      out.push_back({{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}, {"fix", c.fix}});
      continue;
    }
    std::cout << (c.ok ? "[ ok ] " : "[FAIL] ") << c.name << ": " << c.detail << "\n";
    if (!c.ok)
      std::cout << "       fix: " << c.fix << "\n";
  }
  if (as_json)
    print_json(out);
  return exit_code;
}

}  // namespace

void add_doctor_command(CLI::App& app, CliContext& context, int& exit_code) {
  auto as_json = std::make_shared<bool>(false);
  auto* cmd =
      app.add_subcommand("doctor", "Check the set-up: data home, catalog, plugins, storages");
  cmd->add_flag("--json", *as_json, "print JSON");
  cmd->callback([&, as_json] { exit_code = doctor(context, *as_json); });
}

}  // namespace synapse::runtime::cli

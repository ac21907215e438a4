#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "cli/cli_context.hpp"
#include "common/runtime_error.hpp"
#include "config/yaml_to_json.hpp"

namespace synapse::runtime::cli {

namespace {

[[noreturn]] void bad_params(const std::string& message) {
  throw RuntimeError(ExitCode::usage, "cli.bad_params", message);
}

nlohmann::json parse_json_text(const std::string& text, const std::string& origin) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    bad_params(origin + ": not valid JSON (byte " + std::to_string(e.byte) + "): " + e.what());
  }
}

}  // namespace

nlohmann::json read_params_argument(const std::string& argument) {
  if (argument.empty() || argument[0] != '@')
    return parse_json_text(argument, "--params");
  const std::string file = argument.substr(1);
  std::ifstream in(file);
  if (!in)
    bad_params("--params: cannot read params file " + file);
  std::stringstream text;
  text << in.rdbuf();
  const bool yaml = file.ends_with(".yaml") || file.ends_with(".yml");
  if (!yaml)
    return parse_json_text(text.str(), file);
  try {
    return impl::yaml_to_json(YAML::Load(text.str()));
  } catch (const YAML::Exception& e) {
    bad_params(file + ":" + std::to_string(e.mark.line + 1) + ":" +
               std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

}  // namespace synapse::runtime::cli

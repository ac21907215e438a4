#include "admin/plugin_new.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "common/runtime_error.hpp"
#include "common/text.hpp"
#include "config/plugin_config.hpp"

namespace synapse::runtime {

namespace {

constexpr std::size_t kMaxCodeLength = 50;  // schema.json's maxLength for `code`

// The version rule of the config reader (runtime/config/plugin_config_checks.cpp).
const std::regex& version_pattern() {
  static const std::regex pattern(
      "^([0-9]+\\.[0-9]+\\.[0-9]+)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?"
      "(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$");
  return pattern;
}

std::string main_action(const std::string& category) {
  static const std::map<std::string, std::string> actions = {
      {"upload", "upload"},
      {"export", "export"},
      {"neural_net", "train"},
      {"smart_tool", "auto_label"},
      {"data_validation", "validation"},
      {"pre_annotation", "pre_annotation"},
      {"post_annotation", "post_annotation"}};
  const auto it = actions.find(category);
  return it == actions.end() ? "run" : it->second;
}

std::string title_case(const std::string& code) {
  std::string out;
  bool word_start = true;
  for (char c : code) {
    if (c == '-' || c == '_') {
      if (!out.empty() && out.back() != ' ')
        out += ' ';
      word_start = true;
      continue;
    }
    out += word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    word_start = false;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out.empty() ? code : out;
}

// Single-line text: it goes into YAML scalars, Markdown headings and CMake / C++ comments.
void check_text(const std::string& option, const std::string& value, bool may_be_empty) {
  if (!may_be_empty && value.empty()) {
    throw RuntimeError(ExitCode::usage, "plugin_new.invalid_text",
                       "--" + option + " must not be empty");
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      throw RuntimeError(ExitCode::usage, "plugin_new.invalid_text",
                         "--" + option +
                             " must be one line of text without control characters (a line "
                             "break, tab, ...)");
    }
  }
}

}  // namespace

std::string plugin_identifier(const std::string& code) {
  // Targets CMake or its generators define, and the synapse build's own: a plugin target of
  // that name would not configure.
  static const std::set<std::string> reserved = {"all",
                                                 "clean",
                                                 "help",
                                                 "install",
                                                 "test",
                                                 "package",
                                                 "package_source",
                                                 "depend",
                                                 "edit_cache",
                                                 "rebuild_cache",
                                                 "synapse",
                                                 "synapse_sdk",
                                                 "list_install_components"};
  std::string id = code;
  std::replace(id.begin(), id.end(), '-', '_');
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0])) || reserved.contains(id))
    id = "plugin_" + id;
  return id;
}

PluginNewPlan plan_plugin_new(const PluginNewRequest& request) {
  const std::string& code = request.code;
  if (code.empty() || code.size() > kMaxCodeLength ||
      !std::regex_match(code, std::regex("^[a-z0-9_-]+$"))) {
    throw RuntimeError(ExitCode::usage, "plugin_new.invalid_code",
                       "plugin code '" + code + "' must match ^[a-z0-9_-]+$ (lowercase letters, " +
                           "digits, _ and -) and have 1 to " + std::to_string(kMaxCodeLength) +
                           " characters, e.g. my-upload");
  }
  const auto& categories = plugin_categories();
  if (std::find(categories.begin(), categories.end(), request.category) == categories.end()) {
    throw RuntimeError(
        ExitCode::usage, "plugin_new.unknown_category",
        "unknown category '" + request.category + "'; expected one of " + join(categories));
  }
  const std::string version = request.version.value_or("0.1.0");
  std::smatch match;
  if (!std::regex_match(version, match, version_pattern())) {
    throw RuntimeError(ExitCode::usage, "plugin_new.invalid_version",
                       "--version '" + version +
                           "' is not a version like 1.2.3 (X.Y.Z, optionally -prerelease and "
                           "+build)");
  }
  const std::string name = request.name.value_or(title_case(code));
  const std::string description =
      request.description.value_or("A synapse " + request.category + " plugin.");
  const std::string author = request.author.value_or(request.default_author);
  check_text("name", name, false);
  check_text("description", description, true);
  check_text("author", author, false);

  PluginNewPlan plan;
  plan.template_name = request.category == "upload" || request.category == "export"
                           ? request.category
                           : std::string("generic");
  plan.action = main_action(request.category);
  plan.variables = {{"name", name},
                    {"code", code},
                    {"version", version},
                    {"version_core", match[1].str()},
                    {"category", request.category},
                    {"description", description},
                    {"author", author},
                    {"identifier", plugin_identifier(code)},
                    {"action", plan.action}};
  return plan;
}

std::string example_params(const PluginNewPlan& plan) {
  if (plan.template_name == "upload")
    return R"({"name": "first", "storage": "samples", "data_collection": "sample-images", )"
           R"("path": "sample-images"})";
  if (plan.template_name == "export")
    return R"({"name": "first", "storage": "exports", "path": ".", "target": "task", )"
           R"("filter": {"project": "sample-labeling"}})";
  return R"({"message": "Hello", "count": 3})";
}

}  // namespace synapse::runtime

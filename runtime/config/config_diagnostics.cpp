#include "config/config_diagnostics.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "common/runtime_error.hpp"
#include "config/yaml_to_json.hpp"

namespace synapse::runtime::impl {
namespace {

// yaml-cpp marks are 0-based and -1 when unknown (e.g. an empty document).
int one_based(int value) {
  return value < 0 ? 1 : value + 1;
}

}  // namespace

Diagnostics::Diagnostics(std::string file, std::string id, std::string subject)
    : file_(std::move(file)), id_(std::move(id)), subject_(std::move(subject)) {}

void Diagnostics::add(const YAML::Mark& mark, std::string path, std::string message) {
  items_.push_back(
      {one_based(mark.line), one_based(mark.column), std::move(path), std::move(message)});
}

std::vector<std::string> Diagnostics::lines() const {
  std::vector<Diagnostic> sorted = items_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  std::vector<std::string> out;
  out.reserve(sorted.size());
  for (const auto& d : sorted) {
    std::string line = file_ + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": ";
    if (!d.path.empty())
      line += d.path + ": ";
    line += d.message;
    out.push_back(std::move(line));
  }
  return out;
}

void Diagnostics::raise() const {
  const std::size_t n = items_.size();
  throw RuntimeError(
      ExitCode::usage, id_,
      file_ + ": " + std::to_string(n) + (n == 1 ? " problem" : " problems") + " in " + subject_,
      lines());
}

YAML::Node Diagnostics::load(std::string_view text) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    items_.clear();
    add(e.mark, "", e.msg);
    raise();
  }
}

YAML::Mark value_mark(const YAML::Node& key, const YAML::Node& /*value*/) {
  return key.Mark();
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      break;
  }
  const nlohmann::json value = yaml_to_json(node);
  const std::string text = "(" + node.Scalar() + ")";
  if (value.is_string())
    return "a string ('" + node.Scalar() + "')";
  if (value.is_boolean())
    return "a boolean " + text;
  if (value.is_number_integer())
    return "an integer " + text;
  if (value.is_number())
    return "a number " + text;
  return "null";
}

std::optional<std::string> read_text_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return std::nullopt;
  return text.str();
}

std::string child_path(const std::string& parent, std::string_view key) {
  if (parent.empty())
    return std::string(key);
  return parent + "." + std::string(key);
}

std::vector<MapEntry> map_entries(const YAML::Node& map, const std::string& path,
                                  const std::vector<std::string>& allowed, Diagnostics& diag) {
  std::vector<MapEntry> entries;
  std::map<std::string, int> first_line;  // key -> 1-based line of its first occurrence
  for (auto it = map.begin(); it != map.end(); ++it) {
    // By value: yaml-cpp's iterator hands out a proxy whose members die with the statement.
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      diag.add(key.Mark(), path, "keys must be strings, got " + describe(key));
      continue;
    }
    const std::string& name = key.Scalar();
    const std::string key_path = child_path(path, name);
    if (auto seen = first_line.find(name); seen != first_line.end()) {
      diag.add(key.Mark(), key_path,
               "duplicate key (first defined at line " + std::to_string(seen->second) + ")");
      continue;
    }
    first_line.emplace(name, one_based(key.Mark().line));
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      diag.add(key.Mark(), key_path, "unknown key; allowed keys are: " + join(allowed));
      continue;
    }
    entries.push_back({name, key, it->second});
  }
  return entries;
}

}  // namespace synapse::runtime::impl

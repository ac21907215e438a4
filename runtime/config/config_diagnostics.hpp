// Diagnostics for YAML files read by the host (config.yaml, runtime.yaml). Internal header.
//
// Why a collector: a user fixing a config file wants every problem at once, each with
// file:line:column and the dotted key path, in file order, not one per run.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/exit_code.hpp"
#include "common/text.hpp"

namespace synapse::runtime::impl {

struct Diagnostic {
  int line = 1;    // 1-based
  int column = 1;  // 1-based
  std::string path;
  std::string message;
};

class Diagnostics {
 public:
  // `file` is the name shown in messages; `id`/`subject` make the thrown RuntimeError, e.g.
  // "config.invalid" and "plugin config" -> "<file>: 2 problems in plugin config".
  Diagnostics(std::string file, std::string id, std::string subject);

  // `path` may be empty (a problem with the document itself).
  void add(const YAML::Mark& mark, std::string path, std::string message);
  bool empty() const noexcept { return items_.empty(); }
  std::size_t size() const noexcept { return items_.size(); }
  const std::string& file() const noexcept { return file_; }

  // "<file>:<line>:<col>: <path>: <message>", sorted by position (stable).
  std::vector<std::string> lines() const;
  // Throws RuntimeError(ExitCode::usage, id, "<file>: N problem(s) in <subject>", lines()).
  [[noreturn]] void raise() const;
  void raise_if_any() const {
    if (!empty())
      raise();
  }

  // Parses `text`; a syntax error is raised at once as a single diagnostic carrying the
  // yaml-cpp mark and message. An empty document yields a Null node.
  YAML::Node load(std::string_view text);

 private:
  std::string file_;
  std::string id_;
  std::string subject_;
  std::vector<Diagnostic> items_;
};

// Where to point for a problem with a mapping value: at its key, as compilers point at the
// start of a declaration (`config.yaml:12:5: actions.upload.method: ...` names the line and
// column of `method`). The key is also the only reliable mark: yaml-cpp gives an empty value
// the mark of the next token, often on the next line.
YAML::Mark value_mark(const YAML::Node& key, const YAML::Node& value);

// "a mapping", "a list", "null", "a string ('x')", "an integer (5)", "a number (1.5)",
// "a boolean (true)": what a message says it got.
std::string describe(const YAML::Node& node);

using synapse::runtime::join;

// One entry of a mapping, in file order.
struct MapEntry {
  std::string name;
  YAML::Node key;
  YAML::Node value;
};

// The entries of `map` (which must be a mapping). Reports non-string keys, duplicate keys
// (yaml-cpp keeps both; the first one is used) and, when `allowed` is not empty, keys not in
// it ("unknown key; allowed keys are: ..."). Only good entries are returned.
std::vector<MapEntry> map_entries(const YAML::Node& map, const std::string& path,
                                  const std::vector<std::string>& allowed, Diagnostics& diag);

// The whole file, or nullopt when it cannot be opened or read.
std::optional<std::string> read_text_file(const std::filesystem::path& file);

// "a.b" (or "b" when `parent` is empty).
std::string child_path(const std::string& parent, std::string_view key);

}  // namespace synapse::runtime::impl

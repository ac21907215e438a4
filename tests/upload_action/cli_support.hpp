// Layer B helpers: a Sandbox (tests/cli/synapse_process.hpp: the real `synapse` binary with its
// own data home, the staged plugins in its plugin path) prepared like the README's manual run:
// catalog, a local storage over a folder of the sandbox, the sample-images collection and a
// project.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "synapse_process.hpp"
#include "upload_test_support.hpp"

namespace upload_action_test {

using cli_test::Result;
using cli_test::Sandbox;

inline std::vector<json> json_lines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty())
      lines.push_back(json::parse(line));
  }
  return lines;
}

// Events of a JSONL file named `name`.
inline std::vector<json> events_named(const std::vector<json>& events, const std::string& name) {
  std::vector<json> out;
  for (const auto& e : events) {
    if (e.value("event", "") == name)
      out.push_back(e);
  }
  return out;
}

// The plugin source folders (synapse runs their built copies from the plugin path).
inline std::string plugin_dir(const std::string& name) {
  return (source_dir() / "plugins" / name).string();
}

class CliUpload {
 public:
  // `collection_file` defaults to config/collections/sample-images.yaml.
  explicit CliUpload(const fs::path& collection_file = sample_collection_file()) {
    fs::create_directories(data());
    ok({"catalog", "init"});
    storage_id = json::parse(ok({"storage", "add", "samples", "--provider", "local", "--config",
                                 "location=" + data().string(), "--json"})
                                 .out)
                     .at("id");
    collection_id =
        json::parse(ok({"collection", "create", "--from", collection_file.string(), "--json"}).out)
            .at("id");
    project_id = json::parse(ok({"project", "create", "--name", "demo", "--collection",
                                 std::to_string(collection_id), "--json"})
                                 .out)
                     .at("id");
  }

  // The local storage's folder.
  fs::path data() const { return sandbox.dir() / "data"; }
  fs::path events_file() const { return sandbox.dir() / "events.jsonl"; }

  Result ok(const std::vector<std::string>& args) const {
    auto r = sandbox.run(args);
    INFO("synapse " << join(args) << "\nstdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
  }

  json params(const std::string& path, const json& extra = json::object()) const {
    json p = {{"name", "first"},
              {"storage", storage_id},
              {"data_collection", collection_id},
              {"path", path},
              {"project", project_id}};
    p.update(extra);
    return p;
  }

  std::vector<std::string> upload_args(const std::string& plugin, const json& params,
                                       const std::vector<std::string>& more = {}) const {
    std::vector<std::string> args = {"run",
                                     plugin,
                                     "upload",
                                     "--params",
                                     params.dump(),
                                     "--events",
                                     "jsonl=" + events_file().string()};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  // `synapse run <plugin> upload --params ... --events jsonl=<events_file>`.
  Result upload(const std::string& plugin, const json& params,
                const std::vector<std::string>& more = {}) const {
    return sandbox.run(upload_args(plugin, params, more));
  }

  std::vector<json> events() const { return json_lines(read_file(events_file())); }
  HomeSnapshot snapshot() const { return HomeSnapshot::of(sandbox.home(), upload_tables()); }
  std::int64_t count(const std::string& table) const {
    return CatalogDb(sandbox.home()).count("SELECT COUNT(*) FROM " + table);
  }

  static std::string join(const std::vector<std::string>& args) {
    std::string out;
    for (const auto& a : args)
      out += (out.empty() ? "" : " ") + a;
    return out;
  }

  Sandbox sandbox;
  std::int64_t storage_id = 0;
  std::int64_t collection_id = 0;
  std::int64_t project_id = 0;
};

}  // namespace upload_action_test

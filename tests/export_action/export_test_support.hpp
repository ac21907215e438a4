// Shared by the export action tests: temp folders, a recording RunContext, the fixture export
// plugins (real .so files built by this folder's CMakeLists.txt) and an in-process environment:
// a real SQLite catalog in a temp data home, filled through the Catalog API (the sample
// pictures as data units, tasks / assignments / ground truth with annotations), and a local
// output storage.
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>
#include <synapse/export/exporter.hpp>
#include <synapse/run_context.hpp>

#include "catalog/catalog_factory.hpp"
#include "export/export_action.hpp"
#include "loader/plugin_library.hpp"

namespace export_test {

namespace fs = std::filesystem;
using nlohmann::json;

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "export-action") {
    std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const fs::path& file, const std::string& content) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty())
      out.push_back(line);
  return out;
}

// Regular files below `root`, as '/'-separated relative paths.
inline std::set<std::string> files_below(const fs::path& root) {
  std::set<std::string> out;
  if (!fs::exists(root))
    return out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file())
      out.insert(fs::relative(entry.path(), root).generic_string());
  }
  return out;
}

inline fs::path source_dir() {
  return SYNAPSE_SOURCE_DIR;
}
inline fs::path sample_image(const std::string& name) {
  return source_dir() / "config/samples/sample-images/image_1" / name;
}
// The six sample pictures (160 x 120 each).
inline const std::vector<std::string>& sample_names() {
  static const std::vector<std::string> names = {"beach.jpeg", "bird.png",   "cat.jpg",
                                                 "dog.jpg",    "forest.png", "street.jpg"};
  return names;
}

// ---------------------------------------------------------------------------------------------
// A RunContext that records everything

struct Message {
  std::string code;  // "" for log_message
  synapse::MessageContext level;
  std::string text;
};

class RecordingRun : public synapse::RunContext {
 public:
  explicit RecordingRun(json params = json::object()) : params_(std::move(params)) {}

  // is_cancelled() answers false to the first `calls` questions, true afterwards; -1 = never.
  void cancel_after(std::int64_t calls) { cancel_after_ = calls; }

  const json& params() const override { return params_; }
  void log_message(synapse::MessageContext context, std::string_view text) override {
    std::lock_guard lock(mutex_);
    messages_.push_back({"", context, std::string(text)});
  }
  void log_code(std::string_view code, synapse::MessageContext context,
                std::string_view text) override {
    std::lock_guard lock(mutex_);
    messages_.push_back({std::string(code), context, std::string(text)});
  }
  void log_event(std::string_view name, const json& data) override {
    std::lock_guard lock(mutex_);
    events_.emplace_back(std::string(name), data);
  }
  void set_progress(std::int64_t current, std::int64_t total, std::string_view category) override {
    std::lock_guard lock(mutex_);
    progress_.push_back({{"current", current}, {"total", total}, {"category", category}});
  }
  void set_metrics(std::string_view category, const json& value) override {
    std::lock_guard lock(mutex_);
    metrics_[std::string(category)] = value;
  }
  bool is_cancelled() const noexcept override {
    const std::int64_t n = checks_.fetch_add(1);
    return cancel_after_ >= 0 && n >= cancel_after_;
  }

  std::vector<Message> with_code(const std::string& code) const {
    std::lock_guard lock(mutex_);
    std::vector<Message> out;
    for (const auto& m : messages_)
      if (m.code == code)
        out.push_back(m);
    return out;
  }
  std::vector<json> events(const std::string& name) const {
    std::lock_guard lock(mutex_);
    std::vector<json> out;
    for (const auto& [event, data] : events_)
      if (event == name)
        out.push_back(data);
    return out;
  }
  std::vector<json> progress() const {
    std::lock_guard lock(mutex_);
    return progress_;
  }
  json metrics(const std::string& category) const {
    std::lock_guard lock(mutex_);
    const auto it = metrics_.find(category);
    return it == metrics_.end() ? json() : it->second;
  }
  std::string transcript() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& m : messages_)
      out += (m.code.empty() ? "" : "[" + m.code + "] ") + m.text + "\n";
    return out;
  }

 private:
  json params_;
  std::int64_t cancel_after_ = -1;
  mutable std::atomic<std::int64_t> checks_{0};
  mutable std::mutex mutex_;
  std::vector<Message> messages_;
  std::vector<std::pair<std::string, json>> events_;
  std::vector<json> progress_;
  std::map<std::string, json> metrics_;
};

// ---------------------------------------------------------------------------------------------
// The fixture plugins

inline fs::path fixture_dir(const std::string& name) {
  return fs::path(SYNAPSE_EXPORT_FIXTURES) / ("export_fixture_" + name);
}

// A fixture's Exporter, loaded as `synapse run` loads it (the library stays loaded while the
// object lives).
inline std::shared_ptr<synapse::exports::Exporter> load_exporter(const std::string& name) {
  const auto library = synapse::runtime::PluginLibrary::open(fixture_dir(name) /
                                                             ("libexport_fixture_" + name + ".so"));
  return library->create_exporter("Exporter");
}

// ---------------------------------------------------------------------------------------------
// In-process environment: <tmp>/home a data home, <tmp>/out the local output storage.

// A small annotation in the Synapse DM format (docs/annotation-format.md).
inline json annotation(const std::string& label, int x = 10) {
  return {{"images",
           {{{"bounding_box",
              {{{"id", "b1"}, {"classification", label}, {"data", {x, 20, 40, 30}}}}}}}}};
}

class ExportEnv {
  TempDir dir_;  // first: outlives the catalog opened in it

 public:
  ExportEnv() {
    fs::create_directories(out());
    catalog = synapse::runtime::open_catalog(home());
    synapse::StorageRecord storage;
    storage.name = "out";
    storage.provider = "local";
    storage.configuration = {{"location", out().string()}};
    storage_id = catalog->create_storage(storage).id;
    synapse::DataCollection c;
    c.name = "pictures";
    c.file_specifications = {{"image_1", "image", {".jpg", ".jpeg", ".png"}, true, ""},
                             {"meta", "data", {".json"}, false, ""}};
    collection_id = catalog->create_data_collection(c).id;
    synapse::Project p;
    p.name = "labels";
    p.collection_id = collection_id;
    project_id = catalog->create_project(p).id;
  }

  fs::path home() const { return dir_.path() / "home"; }
  fs::path out() const { return dir_.path() / "out"; }
  fs::path root() const { return dir_.path(); }

  // A unit holding `image` (a local file) as image_1 and, when given, `meta_json` as meta.
  synapse::DataUnit add_unit(const fs::path& image, const std::string& meta_json = "",
                             const json& meta = json::object()) {
    synapse::NewDataUnit unit;
    unit.files["image_1"] = catalog->put_file(image, image.filename().string()).file.id;
    if (!meta_json.empty()) {
      std::istringstream in(meta_json);
      unit.files["meta"] = catalog->put_stream(in, image.stem().string() + ".json").file.id;
    }
    unit.meta = meta;
    return catalog->create_data_units(collection_id, {unit}).at(0);
  }

  // One unit per sample picture (the first three with a meta sidecar), in sample_names() order.
  std::vector<synapse::DataUnit> add_samples() {
    std::vector<synapse::DataUnit> units;
    for (std::size_t i = 0; i < sample_names().size(); ++i) {
      const auto& name = sample_names()[i];
      units.push_back(add_unit(sample_image(name),
                               i < 3 ? json{{"device", "cam-" + std::to_string(i)}}.dump() : "",
                               {{"source", name}}));
    }
    return units;
  }

  // A task per unit, annotated with annotation(<file stem>); returns their ids.
  std::vector<synapse::CatalogId> add_tasks(const std::vector<synapse::DataUnit>& units,
                                            const std::string& status = "completed") {
    std::vector<synapse::Task> tasks;
    for (const auto& unit : units)
      tasks.push_back({0, project_id, unit.id, "pending", nullptr});
    std::vector<synapse::CatalogId> ids;
    for (const auto& task : catalog->create_tasks(tasks)) {
      const auto unit = catalog->get_data_unit(task.data_unit_id);
      const auto name = catalog->get_data_file(unit.files.at("image_1")).original_name;
      catalog->set_task_annotation(task.id, annotation(fs::path(name).stem().string()), status);
      ids.push_back(task.id);
    }
    return ids;
  }

  json params(const std::string& target, const json& filter, const json& extra = json::object()) {
    json p = {{"name", "export"},
              {"storage", storage_id},
              {"path", "exports"},
              {"target", target},
              {"filter", filter}};
    p.update(extra);
    return p;
  }
  json task_params(const json& extra = json::object()) {
    return params("task", {{"project", project_id}}, extra);
  }

  json run(RecordingRun& run, synapse::exports::Exporter* exporter, const json& params,
           const json& action_config = json::object(),
           const synapse::runtime::exports::ExportOptions& options = {}) const {
    return synapse::runtime::exports::run_export(exporter, run, *catalog, params, action_config,
                                                 options);
  }

  // A file of the output storage.
  std::string output(const std::string& path) const { return read_file(out() / path); }
  json output_json(const std::string& path) const { return json::parse(output(path)); }

  std::unique_ptr<synapse::Catalog> catalog;
  synapse::CatalogId storage_id = 0;
  synapse::CatalogId collection_id = 0;
  synapse::CatalogId project_id = 0;
};

}  // namespace export_test

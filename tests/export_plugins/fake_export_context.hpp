// A host stand-in for the export plugins' tests: an ExportContext over a temp folder (the export
// folder and the scratch folder), a RunContext that records messages, and run_export(), which
// drives an Exporter the way the host's item loop does (sdk-headers/synapse/export/exporter.hpp):
// start, before/convert/after per item (or convert_text for a text-converting exporter),
// json/<id>.json from the converted `data`, item_exported (text_item_exported), finish; a hook
// that throws fails that item only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/export/exporter.hpp>

namespace export_plugins_test {

namespace fs = std::filesystem;
using nlohmann::json;

class RecordingRunContext final : public synapse::RunContext {
 public:
  explicit RecordingRunContext(const json& params) : params_(params) {}
  const json& params() const override { return params_; }
  void log_message(synapse::MessageContext context, std::string_view text) override {
    messages.emplace_back(context, std::string(text));
  }
  void log_event(std::string_view name, const json& data) override {
    events.push_back({{"event", name}, {"data", data}});
  }
  void set_progress(std::int64_t, std::int64_t, std::string_view) override {}
  void set_metrics(std::string_view, const json&) override {}
  bool is_cancelled() const noexcept override { return false; }

  // The text of every message logged with `context`, joined by newlines.
  std::string messages_of(synapse::MessageContext context) const {
    std::string out;
    for (const auto& [c, text] : messages)
      if (c == context)
        out += text + "\n";
    return out;
  }

  std::vector<std::pair<synapse::MessageContext, std::string>> messages;
  std::vector<json> events;

 private:
  const json& params_;
};

// A local storage rooted at a folder: enough of synapse::Storage for what exporters do.
class FolderStorage final : public synapse::Storage {
 public:
  explicit FolderStorage(fs::path root) : root_(std::move(root)) {}
  std::string provider() const override { return "local"; }
  std::optional<synapse::ObjectInfo> stat(std::string_view path) override {
    ++stat_calls;
    const fs::path p = root_ / fs::path(path).relative_path();
    if (!fs::exists(p))
      return std::nullopt;
    synapse::ObjectInfo info;
    info.path = std::string(path);
    info.is_directory = fs::is_directory(p);
    info.size = info.is_directory ? 0 : fs::file_size(p);
    return info;
  }
  std::unique_ptr<synapse::ObjectLister> list(std::string_view, bool) override {
    throw synapse::StorageError(synapse::StorageError::Kind::io, "list: not in the test fake");
  }
  std::unique_ptr<synapse::ReadStream> open_read(std::string_view, std::uint64_t,
                                                 std::optional<std::uint64_t>) override {
    throw synapse::StorageError(synapse::StorageError::Kind::io, "open_read: not in the fake");
  }
  std::unique_ptr<synapse::WriteStream> open_write(std::string_view path) override {
    return std::make_unique<FileWrite>(root_ / fs::path(path).relative_path());
  }
  void remove(std::string_view path) override { fs::remove(root_ / fs::path(path)); }

  std::size_t stat_calls = 0;

 private:
  // Bytes go to "<path>.part", renamed on commit, as the local provider does.
  class FileWrite final : public synapse::WriteStream {
   public:
    explicit FileWrite(fs::path path) : path_(std::move(path)) {
      fs::create_directories(path_.parent_path());
      out_.open(part(), std::ios::binary | std::ios::trunc);
    }
    ~FileWrite() override {
      if (!committed_) {
        out_.close();
        fs::remove(part());
      }
    }
    void write(const char* data, std::size_t size) override {
      out_.write(data, static_cast<std::streamsize>(size));
      ++writes;
    }
    void commit() override {
      out_.close();
      if (!out_)
        throw synapse::StorageError(synapse::StorageError::Kind::io, "write failed");
      fs::rename(part(), path_);
      committed_ = true;
    }
    std::size_t writes = 0;

   private:
    fs::path part() const { return fs::path(path_.string() + ".part"); }
    fs::path path_;
    std::ofstream out_;
    bool committed_ = false;
  };

  fs::path root_;
};

class FakeExportContext final : public synapse::exports::ExportContext {
 public:
  explicit FakeExportContext(json extra_params = json::object(), std::int64_t count = 0)
      : params_({{"name", "test-export"},
                 {"description", nullptr},
                 {"storage", 1},
                 {"path", "exports"},
                 {"target", "task"},
                 {"filter", {{"project", 1}}},
                 {"save_original_file", true},
                 {"extra_params", std::move(extra_params)}}),
        count_(count),
        run_(params_) {
    std::string pattern = (fs::temp_directory_path() / "export-plugins-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    scratch_ = root_ / "scratch";
    fs::create_directories(scratch_);
    fs::create_directories(root_ / "storage" / output_path_);
    storage_ = std::make_unique<FolderStorage>(root_ / "storage");
  }
  ~FakeExportContext() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  FakeExportContext(const FakeExportContext&) = delete;
  FakeExportContext& operator=(const FakeExportContext&) = delete;

  synapse::RunContext& run() override { return run_; }
  synapse::Catalog& catalog() override {
    throw std::logic_error("the export plugins must not need the catalog");
  }
  synapse::Storage& output_storage() override { return *storage_; }
  const std::string& output_path() const override { return output_path_; }
  const json& params() const override { return params_; }
  std::int64_t count() const override { return count_; }
  const json& configuration() const override { return configuration_; }
  std::optional<synapse::CatalogId> project_id() const override { return std::nullopt; }
  void write_output(std::string_view relative, std::string_view content) override {
    auto out = open_output(relative);
    out->write(content.data(), content.size());
    out->commit();
  }
  std::unique_ptr<synapse::WriteStream> open_output(std::string_view relative) override {
    return storage_->open_write(output_path_ + "/" + std::string(relative));
  }
  const fs::path& scratch_dir() const override { return scratch_; }

  // The export folder on disk, and helpers to read what was written there.
  fs::path folder() const { return root_ / "storage" / output_path_; }
  bool has(const std::string& relative) const { return fs::exists(folder() / relative); }
  std::string read(const std::string& relative) const {
    std::ifstream in(folder() / relative, std::ios::binary);
    if (!in)
      throw std::runtime_error("not written: " + relative);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  json read_json(const std::string& relative) const { return json::parse(read(relative)); }

  RecordingRunContext& recorder() { return run_; }
  FolderStorage& storage() { return *storage_; }

 private:
  json params_;
  std::int64_t count_;
  RecordingRunContext run_;
  const std::string output_path_ = "exports/test-export";
  json configuration_ = json::object();
  fs::path root_;
  fs::path scratch_;
  std::unique_ptr<FolderStorage> storage_;
};

struct ItemOutcome {
  json id;
  bool ok = false;
  std::string error;
};

// The name the host gives an original under origin_files/: its base name, or
// `<stem>_<id><ext>` (then `<stem>_<id>_2<ext>`, ...) when an earlier item used that name
// (runtime/export/origin_names.hpp).
inline std::string claim_origin_name(std::set<std::string>& written, const json& item) {
  const std::string original = item["files"]["file_name_original"].get<std::string>();
  const std::string base = original.substr(original.rfind('/') + 1);
  std::string name = base;
  const fs::path path(base);
  const std::string suffixed =
      path.stem().string() + "_" + item["id"].dump() + path.extension().string();
  for (int n = 1; written.count(name) != 0; ++n) {
    name = n == 1 ? suffixed
                  : path.stem().string() + "_" + item["id"].dump() + "_" + std::to_string(n) +
                        path.extension().string();
  }
  written.insert(name);
  return name;
}

// Which hooks run_export() calls: the ones the exporter declares (the text path when
// converts_text(), as the host does), or the JSON hooks whatever it declares.
enum class HookPath { declared, json };

// The host's item loop, as the SDK documents it. With `tell_origin_names`, item_exported's
// item carries files.origin_file_name, the name the original got under origin_files/.
inline std::vector<ItemOutcome> run_export(synapse::exports::Exporter& exporter,
                                           FakeExportContext& context,
                                           const std::vector<json>& items,
                                           bool tell_origin_names = true,
                                           HookPath path = HookPath::declared) {
  exporter.start(context);
  std::set<std::string> origin_names;
  std::vector<ItemOutcome> outcomes;
  const bool text_path = path == HookPath::declared && exporter.converts_text();
  for (const json& item : items) {
    ItemOutcome outcome;
    outcome.id = item.value("id", json());
    try {
      if (text_path) {
        // The item without `data`, the annotation as stored (compact), the text written
        // indented as written.
        json bare = item;
        bare.erase("data");
        const json data = item.value("data", json());
        if (data.is_null())
          throw std::runtime_error("data is Null");
        auto converted = exporter.convert_text(bare, data.dump(), context);
        context.write_output("json/" + bare.at("id").dump() + ".json",
                             nlohmann::ordered_json::parse(converted.data).dump(4));
        if (tell_origin_names)
          bare["files"]["origin_file_name"] = claim_origin_name(origin_names, bare);
        exporter.text_item_exported(bare, std::move(converted.kept), context);
      } else {
        json converted = exporter.after_convert(
            exporter.convert_data(exporter.before_convert(item, context), context), context);
        if (!converted.contains("data") || converted["data"].is_null())
          throw std::runtime_error("data is Null");
        context.write_output("json/" + converted.at("id").dump() + ".json",
                             converted["data"].dump(4));
        if (tell_origin_names)
          converted["files"]["origin_file_name"] = claim_origin_name(origin_names, converted);
        exporter.item_exported(converted, context);
      }
      outcome.ok = true;
    } catch (const std::exception& error) {
      outcome.error = error.what();
    }
    outcomes.push_back(std::move(outcome));
  }
  exporter.finish(context);
  return outcomes;
}

// An export item as the host builds it; width/height < 0 leave the key out.
inline json make_item(std::int64_t id, const std::string& file_name, std::int64_t width,
                      std::int64_t height, json data) {
  json files = {{"id", id + 1000},
                {"spec", "image_1"},
                {"file_name_original", file_name},
                {"checksum", "0"},
                {"size", 10},
                {"path", "/nowhere/" + file_name},
                {"url", "file:///nowhere/" + file_name}};
  if (width >= 0)
    files["width"] = width;
  if (height >= 0)
    files["height"] = height;
  return {{"id", id},
          {"data", std::move(data)},
          {"files", std::move(files)},
          {"data_unit", {{"id", id + 2000}, {"meta", json::object()}}}};
}

// A DM v2 document with one image holding `tools` (tool -> annotations).
inline json dm_doc(json tools, json classification = nullptr) {
  json doc = {{"images", json::array({std::move(tools)})}};
  if (!classification.is_null())
    doc["classification"] = std::move(classification);
  return doc;
}

inline json box(const std::string& id, const std::string& label, double x, double y, double w,
                double h) {
  return {{"id", id}, {"classification", label}, {"attrs", json::array()}, {"data", {x, y, w, h}}};
}

inline json polygon(const std::string& id, const std::string& label, json points) {
  return {{"id", id}, {"classification", label}, {"data", std::move(points)}};
}

}  // namespace export_plugins_test

// Shared by the upload strategies tests: temp folders read through local storages, a real
// embedded catalog in a temp data home, a storage wrapper that breaks reads of chosen paths,
// and a RunContext that records what is logged (with codes).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>
#include <synapse/run_context.hpp>
#include <synapse/storage.hpp>
#include <synapse/upload/units.hpp>

#include "catalog/catalog_factory.hpp"
#include "storage/local_storage.hpp"

namespace upload_strategies_test {

namespace fs = std::filesystem;

// A temp folder, removed with everything in it.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "upload-strategies-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// A local storage over a temp folder.
struct Tree {
  TempDir dir;
  std::unique_ptr<synapse::Storage> storage =
      synapse::runtime::make_local_storage({{"location", dir.path.string()}});

  // Writes <path> (its own path as content unless given) and returns <path>.
  std::string write(const std::string& path, std::string content = {}) const {
    fs::create_directories((dir.path / path).parent_path());
    std::ofstream(dir.path / path, std::ios::binary) << (content.empty() ? path : content);
    return path;
  }
  void write_all(std::initializer_list<std::string> paths) const {
    for (const auto& path : paths)
      write(path);
  }
  std::string read(const std::string& path) const {
    std::ifstream in(dir.path / path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

inline synapse::FileSpecification spec(std::string name, std::vector<std::string> extensions,
                                       bool required = true) {
  return {std::move(name), "", std::move(extensions), required, ""};
}

// A real catalog in a temp data home, with a collection of specs image (required) and meta, and
// a local storage holding the source files.
struct Env {
  TempDir dir;
  Tree src;
  std::unique_ptr<synapse::Catalog> catalog;
  synapse::CatalogId collection = 0;

  explicit Env(nlohmann::json meta_schema = nullptr) {
    catalog = synapse::runtime::open_catalog(dir.path / "home");
    synapse::DataCollection c;
    c.name = "images";
    c.file_specifications = {spec("image", {".jpg"}), spec("meta", {".json"}, false)};
    c.data_unit_meta_schema = std::move(meta_schema);
    collection = catalog->create_data_collection(c).id;
  }
  ~Env() { catalog.reset(); }
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  std::string write(const std::string& path, const std::string& content) const {
    return src.write(path, content);
  }

  std::string stored_bytes(synapse::CatalogId id) const {
    auto in = catalog->open_data_file(id);
    return {std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>()};
  }

  // The content store's file names are the checksums of what is stored.
  std::set<std::string> stored_checksums() const {
    std::set<std::string> sums;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path / "home" / "files")) {
      const auto name = entry.path().filename().string();
      if (entry.is_regular_file() && name.size() == 64 &&
          name.find_first_not_of("0123456789abcdef") == std::string::npos)
        sums.insert(name);
    }
    return sums;
  }

  // Files left in the content store's staging area.
  std::size_t staged_leftovers() const {
    const fs::path tmp = dir.path / "home" / "files" / ".tmp";
    if (!fs::exists(tmp))
      return 0;
    // Files only: the store keeps its shard folders (.tmp/0 … .tmp/f).
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(tmp)) {
      if (!entry.is_directory())
        ++files;
    }
    return files;
  }
};

inline synapse::upload::OrganizedUnit unit(std::string key,
                                           std::map<std::string, std::string> files,
                                           nlohmann::json meta = nlohmann::json::object()) {
  return {std::move(key), std::move(files), std::move(meta)};
}

// Wraps a storage; a read of a path containing `broken_marker` delivers a few bytes, then fails
// with a StorageError, like a disk or a connection going away mid-file.
class BrokenReadStorage : public synapse::Storage {
 public:
  BrokenReadStorage(synapse::Storage& inner, std::string broken_marker)
      : inner_(inner), marker_(std::move(broken_marker)) {}

  std::string provider() const override { return inner_.provider(); }
  std::optional<synapse::ObjectInfo> stat(std::string_view path) override {
    return inner_.stat(path);
  }
  std::unique_ptr<synapse::ObjectLister> list(std::string_view prefix, bool recursive) override {
    return inner_.list(prefix, recursive);
  }
  std::unique_ptr<synapse::ReadStream> open_read(std::string_view path, std::uint64_t offset,
                                                 std::optional<std::uint64_t> length) override {
    auto stream = inner_.open_read(path, offset, length);
    if (std::string(path).find(marker_) == std::string::npos)
      return stream;
    return std::make_unique<Broken>(std::move(stream), std::string(path));
  }
  std::unique_ptr<synapse::WriteStream> open_write(std::string_view path) override {
    return inner_.open_write(path);
  }
  void remove(std::string_view path) override { inner_.remove(path); }

 private:
  class Broken : public synapse::ReadStream {
   public:
    Broken(std::unique_ptr<synapse::ReadStream> inner, std::string path)
        : inner_(std::move(inner)), path_(std::move(path)) {}
    std::size_t read(char* buffer, std::size_t size) override {
      if (served_)
        throw synapse::StorageError(synapse::StorageError::Kind::io,
                                    path_ + ": read failed half-way");
      served_ = true;
      return inner_->read(buffer, std::min<std::size_t>(size, 3));
    }

   private:
    std::unique_ptr<synapse::ReadStream> inner_;
    std::string path_;
    bool served_ = false;
  };

  synapse::Storage& inner_;
  std::string marker_;
};

// Records every message; log_code is overridden so the code can be checked.
class RecordingRun : public synapse::RunContext {
 public:
  struct Logged {
    std::string code;  // "" for log_message
    synapse::MessageContext level;
    std::string text;
  };
  nlohmann::json params_value = nlohmann::json::object();
  std::vector<Logged> logged;

  const nlohmann::json& params() const override { return params_value; }
  void log_message(synapse::MessageContext context, std::string_view text) override {
    logged.push_back({"", context, std::string(text)});
  }
  void log_code(std::string_view code, synapse::MessageContext context,
                std::string_view text) override {
    logged.push_back({std::string(code), context, std::string(text)});
  }
  void log_event(std::string_view, const nlohmann::json&) override {}
  void set_progress(std::int64_t, std::int64_t, std::string_view) override {}
  void set_metrics(std::string_view, const nlohmann::json&) override {}
  bool is_cancelled() const noexcept override { return false; }
};

// Only implements what RunContext requires: log_code falls back to log_message.
class PlainRun : public RecordingRun {
 public:
  void log_code(std::string_view code, synapse::MessageContext context,
                std::string_view text) override {
    synapse::RunContext::log_code(code, context, text);
  }
};

}  // namespace upload_strategies_test

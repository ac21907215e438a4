// Shared by the upload storing tests: a temp folder holding the source files (read through the
// local storage) and a data home for a real embedded catalog, plus an instrumented Storage
// that counts concurrent readers and can slow reads down.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <synapse/catalog.hpp>
#include <synapse/storage.hpp>

#include "catalog/catalog_factory.hpp"
#include "storage/local_storage.hpp"
#include "upload/storing/file_uploader.hpp"

namespace storing_test {

namespace fs = std::filesystem;
using namespace synapse::runtime::upload;

struct Env {
  fs::path dir;
  std::unique_ptr<synapse::Storage> storage;
  std::unique_ptr<synapse::Catalog> catalog;
  synapse::CatalogId collection = 0;

  explicit Env(nlohmann::json meta_schema = nullptr) {
    std::string pattern = (fs::temp_directory_path() / "upload-storing-XXXXXX").string();
    dir = ::mkdtemp(pattern.data());
    fs::create_directories(dir / "src");
    storage = synapse::runtime::make_local_storage({{"location", (dir / "src").string()}});
    catalog = synapse::runtime::open_catalog(dir / "home");
    synapse::DataCollection c;
    c.name = "images";
    c.file_specifications = {{"image", "image", {}, true, ""}, {"meta", "data", {}, false, ""}};
    c.data_unit_meta_schema = std::move(meta_schema);
    collection = catalog->create_data_collection(c).id;
  }
  ~Env() {
    catalog.reset();
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  // Writes src/<path> and returns <path> (the storage path).
  std::string write(const std::string& path, const std::string& content) const {
    fs::create_directories((dir / "src" / path).parent_path());
    std::ofstream(dir / "src" / path, std::ios::binary) << content;
    return path;
  }

  std::string stored_bytes(synapse::CatalogId id) const {
    auto in = catalog->open_data_file(id);
    return {std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>()};
  }

  std::set<synapse::CatalogId> unit_ids() const {
    std::set<synapse::CatalogId> ids;
    synapse::PageRequest page;
    do {
      auto result = catalog->list_data_units(collection, page);
      for (const auto& unit : result.items)
        ids.insert(unit.id);
      page.cursor = result.next_cursor;
    } while (!page.cursor.empty());
    return ids;
  }

  // The catalog has no list of data files: the content store's file names are the checksums.
  std::set<std::string> stored_checksums() const {
    std::set<std::string> sums;
    for (const auto& entry : fs::recursive_directory_iterator(dir / "home" / "files")) {
      const auto name = entry.path().filename().string();
      if (entry.is_regular_file() && name.size() == 64 &&
          name.find_first_not_of("0123456789abcdef") == std::string::npos)
        sums.insert(name);
    }
    return sums;
  }
};

inline OrganizedUnit unit(std::string key, std::map<std::string, std::string> files) {
  return OrganizedUnit{std::move(key), std::move(files)};
}

// Wraps a storage: counts open read streams (current and peak), records the order in which
// streams are closed (the order files finished being read), and sleeps `delay` on every read
// of a path containing `slow_marker` ("" = every path), so reads overlap in time.
class InstrumentedStorage : public synapse::Storage {
 public:
  InstrumentedStorage(synapse::Storage& inner, std::chrono::milliseconds delay,
                      std::string slow_marker = "")
      : inner_(inner), delay_(delay), slow_marker_(std::move(slow_marker)) {}

  std::atomic<int> open{0};
  std::atomic<int> peak{0};

  // Paths in the order their read streams were closed.
  std::vector<std::string> closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }

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
    const bool slow = std::string(path).find(slow_marker_) != std::string::npos;
    return std::make_unique<Stream>(*this, std::string(path), std::move(stream),
                                    slow ? delay_ : delay_.zero());
  }
  std::unique_ptr<synapse::WriteStream> open_write(std::string_view path) override {
    return inner_.open_write(path);
  }
  void remove(std::string_view path) override { inner_.remove(path); }

 private:
  class Stream : public synapse::ReadStream {
   public:
    Stream(InstrumentedStorage& owner, std::string path, std::unique_ptr<synapse::ReadStream> inner,
           std::chrono::milliseconds delay)
        : owner_(owner), path_(std::move(path)), inner_(std::move(inner)), delay_(delay) {
      const int now = ++owner_.open;
      int seen = owner_.peak.load();
      while (now > seen && !owner_.peak.compare_exchange_weak(seen, now)) {
      }
    }
    ~Stream() override {
      {
        std::lock_guard lock(owner_.mutex_);
        owner_.closed_.push_back(path_);
      }
      --owner_.open;
    }
    std::size_t read(char* buffer, std::size_t size) override {
      if (delay_.count() > 0)
        std::this_thread::sleep_for(delay_);
      return inner_->read(buffer, size);
    }

   private:
    InstrumentedStorage& owner_;
    std::string path_;
    std::unique_ptr<synapse::ReadStream> inner_;
    std::chrono::milliseconds delay_;
  };

  synapse::Storage& inner_;
  std::chrono::milliseconds delay_;
  std::string slow_marker_;
  mutable std::mutex mutex_;
  std::vector<std::string> closed_;
};

}  // namespace storing_test

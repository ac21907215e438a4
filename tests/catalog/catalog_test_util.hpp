// Helpers for the catalog tests: a unique data home removed afterwards, file writers, and a
// pager that walks every page of a list call.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <synapse/catalog.hpp>

#include "catalog/catalog_factory.hpp"
#include "temp_dir.hpp"

namespace synapse::runtime::test {

// A data home of its own per test (test_support::TempDir, named catalog-test-XXXXXX).
class TempHome : public test_support::TempDir {
 public:
  TempHome() : TempDir("catalog-test") {}
};

inline std::filesystem::path write_file(const std::filesystem::path& path,
                                        const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

inline std::string read_all(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Calls `fetch(request)` until the last page; returns the size of every page and the cursors.
template <class T>
struct Walk {
  std::vector<T> items;
  std::vector<std::size_t> page_sizes;
  std::vector<std::string> cursors;  // next_cursor of every page, the last one empty
};

template <class T>
Walk<T> walk_pages(const std::function<Page<T>(const PageRequest&)>& fetch,
                   std::size_t limit = 100) {
  Walk<T> walk;
  PageRequest request{"", limit};
  for (int guard = 0; guard < 10000; ++guard) {
    Page<T> page = fetch(request);
    walk.page_sizes.push_back(page.items.size());
    walk.cursors.push_back(page.next_cursor);
    for (auto& item : page.items)
      walk.items.push_back(std::move(item));
    if (page.next_cursor.empty())
      break;
    request.cursor = page.next_cursor;
  }
  return walk;
}

// Regular files under <home>/files, except the temporaries in .tmp.
inline std::vector<std::filesystem::path> stored_files(const std::filesystem::path& home) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(home / "files")) {
    // Content files only: not the temporaries (in .tmp and its shards), not the LAYOUT marker.
    const auto relative = std::filesystem::relative(entry.path(), home / "files").string();
    if (entry.is_regular_file() && relative.rfind(".tmp/", 0) != 0 &&
        entry.path().filename() != "LAYOUT") {
      out.push_back(entry.path());
    }
  }
  return out;
}

inline std::vector<std::filesystem::path> temp_files(const std::filesystem::path& home) {
  std::vector<std::filesystem::path> out;
  // Temporaries sit in .tmp or in its shard folders (.tmp/0 … .tmp/f).
  for (const auto& entry : std::filesystem::recursive_directory_iterator(home / "files" / ".tmp")) {
    if (!entry.is_directory())
      out.push_back(entry.path());
  }
  return out;
}

}  // namespace synapse::runtime::test

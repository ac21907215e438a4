#include "storage/local_storage.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include <catch2/catch.hpp>

#include "storage_test_support.hpp"

using namespace synapse::runtime;
using namespace storage_test;
using Kind = synapse::StorageError::Kind;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  TempDir dir;
  fs::path root = dir.path() / "root";
  std::unique_ptr<synapse::Storage> storage;
  Fixture() {
    fs::create_directories(root);
    storage = make_local_storage({{"location", root.string()}});
  }
  void write_deferred(const std::string& path, const std::string& text) {
    auto out = storage->open_write_deferred(path);
    out->write(text.data(), text.size());
    out->commit();
  }
};

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::size_t entries(const fs::path& folder) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("local: write, commit and read back", "[local]") {
  Fixture f;
  CHECK(f.storage->provider() == "local");
  write_object(*f.storage, "a/b/c.txt", "hello world");
  CHECK(file_text(f.root / "a/b/c.txt") == "hello world");
  CHECK(read_object(*f.storage, "a/b/c.txt") == "hello world");
  CHECK(read_object(*f.storage, "/a//b/./c.txt") == "hello world");  // normalised
  write_object(*f.storage, "a/b/c.txt", "replaced");
  CHECK(read_object(*f.storage, "a/b/c.txt") == "replaced");
}

TEST_CASE("local: ranged reads", "[local]") {
  Fixture f;
  const auto data = random_bytes(100000, 1);
  write_object(*f.storage, "big.bin", data);
  CHECK(read_object(*f.storage, "big.bin") == data);
  CHECK(read_object(*f.storage, "big.bin", 10, 20) == data.substr(10, 20));
  CHECK(read_object(*f.storage, "big.bin", 99990) == data.substr(99990));
  CHECK(read_object(*f.storage, "big.bin", 99990, 100) == data.substr(99990));
  CHECK(read_object(*f.storage, "big.bin", 200000).empty());
  CHECK(read_object(*f.storage, "big.bin", 5, 0).empty());
}

TEST_CASE("local: stat", "[local]") {
  Fixture f;
  write_object(*f.storage, "dir/file.txt", "12345");
  const auto file = f.storage->stat("dir/file.txt");
  REQUIRE(file);
  CHECK(file->path == "dir/file.txt");
  CHECK(file->size == 5);
  CHECK_FALSE(file->is_directory);
  CHECK(file->modified_unix > 1600000000);
  const auto dir = f.storage->stat("dir");
  REQUIRE(dir);
  CHECK(dir->is_directory);
  const auto root = f.storage->stat("");
  REQUIRE(root);
  CHECK(root->is_directory);
  CHECK_FALSE(f.storage->stat("missing.txt"));
  CHECK_FALSE(f.storage->stat("dir/file.txt/below"));
}

TEST_CASE("local: flat and recursive listings", "[local]") {
  Fixture f;
  write_object(*f.storage, "top.txt", "1");
  write_object(*f.storage, "dir/a.txt", "22");
  write_object(*f.storage, "dir/sub/b.txt", "333");
  fs::create_directories(f.root / "empty");
  CHECK(listing(*f.storage, "", false) == std::vector<std::string>{"dir/", "empty/", "top.txt"});
  CHECK(listing(*f.storage, "", true) ==
        std::vector<std::string>{"dir/a.txt", "dir/sub/b.txt", "top.txt"});
  CHECK(listing(*f.storage, "dir", false) == std::vector<std::string>{"dir/a.txt", "dir/sub/"});
  CHECK(listing(*f.storage, "/dir/", true) ==
        std::vector<std::string>{"dir/a.txt", "dir/sub/b.txt"});
  auto lister = f.storage->list("dir/sub", false);
  const auto entry = lister->next();
  REQUIRE(entry);
  CHECK(entry->size == 3);
  CHECK_FALSE(lister->next());
  CHECK_FALSE(lister->next());
  CHECK(error_kind([&] { f.storage->list("nope", false); }) == Kind::not_found);
}

TEST_CASE("local: remove", "[local]") {
  Fixture f;
  write_object(*f.storage, "x.txt", "x");
  f.storage->remove("x.txt");
  CHECK_FALSE(fs::exists(f.root / "x.txt"));
  CHECK(error_kind([&] { f.storage->remove("x.txt"); }) == Kind::not_found);
}

TEST_CASE("local: a missing object is not_found", "[local]") {
  Fixture f;
  std::string message;
  CHECK(error_kind([&] { f.storage->open_read("no/such.txt"); }, &message) == Kind::not_found);
  CHECK_THAT(message, Catch::Contains("no/such.txt"));
}

TEST_CASE("local: an uncommitted write stays invisible and leaves nothing", "[local]") {
  Fixture f;
  write_object(*f.storage, "keep.txt", "old");
  {
    auto stream = f.storage->open_write("keep.txt");
    stream->write("new", 3);
    auto other = f.storage->open_write("new.txt");
    other->write("x", 1);
    CHECK(read_object(*f.storage, "keep.txt") == "old");
    CHECK_FALSE(f.storage->stat("new.txt"));
    CHECK(listing(*f.storage, "", true) == std::vector<std::string>{"keep.txt"});
  }
  CHECK(read_object(*f.storage, "keep.txt") == "old");
  CHECK(entries(f.root) == 1);  // the temporary files are gone
}

TEST_CASE("local: paths leaving the root are refused", "[local]") {
  Fixture f;
  std::ofstream(f.dir.path() / "outside.txt") << "secret data";
  fs::create_directories(f.dir.path() / "outside_dir");
  std::string message;
  CHECK(error_kind([&] { f.storage->open_read("../outside.txt"); }, &message) == Kind::path_escape);
  CHECK_THAT(message, Catch::Contains("../outside.txt"));
  CHECK(error_kind([&] { f.storage->open_read("a/../../outside.txt"); }) == Kind::path_escape);
  CHECK(error_kind([&] { f.storage->open_write("/../outside.txt"); }) == Kind::path_escape);
  CHECK(error_kind([&] { f.storage->stat(".."); }) == Kind::path_escape);
  CHECK(error_kind([&] { f.storage->list("..", true); }) == Kind::path_escape);
  CHECK(error_kind([&] { f.storage->remove("../outside.txt"); }) == Kind::path_escape);
  // "a/../b" stays inside: allowed.
  write_object(*f.storage, "a/../inside.txt", "ok");
  CHECK(read_object(*f.storage, "inside.txt") == "ok");

  // An absolute path is relative to the root: it cannot reach the real file.
  const auto absolute = (f.dir.path() / "outside.txt").string();
  CHECK(error_kind([&] { f.storage->open_read(absolute); }) == Kind::not_found);
  write_object(*f.storage, absolute, "inside");
  CHECK(file_text(f.dir.path() / "outside.txt") == "secret data");
  CHECK(file_text(f.root / absolute.substr(1)) == "inside");
}

TEST_CASE("local: symlinks leading out of the root are refused", "[local]") {
  Fixture f;
  std::ofstream(f.dir.path() / "outside.txt") << "secret data";
  fs::create_directories(f.dir.path() / "outside_dir");
  fs::create_symlink(f.dir.path() / "outside.txt", f.root / "file_link");
  fs::create_symlink(f.dir.path() / "outside_dir", f.root / "dir_link");
  write_object(*f.storage, "real.txt", "inside");
  fs::create_symlink(f.root / "real.txt", f.root / "inner_link");

  std::string message;
  CHECK(error_kind([&] { f.storage->open_read("file_link"); }, &message) == Kind::path_escape);
  CHECK_THAT(message, Catch::Contains("file_link") && Catch::Contains("outside"));
  CHECK(error_kind([&] { f.storage->stat("file_link"); }) == Kind::path_escape);
  CHECK(error_kind([&] { f.storage->open_write("dir_link/new.txt"); }) == Kind::path_escape);
  CHECK_FALSE(fs::exists(f.dir.path() / "outside_dir/new.txt"));
  CHECK(error_kind([&] { f.storage->list("dir_link", true); }) == Kind::path_escape);
  CHECK(error_kind([&] { f.storage->remove("dir_link/x"); }) == Kind::path_escape);
  // A link within the root is fine; listings skip the escaping ones.
  CHECK(read_object(*f.storage, "inner_link") == "inside");
  CHECK(listing(*f.storage, "", false) == std::vector<std::string>{"inner_link", "real.txt"});
}

namespace {

// What a listing says it left out, in path order (listing order is the file system's).
std::vector<synapse::SkippedEntry> skipped_by_path(synapse::ObjectLister& lister) {
  auto skipped = lister.take_skipped();
  std::sort(skipped.begin(), skipped.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  return skipped;
}

}  // namespace

TEST_CASE("local: a listing tells which symlinks it left out and why", "[local]") {
  Fixture f;
  std::ofstream(f.dir.path() / "outside.txt") << "secret data";
  write_object(*f.storage, "sub/real.txt", "inside");
  fs::create_symlink(f.dir.path() / "outside.txt", f.root / "sub/file_link");
  fs::create_symlink(f.root / "sub/missing.txt", f.root / "sub/dangling");
  fs::create_symlink(f.root / "sub/real.txt", f.root / "sub/inner_link");

  auto lister = f.storage->list("", true);
  std::vector<std::string> listed;
  while (auto info = lister->next())
    listed.push_back(info->path);
  std::sort(listed.begin(), listed.end());
  CHECK(listed == std::vector<std::string>{"sub/inner_link", "sub/real.txt"});
  const auto skipped = skipped_by_path(*lister);
  REQUIRE(skipped.size() == 2);
  CHECK(skipped[0].path == "sub/dangling");
  CHECK(skipped[0].reason == "a symlink to nothing (its target does not exist)");
  CHECK(skipped[1].path == "sub/file_link");
  CHECK(skipped[1].reason == "a symlink leading out of the storage root, not followed");
  CHECK(lister->take_skipped().empty());  // taken once
}

TEST_CASE("local: a linked folder is marked as a link and a recursive listing does not enter it",
          "[local]") {
  Fixture f;
  write_object(*f.storage, "data/a.txt", "a");
  fs::create_symlink(f.root / "data", f.root / "data_link");
  fs::create_symlink("..", f.root / "data/loop");  // back to the root: a walk must not follow

  std::map<std::string, bool> flat;  // path -> is_link
  auto lister = f.storage->list("", false);
  while (auto info = lister->next()) {
    CHECK(info->is_directory);
    flat[info->path] = info->is_link;
  }
  CHECK(flat == std::map<std::string, bool>{{"data", false}, {"data_link", true}});
  CHECK(lister->take_skipped().empty());

  std::vector<std::string> files;
  auto recursive = f.storage->list("", true);
  while (auto info = recursive->next())
    files.push_back(info->path);
  CHECK(files == std::vector<std::string>{"data/a.txt"});
  const auto skipped = skipped_by_path(*recursive);
  REQUIRE(skipped.size() == 2);
  CHECK(skipped[0].path == "data/loop");
  CHECK(skipped[1].path == "data_link");
  for (const auto& entry : skipped)
    CHECK_THAT(entry.reason, Catch::StartsWith("a symlink to a folder, not descended into"));
}

TEST_CASE("local: configuration errors", "[local]") {
  std::string message;
  CHECK(error_kind([] { make_local_storage(nlohmann::json::object()); }, &message) ==
        Kind::invalid_config);
  CHECK_THAT(message, Catch::Contains("location"));
  CHECK(error_kind([] { make_local_storage({{"location", 12}}); }) == Kind::invalid_config);
  CHECK(error_kind(
            [] {
              make_local_storage({{"location", "/no/such/folder/x"}});
            },
            &message) == Kind::invalid_config);
  CHECK_THAT(message, Catch::Contains("/no/such/folder/x"));
}

// open_write_deferred() and sync(): objects written in place in folders opened once, made
// durable together by sync() (storage.hpp).
TEST_CASE("local deferred: committed objects are there, folders created, sync succeeds",
          "[local][deferred]") {
  Fixture f;
  f.write_deferred("export/json/1.json", "{\"a\": 1}");
  f.write_deferred("export/json/2.json", "two");
  f.write_deferred("top.txt", "top");
  f.storage->sync();
  CHECK(read_object(*f.storage, "export/json/1.json") == "{\"a\": 1}");
  CHECK(read_object(*f.storage, "export/json/2.json") == "two");
  CHECK(read_object(*f.storage, "top.txt") == "top");
  CHECK(entries(f.root / "export/json") == 2);  // no temporary file beside them
}

TEST_CASE("local deferred: a stream destroyed without commit removes its object",
          "[local][deferred]") {
  Fixture f;
  {
    auto out = f.storage->open_write_deferred("json/9.json");
    out->write("part", 4);
  }
  CHECK_FALSE(f.storage->stat("json/9.json"));
  CHECK(entries(f.root / "json") == 0);
}

TEST_CASE("local deferred: an existing object is replaced whole, the atomic way",
          "[local][deferred]") {
  Fixture f;
  write_object(*f.storage, "json/1.json", "old content");
  {
    auto out = f.storage->open_write_deferred("json/1.json");
    out->write("new", 3);
    CHECK(read_object(*f.storage, "json/1.json") == "old content");  // until commit
    out->commit();
  }
  CHECK(read_object(*f.storage, "json/1.json") == "new");
  CHECK(entries(f.root / "json") == 1);
}

TEST_CASE("local deferred: paths and symlinks leaving the root are refused", "[local][deferred]") {
  Fixture f;
  fs::create_directories(f.dir.path() / "outside_dir");
  fs::create_symlink(f.dir.path() / "outside_dir", f.root / "dir_link");
  std::ofstream(f.dir.path() / "outside.txt") << "secret data";
  fs::create_symlink(f.dir.path() / "outside.txt", f.root / "file_link");
  std::string message;
  CHECK(error_kind([&] { f.storage->open_write_deferred("../x.json"); }, &message) ==
        Kind::path_escape);
  CHECK_THAT(message, Catch::Contains("../x.json"));
  CHECK(error_kind([&] { f.storage->open_write_deferred("dir_link/x.json"); }) ==
        Kind::path_escape);
  CHECK(entries(f.dir.path() / "outside_dir") == 0);
  // A symlink in the object's own place is not written through: it exists, so the write takes
  // open_write's way, which refuses a link leading out.
  CHECK(error_kind([&] { f.write_deferred("file_link", "inside"); }) == Kind::path_escape);
  std::ifstream outside(f.dir.path() / "outside.txt");
  CHECK(std::string(std::istreambuf_iterator<char>(outside), {}) == "secret data");
}

TEST_CASE("local deferred: the storage root is no object path", "[local][deferred]") {
  Fixture f;
  CHECK(error_kind([&] { f.storage->open_write_deferred(""); }) == Kind::io);
  CHECK(error_kind([&] { f.storage->open_write_deferred("/"); }) == Kind::io);
}

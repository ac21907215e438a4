// Local storage's open_write_deferred() and sync(): objects written in place in folders opened
// once, made durable together by sync() (storage.hpp).
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "storage/local_storage.hpp"
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

std::size_t entries(const fs::path& folder) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder))
    ++n;
  return n;
}

}  // namespace

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

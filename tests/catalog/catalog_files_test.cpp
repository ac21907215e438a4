// Data files and the content-addressed store: hashing, dedup, reading, deleting, and a writer
// killed in the middle of a put.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <streambuf>

#include <catch2/catch.hpp>

#include "catalog/content_store.hpp"
#include "catalog_test_util.hpp"

using nlohmann::json;
using namespace synapse;
using synapse::runtime::open_catalog;
using synapse::runtime::catalog::ContentStore;
using synapse::runtime::test::read_all;
using synapse::runtime::test::stored_files;
using synapse::runtime::test::temp_files;
using synapse::runtime::test::TempHome;
using synapse::runtime::test::write_file;

namespace {

// sha256("hello world")
constexpr const char* kHelloSha =
    "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";

}  // namespace

TEST_CASE("catalog: a store made with the two-level layout keeps it", "[catalog]") {
  TempHome home;
  // A store of the first layout: content folders, no LAYOUT file.
  write_file(home.path() / "files" / "b9" / "4d" / kHelloSha, "hello world");
  synapse::runtime::catalog::ContentStore legacy(home.path() / "files");
  CHECK(legacy.layout() == 1);
  CHECK(legacy.location(kHelloSha) == std::string("b9/4d/") + kHelloSha);
  CHECK(legacy.contains(kHelloSha));
  TempHome fresh;
  synapse::runtime::catalog::ContentStore store(fresh.path() / "files");
  CHECK(store.layout() == 2);
  CHECK(store.location(kHelloSha) == std::string("b9/") + kHelloSha);
}

TEST_CASE("catalog: put_file stores the bytes under files/aa/<sha256> and returns the row",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto put = catalog->put_file(write_file(home.path() / "in" / "a.txt", "hello world"), "a.txt",
                               {{"source", "test"}});
  CHECK(put.created);
  CHECK(put.file.checksum == kHelloSha);
  CHECK(put.file.size == 11);
  CHECK(put.file.original_name == "a.txt");
  CHECK(put.file.location == std::string("b9/") + kHelloSha);
  CHECK(put.file.meta == json{{"source", "test"}});
  CHECK(put.file.created_at.size() == 24);  // 2025-01-31T12:00:00.123Z

  auto path = catalog->data_file_path(put.file.id);
  CHECK(path == home.path() / "files" / "b9" / kHelloSha);
  CHECK(read_all(*catalog->open_data_file(put.file.id)) == "hello world");
  CHECK(catalog->get_data_file(put.file.id).checksum == kHelloSha);
  CHECK(catalog->find_data_file_by_checksum(kHelloSha)->id == put.file.id);
  CHECK_FALSE(catalog->find_data_file_by_checksum(std::string(64, '0')).has_value());
  CHECK(temp_files(home.path()).empty());
}

TEST_CASE("catalog: the same bytes put twice are stored once, as one row", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto first = catalog->put_file(write_file(home.path() / "in" / "a.txt", "hello world"), "a.txt");
  std::istringstream again("hello world");
  auto second = catalog->put_stream(again, "b.txt", {{"other", true}});
  CHECK(first.created);
  CHECK_FALSE(second.created);
  CHECK(second.file.id == first.file.id);
  CHECK(second.file.original_name == "a.txt");  // the existing row, unchanged
  CHECK(second.file.meta == json::object());
  CHECK(stored_files(home.path()).size() == 1);
  CHECK(temp_files(home.path()).empty());

  std::istringstream different("hello world!");
  auto third = catalog->put_stream(different, "c.txt");
  CHECK(third.created);
  CHECK(third.file.id != first.file.id);
  CHECK(stored_files(home.path()).size() == 2);
}

TEST_CASE("catalog: a large file is hashed while streamed and round-trips byte for byte",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  std::string content;
  for (int i = 0; i < 3 * 1024 * 1024 + 17; ++i)
    content += static_cast<char>((static_cast<unsigned>(i) * 7919u) % 251u);
  auto source = write_file(home.path() / "in" / "big.bin", content);
  auto put = catalog->put_file(source, "big.bin");
  CHECK(put.file.size == content.size());
  CHECK(put.file.checksum == ContentStore::sha256_of_file(source));
  CHECK(read_all(*catalog->open_data_file(put.file.id)) == content);
}

TEST_CASE("catalog: put_file of a missing local file is an io error naming the path", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  try {
    catalog->put_file(home.path() / "missing.jpg", "missing.jpg");
    FAIL("missing file accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::io);
    CHECK_THAT(e.what(), Catch::Contains("missing.jpg"));
  }
  CHECK(temp_files(home.path()).empty());
  CHECK(stored_files(home.path()).empty());
}

TEST_CASE("catalog: delete_data_file removes row and bytes, unless a data unit still uses it",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  DataCollection c;
  c.name = "c";
  c.file_specifications = {{"image", "image", {}, true, ""}};
  auto collection = catalog->create_data_collection(c);
  auto used = catalog->put_file(write_file(home.path() / "in" / "a", "used"), "a").file;
  auto loose = catalog->put_file(write_file(home.path() / "in" / "b", "loose"), "b").file;
  auto unit = catalog->create_data_units(collection.id, {{{{"image", used.id}}, {}}})[0];

  try {
    catalog->delete_data_file(used.id);
    FAIL("referenced file deleted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::conflict);
    CHECK_THAT(e.what(), Catch::Contains("data_files " + std::to_string(used.id)));
  }
  catalog->delete_data_file(loose.id);
  CHECK_FALSE(catalog->find_data_file_by_checksum(loose.checksum).has_value());
  CHECK_FALSE(std::filesystem::exists(home.path() / "files" / loose.location));
  CHECK(stored_files(home.path()).size() == 1);

  // Rollback order of an upload: units first, then the files they used.
  catalog->delete_data_units({unit.id});
  catalog->delete_data_file(used.id);
  CHECK(stored_files(home.path()).empty());
  CHECK_THROWS_AS(catalog->get_data_file(used.id), CatalogError);

  // Deleted content can be stored again.
  std::istringstream again("loose");
  CHECK(catalog->put_stream(again, "b").created);
}

namespace {

// Produces 'x' bytes forever; after `signal_after` bytes it writes to `fd` once and then blocks,
// like a slow network source that stalls mid-transfer.
class StallingSource : public std::streambuf {
 public:
  StallingSource(std::size_t signal_after, int fd) : signal_after_(signal_after), fd_(fd) {
    buffer_.assign(64 * 1024, 'x');
  }

 protected:
  int_type underflow() override {
    if (produced_ >= signal_after_) {
      char ready = 'r';
      if (::write(fd_, &ready, 1) != 1)
        _exit(3);
      for (;;)
        pause();  // until SIGKILL
    }
    produced_ += buffer_.size();
    setg(buffer_.data(), buffer_.data(), buffer_.data() + buffer_.size());
    return traits_type::to_int_type(buffer_[0]);
  }

 private:
  std::vector<char> buffer_;
  std::size_t produced_ = 0;
  std::size_t signal_after_;
  int fd_;
};

}  // namespace

TEST_CASE(
    "catalog: a writer killed mid-put leaves no visible partial file, the temp is cleaned later",
    "[catalog]") {
  TempHome home;
  {
    auto catalog = open_catalog(home.path());
    catalog->put_file(write_file(home.path() / "in" / "ok.txt", "complete"), "ok.txt");
  }
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(ready[0]);
    try {
      auto catalog = open_catalog(home.path());
      StallingSource source(8 * 1024 * 1024, ready[1]);
      std::istream in(&source);
      catalog->put_stream(in, "never.bin");
    } catch (...) {
    }
    _exit(2);  // never reached when killed as planned
  }
  close(ready[1]);
  char byte = 0;
  REQUIRE(read(ready[0], &byte, 1) == 1);
  close(ready[0]);
  // The child has written >= 8 MiB of a file that will never complete.
  auto temps = temp_files(home.path());
  REQUIRE(temps.size() == 1);
  CHECK(std::filesystem::file_size(temps[0]) >= 8u * 1024 * 1024);
  REQUIRE(kill(child, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));

  // Only complete, hash-matching files are visible under their final names.
  auto files = stored_files(home.path());
  REQUIRE(files.size() == 1);
  for (const auto& file : files) {
    CHECK(file.filename().string() == ContentStore::sha256_of_file(file));
  }

  // Opening the catalog again removes the dead writer's temporary; puts keep working.
  auto catalog = open_catalog(home.path());
  CHECK(temp_files(home.path()).empty());
  std::istringstream next("after the crash");
  auto put = catalog->put_stream(next, "next.txt");
  CHECK(put.created);
  CHECK(read_all(*catalog->open_data_file(put.file.id)) == "after the crash");
  CHECK(stored_files(home.path()).size() == 2);
}

TEST_CASE("catalog: temporaries of a live writer are not removed by another opener", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto live = write_file(home.path() / "files" / ".tmp" / (std::to_string(getpid()) + "-abc.part"),
                         "in progress");
  auto foreign = write_file(home.path() / "files" / ".tmp" / "notes.txt", "not ours");
  auto second = open_catalog(home.path());
  CHECK(std::filesystem::exists(live));
  CHECK(std::filesystem::exists(foreign));
}

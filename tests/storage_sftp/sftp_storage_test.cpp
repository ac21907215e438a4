// The sftp provider's operations against the fixture sshd: every test works in its own folder
// under the login folder of the test user.
#include <algorithm>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "sftp_test_support.hpp"

using synapse::ObjectInfo;
using synapse::StorageError;
using Kind = synapse::StorageError::Kind;
using namespace sftp_test;

namespace {

std::vector<ObjectInfo> drain(synapse::ObjectLister& lister) {
  std::vector<ObjectInfo> entries;
  while (auto entry = lister.next()) {
    entries.push_back(*entry);
  }
  std::sort(entries.begin(), entries.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.path < b.path; });
  return entries;
}

std::string random_bytes(std::size_t size) {
  std::mt19937 engine(42);
  std::string data(size, '\0');
  for (char& byte : data) {
    byte = static_cast<char>(engine() & 0xff);
  }
  return data;
}

}  // namespace

TEST_CASE("sftp committed writes read back byte-identical, 5 MiB included", "[storage][sftp]") {
  auto storage = synapse::runtime::make_sftp_storage(config());
  const std::string folder = unique_folder("roundtrip");
  CHECK(storage->provider() == "sftp");

  put(*storage, folder + "/hello.txt", "hello, sftp");
  CHECK(get(*storage, folder + "/hello.txt") == "hello, sftp");

  // Written in uneven pieces (one larger than the provider's chunk), read with another size.
  const std::string big = random_bytes(5 * 1024 * 1024);
  auto stream = storage->open_write(folder + "/deep/er/big.bin");
  std::size_t written = 0;
  for (std::size_t piece : {1u, 70000u, 300000u, 12345u}) {
    stream->write(big.data() + written, piece);
    written += piece;
  }
  stream->write(big.data() + written, big.size() - written);
  stream->commit();

  const std::string back = get(*storage, "/" + folder + "/deep/er/big.bin", 0, {}, 77777);
  REQUIRE(back.size() == big.size());
  CHECK(back == big);
  CHECK(storage->stat(folder + "/deep/er/big.bin")->size == 5u * 1024 * 1024);
}

TEST_CASE("sftp ranged reads return exactly the requested bytes", "[storage][sftp]") {
  auto storage = synapse::runtime::make_sftp_storage(config());
  const std::string path = unique_folder("range") + "/digits.txt";
  put(*storage, path, "0123456789abcdefghij");

  CHECK(get(*storage, path, 10, 5) == "abcde");
  CHECK(get(*storage, path, 15) == "fghij");
  CHECK(get(*storage, path, 0, 3) == "012");
  CHECK(get(*storage, path, 18, 100) == "ij");
  CHECK(get(*storage, path, 50) == "");
  CHECK(get(*storage, path, 4, 0) == "");
  CHECK(get(*storage, path, 2, 7, 3) == "2345678");  // length respected across several reads
}

TEST_CASE("sftp stat reports size, type and modification time", "[storage][sftp]") {
  auto storage = synapse::runtime::make_sftp_storage(config());
  const std::string folder = unique_folder("stat");
  put(*storage, folder + "/sub/file.txt", "twelve bytes");

  auto file = storage->stat(folder + "/sub/file.txt");
  REQUIRE(file.has_value());
  CHECK(file->path == folder + "/sub/file.txt");
  CHECK(file->size == 12);
  CHECK_FALSE(file->is_directory);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  CHECK(file->modified_unix > now - 600);
  CHECK(file->modified_unix <= now + 600);

  auto sub = storage->stat("./" + folder + "//sub/");
  REQUIRE(sub.has_value());
  CHECK(sub->path == folder + "/sub");
  CHECK(sub->is_directory);

  CHECK_FALSE(storage->stat(folder + "/sub/missing.txt").has_value());
  CHECK_FALSE(storage->stat(folder + "/nothing/here.txt").has_value());
}

TEST_CASE("sftp list yields direct children, recursive every file below", "[storage][sftp]") {
  auto storage = synapse::runtime::make_sftp_storage(config());
  const std::string f = unique_folder("list");
  put(*storage, f + "/1.txt", "1");
  put(*storage, f + "/b/22.txt", "22");
  put(*storage, f + "/b/c/333.txt", "333");
  put(*storage, f + "/b/c/d/4444.txt", "4444");
  put(*storage, f + "/e/55555.txt", "55555");

  auto flat = drain(*storage->list(f, false));
  REQUIRE(flat.size() == 3);
  CHECK(flat[0].path == f + "/1.txt");
  CHECK(flat[0].size == 1);
  CHECK_FALSE(flat[0].is_directory);
  CHECK(flat[1].path == f + "/b");
  CHECK(flat[1].is_directory);
  CHECK(flat[2].path == f + "/e");
  CHECK(flat[2].is_directory);

  auto all = drain(*storage->list("/" + f + "/", true));
  REQUIRE(all.size() == 5);
  const std::vector<std::string> expected = {f + "/1.txt", f + "/b/22.txt", f + "/b/c/333.txt",
                                             f + "/b/c/d/4444.txt", f + "/e/55555.txt"};
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i].path == expected[i]);
    CHECK_FALSE(all[i].is_directory);
    CHECK(all[i].size == i + 1);
  }

  auto below = drain(*storage->list(f + "/b/c", true));
  REQUIRE(below.size() == 2);
  CHECK(below[0].path == f + "/b/c/333.txt");
  CHECK(below[1].path == f + "/b/c/d/4444.txt");

  // The root listing streams too and includes this test's folder.
  auto top = storage->list("", false);
  bool found = false;
  while (auto entry = top->next()) {
    found = found || (entry->path == f && entry->is_directory);
  }
  CHECK(found);

  CHECK(error_kind([&] { storage->list(f + "/missing", false); }) == Kind::not_found);
  CHECK(error_kind([&] { storage->list(f + "/1.txt", false); }) == Kind::io);
}

TEST_CASE("sftp uncommitted writes stay invisible and are cleaned up", "[storage][sftp]") {
  auto storage = synapse::runtime::make_sftp_storage(config());
  const std::string f = unique_folder("uncommitted");
  put(*storage, f + "/keep.txt", "keep");
  {
    auto stream = storage->open_write(f + "/draft.txt");
    stream->write("partial", 7);
    CHECK_FALSE(storage->stat(f + "/draft.txt").has_value());
    auto during = drain(*storage->list(f, false));
    REQUIRE(during.size() == 1);  // the temporary file is not listed either
    CHECK(during[0].path == f + "/keep.txt");
  }
  CHECK_FALSE(storage->stat(f + "/draft.txt").has_value());
  // On the server itself (same machine): only the committed object is left, no temporary.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(server().home / f)) {
    names.push_back(entry.path().filename().string());
  }
  CHECK(names == std::vector<std::string>{"keep.txt"});
}

TEST_CASE("sftp writing an existing object replaces it", "[storage][sftp]") {
  auto storage = synapse::runtime::make_sftp_storage(config());
  const std::string f = unique_folder("overwrite");
  put(*storage, f + "/doc.txt", "the first, longer version");
  put(*storage, f + "/doc.txt", "second");
  CHECK(get(*storage, f + "/doc.txt") == "second");
  CHECK(storage->stat(f + "/doc.txt")->size == 6);
  auto entries = drain(*storage->list(f, false));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].path == f + "/doc.txt");
  CHECK(std::filesystem::file_size(server().home / f / "doc.txt") == 6);
  std::vector<std::string> names;  // the old version moved aside is gone too
  for (const auto& entry : std::filesystem::directory_iterator(server().home / f)) {
    names.push_back(entry.path().filename().string());
  }
  CHECK(names == std::vector<std::string>{"doc.txt"});

  // A folder cannot be replaced by an object.
  put(*storage, f + "/dir/x.txt", "x");
  CHECK(error_kind([&] { storage->open_write(f + "/dir"); }) == Kind::io);
  // Nor can an object be used as a folder.
  CHECK(error_kind([&] { storage->open_write(f + "/doc.txt/inner.txt"); }) == Kind::io);
}

TEST_CASE("sftp remove deletes one object", "[storage][sftp]") {
  auto storage = synapse::runtime::make_sftp_storage(config());
  const std::string f = unique_folder("remove");
  put(*storage, f + "/gone.txt", "bye");
  put(*storage, f + "/stays.txt", "hi");
  storage->remove(f + "/gone.txt");
  CHECK_FALSE(storage->stat(f + "/gone.txt").has_value());
  CHECK(get(*storage, f + "/stays.txt") == "hi");
  CHECK_FALSE(std::filesystem::exists(server().home / f / "gone.txt"));
  CHECK(error_kind([&] { storage->remove(f); }) == Kind::io);  // folders are not objects
}

TEST_CASE("sftp missing objects and folders are not_found", "[storage][sftp]") {
  auto storage = synapse::runtime::make_sftp_storage(config());
  const std::string f = unique_folder("missing");
  put(*storage, f + "/present.txt", "x");
  std::string message;
  CHECK(error_kind([&] { storage->open_read(f + "/absent.txt"); }, &message) == Kind::not_found);
  CHECK_THAT(message, Catch::Contains("sftp://") && Catch::Contains(f + "/absent.txt"));
  CHECK(error_kind([&] { storage->remove(f + "/absent.txt"); }) == Kind::not_found);
  CHECK(error_kind([&] { storage->remove(f + "/no/such/dir.txt"); }) == Kind::not_found);
  CHECK(error_kind([&] { storage->open_read(f + "/no/such/dir.txt"); }) == Kind::not_found);
}

TEST_CASE("sftp streams and threads share one session safely", "[storage][sftp]") {
  auto storage = synapse::runtime::make_sftp_storage(config());
  const std::string f = unique_folder("threads");
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::string path = f + "/t" + std::to_string(t) + "/" + std::to_string(i);
        const std::string data(1000 * (i + 1), static_cast<char>('a' + t));
        put(*storage, path, data);
        if (get(*storage, path) == data) {
          ++good;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(good == 20);

  // A stream keeps the session alive after its storage is gone.
  auto reader = storage->open_read(f + "/t1/0");
  storage.reset();
  char buffer[10] = {};
  CHECK(reader->read(buffer, sizeof buffer) == 10);
  CHECK(std::string(buffer, 10) == std::string(10, 'b'));
}

// Batched storing of many files: stage_stream (no fsync, from many threads) then commit_files
// (one durability barrier and one transaction per batch); dedup, invisibility until commit,
// all-or-nothing failure, stale temporaries of a killed stager, and a hidden timing run.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

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

namespace {

// sha256("hello world")
constexpr const char* kHelloSha =
    "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";

std::unique_ptr<StagedContent> stage(Catalog& catalog, const std::string& content) {
  std::istringstream in(content);
  return catalog.stage_stream(in);
}

FileToCommit to_commit(Catalog& catalog, const std::string& content, const std::string& name,
                       json meta = json::object()) {
  return FileToCommit{stage(catalog, content), name, std::move(meta)};
}

}  // namespace

TEST_CASE("catalog: commit_files stores a batch of staged files, they read back byte for byte",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  std::vector<std::string> contents = {"hello world"};
  for (int i = 1; i < 50; ++i)
    contents.push_back("file " + std::to_string(i) + std::string(static_cast<std::size_t>(i), 'x'));
  std::vector<FileToCommit> batch;
  for (std::size_t i = 0; i < contents.size(); ++i) {
    batch.push_back(to_commit(*catalog, contents[i], "f" + std::to_string(i) + ".txt",
                              {{"i", static_cast<int>(i)}}));
  }
  CHECK(batch[0].content->checksum() == kHelloSha);
  CHECK(batch[0].content->size() == 11);

  auto results = catalog->commit_files(std::move(batch));
  REQUIRE(results.size() == contents.size());
  std::set<CatalogId> ids;
  for (std::size_t i = 0; i < contents.size(); ++i) {
    const auto& [file, created] = results[i];
    CHECK(created);
    ids.insert(file.id);
    CHECK(file.size == contents[i].size());
    CHECK(file.original_name == "f" + std::to_string(i) + ".txt");  // input order
    CHECK(file.meta == json{{"i", static_cast<int>(i)}});
    CHECK(file.location == ContentStore(home.path() / "files").location(file.checksum));
    CHECK(read_all(*catalog->open_data_file(file.id)) == contents[i]);
    CHECK(ContentStore::sha256_of_file(catalog->data_file_path(file.id)) == file.checksum);
    auto row = catalog->get_data_file(file.id);
    CHECK(row.checksum == file.checksum);
    CHECK(row.created_at == file.created_at);
  }
  CHECK(results[0].file.checksum == kHelloSha);
  CHECK(ids.size() == contents.size());
  CHECK(stored_files(home.path()).size() == contents.size());
  CHECK(temp_files(home.path()).empty());
  CHECK(catalog->commit_files({}).empty());
}

TEST_CASE("catalog: commit_files dedups against stored files and within the batch", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  std::istringstream first_content("hello world");
  auto stored = catalog->put_stream(first_content, "a.txt", {{"from", "put"}}).file;

  std::vector<FileToCommit> batch;
  batch.push_back(to_commit(*catalog, "hello world", "b.txt", {{"from", "batch"}}));
  batch.push_back(to_commit(*catalog, "new bytes", "c.txt"));
  batch.push_back(to_commit(*catalog, "new bytes", "d.txt"));
  batch.push_back(to_commit(*catalog, "other bytes", "e.txt"));
  // New content is staged at its final name; content whose name is taken (stored already, or
  // staged a moment ago) goes to a temporary.
  CHECK(temp_files(home.path()).size() == 2);
  CHECK(stored_files(home.path()).size() == 3);
  auto results = catalog->commit_files(std::move(batch));
  REQUIRE(results.size() == 4);

  // Already stored: the existing row, unchanged.
  CHECK_FALSE(results[0].created);
  CHECK(results[0].file.id == stored.id);
  CHECK(results[0].file.original_name == "a.txt");
  CHECK(results[0].file.meta == json{{"from", "put"}});
  // Twice in the batch: one row, the first file's.
  CHECK(results[1].created);
  CHECK_FALSE(results[2].created);
  CHECK(results[2].file.id == results[1].file.id);
  CHECK(results[2].file.original_name == "c.txt");
  CHECK(results[3].created);

  CHECK(catalog->find_data_file_by_checksum(results[1].file.checksum)->id == results[1].file.id);
  CHECK(stored_files(home.path()).size() == 3);
  CHECK(temp_files(home.path()).empty());  // the discarded copies are gone too
}

TEST_CASE("catalog: staged content is invisible until committed and leaves nothing when dropped",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto kept = stage(*catalog, "kept");
  auto dropped = stage(*catalog, "dropped");
  const std::string kept_sha = kept->checksum();
  const std::string dropped_sha = dropped->checksum();
  // At their final names already, but without rows: nothing of the catalog reaches them.
  CHECK(temp_files(home.path()).empty());
  CHECK(stored_files(home.path()).size() == 2);
  CHECK_FALSE(catalog->find_data_file_by_checksum(kept_sha).has_value());
  CHECK_FALSE(catalog->find_data_file_by_checksum(dropped_sha).has_value());

  dropped.reset();
  CHECK(stored_files(home.path()).size() == 1);
  CHECK_FALSE(catalog->find_data_file_by_checksum(dropped_sha).has_value());

  std::vector<FileToCommit> batch;
  batch.push_back({std::move(kept), "kept.txt"});
  auto results = catalog->commit_files(std::move(batch));
  REQUIRE(results.size() == 1);
  CHECK(catalog->find_data_file_by_checksum(kept_sha)->id == results[0].file.id);
  CHECK_FALSE(catalog->find_data_file_by_checksum(dropped_sha).has_value());
  CHECK(stored_files(home.path()).size() == 1);
  CHECK(temp_files(home.path()).empty());
}

TEST_CASE("catalog: stage_stream from 4 threads, then one commit_files registers every file",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100;
  std::mutex mutex;
  std::vector<FileToCommit> batch;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i <= kPerThread; ++i) {
        // The last file of every thread has the same bytes.
        std::string content = i == kPerThread
                                  ? std::string("shared by every thread")
                                  : "thread " + std::to_string(t) + " file " + std::to_string(i);
        std::istringstream in(content);
        auto staged = catalog->stage_stream(in);
        std::lock_guard lock(mutex);
        batch.push_back({std::move(staged), content});
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  REQUIRE(batch.size() == kThreads * (kPerThread + 1));
  // The shared content took its final name once; the other threads' copies are temporaries.
  CHECK(temp_files(home.path()).size() == kThreads - 1);
  CHECK(stored_files(home.path()).size() == kThreads * kPerThread + 1);

  auto results = catalog->commit_files(std::move(batch));
  REQUIRE(results.size() == kThreads * (kPerThread + 1));
  std::set<CatalogId> ids;
  int created = 0;
  for (const auto& result : results) {
    ids.insert(result.file.id);
    created += result.created ? 1 : 0;
    // The original name is the content: every row holds the bytes it was named after (for
    // the shared content, the first committed file's name, which is that same content).
    CHECK(read_all(*catalog->open_data_file(result.file.id)) == result.file.original_name);
  }
  CHECK(created == kThreads * kPerThread + 1);
  CHECK(ids.size() == kThreads * kPerThread + 1);
  CHECK(stored_files(home.path()).size() == kThreads * kPerThread + 1);
  CHECK(temp_files(home.path()).empty());
}

TEST_CASE("catalog: a batch with one file that cannot be registered registers none, naming it",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  // A folder in the way of b.txt's final name: b.txt is staged to a temporary, whose rename
  // fails. (Its checksum comes from a staging that is dropped at once.)
  const std::string b_sha = stage(*catalog, "second")->checksum();
  auto blocker = home.path() / "files" / ContentStore(home.path() / "files").location(b_sha);
  std::filesystem::create_directories(blocker / "in-the-way");
  std::vector<FileToCommit> batch;
  batch.push_back(to_commit(*catalog, "first", "a.txt"));
  batch.push_back(to_commit(*catalog, "second", "b.txt"));
  batch.push_back(to_commit(*catalog, "third", "c.txt"));
  std::vector<std::string> checksums;
  for (const auto& file : batch)
    checksums.push_back(file.content->checksum());
  REQUIRE(checksums[1] == b_sha);

  try {
    catalog->commit_files(std::move(batch));
    FAIL("a batch with an unstorable file was committed");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::io);
    CHECK_THAT(e.what(), Catch::Contains("files[1] \"b.txt\"") &&
                             Catch::Contains("nothing of the batch was registered"));
  }
  for (const auto& checksum : checksums)
    CHECK_FALSE(catalog->find_data_file_by_checksum(checksum).has_value());
  CHECK(temp_files(home.path()).empty());
  // a.txt had been published before b.txt failed: bytes without a row, like a killed run.
  CHECK(std::filesystem::is_regular_file(
      home.path() / "files" / ContentStore(home.path() / "files").location(checksums[0])));
  // c.txt, staged in place but never published, is gone.
  CHECK_FALSE(std::filesystem::exists(home.path() / "files" /
                                      ContentStore(home.path() / "files").location(checksums[2])));

  // Once the way is clear, the same batch goes through, a.txt's leftover bytes included.
  std::filesystem::remove_all(blocker);
  std::vector<FileToCommit> again;
  again.push_back(to_commit(*catalog, "first", "a.txt"));
  again.push_back(to_commit(*catalog, "second", "b.txt"));
  again.push_back(to_commit(*catalog, "third", "c.txt"));
  auto results = catalog->commit_files(std::move(again));
  REQUIRE(results.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(results[i].created);
    CHECK(results[i].file.checksum == checksums[i]);
  }
  CHECK(read_all(*catalog->open_data_file(results[0].file.id)) == "first");
  CHECK(read_all(*catalog->open_data_file(results[1].file.id)) == "second");
  CHECK(stored_files(home.path()).size() == 3);
}

TEST_CASE("catalog: final bytes left without a row by a killed run are registered normally",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  synapse::runtime::test::write_file(
      home.path() / "files" / ContentStore(home.path() / "files").location(kHelloSha),
      "hello world");
  std::vector<FileToCommit> batch;
  batch.push_back(to_commit(*catalog, "hello world", "hello.txt"));
  auto results = catalog->commit_files(std::move(batch));
  REQUIRE(results.size() == 1);
  CHECK(results[0].created);
  CHECK(results[0].file.original_name == "hello.txt");
  CHECK(read_all(*catalog->open_data_file(results[0].file.id)) == "hello world");
  CHECK(stored_files(home.path()).size() == 1);
  CHECK(temp_files(home.path()).empty());
}

namespace {

class ForeignContent : public StagedContent {
 public:
  const std::string& checksum() const override { return checksum_; }
  std::uint64_t size() const override { return 0; }

 private:
  std::string checksum_ = kHelloSha;
};

}  // namespace

TEST_CASE("catalog: commit_files refuses content it did not stage, and registers nothing",
          "[catalog]") {
  TempHome home;
  TempHome other_home;
  auto catalog = open_catalog(home.path());
  auto other = open_catalog(other_home.path());
  std::vector<FileToCommit> batch;
  batch.push_back(to_commit(*catalog, "fine", "fine.txt"));
  batch.push_back({nullptr, "null.txt"});
  batch.push_back({std::make_unique<ForeignContent>(), "foreign.txt"});
  batch.push_back(to_commit(*other, "elsewhere", "elsewhere.txt"));
  const std::string fine_sha = batch[0].content->checksum();
  try {
    catalog->commit_files(std::move(batch));
    FAIL("foreign content committed");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::invalid);
    CHECK_THAT(e.what(), Catch::Contains("files[1] \"null.txt\""));
    REQUIRE(e.details().size() == 3);
    CHECK_THAT(e.details()[1], Catch::StartsWith("files[2] \"foreign.txt\""));
    CHECK_THAT(e.details()[2], Catch::StartsWith("files[3] \"elsewhere.txt\""));
  }
  CHECK_FALSE(catalog->find_data_file_by_checksum(fine_sha).has_value());
  CHECK(temp_files(home.path()).empty());
  CHECK(temp_files(other_home.path()).empty());
}

TEST_CASE("catalog: staged temporaries of a killed process are removed by the next opener",
          "[catalog]") {
  TempHome home;
  open_catalog(home.path());
  // The content's final name is taken (left by an earlier killed run), so the child stages it
  // to a temporary.
  const std::string sha = stage(*open_catalog(home.path()), "never committed")->checksum();
  const auto leftover = home.path() / "files" / ContentStore(home.path() / "files").location(sha);
  synapse::runtime::test::write_file(leftover, "never comm");
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    try {
      auto catalog = open_catalog(home.path());
      auto staged = stage(*catalog, "never committed");
      std::fflush(nullptr);
      _exit(0);  // no destructors: as if killed with the staged file still on disk
    } catch (...) {
    }
    _exit(2);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  auto temps = temp_files(home.path());
  REQUIRE(temps.size() == 1);
  CHECK_THAT(temps[0].filename().string(), Catch::StartsWith(std::to_string(child) + "-"));

  auto catalog = open_catalog(home.path());
  CHECK(temp_files(home.path()).empty());
  CHECK(stored_files(home.path()).size() == 1);  // the partial leftover, still without a row
  std::vector<FileToCommit> batch;
  batch.push_back(to_commit(*catalog, "never committed", "n.txt"));
  auto results = catalog->commit_files(std::move(batch));
  REQUIRE(results.size() == 1);
  CHECK(read_all(*catalog->open_data_file(results[0].file.id)) == "never committed");
}

TEST_CASE("catalog: content over one read chunk is staged in place too and reads back",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  std::string big(3 * 1024 * 1024 + 17, '\0');
  std::mt19937_64 rng(3);
  for (auto& c : big)
    c = static_cast<char>(rng());
  auto staged = stage(*catalog, big);
  CHECK(staged->size() == big.size());
  CHECK(temp_files(home.path()).empty());
  CHECK(stored_files(home.path()).size() == 1);
  std::vector<FileToCommit> batch;
  batch.push_back({std::move(staged), "big.bin"});
  batch.push_back(to_commit(*catalog, big, "big-again.bin"));  // name taken: a temporary
  auto results = catalog->commit_files(std::move(batch));
  REQUIRE(results.size() == 2);
  CHECK(results[0].created);
  CHECK_FALSE(results[1].created);
  CHECK(read_all(*catalog->open_data_file(results[0].file.id)) == big);
  CHECK(stored_files(home.path()).size() == 1);
  CHECK(temp_files(home.path()).empty());
}

TEST_CASE("catalog: a staged file whose name another writer took over is kept, dropped or not",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto other = open_catalog(home.path());  // another process of the same data home
  auto dropped = stage(*catalog, "contested");
  auto committed = stage(*catalog, "contested too");
  // The other writer stores the same bytes meanwhile: its put renames over the staged names.
  std::istringstream first("contested");
  const auto put_first = other->put_stream(first, "other.txt").file;
  std::istringstream second("contested too");
  const auto put_second = other->put_stream(second, "other-too.txt").file;

  dropped.reset();  // must not remove the bytes the other writer registered
  CHECK(read_all(*catalog->open_data_file(put_first.id)) == "contested");

  std::vector<FileToCommit> batch;
  batch.push_back({std::move(committed), "mine.txt"});
  auto results = catalog->commit_files(std::move(batch));
  REQUIRE(results.size() == 1);
  CHECK_FALSE(results[0].created);
  CHECK(results[0].file.id == put_second.id);
  CHECK(read_all(*catalog->open_data_file(put_second.id)) == "contested too");
  CHECK(stored_files(home.path()).size() == 2);
  CHECK(temp_files(home.path()).empty());
}

// Hidden (run with: catalog_test "[.bench]"). Random 4 KiB files generated before timing.
// SYNAPSE_BENCH_THREADS: stager threads (default 2). SYNAPSE_BENCH_PIPELINE=1: batch k is
// committed on another thread while batch k+1 is staged, as an upload pipeline would; otherwise
// stage then commit, in turn. SYNAPSE_BENCH_HOME=<new folder> keeps the data home (deleting
// 20,000 files slows the next creates for minutes on ext4 without a journal).
TEST_CASE("catalog: bench: stage_stream + commit_files of 20,000 files of 4 KiB, batches of 1,000",
          "[.bench]") {
  constexpr std::size_t kFiles = 20'000;
  constexpr std::size_t kBatch = 1'000;
  constexpr std::size_t kSize = 4096;
  const char* threads_env = std::getenv("SYNAPSE_BENCH_THREADS");
  const std::size_t stagers = threads_env ? std::stoul(threads_env) : 2;
  const char* pipeline_env = std::getenv("SYNAPSE_BENCH_PIPELINE");
  const bool pipeline = pipeline_env && std::string(pipeline_env) == "1";
  std::vector<std::string> contents(kFiles, std::string(kSize, '\0'));
  std::mt19937_64 rng(42);
  for (auto& content : contents) {
    for (std::size_t i = 0; i < kSize; i += 8) {
      std::uint64_t word = rng();
      std::memcpy(content.data() + i, &word, 8);
    }
  }
  TempHome temp_home;
  const char* home_env = std::getenv("SYNAPSE_BENCH_HOME");
  std::filesystem::path home = home_env ? std::filesystem::path(home_env) : temp_home.path();
  auto catalog = open_catalog(home);

  using Clock = std::chrono::steady_clock;
  Clock::duration staging{};
  Clock::duration committing{};
  std::size_t created = 0;
  auto commit = [&](std::vector<FileToCommit> batch) {
    auto commit_start = Clock::now();
    for (const auto& result : catalog->commit_files(std::move(batch)))
      created += result.created ? 1 : 0;
    committing += Clock::now() - commit_start;
  };
  std::thread committer;
  auto start = Clock::now();
  for (std::size_t first = 0; first < kFiles; first += kBatch) {
    auto stage_start = Clock::now();
    std::vector<FileToCommit> batch(kBatch);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < stagers; ++t) {
      threads.emplace_back([&, t] {
        for (std::size_t i = t; i < kBatch; i += stagers) {
          std::istringstream in(contents[first + i]);
          batch[i] = {catalog->stage_stream(in), "f" + std::to_string(first + i) + ".bin"};
        }
      });
    }
    for (auto& thread : threads)
      thread.join();
    staging += Clock::now() - stage_start;
    if (committer.joinable())
      committer.join();
    if (pipeline)
      committer = std::thread(commit, std::move(batch));
    else
      commit(std::move(batch));
  }
  if (committer.joinable())
    committer.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  CHECK(created == kFiles);
  std::printf(
      "commit_files bench: %zu files of %zu B, batches of %zu, %zu stager(s), %s: %.3f s, "
      "%.0f files/s (staging %.3f s, committing %.3f s)\n",
      kFiles, kSize, kBatch, stagers, pipeline ? "pipelined" : "stage then commit", seconds,
      kFiles / seconds, std::chrono::duration<double>(staging).count(),
      std::chrono::duration<double>(committing).count());
}

// Hidden: the per-file path for comparison, put_stream of 2,000 random 4 KiB files (an fsync
// and a transaction each).
TEST_CASE("catalog: bench: put_stream of 2,000 files of 4 KiB, one by one", "[.bench]") {
  constexpr std::size_t kFiles = 2'000;
  constexpr std::size_t kSize = 4096;
  std::vector<std::string> contents(kFiles, std::string(kSize, '\0'));
  std::mt19937_64 rng(7);
  for (auto& content : contents) {
    for (std::size_t i = 0; i < kSize; i += 8) {
      std::uint64_t word = rng();
      std::memcpy(content.data() + i, &word, 8);
    }
  }
  TempHome temp_home;
  const char* home_env = std::getenv("SYNAPSE_BENCH_HOME");
  std::filesystem::path home = home_env ? std::filesystem::path(home_env) : temp_home.path();
  auto catalog = open_catalog(home);
  auto start = std::chrono::steady_clock::now();
  std::size_t created = 0;
  for (std::size_t i = 0; i < kFiles; ++i) {
    std::istringstream in(contents[i]);
    created += catalog->put_stream(in, "f" + std::to_string(i) + ".bin").created ? 1 : 0;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(created == kFiles);
  std::printf("put_stream bench: %zu files of %zu B, one by one: %.3f s, %.0f files/s\n", kFiles,
              kSize, seconds, kFiles / seconds);
}

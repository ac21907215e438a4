// Upload strategies: sync vs async results, input order, bounded concurrency, dedup, failures,
// and the ReadStream -> std::istream adapter.
#include <catch2/catch.hpp>

#include <future>
#include <sstream>

#include "storing_fixture.hpp"

using namespace storing_test;
using namespace std::chrono_literals;

namespace {

std::vector<OrganizedUnit> make_units(const Env& env, int count) {
  std::vector<OrganizedUnit> units;
  for (int i = 0; i < count; ++i) {
    const std::string key = std::to_string(i);
    std::map<std::string, std::string> files{
        {"image", env.write("image/" + key + ".jpg", "jpeg bytes of " + key)}};
    if (i % 2 == 0)
      files["meta"] = env.write("meta/" + key + ".json", "{\"i\": " + key + "}");
    units.push_back(unit(key, files));
  }
  return units;
}

class ChunkedReadStream : public synapse::ReadStream {
 public:
  ChunkedReadStream(std::string data, bool fail_at_end)
      : data_(std::move(data)), fail_at_end_(fail_at_end) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min({size, std::size_t{2}, data_.size() - pos_});
    if (n == 0 && fail_at_end_)
      throw synapse::StorageError(synapse::StorageError::Kind::unreachable, "connection lost");
    data_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  std::size_t pos_ = 0;
  bool fail_at_end_;
};

}  // namespace

TEST_CASE("the istream adapter reads a ReadStream through its fixed buffer", "[upload_storing]") {
  ReadStreamIStream in(std::make_unique<ChunkedReadStream>("hello, streaming world", false), 3);
  std::ostringstream out;
  out << in.rdbuf();
  CHECK(out.str() == "hello, streaming world");
}

TEST_CASE("a storage error while reading surfaces as that error, not as a short file",
          "[upload_storing]") {
  ReadStreamIStream in(std::make_unique<ChunkedReadStream>("partial", true), 4);
  std::vector<char> buffer(100);
  CHECK_THROWS_AS(in.read(buffer.data(), 100), synapse::StorageError);
}

TEST_CASE("sync and async store the same bytes with identical results", "[upload_storing]") {
  Env sync_env;
  Env async_env;
  const auto sync_units = make_units(sync_env, 9);
  const auto async_units = make_units(async_env, 9);

  const auto sync = make_file_uploader("sync")->upload(single_storage(*sync_env.storage),
                                                       *sync_env.catalog, sync_units);
  const auto async =
      make_file_uploader("async", {3})
          ->upload(single_storage(*async_env.storage), *async_env.catalog, async_units);

  REQUIRE(sync.size() == 9);
  REQUIRE(async.size() == 9);
  for (std::size_t i = 0; i < sync.size(); ++i) {
    CHECK(sync[i].ok());
    CHECK(async[i].ok());
    CHECK(sync[i].key == async[i].key);
    CHECK(sync[i].created == async[i].created);
    REQUIRE(sync[i].files.size() == async[i].files.size());
    for (const auto& [spec, file] : sync[i].files) {
      const auto& other = async[i].files.at(spec);
      CHECK(file.checksum == other.checksum);
      CHECK(file.size == other.size);
      CHECK(file.original_name == other.original_name);
      const std::string source = "src/" + sync_units[i].files.at(spec);
      std::ifstream in(sync_env.dir / source, std::ios::binary);
      const std::string expected{std::istreambuf_iterator<char>(in), {}};
      CHECK(sync_env.stored_bytes(file.id) == expected);
      CHECK(async_env.stored_bytes(other.id) == expected);
    }
  }
  CHECK(sync[0].files.at("image").original_name == "0.jpg");
}

TEST_CASE("async returns results in input order even when later units finish first",
          "[upload_storing]") {
  Env env;
  std::vector<OrganizedUnit> units;
  for (int i = 0; i < 6; ++i) {
    // The first two are large and read slowly, so the small ones complete before them.
    const bool big = i < 2;
    const std::string name = (big ? "image/big_" : "image/small_") + std::to_string(i) + ".bin";
    units.push_back(unit("u" + std::to_string(i),
                         {{"image", env.write(name, std::string(big ? 1 << 20 : 10, 'a' + i))}}));
  }
  InstrumentedStorage slow(*env.storage, 5ms, "big_");
  std::vector<std::string> reported;
  UploadCallbacks callbacks;
  callbacks.on_file_uploaded = [&](const OrganizedUnit& u, const std::string&,
                                   const synapse::PutFileResult&) { reported.push_back(u.key); };

  const auto results = make_file_uploader("async", {4})
                           ->upload(single_storage(slow), *env.catalog, units, callbacks);

  REQUIRE(results.size() == units.size());
  for (std::size_t i = 0; i < units.size(); ++i) {
    CHECK(results[i].key == units[i].key);
    CHECK(results[i].ok());
    CHECK(results[i].files.at("image").size == (i < 2 ? 1u << 20 : 10u));
  }
  // The files really finished reading out of order...
  const auto closed = slow.closed();
  REQUIRE(closed.size() == units.size());
  CHECK(closed.front() != units[0].files.at("image"));
  // ...yet the callbacks run after the batch commit, on the calling thread, in input order.
  CHECK(reported == std::vector<std::string>{"u0", "u1", "u2", "u3", "u4", "u5"});
}

TEST_CASE("async never has more than max_concurrent_uploads files open at once",
          "[upload_storing]") {
  Env env;
  const auto units = make_units(env, 24);
  InstrumentedStorage counted(*env.storage, 3ms);

  const auto results =
      make_file_uploader("async", {3})->upload(single_storage(counted), *env.catalog, units);

  CHECK(counted.peak.load() <= 3);
  CHECK(counted.peak.load() >= 2);  // it did run concurrently
  CHECK(counted.open.load() == 0);
  CHECK(std::all_of(results.begin(), results.end(), [](const auto& r) { return r.ok(); }));

  InstrumentedStorage counted_sync(*env.storage, 1ms);
  make_file_uploader("sync")->upload(single_storage(counted_sync), *env.catalog, units);
  CHECK(counted_sync.peak.load() == 1);
}

TEST_CASE("two batches stored at once by one async strategy share its max_concurrent_uploads",
          "[upload_storing]") {
  // What upload_files does with the async strategy (BatchOverlap): the next batch is given
  // while the one before is still being stored. Both queue on the strategy's one pool.
  Env env;
  const auto units = make_units(env, 24);
  const std::vector<OrganizedUnit> first(units.begin(), units.begin() + 12);
  const std::vector<OrganizedUnit> second(units.begin() + 12, units.end());
  InstrumentedStorage counted(*env.storage, 3ms);
  auto uploader = make_file_uploader("async", {3});
  REQUIRE(stores_batches_concurrently(*uploader));
  CHECK_FALSE(stores_batches_concurrently(*make_file_uploader("sync")));

  auto other = std::async(std::launch::async, [&] {
    return uploader->upload(single_storage(counted), *env.catalog, second);
  });
  const auto first_results = uploader->upload(single_storage(counted), *env.catalog, first);
  const auto second_results = other.get();

  CHECK(counted.peak.load() <= 3);
  CHECK(counted.open.load() == 0);
  REQUIRE(first_results.size() == first.size());
  REQUIRE(second_results.size() == second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    CHECK(first_results[i].ok());
    CHECK(first_results[i].key == first[i].key);
  }
  for (std::size_t i = 0; i < second.size(); ++i) {
    CHECK(second_results[i].ok());
    CHECK(second_results[i].key == second[i].key);
  }
}

TEST_CASE("the same content uploaded twice is stored once", "[upload_storing]") {
  Env env;
  const std::vector<OrganizedUnit> units{
      unit("a", {{"image", env.write("image/a.jpg", "same bytes")}}),
      unit("b", {{"image", env.write("image/b.jpg", "same bytes")}})};

  const auto first =
      make_file_uploader("sync")->upload(single_storage(*env.storage), *env.catalog, units);
  CHECK(first[0].created.at("image"));
  CHECK_FALSE(first[1].created.at("image"));
  CHECK(first[0].files.at("image").id == first[1].files.at("image").id);
  // The row keeps the name the bytes were first stored under.
  CHECK(first[1].files.at("image").original_name == "a.jpg");

  const auto again =
      make_file_uploader("async")->upload(single_storage(*env.storage), *env.catalog, units);
  for (const auto& result : again) {
    CHECK_FALSE(result.created.at("image"));
    CHECK(result.files.at("image").id == first[0].files.at("image").id);
  }
  CHECK(env.stored_checksums().size() == 1);
}

TEST_CASE("a missing source file fails only its unit and commits none of its files",
          "[upload_storing]") {
  const std::string strategy = GENERATE("sync", "async");
  Env env;
  const std::vector<OrganizedUnit> units{
      unit("1", {{"image", env.write("image/1.jpg", "one")}}),
      unit("2", {{"image", env.write("image/2.jpg", "two")}, {"meta", "meta/missing.json"}}),
      unit("3", {{"image", env.write("image/3.jpg", "three")}})};
  std::vector<std::string> failed;
  std::vector<std::string> uploaded;
  UploadCallbacks callbacks;
  callbacks.on_file_uploaded = [&](const OrganizedUnit& u, const std::string&,
                                   const synapse::PutFileResult&) { uploaded.push_back(u.key); };
  callbacks.on_unit_failed = [&](const OrganizedUnit& u, const std::string&) {
    failed.push_back(u.key);
  };

  const auto results = make_file_uploader(strategy)->upload(single_storage(*env.storage),
                                                            *env.catalog, units, callbacks);

  REQUIRE(results.size() == 3);
  CHECK(results[0].ok());
  CHECK(results[2].ok());
  CHECK_FALSE(results[1].ok());
  CHECK_THAT(results[1].error, Catch::Contains("meta/missing.json"));
  // Staged, never committed: the failed unit's readable image is neither reported nor stored,
  // so there is nothing of it for a rollback to find.
  CHECK(results[1].files.empty());
  CHECK(results[1].created.empty());
  CHECK(failed == std::vector<std::string>{"2"});
  CHECK(uploaded == std::vector<std::string>{"1", "3"});
  CHECK(env.stored_checksums().size() == 2);
  CHECK(env.stored_bytes(results[0].files.at("image").id) == "one");
  CHECK(env.stored_bytes(results[2].files.at("image").id) == "three");
}

TEST_CASE("unknown strategies and zero concurrency are refused", "[upload_storing]") {
  CHECK_THROWS_AS(make_file_uploader("parallel"), std::invalid_argument);
  CHECK_THROWS_AS(make_file_uploader("async", {0}), std::invalid_argument);
  CHECK(make_file_uploader("async")->name() == "async");
  CHECK(make_file_uploader("sync")->name() == "sync");
}

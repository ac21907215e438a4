// The export's write-behind: it syncs the output storage every period until stopped, starts
// nothing with a zero period, and hands a failed sync to stop() (the final sync would
// otherwise not see it: syncfs reports an error once).
#include <atomic>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "export/write_behind.hpp"
#include "null_storage.hpp"

using synapse::runtime::exports::WriteBehind;
using namespace std::chrono_literals;

namespace {

// Counts sync() calls; the one numbered `fail_at` (1-based) throws.
class SyncCountingStorage final : public synapse::testing::NullStorage {
 public:
  explicit SyncCountingStorage(int fail_at = 0) : fail_at_(fail_at) {}
  void sync() override {
    if (++syncs == fail_at_)
      throw synapse::StorageError(synapse::StorageError::Kind::io, "syncfs: disk gone");
  }

  std::atomic<int> syncs{0};

 private:
  int fail_at_;
};

// Waits (at most 5 s) until the storage has seen `count` syncs.
bool wait_for_syncs(const SyncCountingStorage& storage, int count) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (storage.syncs.load() < count) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

}  // namespace

TEST_CASE("write-behind syncs the storage every period until it is stopped", "[write_behind]") {
  SyncCountingStorage storage;
  WriteBehind write_behind(storage, 2ms);
  REQUIRE(wait_for_syncs(storage, 3));
  write_behind.stop();
  const int after_stop = storage.syncs.load();
  std::this_thread::sleep_for(20ms);
  CHECK(storage.syncs.load() == after_stop);
}

TEST_CASE("write-behind with a zero period never syncs", "[write_behind]") {
  SyncCountingStorage storage;
  WriteBehind write_behind(storage, 0ms);
  std::this_thread::sleep_for(20ms);
  write_behind.stop();
  CHECK(storage.syncs.load() == 0);
}

TEST_CASE("write-behind rethrows the first failed sync when stopped, once", "[write_behind]") {
  SyncCountingStorage storage(2);
  WriteBehind write_behind(storage, 1ms);
  REQUIRE(wait_for_syncs(storage, 3));  // it went on after the failure
  CHECK_THROWS_WITH(write_behind.stop(), Catch::Contains("disk gone"));
  CHECK_NOTHROW(write_behind.stop());
}

TEST_CASE("write-behind destroyed without stop() swallows a failed sync", "[write_behind]") {
  SyncCountingStorage storage(1);
  {
    WriteBehind write_behind(storage, 1ms);
    REQUIRE(wait_for_syncs(storage, 1));
  }  // the destructor joins and does not throw
  const int after = storage.syncs.load();
  std::this_thread::sleep_for(10ms);
  CHECK(storage.syncs.load() == after);
}

// BatchOverlap (runtime/upload/steps/batch_overlap.hpp): with overlap, batch N+1 is being stored
// before batch N is recorded; records always come in batch order, on the calling thread; an
// error leaves no batch unrecorded that abandon() can still record.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "upload/steps/batch_overlap.hpp"

using synapse::runtime::upload::BatchOverlap;

namespace {

// What happened, in order, from any thread.
struct Journal {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> lines;
  void add(std::string line) {
    std::lock_guard lock(mutex);
    lines.push_back(std::move(line));
    changed.notify_all();
  }
  bool wait_for(const std::string& line) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(10), [&] {
      return std::find(lines.begin(), lines.end(), line) != lines.end();
    });
  }
};

}  // namespace

TEST_CASE("overlapping: the next batch is stored while the one before is not yet recorded",
          "[upload_action][batch_overlap]") {
  Journal journal;
  bool next_started_in_time = true;
  const auto caller = std::this_thread::get_id();
  auto store = [&](const std::vector<int>& batch) {
    journal.add("store " + std::to_string(batch.front()));
    // Batch 0 finishes only once batch 1 has started: without overlap this would wait out the
    // timeout, and the check below would fail.
    if (batch.front() == 0)
      next_started_in_time = journal.wait_for("store 1");
    return std::vector<std::string>{"stored " + std::to_string(batch.front())};
  };
  std::vector<std::string> recorded;
  auto record = [&](const std::vector<int>& batch, std::vector<std::string>& results) {
    CHECK(std::this_thread::get_id() == caller);
    REQUIRE(results.size() == 1);
    CHECK(results[0] == "stored " + std::to_string(batch.front()));
    recorded.push_back(results[0]);
    journal.add("record " + std::to_string(batch.front()));
  };
  BatchOverlap<int, std::string> overlap(true);
  for (int i = 0; i < 4; ++i)
    overlap.submit({i}, store, record);
  overlap.finish(record);
  CHECK(next_started_in_time);
  CHECK(recorded == std::vector<std::string>{"stored 0", "stored 1", "stored 2", "stored 3"});
}

TEST_CASE("not overlapping: each batch is stored and recorded before the next starts",
          "[upload_action][batch_overlap]") {
  std::vector<std::string> order;
  auto store = [&](const std::vector<int>& batch) {
    order.push_back("store " + std::to_string(batch.front()));
    return std::vector<int>(batch);
  };
  auto record = [&](const std::vector<int>& batch, std::vector<int>&) {
    order.push_back("record " + std::to_string(batch.front()));
  };
  BatchOverlap<int, int> overlap(false);
  for (int i = 0; i < 3; ++i)
    overlap.submit({i}, store, record);
  overlap.finish(record);
  CHECK(order == std::vector<std::string>{"store 0", "record 0", "store 1", "record 1", "store 2",
                                          "record 2"});
}

TEST_CASE("a failed batch comes out of the next submit, and abandon records the one in flight",
          "[upload_action][batch_overlap]") {
  auto store = [](const std::vector<int>& batch) {
    if (batch.front() == 1)
      throw std::runtime_error("batch 1 broke");
    return std::vector<int>(batch);
  };
  std::vector<int> recorded;
  auto record = [&](const std::vector<int>& batch, std::vector<int>&) {
    recorded.push_back(batch.front());
  };
  BatchOverlap<int, int> overlap(true);
  overlap.submit({0}, store, record);
  overlap.submit({1}, store, record);  // records 0
  CHECK(recorded == std::vector<int>{0});
  // Batch 2 starts, then waiting for batch 1 throws; batch 2 is still in flight.
  CHECK_THROWS_WITH(overlap.submit({2}, store, record), "batch 1 broke");
  overlap.abandon(record);  // what the upload step does before it rethrows: rollback needs it
  CHECK(recorded == std::vector<int>{0, 2});
}

// The save queue: completions in submission order whatever order the work finishes in, at most
// `window` pieces pending, inline mode, and a throwing completion.
#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "export/ordered_work_queue.hpp"

using synapse::runtime::exports::OrderedWorkQueue;

TEST_CASE("completions come in submission order while work finishes out of order",
          "[ordered_work_queue]") {
  std::vector<int> completed;
  std::atomic<int> running{0};
  std::atomic<int> most_running{0};
  {
    OrderedWorkQueue queue(4, 8);
    std::mt19937 random(7);
    for (int i = 0; i < 200; ++i) {
      const int delay = static_cast<int>(random() % 3);
      queue.submit(
          [&, delay] {
            const int now = ++running;
            int seen = most_running.load();
            while (now > seen && !most_running.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(delay));
            --running;
          },
          [&, i] { completed.push_back(i); });
      CHECK(queue.pending() <= 8);
    }
    queue.drain();
    CHECK(queue.pending() == 0);
  }
  REQUIRE(completed.size() == 200);
  for (int i = 0; i < 200; ++i)
    REQUIRE(completed[i] == i);
  CHECK(most_running.load() > 1);  // the work did overlap
  CHECK(most_running.load() <= 4);
}

TEST_CASE("without threads the work runs inline, completed at once", "[ordered_work_queue]") {
  OrderedWorkQueue queue(0, 4);
  std::vector<std::string> trace;
  queue.submit([&] { trace.push_back("work 1"); }, [&] { trace.push_back("done 1"); });
  queue.submit([&] { trace.push_back("work 2"); }, [&] { trace.push_back("done 2"); });
  CHECK(trace == std::vector<std::string>{"work 1", "done 1", "work 2", "done 2"});
  CHECK(queue.pending() == 0);
}

TEST_CASE("a throwing completion propagates and the queue goes on", "[ordered_work_queue]") {
  OrderedWorkQueue queue(2, 4);
  std::vector<int> completed;
  // The first work waits until both are submitted, so the throw comes from drain() (submit()
  // completes finished pieces too, and would throw there).
  std::atomic<bool> go{false};
  queue.submit(
      [&] {
        while (!go.load())
          std::this_thread::yield();
      },
      [] { throw std::runtime_error("boom"); });
  queue.submit([] {}, [&] { completed.push_back(2); });
  go = true;
  CHECK_THROWS_WITH(queue.drain(), "boom");
  queue.drain();
  CHECK(completed == std::vector<int>{2});
}

TEST_CASE("destroying the queue waits for the running work", "[ordered_work_queue]") {
  std::atomic<int> finished{0};
  {
    OrderedWorkQueue queue(2, 16);
    for (int i = 0; i < 6; ++i)
      queue.submit(
          [&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            ++finished;
          },
          [] {});
  }
  CHECK(finished.load() == 6);
}

// Runs per-file work (reading, checking, compacting annotation files) on worker threads, a
// few chunks ahead of the calling thread, which consumes the results in order: the catalog
// calls stay on one thread and in file order, the file work of 100,000 files uses every core
// and overlaps with them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <future>
#include <type_traits>
#include <utility>

#include "common/usable_cpus.hpp"

namespace synapse::runtime::annotations {

// Calls work(begin, end) for consecutive chunks of [0, count) of `chunk` items (the last one
// shorter), each on its own thread with at most max(2, usable CPUs) chunks in flight, and
// consume(result) on the calling thread in chunk order. An exception from `work` comes out of
// the matching consume step; one from `consume` leaves after the chunks in flight finished.
template <class Work, class Consume>
void run_in_chunks(std::size_t count, std::size_t chunk, Work work, Consume consume) {
  using Result = std::invoke_result_t<Work&, std::size_t, std::size_t>;
  chunk = std::max<std::size_t>(chunk, 1);
  const std::size_t ahead = std::max<std::size_t>(2, usable_cpus());
  std::deque<std::future<Result>> pending;
  std::size_t next = 0;
  auto launch = [&] {
    const std::size_t begin = next;
    next = std::min(count, begin + chunk);
    pending.push_back(std::async(std::launch::async, work, begin, next));
  };
  while (next < count && pending.size() < ahead)
    launch();
  while (!pending.empty()) {
    Result result = pending.front().get();
    pending.pop_front();
    if (next < count)
      launch();
    consume(std::move(result));
  }
}

}  // namespace synapse::runtime::annotations

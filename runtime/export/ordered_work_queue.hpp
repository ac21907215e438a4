// Work that runs on a small thread pool while the caller goes on, with each piece's completion
// handled back on the caller's thread in submission order. The export uses it to save an item's
// outputs (JSON dump, original copy: I/O and fsync latency) while the next items are converted,
// and still to report events, metrics and item_exported() in item order.
//
// At most `window` pieces are pending (running or finished but not yet completed): submit()
// blocks on the oldest beyond that, so memory stays bounded whatever the number of items.
// With threads == 0 the work runs inline in submit() (no concurrency, same order).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace boost::asio {
class thread_pool;
}

namespace synapse::runtime::exports {

class OrderedWorkQueue {
 public:
  OrderedWorkQueue(std::size_t threads, std::size_t window);
  // Waits for the running work (their `done` callbacks are dropped).
  ~OrderedWorkQueue();
  OrderedWorkQueue(const OrderedWorkQueue&) = delete;
  OrderedWorkQueue& operator=(const OrderedWorkQueue&) = delete;

  // `work` runs on a worker and must not throw (catch inside and record the outcome);
  // `done` runs later on the calling thread, after `work`, in submission order, from submit(),
  // poll() or drain(). An exception from `done` propagates out of that call; the piece is
  // removed first, so the queue stays usable.
  void submit(std::function<void()> work, std::function<void()> done);
  // Completes the finished pieces at the front, without waiting.
  void poll();
  // Waits for every piece and completes them all.
  void drain();
  std::size_t pending() const { return pending_.size(); }

 private:
  struct Piece;
  // Completes the front piece, waiting for it when `wait`; false when there is none to complete.
  bool complete_front(bool wait);

  std::size_t window_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::mutex mutex_;
  std::condition_variable finished_;
  std::deque<std::shared_ptr<Piece>> pending_;
};

}  // namespace synapse::runtime::exports

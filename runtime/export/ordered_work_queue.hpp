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
#include <vector>

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
  // Hands the gathered pieces to a worker as one task.
  void flush_batch();

  // Pieces go to the pool in batches (at most kBatch, at most window / threads): a task (and a
  // worker wake-up) per item cost the submitting thread more than the small saves themselves.
  // A batch leaves earlier when the caller has to wait for one of its pieces.
  static constexpr std::size_t kBatch = 16;

  std::size_t window_;
  std::size_t batch_size_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::mutex mutex_;
  std::condition_variable finished_;
  bool waiting_ = false;  // guarded by mutex_: the caller sleeps on finished_
  std::deque<std::shared_ptr<Piece>> pending_;
  std::vector<std::shared_ptr<Piece>> batch_;  // submitted, not yet handed to the pool
  // `done` callbacks already run: destroyed on a worker with the next batch, since what they
  // captured (an item's converted JSON) takes a while to free.
  std::vector<std::function<void()>> spent_;
};

}  // namespace synapse::runtime::exports

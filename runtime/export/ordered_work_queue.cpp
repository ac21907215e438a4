#include "export/ordered_work_queue.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace synapse::runtime::exports {

struct OrderedWorkQueue::Piece {
  std::function<void()> work;
  std::function<void()> done;
  bool finished = false;  // guarded by the queue's mutex
};

OrderedWorkQueue::OrderedWorkQueue(std::size_t threads, std::size_t window)
    : window_(std::max<std::size_t>(window, 1)),
      // Small enough that the window holds a batch for every thread: all of them stay busy.
      batch_size_(threads == 0 ? 1 : std::clamp<std::size_t>(window_ / threads, 1, kBatch)) {
  if (threads > 0)
    pool_ = std::make_unique<boost::asio::thread_pool>(threads);
}

OrderedWorkQueue::~OrderedWorkQueue() {
  if (pool_) {
    flush_batch();
    pool_->join();
  }
}

void OrderedWorkQueue::submit(std::function<void()> work, std::function<void()> done) {
  while (pending_.size() >= window_)
    complete_front(true);
  auto piece = std::make_shared<Piece>();
  piece->done = std::move(done);
  if (!pool_) {
    work();
    piece->finished = true;
    pending_.push_back(std::move(piece));
    poll();
    return;
  }
  piece->work = std::move(work);
  pending_.push_back(piece);
  batch_.push_back(std::move(piece));
  if (batch_.size() >= batch_size_)
    flush_batch();
  poll();
}

void OrderedWorkQueue::flush_batch() {
  if (batch_.empty() && spent_.empty())
    return;
  boost::asio::post(*pool_, [this, batch = std::move(batch_), spent = std::move(spent_)]() mutable {
    spent.clear();  // the completed pieces' captures (converted items) are freed here
    for (const auto& piece : batch) {
      piece->work();
      piece->work = nullptr;  // release what the work captured, on the worker
    }
    bool wake;
    {
      std::lock_guard lock(mutex_);
      for (const auto& piece : batch)
        piece->finished = true;
      wake = waiting_;
    }
    if (wake)
      finished_.notify_all();
  });
  batch_.clear();
  spent_.clear();
}

void OrderedWorkQueue::poll() {
  while (complete_front(false)) {
  }
}

void OrderedWorkQueue::drain() {
  while (complete_front(true)) {
  }
}

bool OrderedWorkQueue::complete_front(bool wait) {
  if (pending_.empty())
    return false;
  std::shared_ptr<Piece> front = pending_.front();
  {
    std::unique_lock lock(mutex_);
    if (!front->finished) {
      if (!wait)
        return false;
      lock.unlock();
      flush_batch();  // the front may still be in the batch being gathered
      lock.lock();
      waiting_ = true;
      finished_.wait(lock, [&] { return front->finished; });
      waiting_ = false;
    }
  }
  pending_.pop_front();
  auto done = std::move(front->done);
  if (done)
    done();
  if (pool_)
    spent_.push_back(std::move(done));  // freed on a worker with the next batch
  return true;
}

}  // namespace synapse::runtime::exports

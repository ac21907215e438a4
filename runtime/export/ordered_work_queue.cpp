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
    : window_(std::max<std::size_t>(window, 1)) {
  if (threads > 0)
    pool_ = std::make_unique<boost::asio::thread_pool>(threads);
}

OrderedWorkQueue::~OrderedWorkQueue() {
  if (pool_)
    pool_->join();
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
  boost::asio::post(*pool_, [this, piece = std::move(piece)] {
    piece->work();
    piece->work = nullptr;  // release what the work captured, on the worker
    {
      std::lock_guard lock(mutex_);
      piece->finished = true;
    }
    finished_.notify_all();
  });
  poll();
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
      finished_.wait(lock, [&] { return front->finished; });
    }
  }
  pending_.pop_front();
  auto done = std::move(front->done);
  if (done)
    done();
  return true;
}

}  // namespace synapse::runtime::exports

#include "export/write_behind.hpp"

#include <utility>

namespace synapse::runtime::exports {

WriteBehind::WriteBehind(synapse::Storage& storage, std::chrono::milliseconds period)
    : storage_(storage), period_(period) {
  if (period_.count() > 0)
    thread_ = std::thread([this] { run(); });
}

WriteBehind::~WriteBehind() {
  halt();
}

void WriteBehind::stop() {
  halt();
  std::lock_guard lock(mutex_);
  if (failure_)
    std::rethrow_exception(std::exchange(failure_, nullptr));
}

void WriteBehind::halt() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void WriteBehind::run() {
  std::unique_lock lock(mutex_);
  while (!stop_requested_.wait_for(lock, period_, [this] { return stopping_; })) {
    lock.unlock();
    std::exception_ptr failed;
    try {
      storage_.sync();
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    if (failed && !failure_)
      failure_ = failed;
  }
}

}  // namespace synapse::runtime::exports

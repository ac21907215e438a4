// Starts the output's write-back while the export is still writing: every `period` it calls
// the output storage's sync() on a thread of its own. The export ends with one sync() anyway
// (its EXPORT_INCOMPLETE marker goes only once everything is on disk); without this, that last
// sync found the whole output still dirty (~1 GB for 100,000 COCO items: 2-3 s of waiting on
// the disk, the cores idle). With it, the disk works while the cores convert, and the last sync
// has only the last period's writes left.
//
// A sync that fails here is not lost: the first failure is kept and stop() rethrows it, so the
// export fails as it would have at its final sync.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include <synapse/storage.hpp>

namespace synapse::runtime::exports {

class WriteBehind {
 public:
  // A zero period starts nothing (stop() then does nothing).
  WriteBehind(synapse::Storage& storage, std::chrono::milliseconds period);
  ~WriteBehind();  // stops without rethrowing
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  // Waits for a sync under way, stops the thread, and rethrows the first failed sync's error.
  void stop();

 private:
  void halt() noexcept;
  void run();

  synapse::Storage& storage_;
  const std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::thread thread_;  // last: starts once every member above exists
};

}  // namespace synapse::runtime::exports

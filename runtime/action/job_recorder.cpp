#include "action/job_recorder.hpp"

#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <mutex>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include <synapse/json_writer.hpp>

#include "catalog/job_event_texts.hpp"
#include "common/runtime_error.hpp"

namespace synapse::runtime {

namespace {

using catalog::JobEventText;

// Buffers events and appends them to the job in batches, on a thread of its own: an upload or
// export logs an event per file, and one catalog transaction per event would dominate its run
// time. Each event is serialised once, here, and kept as text: the tree copies on the way to
// the catalog's one dump at insert time were a third of the events' cost (the 100,000 events
// of an export took 1.2 s of CPU). Batches are appended in order by that one thread; at
// most two wait for it (a writer that outpaces the catalog waits), so memory stays bounded. A
// failed append is reported by the next write() or by close(), through the EventBus's failure note.
class CatalogEventSink final : public EventSink {
 public:
  CatalogEventSink(synapse::Catalog& catalog, std::string job_id,
                   std::chrono::milliseconds interval)
      : catalog_(catalog),
        texts_(dynamic_cast<catalog::JobEventTextAppender*>(&catalog)),
        job_id_(std::move(job_id)),
        interval_(interval),
        appender_([this] { append_batches(); }) {}

  ~CatalogEventSink() override {
    try {
      close();
    } catch (...) {  // reported by close() when the bus closed the sink; nothing to do here
    }
  }

  void write(const Event& event) override {
    std::unique_lock lock(mutex_);
    rethrow_failure_locked();
    text_.clear();  // serialised into a reused buffer, kept at its exact size
    synapse::append_json(text_, event.data);
    pending_.push_back({event.name, text_, event.datetime});
    const auto now = std::chrono::steady_clock::now();
    if (pending_.size() >= max_batch || now - last_flush_ >= interval_)
      hand_over_locked(lock, now);
  }

  void close() override {
    std::unique_lock lock(mutex_);
    if (!closed_) {
      hand_over_locked(lock, std::chrono::steady_clock::now());
      closed_ = true;
      changed_.notify_all();
      lock.unlock();
      appender_.join();
      lock.lock();
    }
    rethrow_failure_locked();
  }

 private:
  static constexpr std::size_t max_batch = 500;
  static constexpr std::size_t max_waiting_batches = 2;

  void hand_over_locked(std::unique_lock<std::mutex>& lock,
                        std::chrono::steady_clock::time_point now) {
    last_flush_ = now;
    if (pending_.empty())
      return;
    changed_.wait(lock, [&] { return waiting_.size() < max_waiting_batches; });
    waiting_.push_back(std::move(pending_));
    pending_.clear();
    changed_.notify_all();
  }

  void rethrow_failure_locked() {
    if (failure_) {
      auto failure = std::exchange(failure_, nullptr);
      std::rethrow_exception(failure);
    }
  }

  void append_batches() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [&] { return !waiting_.empty() || closed_; });
      if (waiting_.empty())
        return;  // closed and everything appended
      auto batch = std::move(waiting_.front());
      waiting_.pop_front();
      changed_.notify_all();  // room for the writer
      lock.unlock();
      std::exception_ptr failure;
      try {
        append(batch);
      } catch (...) {
        failure = std::current_exception();
      }
      lock.lock();
      if (failure && !failure_)
        failure_ = failure;
    }
  }

  void append(const std::vector<JobEventText>& batch) {
    if (texts_) {
      texts_->append_job_event_texts(job_id_, batch);
      return;
    }
    std::vector<synapse::JobEvent> events;  // a catalog without the text path: parse back
    events.reserve(batch.size());
    for (const JobEventText& e : batch)
      events.push_back({0, e.event, nlohmann::json::parse(e.data), e.datetime});
    catalog_.append_job_events(job_id_, events);
  }

  synapse::Catalog& catalog_;
  catalog::JobEventTextAppender* const texts_;  // null when the catalog does not offer it
  std::string job_id_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string text_;  // write()'s buffer
  std::vector<JobEventText> pending_;
  std::deque<std::vector<JobEventText>> waiting_;  // handed over, not yet appended
  std::exception_ptr failure_;
  bool closed_ = false;
  std::chrono::steady_clock::time_point last_flush_ = std::chrono::steady_clock::now();
  std::thread appender_;  // last: starts once every member above exists
};

}  // namespace

std::string new_job_id() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", rd() & 0xffffffu);
  return std::string(stamp) + "-" + suffix;
}

bool is_valid_job_id(const std::string& id) {
  if (id.empty() || id.size() > 100)
    return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

JobRecorder::JobRecorder(synapse::Catalog& catalog, synapse::Job job)
    : catalog_(catalog), job_(std::move(job)) {
  if (!is_valid_job_id(job_.id)) {
    throw RuntimeError(ExitCode::usage, "run.bad_job_id",
                       "job id '" + job_.id + "' must be 1 to 100 characters of A-Z a-z 0-9 _ -");
  }
  try {
    job_ = catalog_.create_job(job_);
  } catch (const synapse::CatalogError& e) {
    if (e.kind() == synapse::CatalogError::Kind::conflict) {
      throw RuntimeError(ExitCode::usage, "run.job_exists", "job " + job_.id + " already exists");
    }
    throw;
  }
}

// Not assigned back: the run keeps its own view of the job (the catalog only adds timestamps).
void JobRecorder::save() {
  catalog_.update_job(job_);
}

std::shared_ptr<EventSink> JobRecorder::event_sink(std::chrono::milliseconds flush_interval) {
  return std::make_shared<CatalogEventSink>(catalog_, job_.id, flush_interval);
}

}  // namespace synapse::runtime

#include "action/job_recorder.hpp"

#include <ctime>
#include <mutex>
#include <random>
#include <vector>

#include "common/runtime_error.hpp"

namespace synapse::runtime {

namespace {

// Buffers events and appends them to the job in batches: an upload logs an event per file, and
// one catalog transaction per event would dominate its run time.
class CatalogEventSink final : public EventSink {
 public:
  CatalogEventSink(synapse::Catalog& catalog, std::string job_id,
                   std::chrono::milliseconds interval)
      : catalog_(catalog), job_id_(std::move(job_id)), interval_(interval) {}

  void write(const Event& event) override {
    std::lock_guard lock(mutex_);
    pending_.push_back({0, event.name, event.data, event.datetime});
    const auto now = std::chrono::steady_clock::now();
    if (pending_.size() >= max_batch || now - last_flush_ >= interval_)
      flush_locked(now);
  }

  void close() override {
    std::lock_guard lock(mutex_);
    flush_locked(std::chrono::steady_clock::now());
  }

 private:
  static constexpr std::size_t max_batch = 500;

  void flush_locked(std::chrono::steady_clock::time_point now) {
    last_flush_ = now;
    if (pending_.empty())
      return;
    auto batch = std::move(pending_);
    pending_.clear();
    catalog_.append_job_events(job_id_, batch);
  }

  synapse::Catalog& catalog_;
  std::string job_id_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::vector<synapse::JobEvent> pending_;
  std::chrono::steady_clock::time_point last_flush_ = std::chrono::steady_clock::now();
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

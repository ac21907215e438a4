// Events of a run and the sinks they go to (terminal, JSONL, job record).
//
// One event = {"event": <name>, "data": {...}, "datetime": "YYYY-MM-DD HH:MM:SS.ffffff" (local
// time), "job": <job id>}, the shape of spec/runtime.md §4.3. Names: "progress", "metrics",
// "message", the plugin's own log events, and "result" (the run's end).
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace synapse::runtime {

struct Event {
  std::string name;
  nlohmann::json data;
  std::string datetime;
  std::string job;
  nlohmann::json to_json() const;
};

// "YYYY-MM-DD HH:MM:SS.ffffff" in local time, now.
std::string event_datetime_now();

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void write(const Event& event) = 0;
  virtual void close() {}
};

// Human lines on a stream; with `progress_bar`, progress redraws one bar line in place
// (use it only when the stream is a terminal). Messages, progress, metrics and the result are
// always printed; any other event name its first 5 times unless `every_event`, and close()
// counts the lines left out.
std::unique_ptr<EventSink> make_console_sink(std::FILE* stream, bool progress_bar,
                                             bool every_event = false);

// One JSON object per line, flushed per event. `stream` stays owned by the caller.
std::unique_ptr<EventSink> make_jsonl_sink(std::FILE* stream);
// Same into a file (created or truncated). Throws RuntimeError "events.open_failed" (exit 2).
std::unique_ptr<EventSink> make_jsonl_file_sink(const std::filesystem::path& file);
// Same on a stream the sink owns (fclose on close() or destruction); `description` names it
// in errors. A failed write throws RuntimeError "events.write_failed" (exit 4).
std::unique_ptr<EventSink> make_owning_jsonl_sink(std::FILE* stream, std::string description);

// Fans events out to sinks; safe to call from several threads. Sinks are called under the
// bus's lock, one event at a time, so they need no locking of their own. A sink that throws
// is reported once on stderr and does not stop the others.
class EventBus {
 public:
  explicit EventBus(std::string job_id);
  void add_sink(std::unique_ptr<EventSink> sink);
  void add_sink(std::shared_ptr<EventSink> sink);
  void publish(std::string name, nlohmann::json data);
  // Closes every sink and drops them; later publishes go nowhere.
  void close();
  const std::string& job_id() const { return job_id_; }

 private:
  void report_failure(std::size_t index, const char* what);

  std::string job_id_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<EventSink>> sinks_;
  std::vector<bool> failure_reported_;  // parallel to sinks_
};

}  // namespace synapse::runtime

#include "events/event.hpp"

#include <chrono>
#include <ctime>
#include <exception>
#include <utility>

#include "common/clock.hpp"

namespace synapse::runtime {

nlohmann::json Event::to_json() const {
  return {{"event", name}, {"data", data}, {"datetime", datetime}, {"job", job}};
}

std::string event_datetime_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto micros = duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000;
  // localtime_r, not localtime: events are published from several threads.
  const std::string_view prefix =
      per_second_text(seconds, [](std::time_t at, char* out, std::size_t size) {
        std::tm local{};
        localtime_r(&at, &local);
        return std::strftime(out, size, "%Y-%m-%d %H:%M:%S", &local);
      });
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06lld", static_cast<long long>(micros));
  std::string text(prefix);
  text += fraction;
  return text;
}

EventBus::EventBus(std::string job_id) : job_id_(std::move(job_id)) {}

void EventBus::add_sink(std::unique_ptr<EventSink> sink) {
  add_sink(std::shared_ptr<EventSink>(std::move(sink)));
}

void EventBus::add_sink(std::shared_ptr<EventSink> sink) {
  if (!sink) {
    return;
  }
  std::lock_guard lock(mutex_);
  sinks_.push_back(std::move(sink));
  failure_reported_.push_back(false);
}

void EventBus::report_failure(std::size_t index, const char* what) {
  // One note per sink: a sink that keeps failing (disk full, closed pipe) would otherwise
  // bury the run's output under identical lines.
  if (failure_reported_[index]) {
    return;
  }
  failure_reported_[index] = true;
  std::fprintf(stderr, "synapse: an event sink failed (%s); its later failures are not shown\n",
               what);
  std::fflush(stderr);
}

void EventBus::publish(std::string name, nlohmann::json data) {
  // The lock covers the timestamp too, so every sink sees events in datetime order.
  std::lock_guard lock(mutex_);
  Event event{std::move(name), std::move(data), event_datetime_now(), job_id_};
  for (std::size_t i = 0; i < sinks_.size(); ++i) {
    // A broken sink (e.g. an unwritable events file) must not cost the run its other outputs.
    try {
      sinks_[i]->write(event);
    } catch (const std::exception& e) {
      report_failure(i, e.what());
    } catch (...) {
      report_failure(i, "unknown error");
    }
  }
}

void EventBus::close() {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < sinks_.size(); ++i) {
    try {
      sinks_[i]->close();
    } catch (const std::exception& e) {
      report_failure(i, e.what());
    } catch (...) {
      report_failure(i, "unknown error");
    }
  }
  // Closed sinks are dropped so a late publish (or a second close) cannot touch them.
  sinks_.clear();
  failure_reported_.clear();
}

}  // namespace synapse::runtime

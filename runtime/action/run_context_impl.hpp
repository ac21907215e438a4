// RunContextImpl: the host's implementation of synapse::RunContext for one run. Every call
// becomes an event on the EventBus (terminal, JSONL, job record) and updates the job record's
// progress and metrics. Safe to call from several plugin threads.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

#include <nlohmann/json.hpp>
#include <synapse/run_context.hpp>

#include "config/plugin_config.hpp"
#include "events/event.hpp"
#include "events/progress_tracker.hpp"

namespace synapse::runtime {

class RunContextImpl final : public synapse::RunContext {
 public:
  // `on_record_change(progress, metrics)` is called (throttled) when either record changes.
  using RecordListener =
      std::function<void(const nlohmann::json& progress, const nlohmann::json& metrics)>;

  RunContextImpl(nlohmann::json params, const ActionConfig& action, EventBus& bus,
                 RecordListener on_record_change = {});

  const nlohmann::json& params() const override { return params_; }
  void log_message(synapse::MessageContext context, std::string_view text) override;
  void log_event(std::string_view name, const nlohmann::json& data) override;
  void set_progress(std::int64_t current, std::int64_t total, std::string_view category) override;
  void set_metrics(std::string_view category, const nlohmann::json& value) override;
  bool is_cancelled() const noexcept override;
  void log_code(std::string_view code, synapse::MessageContext context,
                std::string_view text) override;

  nlohmann::json progress_record() const;  // {record, current_progress}
  nlohmann::json metrics_record() const;   // {record: {categories: ...}}

 private:
  void warn(const std::string& text);
  void notify_locked(bool force);

  nlohmann::json params_;
  EventBus& bus_;
  RecordListener listener_;
  mutable std::mutex mutex_;
  ProgressTracker progress_;
  nlohmann::json metrics_;  // {"categories": {...}}
  std::chrono::steady_clock::time_point last_notify_{};
};

const char* to_string(synapse::MessageContext context);

}  // namespace synapse::runtime

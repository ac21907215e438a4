#include "action/run_context_impl.hpp"

#include <array>
#include <string>

#include "action/cancellation.hpp"

namespace synapse::runtime {

namespace {

// Event names the host itself emits; a plugin's log_event may not impersonate them.
constexpr std::array<std::string_view, 4> reserved_events = {"progress", "metrics", "message",
                                                             "result"};

// Records are persisted at most this often while running (and always at the end of the run).
constexpr auto notify_interval = std::chrono::milliseconds(500);

}  // namespace

const char* to_string(synapse::MessageContext context) {
  switch (context) {
    case synapse::MessageContext::success:
      return "success";
    case synapse::MessageContext::warning:
      return "warning";
    case synapse::MessageContext::danger:
      return "danger";
    case synapse::MessageContext::info:
      break;
  }
  return "info";
}

RunContextImpl::RunContextImpl(nlohmann::json params, const ActionConfig& action, EventBus& bus,
                               RecordListener on_record_change)
    : params_(std::move(params)),
      bus_(bus),
      listener_(std::move(on_record_change)),
      progress_(action.progress_categories),
      metrics_({{"categories", action.metrics_categories.is_object() ? action.metrics_categories
                                                                     : nlohmann::json::object()}}) {
}

void RunContextImpl::log_message(synapse::MessageContext context, std::string_view text) {
  bus_.publish("message", {{"context", to_string(context)}, {"content", std::string(text)}});
}

void RunContextImpl::warn(const std::string& text) {
  log_message(synapse::MessageContext::warning, text);
}

void RunContextImpl::log_code(std::string_view code, synapse::MessageContext context,
                              std::string_view text) {
  bus_.publish("message", {{"context", to_string(context)},
                           {"content", std::string(text)},
                           {"code", std::string(code)}});
}

void RunContextImpl::log_event(std::string_view name, const nlohmann::json& data) {
  if (name.empty()) {
    warn("log_event ignored: the event name is empty");
    return;
  }
  for (auto reserved : reserved_events) {
    if (name == reserved) {
      warn("log_event(\"" + std::string(name) +
           "\") ignored: that event name is reserved for the host; use the matching "
           "RunContext call");
      return;
    }
  }
  bus_.publish(std::string(name), data);
}

void RunContextImpl::set_progress(std::int64_t current, std::int64_t total,
                                  std::string_view category) {
  std::unique_lock lock(mutex_);
  auto outcome = progress_.set_progress(current, total, category);
  if (auto* warning = std::get_if<std::string>(&outcome)) {
    lock.unlock();
    warn(*warning);
    return;
  }
  const auto update = std::get<ProgressUpdate>(outcome);
  const bool finished = update.current == update.total;
  notify_locked(finished);
  lock.unlock();
  bus_.publish("progress", update.to_json());
}

void RunContextImpl::set_metrics(std::string_view category, const nlohmann::json& value) {
  if (category.empty()) {
    warn("set_metrics ignored: the category is empty");
    return;
  }
  if (!value.is_object()) {
    warn("set_metrics(\"" + std::string(category) + "\") ignored: the value must be a JSON " +
         "object, got " + value.type_name());
    return;
  }
  nlohmann::json merged;
  {
    std::lock_guard lock(mutex_);
    auto& slot = metrics_["categories"][std::string(category)];
    if (!slot.is_object())
      slot = nlohmann::json::object();
    slot.update(value);
    merged = slot;
    notify_locked(false);
  }
  bus_.publish("metrics", {{"category", std::string(category)}, {"value", merged}});
}

bool RunContextImpl::is_cancelled() const noexcept {
  return stop_requested();
}

nlohmann::json RunContextImpl::progress_record() const {
  std::lock_guard lock(mutex_);
  return {{"record", progress_.record()}, {"current_progress", progress_.current_progress()}};
}

nlohmann::json RunContextImpl::metrics_record() const {
  std::lock_guard lock(mutex_);
  return {{"record", metrics_}};
}

void RunContextImpl::notify_locked(bool force) {
  if (!listener_)
    return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_notify_ < notify_interval)
    return;
  last_notify_ = now;
  listener_({{"record", progress_.record()}, {"current_progress", progress_.current_progress()}},
            {{"record", metrics_}});
}

}  // namespace synapse::runtime

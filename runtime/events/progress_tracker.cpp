#include "events/progress_tracker.hpp"

#include <chrono>
#include <cmath>
#include <utility>

namespace synapse::runtime {

namespace {

// Python's round(x, 2) for the values we see (non-negative, few digits); the spec's numbers
// are all rounded this way, so tests and the JSON consumers see the same values.
double round2(double x) {
  return std::round(x * 100.0) / 100.0;
}

double steady_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

nlohmann::json optional_to_json(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string declared_list(const std::vector<ProgressCategory>& categories) {
  std::string out;
  for (const auto& category : categories) {
    if (!out.empty()) {
      out += ", ";
    }
    out += category.name;
  }
  return out;
}

}  // namespace

nlohmann::json ProgressUpdate::to_json() const {
  return {
      {"category", category.empty() ? nlohmann::json(nullptr) : nlohmann::json(category)},
      {"current", current},
      {"total", total},
      {"percent", percent},
      {"overall", overall},
      {"time_remaining", optional_to_json(time_remaining)},
  };
}

ProgressTracker::ProgressTracker(std::vector<ProgressCategory> categories, Clock clock)
    : categories_(std::move(categories)),
      states_(categories_.empty() ? 1 : categories_.size()),
      clock_(clock ? std::move(clock) : Clock(steady_seconds)) {}

std::variant<ProgressUpdate, std::string> ProgressTracker::set_progress(std::int64_t current,
                                                                        std::int64_t total,
                                                                        std::string_view category) {
  // The Python SDK asserted here and aborted the whole action; a miscounting plugin should not
  // lose its work over a progress bar, so the call is refused with a message naming the values.
  auto refuse = [&](const std::string& why) -> std::string {
    return "set_progress(" + std::to_string(current) + ", " + std::to_string(total) + ", \"" +
           std::string(category) + "\") ignored: " + why;
  };
  if (total <= 0) {
    return refuse("total " + std::to_string(total) + " must be greater than 0");
  }
  if (current < 0) {
    return refuse("current " + std::to_string(current) + " is negative");
  }
  if (current > total) {
    return refuse("current " + std::to_string(current) + " is greater than total " +
                  std::to_string(total));
  }

  std::size_t index = 0;
  if (!categories_.empty()) {
    if (category.empty()) {
      return refuse("a category is required; declared categories: " + declared_list(categories_));
    }
    bool found = false;
    for (std::size_t i = 0; i < categories_.size(); ++i) {
      if (categories_[i].name == category) {
        index = i;
        found = true;
        break;
      }
    }
    if (!found) {
      return refuse("unknown category \"" + std::string(category) +
                    "\"; declared categories: " + declared_list(categories_));
    }
  }
  // Without declared categories the category string is ignored: the record stays flat, as in
  // the Python SDK, so a plugin passing a label anyway still gets its progress recorded.

  State& state = states_[index];
  const double now = clock_();
  state.percent = round2(static_cast<double>(current) / static_cast<double>(total) * 100.0);
  if (current == 0 || !state.started_at) {
    // A first report with current > 0 (Python raised KeyError) starts the clock now: the
    // estimate appears from the next report on.
    state.started_at = now;
    state.time_remaining.reset();
  } else {
    const double elapsed = now - *state.started_at;
    state.time_remaining =
        round2(elapsed / static_cast<double>(current) * static_cast<double>(total - current));
  }
  current_ = index;

  ProgressUpdate update;
  update.category = categories_.empty() ? std::string() : categories_[index].name;
  update.current = current;
  update.total = total;
  update.percent = state.percent;
  update.overall = current_progress()["overall"].get<double>();
  update.time_remaining = state.time_remaining;
  return update;
}

nlohmann::json ProgressTracker::record() const {
  if (categories_.empty()) {
    return {{"percent", states_[0].percent},
            {"time_remaining", optional_to_json(states_[0].time_remaining)}};
  }
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < categories_.size(); ++i) {
    out[categories_[i].name] = {
        {"proportion", categories_[i].proportion},
        {"percent", states_[i].percent},
        {"time_remaining", optional_to_json(states_[i].time_remaining)},
    };
  }
  return {{"categories", std::move(out)}};
}

nlohmann::json ProgressTracker::current_progress() const {
  if (categories_.empty()) {
    return {{"overall", states_[0].percent},
            {"time_remaining", optional_to_json(states_[0].time_remaining)}};
  }
  if (!current_) {
    return {{"overall", 0.0}, {"category", nullptr}, {"percent", 0.0}, {"time_remaining", nullptr}};
  }
  // Categories are assumed to run in declaration order, so every one declared before the
  // current counts as done (the Python formula; reporting out of order makes overall jump).
  const std::size_t index = *current_;
  double overall = 0;
  for (std::size_t i = 0; i < index; ++i) {
    overall += categories_[i].proportion;
  }
  const State& state = states_[index];
  if (state.percent > 0) {
    overall += round2(categories_[index].proportion * state.percent / 100.0);
  }
  return {{"overall", overall},
          {"category", categories_[index].name},
          {"percent", state.percent},
          {"time_remaining", optional_to_json(state.time_remaining)}};
}

}  // namespace synapse::runtime

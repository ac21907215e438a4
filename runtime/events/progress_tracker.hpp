// ProgressTracker: progress per category and overall, as spec/runtime.md §4.1.
//
// percent = round(current / total * 100, 2); time_remaining = round(elapsed / current *
// (total - current), 2) seconds, null when current == 0 or the category was never started.
// With categories: overall = sum of the proportions of the categories declared before the
// current one + round(proportion * percent / 100, 2) of the current one.
// Without categories: overall = percent.
// A bad call (current < 0, current > total, total <= 0, unknown or missing category when
// categories exist) does not abort: set_progress returns a warning and changes nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/plugin_config.hpp"

namespace synapse::runtime {

struct ProgressUpdate {
  std::string category;  // empty without categories
  std::int64_t current = 0;
  std::int64_t total = 0;
  double percent = 0;
  double overall = 0;
  std::optional<double> time_remaining;
  nlohmann::json to_json() const;  // {category, current, total, percent, overall, time_remaining}
};

class ProgressTracker {
 public:
  using Clock = std::function<double()>;  // seconds, monotonic

  explicit ProgressTracker(std::vector<ProgressCategory> categories, Clock clock = {});

  // Either the update or a warning message explaining why the call was ignored.
  std::variant<ProgressUpdate, std::string> set_progress(std::int64_t current, std::int64_t total,
                                                         std::string_view category);

  // {"categories": {<cat>: {proportion, percent, time_remaining}}} or {percent, time_remaining}.
  nlohmann::json record() const;
  // {overall, category, percent, time_remaining} or {overall, time_remaining}.
  nlohmann::json current_progress() const;

 private:
  struct State {
    double percent = 0;
    std::optional<double> time_remaining;
    std::optional<double> started_at;
  };
  std::vector<ProgressCategory> categories_;
  std::vector<State> states_;  // one per category, or one when there are none
  std::optional<std::size_t> current_;
  Clock clock_;
};

}  // namespace synapse::runtime

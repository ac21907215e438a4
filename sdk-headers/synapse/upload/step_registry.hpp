// StepRegistry: the ordered list of steps an upload runs (spec/upload.md §7, design.md §5).
// Plugins add, insert, replace, remove and reorder steps; the orchestrator runs all of them in
// list() order. Header-only so plugins use it without linking the runtime.
//
// Errors (StepRegistryError, message naming the step): a duplicate name, an unknown step to
// insert next to or replace, a reorder list that is not a permutation of the registered
// names, a null step, an empty name, a weight that is negative or not finite. A failed call
// leaves the registry unchanged.
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <synapse/errors.hpp>
#include <synapse/upload/step.hpp>
#include <synapse/visibility.hpp>

namespace synapse::upload {

class SYNAPSE_SYMBOL_VISIBLE StepRegistryError : public Error {
 public:
  using Error::Error;
};

class StepRegistry {
 public:
  using StepPtr = std::shared_ptr<Step>;

  // Appends `step`.
  void add(StepPtr step) { steps_.insert(steps_.end(), checked(step)); }

  // Inserts `step` right before / after the step named `existing`.
  void insert_before(std::string_view existing, StepPtr step) {
    auto pos = find_or_throw(existing);
    steps_.insert(pos, checked(step));
  }
  void insert_after(std::string_view existing, StepPtr step) {
    auto pos = find_or_throw(existing);
    auto offset = pos - steps_.begin() + 1;
    steps_.insert(steps_.begin() + offset, checked(step));
  }

  // Removes the step named `name`; false when there was none (as Python's unregister).
  bool remove(std::string_view name) {
    auto it = find(name);
    if (it == steps_.end()) {
      return false;
    }
    steps_.erase(it);
    return true;
  }

  // Puts `step` in the place of the step named `name`; the new step may have another name, as
  // long as no other step has it.
  void replace(std::string_view name, StepPtr step) {
    auto pos = find_or_throw(name);
    *pos = checked(step, name);
  }

  // Reorders to `names`, which must name every registered step exactly once.
  void reorder(const std::vector<std::string>& names) {
    std::vector<StepPtr> reordered;
    std::set<std::string_view> seen;
    for (const std::string& name : names) {
      auto it = find(name);
      if (it == steps_.end()) {
        throw StepRegistryError("Step names list must contain all registered steps: '" + name +
                                "' is not registered");
      }
      if (!seen.insert(name).second) {
        throw StepRegistryError("Step names list must contain all registered steps: '" + name +
                                "' is listed twice");
      }
      reordered.push_back(*it);
    }
    for (const StepPtr& step : steps_) {
      if (!seen.contains(step->name())) {
        throw StepRegistryError("Step names list must contain all registered steps: '" +
                                step->name() + "' is missing");
      }
    }
    steps_ = std::move(reordered);
  }

  // Step names in run order.
  std::vector<std::string> list() const {
    std::vector<std::string> names;
    names.reserve(steps_.size());
    for (const StepPtr& step : steps_) {
      names.push_back(step->name());
    }
    return names;
  }

  // The step named `name`, or nullptr.
  StepPtr get(std::string_view name) const {
    auto it = find(name);
    return it == steps_.end() ? nullptr : *it;
  }
  bool contains(std::string_view name) const { return find(name) != steps_.end(); }

  // A copy, so a step that edits the registry while the orchestrator iterates is harmless.
  std::vector<StepPtr> steps() const { return steps_; }
  std::size_t size() const noexcept { return steps_.size(); }
  bool empty() const noexcept { return steps_.empty(); }
  void clear() noexcept { steps_.clear(); }

  double total_weight() const {
    double total = 0.0;
    for (const StepPtr& step : steps_) {
      total += step->progress_weight();
    }
    return total;
  }

 private:
  using Iterator = std::vector<StepPtr>::iterator;
  using ConstIterator = std::vector<StepPtr>::const_iterator;

  Iterator find(std::string_view name) {
    return std::find_if(steps_.begin(), steps_.end(),
                        [&](const StepPtr& step) { return step->name() == name; });
  }
  ConstIterator find(std::string_view name) const {
    return std::find_if(steps_.begin(), steps_.end(),
                        [&](const StepPtr& step) { return step->name() == name; });
  }
  Iterator find_or_throw(std::string_view name) {
    auto it = find(name);
    if (it == steps_.end()) {
      throw StepRegistryError("Step '" + std::string(name) + "' not found");
    }
    return it;
  }

  // Validates `step` for entry; `replacing` names the step it takes the place of (its name
  // may be reused).
  const StepPtr& checked(const StepPtr& step, std::string_view replacing = {}) const {
    if (!step) {
      throw StepRegistryError("Cannot register a null step");
    }
    const std::string name = step->name();
    if (name.empty()) {
      throw StepRegistryError("Cannot register a step with an empty name");
    }
    if (name != replacing && find(name) != steps_.end()) {
      throw StepRegistryError("Step with name '" + name + "' already registered");
    }
    const double weight = step->progress_weight();
    if (!std::isfinite(weight) || weight < 0.0) {
      throw StepRegistryError("Step '" + name + "' has an invalid progress weight " +
                              std::to_string(weight) + " (must be finite and >= 0)");
    }
    return step;
  }

  std::vector<StepPtr> steps_;
};

}  // namespace synapse::upload

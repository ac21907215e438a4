#include "export/target_handler.hpp"

#include <utility>

namespace synapse::runtime::exports {

void TargetRegistry::add(std::unique_ptr<TargetHandler> handler) {
  auto name = handler->name();
  handlers_[std::move(name)] = std::move(handler);
}

const TargetHandler* TargetRegistry::find(std::string_view name) const {
  const auto it = handlers_.find(name);
  return it == handlers_.end() ? nullptr : it->second.get();
}

std::vector<std::string> TargetRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, handler] : handlers_)
    out.push_back(name);
  return out;
}

const TargetRegistry& builtin_targets() {
  static const TargetRegistry registry = [] {
    TargetRegistry r;
    r.add(make_assignment_target());
    r.add(make_ground_truth_target());
    r.add(make_task_target());
    return r;
  }();
  return registry;
}

}  // namespace synapse::runtime::exports

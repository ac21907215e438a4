#include "category_order.hpp"

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>

#include "dm_shapes.hpp"

namespace export_plugins {

using nlohmann::json;

CategoryOrder CategoryOrder::from_extra_params(const json& extra_params) {
  CategoryOrder order;
  if (!extra_params.is_object())
    return order;
  const auto list = extra_params.find("categories");
  if (list == extra_params.end() || list->is_null())
    return order;
  if (!list->is_array())
    throw synapse::ParamsError("extra_params.categories: expected a list of class names, got " +
                               list->dump());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& name = (*list)[i];
    const std::string where = "extra_params.categories[" + std::to_string(i) + "]";
    if (!name.is_string() || name.get<std::string>().empty())
      throw synapse::ParamsError(where + ": expected a non-empty class name, got " + name.dump());
    if (order.index_.contains(name.get<std::string>()))
      throw synapse::ParamsError(where + ": \"" + name.get<std::string>() +
                                 "\" is listed twice; each class gets one id");
    if (name.get<std::string>().find_first_of("\r\n") != std::string::npos)
      throw synapse::ParamsError(where + ": a class name cannot contain a line break");
    order.add(name.get<std::string>());
  }
  order.fixed_ = true;
  return order;
}

void CategoryOrder::learn_document(const json& data) {
  if (!fixed_)
    learn_names(class_hints(data));
}

void CategoryOrder::learn_names(const std::vector<std::string>& names) {
  if (fixed_)
    return;
  for (const std::string& name : names)
    index_of(name);
}

std::optional<std::size_t> CategoryOrder::index_of(const std::string& label) {
  if (const auto it = index_.find(label); it != index_.end())
    return it->second;
  if (fixed_)
    return std::nullopt;
  if (label.find_first_of("\r\n") != std::string::npos)
    throw synapse::ActionError("class name " + json(label).dump() +
                               " contains a line break; it cannot be written as a class name");
  add(label);
  return names_.size() - 1;
}

void CategoryOrder::add(const std::string& label) {
  index_.emplace(label, names_.size());
  names_.push_back(label);
}

}  // namespace export_plugins

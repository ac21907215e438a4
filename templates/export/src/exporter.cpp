#include "exporter.hpp"

#include <synapse/run_context.hpp>

namespace plugin {

nlohmann::json count_shapes(const nlohmann::json& data) {
  nlohmann::json counts = nlohmann::json::object();
  if (!data.is_object() || !data.contains("images") || !data["images"].is_array())
    return counts;
  for (const auto& image : data["images"]) {
    if (!image.is_object())
      continue;
    for (const auto& [tool, annotations] : image.items()) {
      if (annotations.is_array())
        counts[tool] = counts.value(tool, 0) + static_cast<std::int64_t>(annotations.size());
    }
  }
  return counts;
}

nlohmann::json PluginExporter::before_convert(nlohmann::json item,
                                              synapse::exports::ExportContext& /*context*/) {
  return item;
}

nlohmann::json PluginExporter::convert_data(nlohmann::json item,
                                            synapse::exports::ExportContext& context) {
  const nlohmann::json extra = context.params().value("extra_params", nlohmann::json::object());
  const bool add_counts = !extra.is_object() || extra.value("add_shape_counts", true);
  // data is null for an item that was never annotated (the host fails it).
  if (add_counts && item.contains("data") && item["data"].is_object())
    item["data"]["shape_counts"] = count_shapes(item["data"]);
  return item;
}

nlohmann::json PluginExporter::after_convert(nlohmann::json item,
                                             synapse::exports::ExportContext& /*context*/) {
  return item;
}

void PluginExporter::item_exported(const nlohmann::json& converted,
                                   synapse::exports::ExportContext& /*context*/) {
  ++exported_;
  const nlohmann::json counts = count_shapes(converted.value("data", nlohmann::json()));
  for (const auto& [tool, count] : counts.items())
    shape_totals_[tool] += count.get<std::int64_t>();
}

void PluginExporter::finish(synapse::exports::ExportContext& context) {
  std::string shapes;
  for (const auto& [tool, count] : shape_totals_)
    shapes += (shapes.empty() ? "" : ", ") + tool + ": " + std::to_string(count);
  context.run().log_message(synapse::MessageContext::info,
                            "Exported " + std::to_string(exported_) +
                                " item(s); shapes: " + (shapes.empty() ? "none" : shapes));
}

}  // namespace plugin

#include "action.hpp"

#include <synapse/errors.hpp>

namespace plugin {

std::string process_item(const std::string& message, std::int64_t index) {
  return message + " #" + std::to_string(index);
}

nlohmann::json PluginAction::run(synapse::RunContext& context) {
  const nlohmann::json& params = context.params();
  const auto message = params.value("message", std::string("Hello"));
  const auto count = params.value("count", std::int64_t{3});

  nlohmann::json outputs = nlohmann::json::array();
  context.set_progress(0, count, "process");
  for (std::int64_t index = 1; index <= count; ++index) {
    // Checked between items: the operator's Ctrl-C ends the action cleanly.
    if (context.is_cancelled())
      throw synapse::CancelledError();
    const std::string output = process_item(message, index);
    outputs.push_back(output);

    nlohmann::json event = nlohmann::json::object();
    event["index"] = index;
    event["output"] = output;
    context.log_event("item_processed", event);
    context.set_progress(index, count, "process");
    nlohmann::json metrics = nlohmann::json::object();
    metrics["done"] = index;
    metrics["remaining"] = count - index;
    context.set_metrics("items", metrics);
  }
  context.log_message(synapse::MessageContext::success,
                      "Processed " + std::to_string(count) + " item(s)");

  nlohmann::json result = nlohmann::json::object();
  result["count"] = count;
  result["outputs"] = outputs;
  return result;
}

}  // namespace plugin

// The plugin's action. The host creates it through the factory src/plugin.cpp exports, checks
// the params against config.yaml's params_schema (defaults filled in) and calls run() once;
// what run() returns is the action's result (printed by `synapse run`, kept in the job record).
// Fail by throwing one of synapse/errors.hpp's errors: ActionError (exit 1), ParamsError (2),
// CancelledError (130, when context.is_cancelled()), TransientError (4, worth retrying).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>
#include <synapse/action.hpp>
#include <synapse/run_context.hpp>

namespace plugin {

// One item of the action's work, apart from the Action so the tests call it directly:
// "Hello #2" for ("Hello", 2).
std::string process_item(const std::string& message, std::int64_t index);

class PluginAction final : public synapse::Action {
 public:
  // Processes params.count items: progress on the `process` category (config.yaml declares it),
  // metrics `items` {done, remaining}, one `item_processed` event per item. Result:
  // {"count": n, "outputs": ["Hello #1", ...]}.
  nlohmann::json run(synapse::RunContext& context) override;
};

}  // namespace plugin

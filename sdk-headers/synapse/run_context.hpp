// RunContext: the host's services for one running action. Logging crosses the boundary as
// calls on this object (plugins never see the host's spdlog registry).
#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json_fwd.hpp>
#include <synapse/visibility.hpp>

namespace synapse {

// Severity of a message, as the Synapse event catalogue names them.
enum class MessageContext { info, success, warning, danger };

class SYNAPSE_SYMBOL_VISIBLE RunContext {
 public:
  virtual ~RunContext() = default;

  // The validated params, with defaults applied.
  virtual const nlohmann::json& params() const = 0;

  // Event `message` {context, content}.
  virtual void log_message(MessageContext context, std::string_view text) = 0;

  // A named log event with a JSON payload (e.g. upload_data_file).
  virtual void log_event(std::string_view name, const nlohmann::json& data) = 0;

  // Progress of `category` (mandatory when the action declares progress categories).
  // 0 <= current <= total and total > 0; a call that breaks this is logged as a warning and
  // ignored rather than aborting the action.
  virtual void set_progress(std::int64_t current, std::int64_t total,
                            std::string_view category = {}) = 0;

  // Merges `value` (a JSON object) into the metrics record of `category`.
  virtual void set_metrics(std::string_view category, const nlohmann::json& value) = 0;

  // True once the operator asked to stop (SIGINT/SIGTERM). Check it between units of work and
  // throw synapse::CancelledError (or return) when it is set.
  virtual bool is_cancelled() const noexcept = 0;
  // Event `message` {context, content, code}: a message with a stable code a client can match
  // on (e.g. "FILES_DISCOVERED", spec/upload.md §15). Falls back to log_message.
  virtual void log_code(std::string_view code, MessageContext context, std::string_view text) {
    (void)code;
    log_message(context, text);
  }
};

}  // namespace synapse

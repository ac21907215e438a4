#include "common/runtime_error.hpp"

#include <utility>

namespace synapse::runtime {

RuntimeError::RuntimeError(ExitCode code, std::string id, std::string message,
                           std::vector<std::string> details)
    : std::runtime_error("[" + id + "] " + message),
      code_(code),
      id_(std::move(id)),
      message_(std::move(message)),
      details_(std::move(details)) {}

std::string RuntimeError::render() const {
  std::string out = "error[" + id_ + "]: " + message_;
  for (const auto& line : details_) {
    out += "\n  ";
    out += line;
  }
  return out;
}

}  // namespace synapse::runtime

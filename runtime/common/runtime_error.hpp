// RuntimeError: every failure the host reports. It carries the process exit code (design.md
// §4), a stable error id that tests and scripts may match on, a one-line message, and detail
// lines (e.g. one per config or params error).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "common/exit_code.hpp"

namespace synapse::runtime {

class RuntimeError : public std::runtime_error {
 public:
  RuntimeError(ExitCode code, std::string id, std::string message,
               std::vector<std::string> details = {});

  ExitCode exit_code() const noexcept { return code_; }
  // Stable id, e.g. "config.invalid", "loader.abi_mismatch". Never reworded once released.
  const std::string& id() const noexcept { return id_; }
  const std::string& message() const noexcept { return message_; }
  const std::vector<std::string>& details() const noexcept { return details_; }

  // "error[<id>]: <message>" followed by one indented line per detail.
  std::string render() const;

 private:
  ExitCode code_;
  std::string id_;
  std::string message_;
  std::vector<std::string> details_;
};

}  // namespace synapse::runtime

// `synapse doctor`: checks the whole set-up in one go and says how to fix what fails.
#pragma once

#include <string>
#include <vector>

#include "common/exit_code.hpp"
#include "config/runtime_config.hpp"

namespace synapse::runtime {

struct DoctorCheck {
  std::string name;  // "data home", "catalog", "plugin path /x", "storage 'raw' (s3)"
  bool ok = false;
  std::string detail;                     // what was found
  std::string fix;                        // what to do when !ok
  ExitCode severity = ExitCode::success;  // usage (fix the set-up) or transient (retry)
};

// Runs every check, in order; never throws.
std::vector<DoctorCheck> run_doctor(const RuntimeConfig& config);

}  // namespace synapse::runtime

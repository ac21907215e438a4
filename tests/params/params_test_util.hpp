// Shared by the params tests: errors as rendered lines, so a test compares the whole report.
#pragma once

#include <string>
#include <vector>

#include "params/params_validator.hpp"

namespace synapse::runtime::test {

inline std::vector<std::string> rendered(const std::vector<ParamError>& errors) {
  std::vector<std::string> lines;
  for (const ParamError& e : errors) {
    lines.push_back(e.render());
  }
  return lines;
}

using Lines = std::vector<std::string>;

}  // namespace synapse::runtime::test

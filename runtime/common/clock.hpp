// The timestamp format of catalog records (jobs, data files): one function, so every record
// written by the host, the catalog or a run compares and sorts the same way.
#pragma once

#include <string>

namespace synapse::runtime {

// Current UTC time, ISO 8601 with milliseconds: "2025-01-31T12:00:00.123Z".
std::string now_iso8601();

}  // namespace synapse::runtime

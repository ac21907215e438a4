// Small helpers shared by the catalog files.
#pragma once

#include <cstddef>
#include <string>

namespace synapse::runtime::catalog {

// Current UTC time, ISO 8601 with milliseconds: "2025-01-31T12:00:00.123Z".
std::string now_iso8601();

// `bytes` random bytes from OpenSSL's CSPRNG, as lowercase hex (job ids, temp file names:
// unique across processes without coordination).
std::string random_hex(std::size_t bytes);

}  // namespace synapse::runtime::catalog

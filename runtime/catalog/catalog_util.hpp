// Small helpers shared by the catalog files.
#pragma once

#include <cstddef>
#include <string>

#include "common/clock.hpp"

namespace synapse::runtime::catalog {

// The record timestamp format, shared with the rest of the host.
using synapse::runtime::now_iso8601;

// `bytes` random bytes from OpenSSL's CSPRNG, as lowercase hex (job ids, temp file names:
// unique across processes without coordination).
std::string random_hex(std::size_t bytes);

}  // namespace synapse::runtime::catalog

// Small helpers shared by the catalog files.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include <synapse/catalog.hpp>

#include "common/clock.hpp"

namespace synapse::runtime::catalog {

// The record timestamp format, shared with the rest of the host.
using synapse::runtime::now_iso8601;

// `bytes` random bytes from OpenSSL's CSPRNG, as lowercase hex (job ids, temp file names:
// unique across processes without coordination).
std::string random_hex(std::size_t bytes);

// A data unit's files map as one text, "spec=id\nspec=id" in spec-name order (std::map's byte
// order): the indexed data_units.files_key that makes find_data_units_by_files one index lookup.
// Spec names may contain '=' or '\n', so two maps can share a key: a key match is a candidate,
// confirmed against data_unit_files.
std::string files_key(const std::map<std::string, CatalogId>& files);

}  // namespace synapse::runtime::catalog

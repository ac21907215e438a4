// Errors that the SDK's services raise (CatalogError, StorageError) become host RuntimeErrors
// with a stable id and the exit code an operator's scheduler can act on: a missing or invalid
// thing is bad usage (2, never retry), a busy or unreachable service is transient (4, retry).
#pragma once

#include <synapse/catalog.hpp>
#include <synapse/storage.hpp>

#include "common/runtime_error.hpp"

namespace synapse::runtime {

RuntimeError to_runtime_error(const synapse::CatalogError& error);
RuntimeError to_runtime_error(const synapse::StorageError& error);

// The id part for a kind, e.g. "not_found", "auth_failed".
const char* kind_name(synapse::CatalogError::Kind kind);
const char* kind_name(synapse::StorageError::Kind kind);

}  // namespace synapse::runtime

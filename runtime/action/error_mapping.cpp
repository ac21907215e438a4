#include "action/error_mapping.hpp"

namespace synapse::runtime {

using CatalogKind = synapse::CatalogError::Kind;
using StorageKind = synapse::StorageError::Kind;

const char* kind_name(CatalogKind kind) {
  switch (kind) {
    case CatalogKind::not_found:
      return "not_found";
    case CatalogKind::conflict:
      return "conflict";
    case CatalogKind::invalid:
      return "invalid";
    case CatalogKind::busy:
      return "busy";
    case CatalogKind::unavailable:
      return "unavailable";
    case CatalogKind::io:
      return "io";
    case CatalogKind::incompatible:
      return "incompatible";
  }
  return "unknown";
}

const char* kind_name(StorageKind kind) {
  switch (kind) {
    case StorageKind::not_found:
      return "not_found";
    case StorageKind::path_escape:
      return "path_escape";
    case StorageKind::permission_denied:
      return "permission_denied";
    case StorageKind::auth_failed:
      return "auth_failed";
    case StorageKind::invalid_config:
      return "invalid_config";
    case StorageKind::unreachable:
      return "unreachable";
    case StorageKind::io:
      return "io";
  }
  return "unknown";
}

RuntimeError to_runtime_error(const synapse::CatalogError& error) {
  const bool transient = error.kind() == CatalogKind::busy ||
                         error.kind() == CatalogKind::unavailable ||
                         error.kind() == CatalogKind::io;
  // A catalog from a newer synapse keeps the id operators search for.
  const std::string id = error.kind() == CatalogKind::incompatible
                             ? "catalog.schema_too_new"
                             : std::string("catalog.") + kind_name(error.kind());
  return RuntimeError(transient ? ExitCode::transient : ExitCode::usage, id, error.what(),
                      error.details());
}

RuntimeError to_runtime_error(const synapse::StorageError& error) {
  const bool transient =
      error.kind() == StorageKind::unreachable || error.kind() == StorageKind::io;
  return RuntimeError(transient ? ExitCode::transient : ExitCode::usage,
                      std::string("storage.") + kind_name(error.kind()), error.what());
}

}  // namespace synapse::runtime

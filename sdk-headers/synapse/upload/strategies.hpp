// The five strategy kinds of an upload (spec/upload.md §10, design.md §5), as interfaces a
// plugin can implement and register by name in the StrategyRegistry (strategy_registry.hpp).
// The built-in ones (validation `default`; file_discovery `flat`, `recursive`,
// `by_extension`; metadata `excel`, `csv`, `none`; upload `sync`, `async`; data_unit `single`,
// `batch`) live in the runtime and implement the same interfaces.
//
// Differences from Python's interfaces, on purpose: discovery streams units through a
// callback in key order instead of returning lists (a million files must not be held at once);
// validation and metadata work per unit for the same reason; the upload and data-unit
// strategies return one result per input unit, in input order, failures included.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>
#include <synapse/errors.hpp>
#include <synapse/storage.hpp>
#include <synapse/upload/units.hpp>
#include <synapse/visibility.hpp>

namespace synapse::upload {

enum class StrategyKind { validation, file_discovery, metadata, upload, data_unit };

inline const char* to_string(StrategyKind kind) noexcept {
  switch (kind) {
    case StrategyKind::validation:
      return "validation";
    case StrategyKind::file_discovery:
      return "file_discovery";
    case StrategyKind::metadata:
      return "metadata";
    case StrategyKind::upload:
      return "upload";
    case StrategyKind::data_unit:
      return "data_unit";
  }
  return "?";
}

// ---- validation ----

struct ValidationResult {
  bool valid = true;
  std::vector<std::string> errors;
  explicit operator bool() const noexcept { return valid; }
};

class SYNAPSE_SYMBOL_VISIBLE ValidationStrategy {
 public:
  static constexpr StrategyKind kind = StrategyKind::validation;
  virtual ~ValidationStrategy() = default;
  virtual std::string name() const = 0;
  // The problems of one unit (e.g. a file whose extension its spec does not allow).
  virtual ValidationResult validate_unit(const OrganizedUnit& unit,
                                         const std::vector<FileSpecification>& specs) = 0;
};

// ---- file discovery ----

// A wrong layout (missing root, no spec folder, ambiguous extensions, ...): the message names
// what was expected and what was found. An ActionError, so the run ends with exit code 1.
class SYNAPSE_SYMBOL_VISIBLE DiscoveryError : public ActionError {
 public:
  using ActionError::ActionError;
};

enum class GroupBy { stem, folder };

struct DiscoveryOptions {
  bool recursive = true;  // by_extension only: walk below root (forced on by group_by folder)
  GroupBy group_by = GroupBy::stem;  // by_extension only
  std::size_t max_examples = 10;     // examples kept per problem kind in the report
};

struct SpecDiscovery {
  std::string spec;
  std::string source;  // the folder searched, relative to the storage root ("" = root)
  bool found = false;  // the source folder exists
  bool required = false;
  std::vector<std::string> extensions;  // allowed; empty = any
  std::uint64_t files = 0;              // files accepted for this spec (duplicates included)
};

struct UnmatchedFile {
  std::string path;
  std::string reason;
};

struct DuplicateFile {
  std::string key;
  std::string spec;
  std::string kept;     // first in name order: deterministic, unlike Python's newest-mtime
  std::string ignored;  // rule, which also depends on clocks
};

struct MissingRequired {
  std::string key;
  std::vector<std::string> missing;  // spec names
};

struct DiscoveryReport {
  std::string strategy;
  std::string root;
  std::vector<SpecDiscovery> specs;          // in the order the specs were given
  std::uint64_t units = 0;                   // emitted
  std::uint64_t units_missing_required = 0;  // dropped: lacking a required spec
  std::vector<MissingRequired> missing_required_examples;
  std::uint64_t unmatched_files = 0;  // found but used by no unit (wrong extension, ...)
  std::vector<UnmatchedFile> unmatched_examples;
  std::uint64_t duplicate_files = 0;  // second file for the same (unit, spec): not used
  std::vector<DuplicateFile> duplicate_examples;
  std::vector<std::string> warnings;  // e.g. an optional spec folder that does not exist

  // For the dry-run plan and the log.
  nlohmann::json to_json() const {
    nlohmann::json out = {{"strategy", strategy}, {"root", root}, {"units", units}};
    out["specs"] = nlohmann::json::array();
    for (const auto& s : specs) {
      out["specs"].push_back({{"spec", s.spec},
                              {"source", s.source},
                              {"found", s.found},
                              {"required", s.required},
                              {"extensions", s.extensions},
                              {"files", s.files}});
    }
    auto& missing = out["units_missing_required"] = {{"count", units_missing_required}};
    missing["examples"] = nlohmann::json::array();
    for (const auto& m : missing_required_examples) {
      missing["examples"].push_back({{"key", m.key}, {"missing", m.missing}});
    }
    auto& unmatched = out["unmatched_files"] = {{"count", unmatched_files}};
    unmatched["examples"] = nlohmann::json::array();
    for (const auto& u : unmatched_examples) {
      unmatched["examples"].push_back({{"path", u.path}, {"reason", u.reason}});
    }
    auto& duplicates = out["duplicate_files"] = {{"count", duplicate_files}};
    duplicates["examples"] = nlohmann::json::array();
    for (const auto& d : duplicate_examples) {
      duplicates["examples"].push_back(
          {{"key", d.key}, {"spec", d.spec}, {"kept", d.kept}, {"ignored", d.ignored}});
    }
    out["warnings"] = warnings;
    return out;
  }
};

using UnitCallback = std::function<void(OrganizedUnit&&)>;

class SYNAPSE_SYMBOL_VISIBLE FileDiscoveryStrategy {
 public:
  static constexpr StrategyKind kind = StrategyKind::file_discovery;
  virtual ~FileDiscoveryStrategy() = default;
  virtual std::string name() const = 0;
  // Calls `on_unit` once per complete unit, in ascending key order, and fills `report` (which
  // is reset first). Throws DiscoveryError on a wrong layout, StorageError from the storage.
  virtual void discover(Storage& storage, const std::string& root,
                        const std::vector<FileSpecification>& specs,
                        const DiscoveryOptions& options, const UnitCallback& on_unit,
                        DiscoveryReport& report) = 0;
};

// ---- metadata ----

class SYNAPSE_SYMBOL_VISIBLE MetadataStrategy {
 public:
  static constexpr StrategyKind kind = StrategyKind::metadata;
  virtual ~MetadataStrategy() = default;
  virtual std::string name() const = 0;
  // Reads the metadata source `name` (a path, for messages) from `in`. Throws on a bad file.
  virtual void load(std::istream& in, const std::string& name) = 0;
  // Rows loaded (0 before load or for `none`).
  virtual std::size_t size() const = 0;
  // The metadata of one unit ({column: value}), or null when no row matches it.
  virtual nlohmann::json meta_for(const OrganizedUnit& unit) const = 0;
  // Problems found while reading that did not stop it (rows skipped, values cut).
  virtual std::vector<std::string> warnings() const { return {}; }
};

// ---- upload (storing files in the catalog) ----

// The storage a spec's files are read from (one storage in single-path mode; per asset in
// multi-path mode).
using StorageForSpec = std::function<Storage&(const std::string& spec)>;

// Called once per stored file / per failed unit, never two at once, so they need no locking
// of their own. An exception thrown by a callback marks that unit failed.
struct UploadCallbacks {
  std::function<void(const OrganizedUnit& unit, const std::string& spec,
                     const PutFileResult& stored)>
      on_file_uploaded;
  std::function<void(const OrganizedUnit& unit, const std::string& error)> on_unit_failed;
};

class SYNAPSE_SYMBOL_VISIBLE UploadStrategy {
 public:
  static constexpr StrategyKind kind = StrategyKind::upload;
  virtual ~UploadStrategy() = default;
  virtual std::string name() const = 0;
  // One UploadedUnit per input unit, in input order (meta copied from the input). Never throws
  // for a failing file: that unit carries the error and the others go on.
  virtual std::vector<UploadedUnit> upload(const StorageForSpec& sources, Catalog& catalog,
                                           const std::vector<OrganizedUnit>& batch,
                                           const UploadCallbacks& callbacks = {}) = 0;
};

// ---- data units ----

struct CreatedDataUnit {
  std::string key;
  DataUnit unit;
  bool created = true;  // false: an identical unit already existed (a re-run) and is reused
};

struct FailedDataUnit {
  std::string key;
  std::string error;                 // the catalog's message
  std::vector<std::string> details;  // CatalogError::details() of the failing call
};

struct DataUnitCreation {
  std::vector<CreatedDataUnit> created;  // in input order
  std::vector<FailedDataUnit> failed;    // in input order
};

// The meta of each unit's data unit; an empty function uses UploadedUnit::meta.
using MetaForUnit = std::function<nlohmann::json(const UploadedUnit& unit)>;

struct DataUnitCallbacks {
  std::function<void(const CreatedDataUnit& created)> on_unit_created;
  // Once per failing create_data_units call (the DATA_UNIT_BATCH_FAILED log line).
  std::function<void(const std::vector<std::string>& keys, const std::string& error,
                     const std::vector<std::string>& details)>
      on_batch_failed;
};

class SYNAPSE_SYMBOL_VISIBLE DataUnitStrategy {
 public:
  static constexpr StrategyKind kind = StrategyKind::data_unit;
  virtual ~DataUnitStrategy() = default;
  virtual std::string name() const = 0;
  // Exceptions from the catalog are reported as failures, never thrown; exceptions from
  // `meta_for` or the callbacks propagate. Units whose upload failed are skipped.
  virtual DataUnitCreation create(Catalog& catalog, CatalogId collection_id,
                                  const std::vector<UploadedUnit>& units,
                                  const MetaForUnit& meta_for = {},
                                  const DataUnitCallbacks& callbacks = {}) = 0;
};

}  // namespace synapse::upload

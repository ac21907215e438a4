// The upload action's params (spec/upload.md §2, §2.1 and the later multi-path mode) as one
// typed struct with the defaults applied. Three separate checks, each listing every problem
// with its JSON pointer path (never only the first), so a user fixes a bad params file in one go:
//   1. parse_upload_params: types, required fields, ranges, single- vs multi-path rules;
//   2. check_against_catalog: storages, data collection, project and asset spec names exist;
//   3. check_excel_metadata: the §2.1 Excel file rules, with the storage behind a size lookup.
// The Python SDK validated and then threw the result away, re-reading raw params with its own
// fallbacks (§2, runtime.md §2.3); here the struct is the single source of the values, and the
// undeclared keys the steps honoured (max_concurrent_uploads, ...) are typed fields too.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "params/params_validator.hpp"

namespace synapse::runtime::upload {

using synapse::runtime::ParamError;

// One entry of `assets` in multi-path mode, keyed by file specification name.
struct AssetParams {
  std::string path;                  // inside the storage
  std::optional<CatalogId> storage;  // absent: UploadParams::storage
  std::optional<bool> is_recursive;  // absent: UploadParams::is_recursive (default true)
};

struct UploadParams {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> path;  // required when use_single_path
  CatalogId storage = 0;            // 0 only when parsing reported an error for it
  CatalogId data_collection = 0;    // idem
  // Spec: checked only "if truthy", so 0 and null both mean no project.
  std::optional<CatalogId> project;
  std::optional<std::string> excel_metadata_path;  // "" is treated as absent (spec §2.1 step 1)
  bool is_recursive = true;
  // The chunked-upload threshold, not a rejection limit (spec §2).
  std::int64_t max_file_size_mb = 50;
  std::int64_t creating_data_unit_batch_size = 1;  // > 1 selects the batch data-unit strategy
  bool use_async_upload = true;
  // Undeclared in the model but read by the steps with these defaults (spec §2).
  std::int64_t max_concurrent_uploads = 10;
  std::int64_t upload_batch_size = 1;
  bool skip_cleanup = false;
  std::string validation_strategy = "default";
  // Multi-path mode (spec §2 [later]).
  bool use_single_path = true;
  std::map<std::string, AssetParams> assets;
  bool dry_run = false;
  nlohmann::json extra_params;  // null when absent; passed verbatim to the plugin's Uploader

  // An asset's recursion flag with the top-level fallback applied.
  bool asset_is_recursive(const AssetParams& asset) const {
    return asset.is_recursive.value_or(is_recursive);
  }
  // An asset's storage with the top-level fallback applied.
  CatalogId asset_storage(const AssetParams& asset) const {
    return asset.storage.value_or(storage);
  }
};

struct UploadParamsCheck {
  UploadParams params;  // defaults applied; fields with an error keep their default
  std::vector<ParamError> errors;
  bool ok() const { return errors.empty(); }
};

// Type, required-field, range and mode checks. Keys the spec does not name are ignored (the
// pydantic model ignored them too), so plugin-specific keys can sit beside the known ones.
UploadParamsCheck parse_upload_params(const nlohmann::json& params);

// Looks up the storage (and every asset's own storage), the data collection, the project when
// given, and that every asset key names a file specification of the collection. Ids left at 0
// by a failed parse are skipped (already reported). CatalogError other than not_found (busy,
// unavailable, ...) propagates: it is a catalog problem, not a params problem.
std::vector<ParamError> check_against_catalog(const UploadParams& params, Catalog& catalog);

// Size of a file inside the storage, std::nullopt when it does not exist. May throw (any
// std::exception) when the file exists but cannot be read; reported as an access error.
using StorageSizeLookup = std::function<std::optional<std::uint64_t>(const std::string& path)>;

inline constexpr std::uint64_t kDefaultExcelMaxBytes = 10ULL * 1024 * 1024;  // spec §2.1: 10 MiB

// Where the Excel file is looked up: an absolute value as is, otherwise relative to `path`
// (single-path mode) or to the storage root (multi-path mode without `path`).
std::string resolve_excel_metadata_path(const UploadParams& params);

// Spec §2.1 steps 1, 2, 5, 6: absent → no error; extension .xlsx/.xls (case-insensitive), and
// only then existence, readability, non-empty and size <= max_bytes. Errors are at
// "/excel_metadata_path". The content checks (PK / D0 CF 11 E0 magic) need the bytes and are
// left to the metadata reader.
std::vector<ParamError> check_excel_metadata(const UploadParams& params,
                                             const StorageSizeLookup& size_of,
                                             std::uint64_t max_bytes = kDefaultExcelMaxBytes);

}  // namespace synapse::runtime::upload

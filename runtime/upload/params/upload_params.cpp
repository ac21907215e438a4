#include "upload/params/upload_params.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <utility>

namespace synapse::runtime::upload {
namespace {

using nlohmann::json;

std::string type_name(const json& v) {
  if (v.is_number_integer())  // signed and unsigned: both are what users call "integer"
    return "integer";
  return v.type_name();
}

// JSON pointer token escaping (RFC 6901), so an asset key with '/' still yields a valid path.
std::string escape_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

bool is_blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// Reads the typed fields of one JSON object, recording an error per bad field and leaving the
// target untouched (i.e. at its default) in that case. `base` prefixes every path.
class FieldReader {
 public:
  FieldReader(const json& object, std::string base, std::vector<ParamError>& errors)
      : object_(object), base_(std::move(base)), errors_(errors) {}

  std::string path(const std::string& key) const { return base_ + "/" + escape_token(key); }
  void fail(const std::string& key, std::string message) const {
    errors_.push_back({path(key), std::move(message)});
  }

  // nullptr when absent; null counts as absent for optional fields (the model's "or null").
  const json* find(const std::string& key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  // required: false → absent is fine. Returns whether a valid value was read.
  bool string(const std::string& key, std::string& out, bool required = false) const {
    const json* v = find(key);
    if (v == nullptr) {
      if (required)
        fail(key, "is required");
      return false;
    }
    if (!v->is_string()) {
      fail(key, "must be a string, got " + type_name(*v));
      return false;
    }
    out = v->get<std::string>();
    return true;
  }

  bool boolean(const std::string& key, bool& out) const {
    const json* v = find(key);
    if (v == nullptr)
      return false;
    if (!v->is_boolean()) {
      fail(key, "must be a boolean, got " + type_name(*v));
      return false;
    }
    out = v->get<bool>();
    return true;
  }

  // Integers only (no 1.5, no "3"): ids and counts given as text are typos worth reporting.
  bool integer(const std::string& key, std::int64_t& out, std::int64_t minimum,
               bool required = false) const {
    const json* v = find(key);
    if (v == nullptr) {
      if (required)
        fail(key, "is required");
      return false;
    }
    if (!v->is_number_integer()) {
      fail(key, "must be an integer, got " + type_name(*v));
      return false;
    }
    if (v->is_number_unsigned() &&
        v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      fail(key, "is too large");
      return false;
    }
    const std::int64_t value = v->get<std::int64_t>();
    if (value < minimum) {
      fail(key, "must be at least " + std::to_string(minimum) + ", got " + std::to_string(value));
      return false;
    }
    out = value;
    return true;
  }

 private:
  const json& object_;
  std::string base_;
  std::vector<ParamError>& errors_;
};

void parse_assets(const json& assets, UploadParams& out, std::vector<ParamError>& errors) {
  if (!assets.is_object()) {
    errors.push_back({"/assets", "must be an object, got " + type_name(assets)});
    return;
  }
  for (const auto& [key, value] : assets.items()) {
    const std::string base = "/assets/" + escape_token(key);
    if (key.empty() || is_blank(key)) {
      errors.push_back({base, "file specification name must not be blank"});
      continue;
    }
    if (!value.is_object()) {
      errors.push_back({base, "must be an object with a path, got " + type_name(value)});
      continue;
    }
    FieldReader r(value, base, errors);
    AssetParams asset;
    if (r.string("path", asset.path, true) && is_blank(asset.path))
      r.fail("path", "must not be blank");
    std::int64_t storage = 0;
    if (r.integer("storage", storage, 1))
      asset.storage = storage;
    bool recursive = true;
    if (r.boolean("is_recursive", recursive))
      asset.is_recursive = recursive;
    out.assets.emplace(key, std::move(asset));
  }
}

}  // namespace

UploadParamsCheck parse_upload_params(const json& params) {
  UploadParamsCheck check;
  UploadParams& p = check.params;
  auto& errors = check.errors;
  if (!params.is_object()) {
    errors.push_back({"", "params must be a JSON object, got " + type_name(params)});
    return check;
  }
  FieldReader r(params, "", errors);

  if (r.string("name", p.name, true) && is_blank(p.name))
    r.fail("name", "must not be blank");
  std::string text;
  if (r.string("description", text))
    p.description = text;

  r.boolean("use_single_path", p.use_single_path);
  const bool has_path = r.string("path", text);
  if (has_path) {
    if (is_blank(text))
      r.fail("path", "must not be blank");
    else
      p.path = text;
  } else if (p.use_single_path && r.find("path") == nullptr) {
    r.fail("path", "is required when use_single_path is true");
  }
  if (const json* assets = r.find("assets"))
    parse_assets(*assets, p, errors);
  // Reported only when nothing was said about assets yet, to avoid two errors for one mistake.
  if (!p.use_single_path && p.assets.empty() &&
      std::none_of(errors.begin(), errors.end(),
                   [](const ParamError& e) { return e.path.rfind("/assets", 0) == 0; }))
    errors.push_back(
        {"/assets", "must name at least one file specification when use_single_path is false"});

  r.integer("storage", p.storage, 1, true);
  r.integer("data_collection", p.data_collection, 1, true);
  std::int64_t project = 0;
  if (r.integer("project", project, 0) && project != 0)
    p.project = project;

  if (r.string("excel_metadata_path", text) && !text.empty())
    p.excel_metadata_path = text;

  r.boolean("is_recursive", p.is_recursive);
  r.integer("max_file_size_mb", p.max_file_size_mb, 1);
  r.integer("creating_data_unit_batch_size", p.creating_data_unit_batch_size, 1);
  r.boolean("use_async_upload", p.use_async_upload);
  r.integer("max_concurrent_uploads", p.max_concurrent_uploads, 1);
  r.integer("upload_batch_size", p.upload_batch_size, 1);
  r.boolean("skip_cleanup", p.skip_cleanup);
  if (r.string("validation_strategy", text)) {
    if (is_blank(text))
      r.fail("validation_strategy", "must not be blank");
    else
      p.validation_strategy = text;
  }
  r.boolean("dry_run", p.dry_run);

  if (const json* extra = r.find("extra_params")) {
    if (extra->is_object())
      p.extra_params = *extra;
    else
      r.fail("extra_params", "must be an object, got " + type_name(*extra));
  }
  return check;
}

namespace {

// Whether a record exists: true/false for found/not_found, other CatalogErrors propagate.
template <class Get>
bool exists(Get&& get) {
  try {
    get();
    return true;
  } catch (const CatalogError& e) {
    if (e.kind() != CatalogError::Kind::not_found)
      throw;
    return false;
  }
}

}  // namespace

std::vector<ParamError> check_against_catalog(const UploadParams& params, Catalog& catalog) {
  std::vector<ParamError> errors;
  // Several assets usually share a storage: look each id up once.
  std::map<CatalogId, bool> storages;
  auto storage_exists = [&](CatalogId id) {
    auto it = storages.find(id);
    if (it == storages.end())
      it = storages.emplace(id, exists([&] { catalog.get_storage(id); })).first;
    return it->second;
  };

  if (params.storage > 0 && !storage_exists(params.storage))
    errors.push_back({"/storage", "storage " + std::to_string(params.storage) + " does not exist"});

  std::optional<DataCollection> collection;
  if (params.data_collection > 0) {
    if (!exists([&] { collection = catalog.get_data_collection(params.data_collection); }))
      errors.push_back(
          {"/data_collection",
           "data collection " + std::to_string(params.data_collection) + " does not exist"});
  }

  std::optional<Project> project;
  if (params.project && !exists([&] { project = catalog.get_project(*params.project); }))
    errors.push_back(
        {"/project", "project " + std::to_string(*params.project) + " does not exist"});
  // Tasks of this upload's units in a project bound to another collection would make no sense.
  if (project && project->collection_id && params.data_collection > 0 &&
      *project->collection_id != params.data_collection) {
    errors.push_back({"/project", "project " + std::to_string(project->id) +
                                      " belongs to data collection " +
                                      std::to_string(*project->collection_id) + ", not " +
                                      std::to_string(params.data_collection)});
  }

  for (const auto& [key, asset] : params.assets) {
    const std::string base = "/assets/" + escape_token(key);
    if (asset.storage && !storage_exists(*asset.storage))
      errors.push_back(
          {base + "/storage", "storage " + std::to_string(*asset.storage) + " does not exist"});
    if (!collection)
      continue;  // unknown collection: already reported, nothing to compare the key with
    const auto& specs = collection->file_specifications;
    if (std::none_of(specs.begin(), specs.end(),
                     [&](const FileSpecification& s) { return s.name == key; })) {
      std::string known;
      for (const auto& s : specs)
        known += (known.empty() ? "" : ", ") + s.name;
      errors.push_back({base, "'" + key + "' is not a file specification of data collection '" +
                                  collection->name +
                                  "' (known: " + (known.empty() ? "none" : known) + ")"});
    }
  }
  return errors;
}

std::string resolve_excel_metadata_path(const UploadParams& params) {
  const std::string& value = params.excel_metadata_path.value_or("");
  if (value.empty() || value.front() == '/' || !params.path)
    return value;
  std::string base = *params.path;
  while (base.size() > 1 && base.back() == '/')
    base.pop_back();
  return base == "/" ? "/" + value : base + "/" + value;
}

std::vector<ParamError> check_excel_metadata(const UploadParams& params,
                                             const StorageSizeLookup& size_of,
                                             std::uint64_t max_bytes) {
  const std::string kPath = "/excel_metadata_path";
  if (!params.excel_metadata_path || params.excel_metadata_path->empty())
    return {};
  std::string lower = *params.excel_metadata_path;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto ends_with = [&](const std::string& suffix) {
    return lower.size() >= suffix.size() &&
           lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  // .csv selects the csv metadata strategy (Python read only Excel).
  if (!ends_with(".xlsx") && !ends_with(".xls") && !ends_with(".csv"))
    return {{kPath, "Excel metadata file must be .xlsx or .xls format (or .csv)."}};

  const std::string resolved = resolve_excel_metadata_path(params);
  std::optional<std::uint64_t> size;
  try {
    size = size_of(resolved);
  } catch (const std::exception& e) {
    return {{kPath, "Excel metadata file cannot be read: " + resolved + ": " + e.what()}};
  }
  if (!size)
    return {{kPath, "Excel metadata file not found: " + resolved}};
  if (*size == 0)
    return {{kPath, "Excel metadata file appears to be empty: " + resolved}};
  if (*size > max_bytes) {
    // Spec wording: "Maximum size is {max_size_mb}MB".
    const std::uint64_t max_mb = max_bytes / (1024 * 1024);
    return {{kPath, "Excel metadata file is too large (" + std::to_string(*size) +
                        " bytes). Maximum size is " + std::to_string(max_mb) + "MB"}};
  }
  return {};
}

}  // namespace synapse::runtime::upload

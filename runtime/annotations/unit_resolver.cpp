#include "annotations/unit_resolver.hpp"

#include <utility>

namespace synapse::runtime::annotations {

namespace {

std::string list_ids(const std::vector<CatalogId>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 10; ++i)
    out += (i == 0 ? "" : ", ") + std::to_string(ids[i]);
  if (ids.size() > 10)
    out += " and " + std::to_string(ids.size() - 10) + " more";
  return out;
}

// Where the file named its unit: the key of the document, or "" for the file's stem.
std::string key_field(const DataUnitKey& key) {
  switch (key.kind) {
    case DataUnitKey::Kind::id:
      return "data_unit_id";
    case DataUnitKey::Kind::file_name:
      return "file_name";
    case DataUnitKey::Kind::file_stem:
      break;
  }
  return "";
}

// The name as the message quotes it.
std::string key_text(const DataUnitKey& key) {
  switch (key.kind) {
    case DataUnitKey::Kind::id:
      return "data unit " + std::to_string(key.id);
    case DataUnitKey::Kind::file_name:
      return "\"" + key.name + "\"";
    case DataUnitKey::Kind::file_stem:
      break;
  }
  return "the file's stem \"" + key.name + "\"";
}

}  // namespace

UnitResolver::UnitResolver(Catalog& catalog, CatalogId collection_id, std::size_t batch_size,
                           const std::vector<std::filesystem::path>& files,
                           std::vector<CatalogId>& units, std::vector<FileProblem>& problems)
    : catalog_(catalog),
      collection_id_(collection_id),
      batch_size_(batch_size == 0 ? 1 : batch_size),
      files_(files),
      units_(units),
      problems_(problems) {}

void UnitResolver::add(std::size_t file, DataUnitKey key) {
  pending_files_.push_back(file);
  pending_keys_.push_back(std::move(key));
  if (pending_keys_.size() >= batch_size_)
    flush();
}

void UnitResolver::flush() {
  if (pending_keys_.empty())
    return;
  const auto found = catalog_.find_data_units_by_keys(collection_id_, pending_keys_);
  const std::string collection = "data collection " + std::to_string(collection_id_);
  for (std::size_t k = 0; k < pending_keys_.size(); ++k) {
    const std::size_t file = pending_files_[k];
    const DataUnitKey& key = pending_keys_[k];
    const auto& units = found[k];
    auto problem = [&](std::string message) {
      problems_.push_back({file, Problem{key_field(key), std::move(message)}});
    };
    if (units.empty()) {
      switch (key.kind) {
        case DataUnitKey::Kind::id:
          problem("no data unit " + std::to_string(key.id) + " in " + collection);
          break;
        case DataUnitKey::Kind::file_name:
          problem("no data unit of " + collection + " holds a file named \"" + key.name + "\"");
          break;
        case DataUnitKey::Kind::file_stem:
          problem("no data unit of " + collection + " holds a file named \"" + key.name +
                  "\" or \"" + key.name +
                  ".<extension>\" (the file's stem; name the unit with data_unit_id or file_name)");
          break;
      }
      continue;
    }
    if (units.size() > 1) {
      problem(key_text(key) + " matches " + std::to_string(units.size()) + " data units of " +
              collection + " (" + list_ids(units) + "): name one with data_unit_id");
      continue;
    }
    const auto [it, added] = named_by_.try_emplace(units.front(), file);
    if (!added) {
      const std::string unit = "data unit " + std::to_string(units.front());
      problem((key.kind == DataUnitKey::Kind::id ? unit : key_text(key) + " names " + unit) +
              ", which " + files_[it->second].string() + " names too: one file per data unit");
      continue;
    }
    units_[file] = units.front();
  }
  pending_files_.clear();
  pending_keys_.clear();
}

}  // namespace synapse::runtime::annotations

// Which data unit each annotation file names (docs/annotation-format.md): resolved through the
// catalog a batch of names at a time (find_data_units_by_keys), so 100,000 files never load a
// table. A name that matches no unit of the collection, or several, and two files that name
// the same unit are problems of the file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include <synapse/catalog.hpp>

#include "annotations/annotation_document.hpp"

namespace synapse::runtime::annotations {

// A problem of file number `file` (describe() puts its path in front).
struct FileProblem {
  std::size_t file = 0;
  Problem problem;
};

class UnitResolver {
 public:
  // `files` are the paths (for naming the other file of a unit named twice). Resolved units
  // are stored in units[file] (sized like `files`); problems appended to `problems`.
  UnitResolver(Catalog& catalog, CatalogId collection_id, std::size_t batch_size,
               const std::vector<std::filesystem::path>& files, std::vector<CatalogId>& units,
               std::vector<FileProblem>& problems);

  // File number `file` names its unit by `key`; a full batch is resolved at once.
  void add(std::size_t file, DataUnitKey key);
  // Resolves what is queued.
  void flush();

 private:
  Catalog& catalog_;
  CatalogId collection_id_;
  std::size_t batch_size_;
  const std::vector<std::filesystem::path>& files_;
  std::vector<CatalogId>& units_;
  std::vector<FileProblem>& problems_;
  std::vector<std::size_t> pending_files_;
  std::vector<DataUnitKey> pending_keys_;
  std::unordered_map<CatalogId, std::size_t> named_by_;  // unit -> the first file naming it
};

}  // namespace synapse::runtime::annotations

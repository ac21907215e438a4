// Writes checked annotations onto the import's target (task, assignment or ground truth), a
// batch per catalog call: each batch is one transaction that updates the rows it finds and
// creates the missing ones, so writing the same annotations twice changes nothing more.
#pragma once

#include <string>
#include <vector>

#include <synapse/catalog.hpp>

#include "annotations/annotation_import.hpp"

namespace synapse::runtime::annotations {

class AnnotationWriter {
 public:
  // Counts what it writes into `summary` (created, updated, tasks_created).
  AnnotationWriter(Catalog& catalog, const ImportOptions& options, ImportSummary& summary);

  // `annotation_json` is checked JSON text; a full batch is written at once.
  void add(CatalogId data_unit_id, std::string annotation_json);
  // Writes what is queued.
  void flush();

 private:
  Catalog& catalog_;
  const ImportOptions& options_;
  ImportSummary& summary_;
  std::vector<AnnotationWrite> batch_;
};

}  // namespace synapse::runtime::annotations

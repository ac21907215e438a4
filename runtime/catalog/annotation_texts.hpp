// Annotations as the catalog stores them (JSON text), for a reader that copies them without
// parsing: the Synapse JSON export writes each task's annotation to a file as it is, and
// parsing it into a tree only to dump it again was most of that export's CPU.
//
// A capability beside the Catalog interface, not part of it: the export asks for it with
// dynamic_cast and reads through Catalog::list_tasks (parse, then dump) when a catalog does not
// offer it.
#pragma once

#include <string>

#include <synapse/catalog.hpp>

namespace synapse::runtime::catalog {

struct TaskText {
  CatalogId id = 0;
  CatalogId data_unit_id = 0;
  std::string status;
  std::string annotation;  // the stored JSON text; empty when the task is not annotated
};

class AnnotationTextSource {
 public:
  virtual ~AnnotationTextSource() = default;
  // Same records, order and cursors as Catalog::list_tasks.
  virtual Page<TaskText> list_task_texts(CatalogId project_id, const PageRequest& page) = 0;
};

}  // namespace synapse::runtime::catalog

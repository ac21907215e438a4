#include "annotations/annotation_writer.hpp"

#include <utility>

namespace synapse::runtime::annotations {

AnnotationWriter::AnnotationWriter(Catalog& catalog, const ImportOptions& options,
                                   ImportSummary& summary)
    : catalog_(catalog), options_(options), summary_(summary) {
  batch_.reserve(options.batch_size);
}

void AnnotationWriter::add(CatalogId data_unit_id, std::string annotation_json) {
  batch_.push_back({data_unit_id, std::move(annotation_json)});
  if (batch_.size() >= options_.batch_size)
    flush();
}

void AnnotationWriter::flush() {
  if (batch_.empty())
    return;
  std::vector<AnnotationWritten> written;
  switch (options_.target) {
    case ImportTarget::task:
      written = catalog_.put_task_annotations(*options_.project_id, options_.task_status, batch_);
      break;
    case ImportTarget::assignment:
      written = catalog_.put_assignment_annotations(*options_.project_id, batch_);
      break;
    case ImportTarget::ground_truth:
      written = catalog_.put_ground_truth_annotations(options_.collection_id,
                                                      options_.dataset_version, batch_);
      break;
  }
  for (const auto& row : written) {
    ++(row.created ? summary_.created : summary_.updated);
    if (row.task_created)
      ++summary_.tasks_created;
  }
  summary_.data_units += written.size();
  batch_.clear();
}

}  // namespace synapse::runtime::annotations

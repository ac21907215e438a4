// Job events whose data is already JSON text, for the run's event sink: it serialises each
// event once, where it is published, instead of copying its tree twice on the way to one
// dump at insert time (an upload or export logs an event per file; those copies were most of
// the sink's cost).
//
// A capability beside the Catalog interface, not part of it (as AnnotationTextSource): the
// sink asks for it with dynamic_cast and goes through Catalog::append_job_events when a
// catalog does not offer it.
#pragma once

#include <string>
#include <vector>

namespace synapse::runtime::catalog {

struct JobEventText {
  std::string event;
  std::string data;      // JSON text, stored as is
  std::string datetime;  // set to now (ISO 8601 UTC) when empty
};

class JobEventTextAppender {
 public:
  virtual ~JobEventTextAppender() = default;
  // Same rules as Catalog::append_job_events (one transaction, seq continued, the job must
  // exist), without handing the stored events back.
  virtual void append_job_event_texts(const std::string& job_id,
                                      const std::vector<JobEventText>& events) = 0;
};

}  // namespace synapse::runtime::catalog

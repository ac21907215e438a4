// The timestamp format of catalog records (jobs, data files): one function, so every record
// written by the host, the catalog or a run compares and sorts the same way.
#pragma once

#include <cstddef>
#include <ctime>
#include <string>
#include <string_view>

namespace synapse::runtime {

// Current UTC time, ISO 8601 with milliseconds: "2025-01-31T12:00:00.123Z".
std::string now_iso8601();

// The whole-second part of a timestamp, formatted by `format(seconds, buffer, size)` (which
// returns the length it wrote) once per second and thread, so that the callers only append the
// fraction: uploads and exports stamp an event per item, and gmtime_r / localtime_r + strftime
// were most of a stamp's cost. Each caller (each `Format` type) has its own cache.
template <class Format>
std::string_view per_second_text(std::time_t seconds, Format format) {
  thread_local std::time_t cached = -1;
  thread_local char text[64];
  thread_local std::size_t length = 0;
  if (seconds != cached) {
    length = format(seconds, text, sizeof text);
    cached = seconds;
  }
  return {text, length};
}

}  // namespace synapse::runtime

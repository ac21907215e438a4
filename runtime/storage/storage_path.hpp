// Path normalisation shared by the providers (header-only: the s3 library cannot link back
// into synapse_storage, which links it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <synapse/storage.hpp>

namespace synapse::runtime {

// "a//b/./c" -> "a/b/c"; a leading '/' is ignored (paths are relative to the storage root);
// ".." pops a segment and throws path_escape when there is none left to pop, so no spelling
// can name something above the root. "" and "/" are the root itself.
inline std::string normalize_storage_path(std::string_view provider, std::string_view path) {
  if (path.find('\0') != std::string_view::npos) {
    throw StorageError(StorageError::Kind::path_escape,
                       std::string(provider) + " storage: path contains a NUL byte");
  }
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (segments.empty()) {
        throw StorageError(StorageError::Kind::path_escape,
                           std::string(provider) + " storage: path '" + std::string(path) +
                               "' leaves the storage root");
      }
      segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string normalized;
  for (const auto segment : segments) {
    if (!normalized.empty()) {
      normalized += '/';
    }
    normalized += segment;
  }
  return normalized;
}

}  // namespace synapse::runtime

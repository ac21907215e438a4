#include "upload/metadata/source_bytes.hpp"

#include <fstream>
#include <system_error>

#include "upload/metadata/metadata_error.hpp"

namespace synapse::runtime::upload::impl {

void check_source_size(std::uint64_t size, const std::string& name, const ExcelLimits& limits) {
  if (size > limits.max_file_size_bytes()) {
    throw ExcelMetadataError(ErrorCategory::security, codes::file_too_large,
                             "Excel file too large: " + std::to_string(size) +
                                 " bytes (max: " + std::to_string(limits.max_file_size_bytes()) +
                                 ", max_file_size_mb=" + std::to_string(limits.max_file_size_mb) +
                                 ")",
                             name);
  }
  if (size * 3 > limits.max_memory_usage_bytes()) {
    throw ExcelMetadataError(
        ErrorCategory::security, codes::memory_limit_exceeded,
        "Excel file exceeds memory limits: estimated " + std::to_string(size * 3) +
            " bytes (max_memory_usage_mb=" + std::to_string(limits.max_memory_usage_mb) + ")",
        name);
  }
}

std::string read_bounded(std::istream& in, const std::string& name, const ExcelLimits& limits) {
  const std::uint64_t cap = limits.max_file_size_bytes() + 1;
  std::string bytes;
  char buf[65536];
  while (bytes.size() < cap && (in.read(buf, sizeof buf), in.gcount() > 0)) {
    bytes.append(buf, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    throw ExcelMetadataError(ErrorCategory::parsing, codes::file_access_error,
                             "File access error: stream read failed", name);
  }
  check_source_size(bytes.size(), name, limits);
  return bytes;
}

std::string read_file_bounded(const std::filesystem::path& path, const ExcelLimits& limits) {
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw ExcelMetadataError(ErrorCategory::parsing, codes::file_not_found,
                             "Excel metadata file not found", name);
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    throw ExcelMetadataError(ErrorCategory::parsing, codes::file_access_error,
                             "File access error: " + ec.message(), name);
  }
  check_source_size(size, name, limits);  // before reading a single byte
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ExcelMetadataError(ErrorCategory::parsing, codes::file_access_error,
                             "File access error: cannot open for reading", name);
  }
  return read_bounded(in, name, limits);
}

}  // namespace synapse::runtime::upload::impl

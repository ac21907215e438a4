#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace synapse::runtime::upload {

// An .xlsx (OPC zip) held in memory and opened with minizip through custom I/O callbacks, so a
// std::istream source needs no temp file. Every entry read is charged against a byte budget
// (max_memory_usage) using the size actually inflated, so a zip bomb cannot exceed it even if
// the central directory lies.
class XlsxPackage {
 public:
  // Throws ExcelMetadataError invalid_file_format when `bytes` is not a readable zip.
  XlsxPackage(std::string bytes, std::string file_name, std::uint64_t memory_budget);
  ~XlsxPackage();
  XlsxPackage(const XlsxPackage&) = delete;
  XlsxPackage& operator=(const XlsxPackage&) = delete;

  // Whole uncompressed entry, or nullopt when absent. Part names are matched
  // case-insensitively (OPC part names are). Throws memory_limit_exceeded / invalid_file_format.
  std::optional<std::string> read(const std::string& part);

  struct MemFile {
    std::string data;
    std::uint64_t pos = 0;
  };

 private:
  MemFile mem_;
  std::string file_name_;
  std::uint64_t budget_;
  void* zip_ = nullptr;
};

}  // namespace synapse::runtime::upload

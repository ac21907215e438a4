#pragma once

#include <filesystem>
#include <istream>
#include <string>

#include "upload/metadata/excel_limits.hpp"
#include "upload/metadata/metadata_error.hpp"
#include "upload/metadata/metadata_table.hpp"

namespace synapse::runtime::upload {

// Same table as ExcelMetadataReader, from RFC 4180 CSV (comma separator, "" escapes, quoted
// fields may hold commas and line breaks, CRLF or LF records, UTF-8 BOM skipped). The same
// header/limit rules apply (file size, memory estimate, rows, columns, name/value lengths).
// Values are trimmed strings; empty fields -> null. Fields beyond the header are ignored with
// a warning. Malformed quoting throws ExcelMetadataError code invalid_csv naming the cell.
class CsvMetadataReader {
 public:
  explicit CsvMetadataReader(ExcelLimits limits = {});

  MetadataTable read(const std::filesystem::path& path) const;
  MetadataTable read(std::istream& in, const std::string& name = "<stream>") const;

 private:
  MetadataTable parse(const std::string& text, const std::string& name) const;
  ExcelLimits limits_;
};

}  // namespace synapse::runtime::upload

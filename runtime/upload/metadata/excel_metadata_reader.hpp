#pragma once

#include <filesystem>
#include <istream>
#include <string>

#include "upload/metadata/excel_limits.hpp"
#include "upload/metadata/metadata_error.hpp"
#include "upload/metadata/metadata_table.hpp"

namespace synapse::runtime::upload {

// Reads the upload's Excel metadata (.xlsx only; legacy .xls is refused as invalid_file_format)
// following the SDK's ExcelMetadataStrategy.extract (spec §11.3):
//  * the active sheet (workbookView@activeTab, default the first <sheet> of xl/workbook.xml),
//    located through xl/_rels/workbook.xml.rels;
//  * row 1 is the header, its first cell 'filename'/'file_name'; column A is the file-name key;
//  * values are typed JSON (deliberate difference from the SDK, which stringifies everything):
//    shared/inline/formula strings -> trimmed string, numbers -> integer when integral (|x|<2^53)
//    else double, t="b" -> bool, date-formatted numbers -> ISO 8601 "YYYY-MM-DDTHH:MM:SS"
//    (serials in [0,1) -> "HH:MM:SS"), error cells (t="e") -> their text ("#DIV/0!", as the SDK's
//    str() gives), empty or missing cells -> null.
// All failures throw ExcelMetadataError (see metadata_error.hpp for codes).
class ExcelMetadataReader {
 public:
  explicit ExcelMetadataReader(ExcelLimits limits = {});

  MetadataTable read(const std::filesystem::path& path) const;
  // `name` is only used in error messages.
  MetadataTable read(std::istream& in, const std::string& name = "<stream>") const;

 private:
  ExcelLimits limits_;
};

}  // namespace synapse::runtime::upload

// Metadata strategies (spec/upload.md §11.3): `excel` (.xlsx through ExcelMetadataReader),
// `csv` (CsvMetadataReader) and `none`. Both readers give a MetadataTable; a unit's row is
// found by MetadataTable::match with the unit's first file and its stem (the SDK's rules).
// Read errors propagate as ExcelMetadataError, so process_metadata can log them by category.
#pragma once

#include <memory>

#include <synapse/upload/strategies.hpp>

#include "upload/metadata/excel_limits.hpp"

namespace synapse::runtime::upload {

std::unique_ptr<synapse::upload::MetadataStrategy> make_excel_metadata(const ExcelLimits& limits);
std::unique_ptr<synapse::upload::MetadataStrategy> make_csv_metadata(const ExcelLimits& limits);
std::unique_ptr<synapse::upload::MetadataStrategy> make_no_metadata();

}  // namespace synapse::runtime::upload

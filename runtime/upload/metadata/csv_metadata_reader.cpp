#include "upload/metadata/csv_metadata_reader.hpp"

#include <vector>

#include "upload/metadata/source_bytes.hpp"
#include "upload/metadata/table_builder.hpp"

namespace synapse::runtime::upload {

CsvMetadataReader::CsvMetadataReader(ExcelLimits limits) : limits_(limits) {
  limits_.validate();
}

MetadataTable CsvMetadataReader::read(const std::filesystem::path& path) const {
  return parse(impl::read_file_bounded(path, limits_), path.string());
}

MetadataTable CsvMetadataReader::read(std::istream& in, const std::string& name) const {
  return parse(impl::read_bounded(in, name, limits_), name);
}

MetadataTable CsvMetadataReader::parse(const std::string& text, const std::string& name) const {
  TableBuilder builder(limits_, name, {});
  auto fail = [&](const char* code, const std::string& detail, std::size_t col, std::uint64_t row) {
    throw ExcelMetadataError(ErrorCategory::parsing, code, detail, name, {},
                             TableBuilder::cell_ref(col, row));
  };
  std::size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::uint64_t record = 1;  // record number = "row" in messages, like a sheet row
  std::size_t header_width = 0;
  std::vector<nlohmann::json> cells;
  std::string field;
  bool quoted = false;

  auto end_field = [&] {
    // An empty unquoted field is an empty cell; a quoted "" is an explicit empty string, which
    // the table trims to "" as well.
    if (!quoted && field.empty()) {
      cells.emplace_back(nullptr);
    } else {
      cells.emplace_back(field);
    }
    if (std::int64_t(cells.size()) > limits_.max_columns) {
      fail(codes::too_many_columns,
           "Too many columns: more than " + std::to_string(limits_.max_columns) +
               " (max_columns=" + std::to_string(limits_.max_columns) + ")",
           cells.size() - 1, record);
    }
    field.clear();
    quoted = false;
  };
  auto end_record = [&] {
    end_field();
    if (header_width > 0) {
      for (std::size_t k = header_width; k < cells.size(); ++k) {
        if (!cells[k].is_null()) {
          builder.warn(TableBuilder::cell_ref(k, record) + ": field has no header, ignored");
        }
      }
      cells.resize(header_width, nullptr);
    }
    builder.add_row(record, cells);
    if (builder.has_header() && header_width == 0)
      header_width = cells.size();
    cells.clear();
    ++record;
  };

  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && field.empty() && !quoted) {
      // Quoted field: runs to the closing quote; "" is a literal quote.
      const std::size_t col = cells.size();
      quoted = true;
      ++i;
      for (;;) {
        if (i >= text.size())
          fail(codes::invalid_csv, "Invalid CSV: unterminated quoted field", col, record);
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        fail(codes::invalid_csv, "Invalid CSV: text after closing quote", col, record);
      }
      continue;
    }
    if (c == '"')
      fail(codes::invalid_csv, "Invalid CSV: quote inside unquoted field", cells.size(), record);
    if (c == ',') {
      end_field();
      ++i;
    } else if (c == '\r' || c == '\n') {
      end_record();
      i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
    } else {
      field += c;
      ++i;
    }
  }
  if (!field.empty() || quoted || !cells.empty())
    end_record();
  return builder.finish();
}

}  // namespace synapse::runtime::upload

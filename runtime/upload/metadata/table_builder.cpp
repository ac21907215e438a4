#include "upload/metadata/table_builder.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "upload/metadata/metadata_error.hpp"

namespace synapse::runtime::upload {

namespace {

std::size_t utf8_length(const std::string& text) {
  // Count lead bytes only: continuation bytes are 10xxxxxx.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool is_blank(const nlohmann::json& cell) {
  return cell.is_null() ||
         (cell.is_string() && TableBuilder::trim(cell.get<std::string>()).empty());
}

// Python repr(float): shortest round-trip digits, fixed notation for exponents -4..15,
// otherwise d.ddde+XX. std::to_chars gives the shortest digits; only the layout is redone.
std::string python_float(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  const auto epos = sci.find('e');
  const int exp = std::atoi(sci.c_str() + epos + 1);
  std::string digits = sci.substr(0, epos);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  if (exp >= -4 && exp < 16) {
    std::string out;
    if (exp >= 0) {
      if (digits.size() < std::size_t(exp) + 1)
        digits.append(std::size_t(exp) + 1 - digits.size(), '0');
      out = digits.substr(0, std::size_t(exp) + 1) + "." + digits.substr(std::size_t(exp) + 1);
      if (out.back() == '.')
        out += "0";
    } else {
      out = "0." + std::string(std::size_t(-exp - 1), '0') + digits;
    }
    return sign + out;
  }
  std::string mant = digits.substr(0, 1);
  if (digits.size() > 1)
    mant += "." + digits.substr(1);
  const std::string e = std::to_string(std::abs(exp));
  return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.size() < 2 ? "0" : "") + e;
}

}  // namespace

TableBuilder::TableBuilder(const ExcelLimits& limits, std::string file, std::string sheet)
    : limits_(limits), file_(std::move(file)), sheet_(std::move(sheet)) {}

std::string TableBuilder::trim(const std::string& text) {
  const char* ws = " \t\n\r\f\v";
  const auto b = text.find_first_not_of(ws);
  if (b == std::string::npos)
    return {};
  return text.substr(b, text.find_last_not_of(ws) - b + 1);
}

bool TableBuilder::truncate_utf8(std::string& text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
      continue;
    if (chars == max_chars) {
      text.resize(i);
      return true;
    }
    ++chars;
  }
  return false;
}

std::string TableBuilder::cell_ref(std::size_t column, std::uint64_t row) {
  std::string letters;
  for (std::size_t c = column + 1; c > 0; c = (c - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  }
  return letters + std::to_string(row);
}

std::string TableBuilder::python_str(const nlohmann::json& value) {
  if (value.is_null())
    return {};
  if (value.is_string())
    return value.get<std::string>();
  if (value.is_boolean())
    return value.get<bool>() ? "True" : "False";
  if (value.is_number_integer())
    return value.dump();
  if (value.is_number_float())
    return python_float(value.get<double>());
  return value.dump();
}

void TableBuilder::fail(const char* code, const std::string& detail, const std::string& cell) {
  throw ExcelMetadataError(ErrorCategory::parsing, code, detail, file_, sheet_, cell);
}

void TableBuilder::add_row(std::uint64_t row_number, const std::vector<nlohmann::json>& cells) {
  if (cells.empty() || is_blank(cells[0]))
    return;  // SDK: rows without a file name are skipped
  if (!has_header_) {
    // The header must be the physical first row; a blank first row makes the next one data.
    if (row_number != 1)
      fail(codes::missing_header, "Excel file missing header row", cell_ref(0, row_number));
    if (cells.size() < 2) {
      fail(codes::too_few_columns,
           "Excel file must have at least 2 columns (file name and metadata)", "A1");
    }
    const std::string first = trim(python_str(cells[0]));
    std::string lower = first;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower != "filename" && lower != "file_name") {
      fail(codes::invalid_header,
           "First column header must be 'filename' or 'file_name', got '" + first + "'", "A1");
    }
    if (std::int64_t(cells.size()) > limits_.max_columns) {
      fail(codes::too_many_columns,
           "Too many columns: " + std::to_string(cells.size()) +
               " (max_columns=" + std::to_string(limits_.max_columns) + ")",
           cell_ref(std::size_t(limits_.max_columns), 1));
    }
    for (std::size_t i = 1; i < cells.size(); ++i) {
      std::string name = trim(python_str(cells[i]));
      if (name.empty())
        name = "column_" + std::to_string(i);
      if (truncate_utf8(name, std::size_t(limits_.max_column_name_length))) {
        table_.warnings.push_back(cell_ref(i, 1) + ": column name truncated to " +
                                  std::to_string(limits_.max_column_name_length) + " characters");
      }
      table_.columns.push_back(std::move(name));
    }
    has_header_ = true;
    return;
  }

  // The SDK checks every validation_check_interval rows and at the end; checking each row gives
  // the same verdict but stops before an oversized sheet is fully materialised.
  ++data_rows_;
  check_counts(row_number);
  const std::string key = trim(python_str(cells[0]));
  if (utf8_length(key) > std::size_t(limits_.max_filename_length)) {
    table_.warnings.push_back(cell_ref(0, row_number) + ": file name longer than " +
                              std::to_string(limits_.max_filename_length) +
                              " characters, row skipped");
    return;
  }
  nlohmann::json meta = nlohmann::json::object();
  const std::size_t width = std::min(cells.size(), table_.columns.size() + 1);
  for (std::size_t i = 1; i < width; ++i) {
    nlohmann::json value = cells[i];
    if (value.is_string()) {
      std::string text = trim(value.get<std::string>());
      if (truncate_utf8(text, std::size_t(limits_.max_metadata_value_length))) {
        table_.warnings.push_back(cell_ref(i, row_number) + ": value truncated to " +
                                  std::to_string(limits_.max_metadata_value_length) +
                                  " characters");
      }
      value = std::move(text);
    }
    meta[table_.columns[i - 1]] = std::move(value);
  }
  auto [it, inserted] = table_.rows_by_file.insert_or_assign(key, std::move(meta));
  if (inserted) {
    table_.file_order.push_back(key);
  } else if (std::find(table_.duplicates.begin(), table_.duplicates.end(), key) ==
             table_.duplicates.end()) {
    table_.duplicates.push_back(key);
  }
}

void TableBuilder::check_counts(std::uint64_t row_number) {
  if (std::int64_t(data_rows_) > limits_.max_rows) {
    fail(codes::too_many_rows,
         "Too many rows: more than " + std::to_string(limits_.max_rows) +
             " data rows (max_rows=" + std::to_string(limits_.max_rows) + ")",
         cell_ref(0, row_number));
  }
}

MetadataTable TableBuilder::finish() {
  if (std::int64_t(table_.columns.size() + 1) > limits_.max_columns) {
    fail(codes::too_many_columns, "Too many columns", {});
  }
  return std::move(table_);
}

}  // namespace synapse::runtime::upload

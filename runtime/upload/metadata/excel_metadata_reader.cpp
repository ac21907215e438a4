#include "upload/metadata/excel_metadata_reader.hpp"

#include <pugixml.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include "upload/metadata/source_bytes.hpp"
#include "upload/metadata/table_builder.hpp"
#include "upload/metadata/xlsx_package.hpp"

namespace synapse::runtime::upload {

namespace {

// OOXML producers may prefix elements (x:row); compare local names only.
bool is(const pugi::xml_node& node, const char* local) {
  const char* name = node.name();
  const char* colon = std::strrchr(name, ':');
  return std::strcmp(colon ? colon + 1 : name, local) == 0;
}
pugi::xml_node child(const pugi::xml_node& node, const char* local) {
  for (pugi::xml_node c : node.children()) {
    if (is(c, local))
      return c;
  }
  return {};
}
// Text of a string item: <t> directly, or the concatenated <r><t> runs; <rPh> (phonetic
// guides) also contain <t> but are not part of the value.
std::string string_item(const pugi::xml_node& item) {
  std::string out;
  for (pugi::xml_node c : item.children()) {
    if (is(c, "t"))
      out += c.child_value();
    if (is(c, "r"))
      out += child(c, "t").child_value();
  }
  return out;
}

bool is_date_format(int id, const std::map<int, std::string>& custom) {
  if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47))
    return true;
  const auto it = custom.find(id);
  if (it == custom.end())
    return false;
  // As openpyxl: ignore quoted literals, escaped chars and [..] sections (colours, locales),
  // then any d/m/y/h/s token marks a date/time format.
  const std::string& f = it->second;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const char c = f[i];
    if (c == '"') {
      i = f.find('"', i + 1);
      if (i == std::string::npos)
        return false;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      i = f.find(']', i + 1);
      if (i == std::string::npos)
        return false;
    } else if (std::strchr("dmyhsDMYHS", c) != nullptr) {
      return true;
    }
  }
  return false;
}

// Excel serial -> ISO 8601, like openpyxl.from_excel: serials in [0,1) are times; the 1900
// system counts the non-existent 1900-02-29, so serials below 60 are shifted by one day.
std::string serial_to_iso(double serial, bool date1904) {
  double day = std::floor(serial);
  long long ms = std::llround((serial - day) * 86400000.0);
  if (ms >= 86400000LL) {
    day += 1;
    ms -= 86400000LL;
  }
  char time[80];
  std::snprintf(time, sizeof time, "%02lld:%02lld:%02lld", ms / 3600000, ms / 60000 % 60,
                ms / 1000 % 60);
  std::string t = time;
  if (ms % 1000 != 0) {
    std::snprintf(time, sizeof time, ".%03lld", ms % 1000);
    t += time;
  }
  if (!date1904 && serial >= 0 && day == 0)
    return t;
  long long z = static_cast<long long>(day);
  if (!date1904 && serial > 0 && serial < 60)
    z += 1;
  // Days since 1970-01-01 of the epoch (1899-12-30 / 1904-01-01), then H. Hinnant's
  // civil_from_days.
  z += date1904 ? -24107 : -25569;
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long d = doy - (153 * mp + 2) / 5 + 1;
  const long long m = mp < 10 ? mp + 3 : mp - 9;
  const long long y = yoe + era * 400 + (m <= 2);
  char date[96];
  std::snprintf(date, sizeof date, "%04lld-%02lld-%02lldT", y, m, d);
  return date + t;
}

// "B7" -> column 1 (0-based); returns -1 when malformed or beyond Excel's XFD.
long column_of(const char* ref) {
  long col = 0;
  int letters = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ++ref, ++letters)
    col = col * 26 + (*ref - 'A' + 1);
  if (letters == 0 || letters > 3 || col > 16384)
    return -1;
  return col - 1;
}

class SheetParser {
 public:
  SheetParser(const ExcelLimits& limits, std::string file, XlsxPackage& pkg)
      : limits_(limits), file_(std::move(file)), pkg_(pkg) {}

  MetadataTable run() {
    const pugi::xml_document wb = parse("xl/workbook.xml", codes::workbook_missing);
    const pugi::xml_node root = wb.document_element();
    date1904_ = child(root, "workbookPr").attribute("date1904").as_bool();
    // SDK reads workbook.active: bookViews/workbookView@activeTab (default 0).
    const unsigned active =
        child(child(root, "bookViews"), "workbookView").attribute("activeTab").as_uint(0);
    std::vector<pugi::xml_node> sheets;
    for (pugi::xml_node s : child(root, "sheets").children()) {
      if (is(s, "sheet"))
        sheets.push_back(s);
    }
    if (sheets.empty())
      fail(codes::sheet_missing, "Invalid Excel file format: workbook has no sheets");
    const pugi::xml_node sheet = sheets[active < sheets.size() ? active : 0];
    sheet_ = sheet.attribute("name").as_string();
    std::string rid;
    for (pugi::xml_attribute a : sheet.attributes()) {
      const char* colon = std::strchr(a.name(), ':');
      if (colon != nullptr && std::strcmp(colon + 1, "id") == 0)
        rid = a.value();
    }

    const pugi::xml_document rels = parse("xl/_rels/workbook.xml.rels", codes::sheet_missing);
    std::string sheet_part, strings_part = "xl/sharedStrings.xml", styles_part = "xl/styles.xml";
    for (pugi::xml_node r : rels.document_element().children()) {
      const std::string type = r.attribute("Type").as_string();
      const std::string target = resolve(r.attribute("Target").as_string());
      if (!rid.empty() && rid == r.attribute("Id").as_string())
        sheet_part = target;
      if (type.ends_with("/sharedStrings"))
        strings_part = target;
      if (type.ends_with("/styles"))
        styles_part = target;
    }
    if (sheet_part.empty()) {
      fail(codes::sheet_missing,
           "Invalid Excel file format: no relationship '" + rid + "' for the sheet");
    }
    load_styles(styles_part);
    load_strings(strings_part);
    const pugi::xml_document ws = parse(sheet_part, codes::sheet_missing);
    return read_sheet(child(ws.document_element(), "sheetData"));
  }

 private:
  [[noreturn]] void fail(const char* code, const std::string& detail,
                         const std::string& cell = {}) {
    throw ExcelMetadataError(ErrorCategory::parsing, code, detail, file_, sheet_, cell);
  }

  // Relationship targets are relative to xl/ unless absolute ("/xl/worksheets/a.xml").
  static std::string resolve(std::string target) {
    if (!target.empty() && target[0] == '/')
      return target.substr(1);
    std::string base = "xl";
    while (target.starts_with("../")) {
      target.erase(0, 3);
      base.clear();
    }
    return base.empty() ? target : base + "/" + target;
  }

  pugi::xml_document parse(const std::string& part, const char* missing_code,
                           bool optional = false) {
    pugi::xml_document doc;
    const std::optional<std::string> text = pkg_.read(part);
    if (!text) {
      if (optional)
        return doc;
      fail(missing_code, "Invalid Excel file format: missing part '" + part + "'");
    }
    const pugi::xml_parse_result res = doc.load_buffer(text->data(), text->size());
    if (!res) {
      fail(codes::invalid_xml, "Invalid Excel file format: '" + part + "': " + res.description() +
                                   " at offset " + std::to_string(res.offset));
    }
    return doc;
  }

  void load_styles(const std::string& part) {
    const pugi::xml_document doc = parse(part, codes::invalid_xml, true);
    std::map<int, std::string> custom;
    for (pugi::xml_node f : child(doc.document_element(), "numFmts").children()) {
      custom[f.attribute("numFmtId").as_int()] = f.attribute("formatCode").as_string();
    }
    for (pugi::xml_node xf : child(doc.document_element(), "cellXfs").children()) {
      date_styles_.push_back(is_date_format(xf.attribute("numFmtId").as_int(), custom));
    }
  }

  void load_strings(const std::string& part) {
    const pugi::xml_document doc = parse(part, codes::invalid_xml, true);
    for (pugi::xml_node si : doc.document_element().children()) {
      if (is(si, "si"))
        strings_.push_back(string_item(si));
    }
  }

  nlohmann::json cell_value(const pugi::xml_node& c, const std::string& ref) {
    const std::string type = c.attribute("t").as_string();
    if (type == "inlineStr")
      return string_item(child(c, "is"));
    const pugi::xml_node v = child(c, "v");
    if (!v)
      return nullptr;
    const std::string text = v.child_value();
    if (type == "s") {
      const std::size_t idx = std::strtoul(text.c_str(), nullptr, 10);
      if (idx >= strings_.size())
        fail(codes::invalid_xml, "shared string index " + text + " out of range", ref);
      return strings_[idx];
    }
    if (type == "str" || type == "e" || type == "d")
      return text;
    if (type == "b")
      return text == "1" || text == "true";
    double d = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec != std::errc() || end != text.data() + text.size()) {
      fail(codes::invalid_xml, "invalid number '" + text + "'", ref);
    }
    const std::size_t style = c.attribute("s").as_uint(0);
    if (style < date_styles_.size() && date_styles_[style])
      return serial_to_iso(d, date1904_);
    if (std::floor(d) == d && std::fabs(d) < 9007199254740992.0)
      return static_cast<std::int64_t>(d);
    return d;
  }

  // Column of a <c>; `r` is optional, and without it the cell follows the previous one.
  long next_column(const pugi::xml_node& c, long previous) {
    const char* r = c.attribute("r").as_string();
    const long col = *r ? column_of(r) : previous + 1;
    if (col < 0 || col >= 16384)
      fail(codes::invalid_xml, std::string("invalid cell reference '") + r + "'");
    return col;
  }

  MetadataTable read_sheet(const pugi::xml_node& data) {
    // Width = right-most cell of the sheet: openpyxl pads every row to the sheet's max column.
    std::size_t width = 0;
    for (pugi::xml_node row : data.children()) {
      long col = -1;
      for (pugi::xml_node c : row.children()) {
        if (is(c, "c"))
          col = next_column(c, col);
        width = std::max(width, std::size_t(col + 1));
      }
    }
    if (std::int64_t(width) > limits_.max_columns) {
      fail(codes::too_many_columns,
           "Too many columns: " + std::to_string(width) +
               " (max_columns=" + std::to_string(limits_.max_columns) + ")",
           TableBuilder::cell_ref(std::size_t(limits_.max_columns), 1));
    }
    TableBuilder builder(limits_, file_, sheet_);
    std::uint64_t row_number = 0;
    std::vector<nlohmann::json> cells;
    for (pugi::xml_node row : data.children()) {
      if (!is(row, "row"))
        continue;
      row_number = row.attribute("r").as_ullong(row_number + 1);
      cells.assign(width, nullptr);
      long col = -1;
      for (pugi::xml_node c : row.children()) {
        if (!is(c, "c"))
          continue;
        col = next_column(c, col);
        cells[std::size_t(col)] =
            cell_value(c, TableBuilder::cell_ref(std::size_t(col), row_number));
      }
      builder.add_row(row_number, cells);
    }
    return builder.finish();
  }

  const ExcelLimits& limits_;
  std::string file_;
  std::string sheet_;
  XlsxPackage& pkg_;
  bool date1904_ = false;
  std::vector<bool> date_styles_;
  std::vector<std::string> strings_;
};

}  // namespace

ExcelMetadataReader::ExcelMetadataReader(ExcelLimits limits) : limits_(limits) {
  limits_.validate();
}

MetadataTable ExcelMetadataReader::read(const std::filesystem::path& path) const {
  std::string bytes = impl::read_file_bounded(path, limits_);
  XlsxPackage pkg(std::move(bytes), path.string(), limits_.max_memory_usage_bytes());
  return SheetParser(limits_, path.string(), pkg).run();
}

MetadataTable ExcelMetadataReader::read(std::istream& in, const std::string& name) const {
  std::string bytes = impl::read_bounded(in, name, limits_);
  XlsxPackage pkg(std::move(bytes), name, limits_.max_memory_usage_bytes());
  return SheetParser(limits_, name, pkg).run();
}

}  // namespace synapse::runtime::upload

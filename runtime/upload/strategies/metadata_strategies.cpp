#include "upload/strategies/metadata_strategies.hpp"

#include <filesystem>
#include <string>
#include <utility>

#include "upload/metadata/csv_metadata_reader.hpp"
#include "upload/metadata/excel_metadata_reader.hpp"
#include "upload/metadata/metadata_table.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::upload::OrganizedUnit;

// The stem of a unit key: "a/1" -> "1" (by_extension's folder keys give the folder name).
std::string key_stem(const std::string& key) {
  const auto slash = key.find_last_of('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

template <class Reader>
class TableMetadata final : public synapse::upload::MetadataStrategy {
 public:
  TableMetadata(std::string name, const ExcelLimits& limits)
      : name_(std::move(name)), reader_(limits) {}
  std::string name() const override { return name_; }
  void load(std::istream& in, const std::string& source) override {
    table_ = reader_.read(in, source);
  }
  std::size_t size() const override { return table_.size(); }
  nlohmann::json meta_for(const OrganizedUnit& unit) const override {
    if (table_.empty() || unit.files.empty())
      return nullptr;
    const auto* row =
        table_.match(std::filesystem::path(unit.files.begin()->second), key_stem(unit.key));
    return row ? *row : nlohmann::json(nullptr);
  }
  std::vector<std::string> warnings() const override { return table_.warnings; }

 private:
  std::string name_;
  Reader reader_;
  MetadataTable table_;
};

class NoMetadata final : public synapse::upload::MetadataStrategy {
 public:
  std::string name() const override { return "none"; }
  void load(std::istream&, const std::string&) override {}
  std::size_t size() const override { return 0; }
  nlohmann::json meta_for(const OrganizedUnit&) const override { return nullptr; }
};

}  // namespace

std::unique_ptr<synapse::upload::MetadataStrategy> make_excel_metadata(const ExcelLimits& limits) {
  return std::make_unique<TableMetadata<ExcelMetadataReader>>("excel", limits);
}

std::unique_ptr<synapse::upload::MetadataStrategy> make_csv_metadata(const ExcelLimits& limits) {
  return std::make_unique<TableMetadata<CsvMetadataReader>>("csv", limits);
}

std::unique_ptr<synapse::upload::MetadataStrategy> make_no_metadata() {
  return std::make_unique<NoMetadata>();
}

}  // namespace synapse::runtime::upload

// The host's ExportContext (sdk-headers/synapse/export/export_context.hpp): what every Exporter
// hook sees of the running export. Outputs are confined to the export folder: a relative path
// that is empty, absolute or climbs out with ".." is refused (ActionError naming it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <synapse/export/export_context.hpp>

namespace synapse::runtime::exports {

struct ExportContextSetup {
  std::string output_path;  // the export folder, relative to the storage root
  nlohmann::json params;    // ExportParams::to_json()
  std::int64_t count = 0;
  nlohmann::json configuration = nlohmann::json::object();
  std::optional<CatalogId> project_id;
  std::filesystem::path scratch_dir;
};

class ExportContextImpl final : public synapse::exports::ExportContext {
 public:
  ExportContextImpl(synapse::RunContext& run, synapse::Catalog& catalog, synapse::Storage& output,
                    ExportContextSetup setup)
      : run_(run), catalog_(catalog), output_(output), setup_(std::move(setup)) {}

  synapse::RunContext& run() override { return run_; }
  synapse::Catalog& catalog() override { return catalog_; }
  synapse::Storage& output_storage() override { return output_; }
  const std::string& output_path() const override { return setup_.output_path; }
  const nlohmann::json& params() const override { return setup_.params; }
  std::int64_t count() const override { return setup_.count; }
  const nlohmann::json& configuration() const override { return setup_.configuration; }
  std::optional<CatalogId> project_id() const override { return setup_.project_id; }
  void write_output(std::string_view relative, std::string_view content) override;
  std::unique_ptr<synapse::WriteStream> open_output(std::string_view relative) override;
  const std::filesystem::path& scratch_dir() const override { return setup_.scratch_dir; }

  // `<output_path>/<relative>` after the checks above.
  std::string output_file(std::string_view relative) const;

 private:
  synapse::RunContext& run_;
  synapse::Catalog& catalog_;
  synapse::Storage& output_;
  ExportContextSetup setup_;
};

}  // namespace synapse::runtime::exports

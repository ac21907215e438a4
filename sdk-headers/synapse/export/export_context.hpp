// ExportContext: what an exporter sees of one running export (spec/export.md §8, design.md §6).
// The host implements it; a plugin receives it in every Exporter hook.
//
// The export folder is created by the host before the first hook runs: `<params.path>/<name>`,
// or `<name>(1)`, `<name>(2)`, ... when that folder already exists (as in Python). Everything an
// exporter writes goes below it, through write_output/open_output, so the same plugin writes to
// a local folder, an S3 bucket or an SFTP server without knowing which.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>
#include <synapse/run_context.hpp>
#include <synapse/storage.hpp>
#include <synapse/visibility.hpp>

namespace synapse::exports {

class SYNAPSE_SYMBOL_VISIBLE ExportContext {
 public:
  virtual ~ExportContext() = default;

  virtual RunContext& run() = 0;
  virtual Catalog& catalog() = 0;
  // The storage the export writes to (params.storage).
  virtual Storage& output_storage() = 0;
  // The export folder, relative to the output storage's root ("exports/coco(1)").
  virtual const std::string& output_path() const = 0;
  // ExportParams with defaults applied (spec §2): name, description, storage, path, target,
  // filter, save_original_file (true when absent), extra_params ({} when absent).
  virtual const nlohmann::json& params() const = 0;
  // Number of items this export will go through (known before the first one).
  virtual std::int64_t count() const = 0;
  // The project's configuration ({} when there is none), and the project the items belong to.
  virtual const nlohmann::json& configuration() const = 0;
  virtual std::optional<CatalogId> project_id() const = 0;

  // Writes `content` to `<output_path>/<relative>` (parents created; atomic per object).
  virtual void write_output(std::string_view relative, std::string_view content) = 0;
  // Streams a large output object to `<output_path>/<relative>`; commit() makes it visible.
  virtual std::unique_ptr<WriteStream> open_output(std::string_view relative) = 0;
  // A private local folder for scratch files (e.g. parts of a file assembled in finish()).
  // It exists for the whole export and is removed by the host afterwards.
  virtual const std::filesystem::path& scratch_dir() const = 0;
};

// The items of an export, read lazily page by page; for Exporter::export_all.
class SYNAPSE_SYMBOL_VISIBLE ItemReader {
 public:
  virtual ~ItemReader() = default;
  // The next export item (see exporter.hpp for its shape); nullopt after the last one.
  virtual std::optional<nlohmann::json> next() = 0;
};

}  // namespace synapse::exports

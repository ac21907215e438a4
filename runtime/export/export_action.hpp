// The export category's built-in action (spec/export.md §1, §4; design.md §6): validates the
// params (ExportParams, checked against the catalog and the action's ui_schema), counts the
// target's records, picks the export folder on the output storage, then runs the plugin's
// Exporter: the host's item loop (item_loop.hpp) or, when the exporter replaces it,
// Exporter::export_all over a lazy ItemReader. Afterwards: finish(), error_file_list.json when
// any item failed, and the result
//
//   {export_path: <params.path, the parent, as Python>, output_path: <the export folder>,
//    items, success, failed, errors_file: <path, only when some item failed>}
//
// (export_all: the exporter's own result plus export_path and output_path).
//
// Outcome: ParamsError (exit 2) listing every params problem with its field; CancelledError
// (exit 130) after writing `<folder>/EXPORT_INCOMPLETE.json` {reason, exported, total};
// TransientError (exit 4) when the storage or catalog became unreachable; ActionError (exit 1)
// "Export failed: ..." otherwise. The scratch folder is removed in every case.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include <nlohmann/json.hpp>
#include <synapse/action.hpp>
#include <synapse/catalog.hpp>
#include <synapse/export/exporter.hpp>

#include "export/item_loop.hpp"
#include "export/item_stream.hpp"
#include "export/target_handler.hpp"

namespace synapse::runtime::exports {

struct ExportOptions {
  ItemLoopOptions loop;
  std::size_t page_size = ItemStream::kDefaultPageSize;
  const TargetRegistry* targets = nullptr;  // nullptr: builtin_targets()
  // How often the output's write-back is started while items are saved (write_behind.hpp);
  // zero: only the one sync at the end.
  std::chrono::milliseconds write_behind{500};
};

// `exporter` may be null (the host then exports the items unchanged, as Python's template did).
// `action_config` is the action's mapping in config.yaml (its `ui_schema` checks extra_params).
std::shared_ptr<synapse::Action> make_export_action(
    std::shared_ptr<synapse::exports::Exporter> exporter, synapse::Catalog& catalog,
    nlohmann::json action_config);

// The same work without the Action wrapper (tests call it directly).
nlohmann::json run_export(synapse::exports::Exporter* exporter, synapse::RunContext& run,
                          synapse::Catalog& catalog, const nlohmann::json& params,
                          const nlohmann::json& action_config, const ExportOptions& options = {});

}  // namespace synapse::runtime::exports

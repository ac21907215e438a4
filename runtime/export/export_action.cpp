#include "export/export_action.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "export/error_list.hpp"
#include "export/export_context_impl.hpp"
#include "export/export_folder.hpp"
#include "export/export_params.hpp"
#include "export/log_codes.hpp"
#include "export/scratch_dir.hpp"
#include "export/write_behind.hpp"
#include "storage/storage_factory.hpp"
#include "upload/steps/progress_throttle.hpp"

namespace synapse::runtime::exports {

namespace {

using nlohmann::json;
using synapse::exports::Exporter;
using synapse::exports::ItemReader;

// What the item stream builds for `plugin`: annotations stay the stored text for a
// pass-through or text-converting exporter (never parsed by the host); a pass-through that
// saves no originals needs nothing but the ids.
ItemStream::Mode stream_mode(const Exporter& plugin, bool save_original_file) {
  if (plugin.replaces_export())
    return ItemStream::Mode::items;
  if (plugin.passes_data_through())
    return save_original_file ? ItemStream::Mode::texts_with_files : ItemStream::Mode::texts;
  return plugin.converts_text() ? ItemStream::Mode::texts_with_files : ItemStream::Mode::items;
}

bool starts_with(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

// The log codes of spec §6 for the kinds of problem found, then every problem in one error.
[[noreturn]] void throw_params(synapse::RunContext& run, const std::vector<ParamError>& errors) {
  bool storage = false, filter = false, target = false, other = false;
  for (const auto& e : errors) {
    storage |= starts_with(e.path, "/storage");
    filter |= starts_with(e.path, "/filter");
    target |= starts_with(e.path, "/target");
    other |= !starts_with(e.path, "/storage") && !starts_with(e.path, "/filter") &&
             !starts_with(e.path, "/target");
  }
  if (storage)
    log_code(run, LogCode::STORAGE_VALIDATION_FAILED);
  if (target)
    log_code(run, LogCode::TARGET_VALIDATION_FAILED);
  if (filter)
    log_code(run, LogCode::FILTER_VALIDATION_FAILED);
  if (other)
    log_code(run, LogCode::VALIDATION_FAILED);
  std::string text = "export params are invalid (" + std::to_string(errors.size()) + " problem" +
                     (errors.size() == 1 ? "" : "s") + "):";
  for (const auto& e : errors)
    text += "\n  " + e.render();
  throw synapse::ParamsError(text);
}

// A plugin hook outside the item loop (start, finish, export_all): the SDK's errors keep their
// meaning (exit code), anything else fails the export naming the hook.
template <class Hook>
auto call_hook(const char* name, Hook&& hook) {
  try {
    return hook();
  } catch (const synapse::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw synapse::ActionError(std::string("Exporter::") + name + " failed: " + e.what());
  } catch (...) {
    throw synapse::ActionError(std::string("Exporter::") + name +
                               " threw a non-standard exception");
  }
}

// Advances the progress as export_all reads items (the host cannot see its loop otherwise).
class ProgressReader final : public ItemReader {
 public:
  ProgressReader(ItemStream& items, synapse::RunContext& run, std::int64_t total)
      : items_(items), progress_(run, "dataset_conversion", total) {}
  std::optional<json> next() override {
    auto item = items_.next();
    if (item)
      progress_.advance();
    return item;
  }

 private:
  ItemStream& items_;
  upload::ProgressThrottle progress_;
};

struct Export {
  synapse::RunContext& run;
  Exporter& exporter;
  synapse::Storage& storage;
  ExportContextImpl& context;
  ItemStream& items;
  const ExportParams& params;
  const ExportOptions& options;
  const std::filesystem::path& scratch;
  std::int64_t exported = 0;  // for the incomplete marker

  [[noreturn]] void cancelled(std::int64_t done) {
    exported = done;
    throw synapse::CancelledError("Export cancelled after " + std::to_string(done) + " of " +
                                  std::to_string(context.count()) + " item(s); " +
                                  join_path(context.output_path(), kIncompleteMarker) +
                                  " marks the folder as incomplete");
  }

  json run_host_loop() {
    std::vector<std::string> folders = {join_path(context.output_path(), "json")};
    if (params.save_original_file)
      folders.push_back(join_path(context.output_path(), "origin_files"));
    create_folders(storage, folders);
    // The items' files are written with deferred durability and made durable by one sync() at
    // the end; until then this marker (durable itself) says the folder is not a whole export,
    // also to whoever finds it after a crash.
    write_incomplete_marker(storage, context.output_path(), "in progress", 0, context.count());
    call_hook("start", [&] { exporter.start(context); });
    // Through finish too: a COCO exporter writes its largest file there.
    WriteBehind write_behind(storage, options.write_behind);
    json result;
    ItemLoopOutcome outcome;
    {
      ErrorList errors(scratch);
      outcome = run_item_loop(exporter, context, items, errors, options.loop);
      exported = outcome.success;
      if (!outcome.cancelled)
        call_hook("finish", [&] { exporter.finish(context); });
      result = {{"export_path", params.path},
                {"output_path", context.output_path()},
                {"items", outcome.items},
                {"success", outcome.success},
                {"failed", outcome.failed}};
      if (errors.size() > 0) {
        const auto path = join_path(context.output_path(), kErrorFileList);
        auto out = storage.open_write(path);
        errors.write_to(*out);
        out->commit();
        result["errors_file"] = path;
      }
    }
    ScratchDir::empty(scratch);  // done with (no hook runs after finish): not for the sync
    if (outcome.cancelled)
      cancelled(outcome.success);
    write_behind.stop();
    storage.sync();
    storage.remove(join_path(context.output_path(), kIncompleteMarker));
    // Python failed here: set_progress(0, 0) broke the logger's total > 0 assertion. An export
    // of nothing is a success with an empty json/ folder.
    return result;
  }

  json run_export_all() {
    create_folders(storage, {context.output_path()});
    const json zero = {{"stand_by", context.count()}, {"success", 0}, {"failed", 0}};
    run.set_metrics("original_file", zero);
    run.set_metrics("data_file", zero);
    call_hook("start", [&] { exporter.start(context); });
    ProgressReader reader(items, run, context.count());
    json result;
    try {
      result = call_hook("export_all", [&] { return exporter.export_all(reader, context); });
    } catch (const synapse::CancelledError&) {
      cancelled(items.read());
    }
    if (run.is_cancelled())
      cancelled(items.read());
    exported = items.read();
    call_hook("finish", [&] { exporter.finish(context); });
    if (!result.is_object())
      result = json{{"result", std::move(result)}};
    if (!result.contains("export_path"))
      result["export_path"] = params.path;
    if (!result.contains("output_path"))
      result["output_path"] = context.output_path();
    return result;
  }
};

bool is_transient(const std::exception& e) {
  if (const auto* s = dynamic_cast<const synapse::StorageError*>(&e))
    return s->kind() == synapse::StorageError::Kind::unreachable ||
           s->kind() == synapse::StorageError::Kind::io;
  if (const auto* c = dynamic_cast<const synapse::CatalogError*>(&e))
    return c->kind() == synapse::CatalogError::Kind::busy ||
           c->kind() == synapse::CatalogError::Kind::unavailable ||
           c->kind() == synapse::CatalogError::Kind::io;
  return false;
}

class ExportAction final : public synapse::Action {
 public:
  ExportAction(std::shared_ptr<Exporter> exporter, synapse::Catalog& catalog, json action_config)
      : exporter_(std::move(exporter)), catalog_(catalog), config_(std::move(action_config)) {}

  json run(synapse::RunContext& context) override {
    return run_export(exporter_.get(), context, catalog_, context.params(), config_);
  }

 private:
  std::shared_ptr<Exporter> exporter_;
  synapse::Catalog& catalog_;
  json config_;
};

}  // namespace

std::shared_ptr<synapse::Action> make_export_action(std::shared_ptr<Exporter> exporter,
                                                    synapse::Catalog& catalog, json action_config) {
  return std::make_shared<ExportAction>(std::move(exporter), catalog, std::move(action_config));
}

json run_export(Exporter* exporter, synapse::RunContext& run, synapse::Catalog& catalog,
                const json& params, const json& action_config, const ExportOptions& options) {
  const TargetRegistry& targets = options.targets ? *options.targets : builtin_targets();
  const json ui_schema =
      action_config.is_object() ? action_config.value("ui_schema", json()) : json();
  auto parsed = parse_export_params(params, ui_schema, targets);
  if (!parsed.ok())
    throw_params(run, parsed.errors);
  const ExportParams& p = parsed.params;
  if (auto errors = check_against_catalog(p, catalog, targets); !errors.empty())
    throw_params(run, errors);

  Exporter identity;  // a null exporter exports the items unchanged
  Exporter& plugin = exporter != nullptr ? *exporter : identity;
  const TargetHandler& handler = *targets.find(p.target);

  log_code(run, LogCode::EXPORT_STARTED);
  std::unique_ptr<synapse::Storage> storage;
  std::string folder;
  std::int64_t total = 0;
  std::int64_t exported = 0;
  try {
    total = handler.count(p.filter, catalog);
    if (total == 0)
      log_code(run, LogCode::NO_RESULTS_FOUND);
    else
      log_code(run, LogCode::RESULTS_RETRIEVED, {std::to_string(total)});
    const auto record = catalog.get_storage(p.storage);
    storage = make_storage(record.provider, record.configuration);
    folder = choose_export_folder(*storage, p.path, p.name);
    run.log_message(MessageContext::info, "Starting export process.");

    ScratchDir scratch;
    ExportContextSetup setup;
    setup.output_path = folder;
    setup.params = p.to_json();
    setup.count = total;
    // Our projects carry no configuration (Python's project.configuration): always {}.
    setup.configuration = json::object();
    setup.project_id = handler.project_id(p.filter);
    setup.scratch_dir = scratch.path();
    ExportContextImpl context(run, catalog, *storage, std::move(setup));
    ItemStream items(handler, p.filter, catalog, options.page_size,
                     stream_mode(plugin, p.save_original_file));
    Export job{run, plugin, *storage, context, items, p, options, scratch.path()};
    json result;
    try {
      result = plugin.replaces_export() ? job.run_export_all() : job.run_host_loop();
    } catch (...) {
      exported = job.exported;
      throw;
    }
    log_code(run, LogCode::EXPORT_COMPLETED);
    return result;
  } catch (const synapse::CancelledError&) {
    if (storage && !folder.empty()) {
      try {
        write_incomplete_marker(*storage, folder, "cancelled", exported, total);
      } catch (const std::exception& e) {
        throw synapse::CancelledError("Export cancelled; " + join_path(folder, kIncompleteMarker) +
                                      " could not be written: " + e.what());
      }
    }
    throw;
  } catch (const std::exception& e) {
    const std::string message = e.what();
    log_code(run, LogCode::EXPORT_FAILED, {message});
    if (storage && !folder.empty()) {
      try {
        write_incomplete_marker(*storage, folder, "failed: " + message, exported, total);
      } catch (const std::exception&) {
        // The storage may be what failed; the error below says why the export stopped.
      }
    }
    if (dynamic_cast<const synapse::ParamsError*>(&e) != nullptr ||
        dynamic_cast<const synapse::TransientError*>(&e) != nullptr ||
        dynamic_cast<const synapse::ActionError*>(&e) != nullptr)
      throw;
    if (is_transient(e))
      throw synapse::TransientError("Export failed: " + message);
    throw synapse::ActionError("Export failed: " + message);
  }
}

}  // namespace synapse::runtime::exports

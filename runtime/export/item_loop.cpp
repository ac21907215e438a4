#include "export/item_loop.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/text.hpp"
#include "common/usable_cpus.hpp"
#include "export/export_folder.hpp"
#include "export/item_saves.hpp"
#include "export/log_codes.hpp"
#include "export/ordered_work_queue.hpp"
#include "export/origin_names.hpp"
#include "upload/steps/progress_throttle.hpp"

namespace synapse::runtime::exports {

namespace {

using nlohmann::json;
using synapse::exports::Exporter;
using synapse::exports::ItemReader;

// One metrics record of spec §5 (data_file, original_file).
struct Tally {
  std::int64_t stand_by = 0;
  std::int64_t success = 0;
  std::int64_t failed = 0;
  void ok() {
    --stand_by;
    ++success;
  }
  void fail() {
    --stand_by;
    ++failed;
  }
  json to_json() const {
    return {{"stand_by", stand_by}, {"success", success}, {"failed", failed}};
  }
};

// `data_file_info` is a JSON *string* in Python's events, dumped with json.dumps' default
// separators: {"file_name": "1.json"}.
std::string file_info(const std::string& name) {
  return "{\"file_name\": " + json(name).dump(-1, ' ', false, json::error_handler_t::replace) + "}";
}

class Loop {
 public:
  Loop(Exporter& exporter, ExportContextImpl& context, ErrorList& errors,
       const ItemLoopOptions& options)
      : exporter_(exporter),
        context_(context),
        run_(context.run()),
        errors_(errors),
        save_original_(context.params().value("save_original_file", true)),
        pass_through_(exporter.passes_data_through()),
        converts_text_(!pass_through_ && exporter.converts_text()),
        json_folder_(join_path(context.output_path(), "json")),
        origin_folder_(join_path(context.output_path(), "origin_files")),
        names_(context.count()),
        progress_(run_, "dataset_conversion", context.count()),
        queue_(options.save_threads.value_or(default_save_threads(context.output_storage())),
               options.save_window) {
    data_.stand_by = context.count();
    original_.stand_by = context.count();
    push_metrics();
  }

  ItemLoopOutcome run(ItemStream& items) {
    // A hook may throw CancelledError too (it saw is_cancelled()): the same clean stop.
    try {
      while (true) {
        if (run_.is_cancelled()) {
          outcome_.cancelled = true;
          break;
        }
        auto item = items.next();
        if (!item)
          break;
        if (++outcome_.items == 1) {
          run_.log_message(MessageContext::info, "Converting dataset.");
          if (save_original_)
            run_.log_message(MessageContext::info, "Saving original file.");
          run_.log_message(MessageContext::info, "Saving json file.");
        }
        if (pass_through_)
          submit_as_stored(std::move(*item), std::move(items.data_text()));
        else if (converts_text_)
          convert_text_and_submit(std::move(*item), items.data_text());
        else
          convert_and_submit(std::move(*item));
      }
    } catch (const synapse::CancelledError&) {
      outcome_.cancelled = true;
    }
    // The saves under way finish and are reported, also after a cancellation.
    while (queue_.pending() > 0) {
      try {
        queue_.drain();
      } catch (const synapse::CancelledError&) {
        outcome_.cancelled = true;
      }
    }
    push_metrics();
    return outcome_;
  }

 private:
  std::shared_ptr<ItemSaves> new_saves(const json& item) {
    auto saves = std::make_shared<ItemSaves>();
    const auto id = item.value("id", json()).is_number_integer() ? item["id"].get<CatalogId>() : 0;
    saves->id = id;
    saves->json_name = std::to_string(id) + ".json";
    saves->json_path = join_path(json_folder_, saves->json_name);
    return saves;
  }

  void submit_saves(const std::shared_ptr<ItemSaves>& saves) {
    if (save_original_)
      prepare_original(*saves);
    auto& storage = context_.output_storage();
    auto& catalog = context_.catalog();
    queue_.submit([saves, &storage, &catalog] { save_item_outputs(*saves, storage, catalog); },
                  [this, saves] { report(*saves); });
  }

  // An item read as text (the item without `data`, its stored annotation text): no annotation
  // is stored as nothing or as JSON null.
  std::shared_ptr<ItemSaves> new_text_saves(json item, const std::string& text) {
    auto saves = new_saves(item);
    saves->converted = std::move(item);
    saves->data_null = text.empty() || text == "null";
    return saves;
  }

  // Pass-through exporter: no hook, the stored annotation text is written as it is.
  void submit_as_stored(json item, std::string text) {
    auto saves = new_text_saves(std::move(item), text);
    saves->data_text = std::move(text);
    submit_saves(saves);
  }

  // Text-converting exporter: one hook from the stored text to the converted text.
  void convert_text_and_submit(json item, const std::string& text) {
    auto saves = new_text_saves(std::move(item), text);
    if (!saves->data_null) {
      std::optional<std::string> hook_error = run_hook("convert_text", [&] {
        auto converted = exporter_.convert_text(saves->converted, text, context_);
        saves->data_text = std::move(converted.data);
        saves->data_text_converted = true;
        saves->kept = std::move(converted.kept);
      });
      if (hook_error) {
        submit_hook_failure(saves, std::move(*hook_error));
        return;
      }
    }
    submit_saves(saves);
  }

  // Runs `call`; what it throws (but a cancellation) becomes "<hook> failed: <what>", `hook`
  // read when it threw (`call` may move on to the next hook).
  template <class Call>
  static std::optional<std::string> run_hook(const char* const& hook, Call&& call) {
    try {
      call();
      return std::nullopt;
    } catch (const synapse::CancelledError&) {
      throw;
    } catch (const std::exception& e) {
      return std::string(hook) + " failed: " + e.what();
    } catch (...) {
      return std::string(hook) + " threw a non-standard exception";
    }
  }

  void submit_hook_failure(const std::shared_ptr<ItemSaves>& saves, std::string error) {
    queue_.submit([] {},
                  [this, saves, error = std::move(error)] { report_hook_failure(*saves, error); });
  }

  void convert_and_submit(json item) {
    auto saves = new_saves(item);
    const char* hook = "before_convert";
    std::optional<std::string> hook_error = run_hook(hook, [&] {
      json converted = exporter_.before_convert(std::move(item), context_);
      hook = "convert_data";
      converted = exporter_.convert_data(std::move(converted), context_);
      hook = "after_convert";
      saves->converted = exporter_.after_convert(std::move(converted), context_);
    });
    if (hook_error) {
      submit_hook_failure(saves, std::move(*hook_error));
      return;
    }
    const auto& converted = saves->converted;
    const auto data = converted.is_object() ? converted.find("data") : converted.end();
    saves->data_null = !converted.is_object() || data == converted.end() || data->is_null();
    submit_saves(saves);
  }

  // Where the original comes from and goes to; a problem is preset as its error.
  void prepare_original(ItemSaves& saves) {
    saves.save_original = true;
    const json& converted = saves.converted;
    const auto files = converted.is_object() ? converted.find("files") : converted.end();
    if (files == converted.end() || !files->is_object()) {
      saves.origin_name = saves.json_name;
      saves.origin_error =
          "the item has no `files` object (the hooks must keep it when "
          "save_original_file is set)";
      return;
    }
    const auto name = files->find("file_name_original");
    const auto path = files->find("path");
    const auto file_id = files->find("id");
    std::string original =
        name != files->end() && name->is_string() ? name->get<std::string>() : "";
    const std::string base = base_name(original);
    if (base.empty() || base == "." || base == "..") {
      saves.origin_name = original.empty() ? saves.json_name : original;
      saves.origin_error = "files.file_name_original '" + original + "' is not a file name";
      return;
    }
    if (path != files->end() && path->is_string() && !path->get<std::string>().empty()) {
      saves.source_path = path->get<std::string>();
    } else if (file_id != files->end() && file_id->is_number_integer()) {
      saves.source_file = file_id->get<CatalogId>();
    } else {
      saves.origin_name = base;
      saves.origin_error = "files has neither a `path` nor a data file `id` to copy from";
      return;
    }
    saves.origin_name = names_.claim(base, saves.id, [this](const std::string& candidate) {
      queue_.drain();  // the earlier items' originals are on the storage now
      return context_.output_storage().stat(join_path(origin_folder_, candidate)).has_value();
    });
    saves.origin_path = join_path(origin_folder_, saves.origin_name);
    // The name actually used under origin_files/ (`<stem>_<id><ext>` for a repeated name), so
    // item_exported() can refer to it (COCO file_name, YOLO label name).
    saves.converted["files"]["origin_file_name"] = saves.origin_name;
  }

  // Spec §5 shapes. `error` is null on success for both events (Python's original saver sent
  // '' there, its JSON saver null: one rule is easier to match on).
  void log_file_event(const char* event, CatalogId id, const std::string& name,
                      const std::optional<std::string>& error) {
    run_.log_event(event, {{"target_id", id},
                           {"data_file_info", file_info(name)},
                           {"status", error ? "failed" : "success"},
                           {"error", error ? json(*error) : json(nullptr)},
                           {"created", now_iso8601()}});
  }

  void report_hook_failure(const ItemSaves& saves, const std::string& error) {
    errors_.add_json(saves.json_name, error);
    log_export_event(run_, LogCode::FILE_EXPORT_FAILED, saves.id, {saves.json_name + ": " + error});
    log_file_event("export_data_file", saves.id, saves.json_name, error);
    data_.fail();
    if (save_original_)
      original_.fail();  // nothing of the item was saved
    finish_item(false);
  }

  void report(ItemSaves& saves) {
    if (saves.save_original) {
      log_file_event("export_original_file", saves.id, saves.origin_name, saves.origin_error);
      if (saves.origin_error) {
        original_.fail();
        errors_.add_origin(saves.origin_name, *saves.origin_error);
        log_export_event(run_, LogCode::FILE_EXPORT_FAILED, saves.id,
                         {saves.origin_name + ": " + *saves.origin_error});
        finish_item(false);  // as Python: no JSON, the data_file record keeps it as stand_by
        return;
      }
      original_.ok();
    }
    if (saves.data_null) {
      const std::string error = "data is null";
      log_export_event(run_, LogCode::NULL_DATA_DETECTED, saves.id);
      log_file_event("export_data_file", saves.id, saves.json_name, error);
      errors_.add_json(saves.json_name, error);
      data_.fail();
      finish_item(false);
      return;
    }
    log_file_event("export_data_file", saves.id, saves.json_name, saves.json_error);
    if (saves.json_error) {
      errors_.add_json(saves.json_name, *saves.json_error);
      log_export_event(run_, LogCode::FILE_EXPORT_FAILED, saves.id,
                       {saves.json_name + ": " + *saves.json_error});
      data_.fail();
      finish_item(false);
      return;
    }
    data_.ok();
    const char* const hook = converts_text_ ? "text_item_exported" : "item_exported";
    const std::optional<std::string> error = run_hook(hook, [&] {
      if (converts_text_)
        exporter_.text_item_exported(saves.converted, std::move(saves.kept), context_);
      else
        exporter_.item_exported(saves.converted, context_);
    });
    if (error) {
      errors_.add_json(saves.json_name, *error);
      log_export_event(run_, LogCode::FILE_EXPORT_FAILED, saves.id,
                       {saves.json_name + ": " + *error});
    }
    finish_item(!error);
  }

  void finish_item(bool ok) {
    ++(ok ? outcome_.success : outcome_.failed);
    progress_.advance();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_metrics_ >= std::chrono::milliseconds(100))
      push_metrics();
  }

  // Throttled like progress (Python pushed both records after every item); exact at the end.
  void push_metrics() {
    last_metrics_ = std::chrono::steady_clock::now();
    run_.set_metrics("original_file", original_.to_json());
    run_.set_metrics("data_file", data_.to_json());
  }

  Exporter& exporter_;
  ExportContextImpl& context_;
  synapse::RunContext& run_;
  ErrorList& errors_;
  const bool save_original_;
  const bool pass_through_;
  const bool converts_text_;
  const std::string json_folder_;
  const std::string origin_folder_;
  OriginNames names_;
  upload::ProgressThrottle progress_;
  Tally data_;
  Tally original_;
  ItemLoopOutcome outcome_;
  std::chrono::steady_clock::time_point last_metrics_;
  // Last: destroyed first, so no save still runs while the members it reports into go.
  OrderedWorkQueue queue_;
};

}  // namespace

std::size_t default_save_threads(const synapse::Storage& output) {
  if (output.provider() == "local")
    return usable_cpus();
  return 8;
}

ItemLoopOutcome run_item_loop(Exporter& exporter, ExportContextImpl& context, ItemStream& items,
                              ErrorList& errors, const ItemLoopOptions& options) {
  Loop loop(exporter, context, errors, options);
  return loop.run(items);
}

}  // namespace synapse::runtime::exports

#include "yolo_exporter.hpp"

#include <string>

#include <synapse/errors.hpp>

namespace export_plugins::yolo {

using nlohmann::json;

void YoloExporter::start(synapse::exports::ExportContext& context) {
  const json extra = context.params().value("extra_params", json());
  converter_.emplace(CategoryOrder::from_extra_params(extra),
                     YoloOptions::from_extra_params(extra));
}

json YoloExporter::convert_data(json item, synapse::exports::ExportContext& /*context*/) {
  // A null `data` (not annotated) is left for the host, which fails the item as it does for
  // every exporter (NULL_DATA_DETECTED); an empty label file would claim "no objects".
  if (!item.contains("data") || item["data"].is_null())
    return item;
  item["data"] = converter_->convert(item);
  return item;
}

void YoloExporter::item_exported(const json& converted, synapse::exports::ExportContext& context) {
  const json& fragment = converted.at("data");
  if (!fragment.is_object() || !fragment.contains("image") || !fragment.contains("labels"))
    throw synapse::ActionError(
        "export-yolo: an exported item's data is not a YOLO fragment {image, labels}; did a "
        "hook replace it after convert_data?");
  const auto id = converted.at("id").get<std::int64_t>();
  // Pair with the original as the host named it in origin_files/ (renamed when an earlier item
  // used the same name).
  const std::string saved_name = saved_origin_name(converted);
  const std::string stem =
      file_stem(saved_name.empty() ? fragment["image"].get<std::string>() : saved_name);
  // Whether a label file is taken is asked of the output storage, not remembered, so memory
  // stays the same for a million images; the export folder is new, so whatever is there was
  // written by this export.
  std::string folder = context.output_path();
  if (!folder.empty() && folder.back() != '/')
    folder += '/';
  const std::string path = label_path(stem, id, [&](const std::string& relative) {
    return context.output_storage().stat(folder + relative).has_value();
  });
  context.write_output(path, label_text(fragment));
  ++label_files_;
  if (path != "labels/" + (stem.empty() ? std::to_string(id) : stem) + ".txt")
    ++renamed_label_files_;
}

void YoloExporter::finish(synapse::exports::ExportContext& context) {
  const auto& names = converter_->order().names();
  context.write_output("classes.txt", classes_txt(names));
  context.write_output("data.yaml", data_yaml(names));
  const ConversionStats& stats = converter_->stats();
  std::string text = stats.summary("export-yolo") + "; " + std::to_string(label_files_) +
                     " label files, " + std::to_string(names.size()) + " classes";
  if (renamed_label_files_ > 0)
    text += "; " + std::to_string(renamed_label_files_) +
            " label files named <stem>_<id>.txt because an earlier image had the same stem";
  context.run().log_message(stats.skipped() > 0 || renamed_label_files_ > 0
                                ? synapse::MessageContext::warning
                                : synapse::MessageContext::info,
                            text);
}

}  // namespace export_plugins::yolo

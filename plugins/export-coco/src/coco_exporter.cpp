#include "coco_exporter.hpp"

#include <chrono>
#include <ctime>
#include <string>

#include "dm_shapes.hpp"

namespace export_plugins::coco {
namespace {

using nlohmann::json;

std::string utc_now_iso() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

json info_of(const synapse::exports::ExportContext& context) {
  const std::string now = utc_now_iso();
  return {{"description", context.params().value("name", std::string())},
          {"version", "1.0"},
          {"year", std::stoi(now.substr(0, 4))},
          {"contributor", "synapse export-coco"},
          {"date_created", now}};
}

}  // namespace

void CocoExporter::start(synapse::exports::ExportContext& context) {
  converter_.emplace(
      CategoryOrder::from_extra_params(context.params().value("extra_params", json())));
  writer_.emplace(context.scratch_dir());
}

json CocoExporter::convert_data(json item, synapse::exports::ExportContext& /*context*/) {
  // A null `data` (not annotated) is left for the host, which fails the item as it does for
  // every exporter (NULL_DATA_DETECTED) rather than exporting an image as having no objects.
  if (!item.contains("data") || item["data"].is_null())
    return item;
  item["data"] = converter_->convert(item);
  return item;
}

void CocoExporter::item_exported(const json& converted,
                                 synapse::exports::ExportContext& /*context*/) {
  // The host renames an original whose name an earlier item of the export already used; the
  // image entry must name the file as it is in origin_files/. (json/<id>.json, saved before the
  // host picked the name, keeps file_name_original.)
  const std::string saved_name = saved_origin_name(converted);
  const json& fragment = converted.at("data");
  if (saved_name.empty() || !fragment.is_object() || !fragment.contains("image")) {
    writer_->append(fragment);
    return;
  }
  json renamed = fragment;
  renamed["image"]["file_name"] = saved_name;
  writer_->append(renamed);
}

synapse::exports::Exporter::ConvertedText CocoExporter::convert_text(
    const json& item, std::string_view data, synapse::exports::ExportContext& /*context*/) {
  return converter_->convert_text(item, data);
}

void CocoExporter::text_item_exported(const json& item, std::string&& kept,
                                      synapse::exports::ExportContext& /*context*/) {
  writer_->append_lines(CocoConverter::image_line(item), kept);
}

void CocoExporter::finish(synapse::exports::ExportContext& context) {
  auto out = context.open_output("instances.json");
  writer_->write(*out, info_of(context), converter_->categories());
  const ConversionStats& stats = converter_->stats();
  context.run().log_message(
      stats.skipped() > 0 ? synapse::MessageContext::warning : synapse::MessageContext::info,
      stats.summary("export-coco") + "; instances.json: " + std::to_string(writer_->image_count()) +
          " images, " + std::to_string(writer_->annotation_count()) + " annotations, " +
          std::to_string(converter_->order().names().size()) + " categories");
}

}  // namespace export_plugins::coco

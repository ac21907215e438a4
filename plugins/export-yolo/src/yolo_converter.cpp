#include "yolo_converter.hpp"

#include "shape_walk.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>

namespace export_plugins::yolo {
namespace {

using nlohmann::json;

// A normalised coordinate: clamped to [0, 1] against rounding, 6 decimals, never "-0.000000".
void append_coordinate(std::string& line, double value) {
  char text[16];
  std::snprintf(text, sizeof text, " %.6f", std::clamp(value, 0.0, 1.0) + 0.0);
  line += text;
}

}  // namespace

YoloOptions YoloOptions::from_extra_params(const json& extra_params) {
  YoloOptions options;
  if (!extra_params.is_object())
    return options;
  const auto segmentation = extra_params.find("segmentation");
  if (segmentation == extra_params.end() || segmentation->is_null())
    return options;
  if (!segmentation->is_boolean())
    throw synapse::ParamsError("extra_params.segmentation: expected true or false, got " +
                               segmentation->dump());
  options.segmentation = segmentation->get<bool>();
  return options;
}

YoloConverter::YoloConverter(CategoryOrder order, YoloOptions options)
    : order_(std::move(order)), options_(options) {}

json YoloConverter::convert(const json& item) {
  const std::string where = describe_item(item);
  const std::string file_name = original_file_name(item);
  const ImageSize size = image_size(item, "YOLO");
  const json& data = item.at("data");
  const ImageShapes shapes = read_shapes(data, where);
  order_.learn_document(data);

  json labels = json::array();
  const ConversionStats stats =
      write_shapes(shapes, order_, size, [&](std::size_t class_index, const ClippedShape& shape) {
        labels.push_back(options_.segmentation ? polygon_line(class_index, shape.outline, size)
                                               : box_line(class_index, shape.bbox, size));
      });
  stats_ += stats;
  return {{"image", file_name},
          {"width", size.width},
          {"height", size.height},
          {"labels", std::move(labels)}};
}

std::string box_line(std::size_t class_index, const Rect& box, ImageSize size) {
  const auto width = static_cast<double>(size.width);
  const auto height = static_cast<double>(size.height);
  std::string line = std::to_string(class_index);
  append_coordinate(line, (box.x1 + box.x2) / 2 / width);
  append_coordinate(line, (box.y1 + box.y2) / 2 / height);
  append_coordinate(line, box.width() / width);
  append_coordinate(line, box.height() / height);
  return line;
}

std::string polygon_line(std::size_t class_index, const std::vector<Point>& outline,
                         ImageSize size) {
  std::string line = std::to_string(class_index);
  for (const Point& p : outline) {
    append_coordinate(line, p.x / static_cast<double>(size.width));
    append_coordinate(line, p.y / static_cast<double>(size.height));
  }
  return line;
}

std::string label_text(const json& fragment) {
  std::string text;
  for (const json& line : fragment.at("labels"))
    text += line.get<std::string>() + "\n";
  return text;
}

std::string file_stem(std::string_view file_name) {
  const auto slash = file_name.rfind('/');
  if (slash != std::string_view::npos)
    file_name.remove_prefix(slash + 1);
  const auto dot = file_name.find_last_of('.');
  if (dot != std::string_view::npos)
    file_name = file_name.substr(0, dot);
  return std::string(file_name);
}

std::string label_path(std::string_view stem, std::int64_t id,
                       const std::function<bool(const std::string&)>& taken) {
  const std::string id_text = std::to_string(id);
  if (stem.empty())
    stem = id_text;
  std::string path = "labels/" + std::string(stem) + ".txt";
  if (!taken(path))
    return path;
  const std::string base = "labels/" + std::string(stem) + "_" + id_text;
  path = base + ".txt";
  for (int n = 2; taken(path); ++n)
    path = base + "_" + std::to_string(n) + ".txt";
  return path;
}

std::string classes_txt(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names)
    text += name + "\n";
  return text;
}

std::string data_yaml(const std::vector<std::string>& names) {
  // JSON strings are valid YAML double-quoted scalars, so any class name stays one name.
  std::string text =
      "# YOLO data set written by synapse export-yolo (Ultralytics data.yaml).\n"
      "# Labels are in labels/<image stem>.txt. The host saves the images to origin_files/;\n"
      "# Ultralytics finds an image's label file by replacing /images/ with /labels/ in the\n"
      "# image's path, so rename origin_files/ to images/ before training.\n"
      "# path: '' means the folder holding this file when the trainer is given this file's\n"
      "# absolute path; otherwise set path to the export folder's absolute path.\n"
      "path: ''\n"
      "train: images\n"
      "val: images\n"
      "nc: " +
      std::to_string(names.size()) + "\nnames:" + (names.empty() ? " {}\n" : "\n");
  for (std::size_t i = 0; i < names.size(); ++i)
    text += "  " + std::to_string(i) + ": " + json(names[i]).dump() + "\n";
  return text;
}

}  // namespace export_plugins::yolo

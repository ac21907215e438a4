// YOLO (Ultralytics/Darknet) label conversion: one text file per image, one line per object,
//
//   <class> <cx> <cy> <w> <h>              boxes (a polygon becomes its bounding box), or
//   <class> <x1> <y1> <x2> <y2> ...        with segmentation on (a box becomes its 4 corners),
//
// class = the 0-based index of the category order, coordinates divided by the image width /
// height and written with 6 decimals, shapes clipped to the image first so every value is in
// [0, 1]. Plus classes.txt and data.yaml for the whole export.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "category_order.hpp"
#include "conversion_stats.hpp"
#include "dm_shapes.hpp"

namespace export_plugins::yolo {

struct YoloOptions {
  bool segmentation = false;  // polygon lines instead of boxes (YOLO-seg)

  // From the export's extra_params (`segmentation`: boolean). Throws synapse::ParamsError for a
  // value of the wrong type.
  static YoloOptions from_extra_params(const nlohmann::json& extra_params);
};

class YoloConverter {
 public:
  explicit YoloConverter(CategoryOrder order = {}, YoloOptions options = {});

  // The fragment of one export item: {"image": files.file_name_original, "width", "height",
  // "labels": [lines of its label file]}. Shapes with nothing left after clipping are skipped
  // and counted. Throws synapse::ActionError naming the item when it has no usable image size
  // or file name, or a malformed annotation.
  nlohmann::json convert(const nlohmann::json& item);

  const CategoryOrder& order() const { return order_; }
  const ConversionStats& stats() const { return stats_; }

 private:
  CategoryOrder order_;
  YoloOptions options_;
  ConversionStats stats_;
};

// One label line for `shape` (already clipped to an image of `size`).
std::string box_line(std::size_t class_index, const Rect& box, ImageSize size);
std::string polygon_line(std::size_t class_index, const std::vector<Point>& outline,
                         ImageSize size);

// The content of a label file: the fragment's lines, each ending in '\n' ("" for no objects:
// an empty file marks a background image).
std::string label_text(const nlohmann::json& fragment);

// "cat" for "cat.jpg", "archive.tar" for "dir/archive.tar.gz"; "" for ".jpg" or "".
std::string file_stem(std::string_view file_name);

// Where an image's labels go: labels/<stem>.txt, or labels/<stem>_<id>.txt when that is taken
// (an earlier image had the same stem), then labels/<stem>_<id>_2.txt, ... `taken` says
// whether a path (relative to the export folder) already exists. An empty stem uses the id.
std::string label_path(std::string_view stem, std::int64_t id,
                       const std::function<bool(const std::string&)>& taken);

// classes.txt: one class name per line, in class id order.
std::string classes_txt(const std::vector<std::string>& names);

// data.yaml for Ultralytics: path/train/val for the export folder's layout, nc, names.
std::string data_yaml(const std::vector<std::string>& names);

}  // namespace export_plugins::yolo

// What the converters read from an export item (sdk-headers/synapse/export/exporter.hpp): the
// image's file name and size from `files`, and the boxes and polygons of its Synapse DM v2
// annotation `data` (docs/annotation-format.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "geometry.hpp"

namespace export_plugins {

// "item 42 (cat.jpg)": how error messages name an item.
std::string describe_item(const nlohmann::json& item);

// files.file_name_original without its folders (the name the host gives the original under
// origin_files/); throws synapse::ActionError naming the item when it is missing.
std::string original_file_name(const nlohmann::json& item);

// The name the host actually wrote the original under, when it says so: item_exported()'s
// item carries it as files.origin_file_name once the host had to rename a repeated name
// (`<stem>_<id><ext>`). Empty when absent.
std::string saved_origin_name(const nlohmann::json& item);

struct ImageSize {
  std::int64_t width = 0;
  std::int64_t height = 0;
};

// files.width / files.height (the host reads them from the image header). Throws
// synapse::ActionError naming the item and `format` when either is missing or not a positive
// integer: the format's coordinates cannot be written without them.
ImageSize image_size(const nlohmann::json& item, std::string_view format);

enum class ShapeKind { box, polygon };

struct Shape {
  ShapeKind kind = ShapeKind::box;
  std::string id;             // the annotation's id in the document ("" when it has none)
  std::string label;          // its `classification`
  Rect box;                   // kind == box: the box as given (x, y, x + width, y + height)
  std::vector<Point> points;  // kind == polygon: the vertices as given
};

// The shapes of an item's first image (an item's `files` is its first file, so `images[0]`),
// in document order: bounding boxes, then polygons. Tools with geometry the converters do not
// write are counted, not read.
struct ImageShapes {
  std::vector<Shape> shapes;
  std::size_t keypoints = 0;
  std::size_t polylines = 0;
  std::size_t extra_images = 0;  // entries of `images` after the first
};

// Reads `data`. A malformed document or annotation (no `images` list, a box that is not four
// numbers, a polygon of fewer than 3 points, a missing classification) throws
// synapse::ActionError naming `where` (the item), the tool, the annotation and what was
// expected: a silently dropped annotation would be a wrong data set.
ImageShapes read_shapes(const nlohmann::json& data, std::string_view where);

// The class names of `data`'s top-level `classification` lists, bounding_box's then polygon's
// (non-empty strings; other entries are left to the annotations): the order hint
// CategoryOrder::learn_names takes. Empty when `data` has no such lists.
std::vector<std::string> class_hints(const nlohmann::json& data);

// A shape cut to its image, as every converter writes it.
struct ClippedShape {
  ShapeKind kind = ShapeKind::box;
  std::string label;
  Rect bbox;                   // the clipped shape's bounding box
  std::vector<Point> outline;  // the clipped polygon; a box's 4 corners
  double area = 0;             // box: width * height; polygon: shoelace area of the outline
  bool clipped = false;        // part of the shape lay outside the image
};

// `shape` clipped to [0, width] x [0, height]; nullopt when nothing of it is left (zero area,
// or a bounding box of zero width or height).
std::optional<ClippedShape> clip_to_image(const Shape& shape, ImageSize size);

// The tools whose geometry the converters write, in the order their class lists are read.
inline constexpr std::string_view kShapeTools[] = {"bounding_box", "polygon"};

}  // namespace export_plugins

#include "dm_shapes.hpp"

#include <cmath>

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>

namespace export_plugins {
namespace {

using nlohmann::json;

[[noreturn]] void fail(std::string_view where, const std::string& what) {
  throw synapse::ActionError(std::string(where) + ": " + what);
}

// One annotation of images[0], named in error messages as
// "<item>: images[0].bounding_box[2] (id b1)<what>". The name is built only when a message is:
// building it for every coordinate was a tenth of a conversion.
struct AnnotationRef {
  std::string_view where;  // the item
  std::string_view tool;
  std::size_t index;
  const json& annotation;

  [[noreturn]] void fail(const std::string& what) const {
    std::string name = "images[0]." + std::string(tool) + "[" + std::to_string(index) + "]";
    if (annotation.is_object()) {
      const auto id = annotation.find("id");
      if (id != annotation.end() && id->is_string())
        name += " (id " + id->get<std::string>() + ")";
    }
    export_plugins::fail(where, name + what);
  }
};

// `what` names the number after the annotation ("x", "point 3"), for the message only.
template <typename What>
double finite_number(const json& value, const AnnotationRef& ref, const What& what) {
  if (!value.is_number() || !std::isfinite(value.get<double>()))
    ref.fail(" " + std::string(what()) + ": expected a finite number, got " + value.dump());
  return value.get<double>();
}

Point read_point(const json& value, const AnnotationRef& ref, std::size_t i) {
  const auto what = [&] { return "point " + std::to_string(i); };
  if (!value.is_array() || value.size() != 2)
    ref.fail(" " + what() + ": expected a point [x, y], got " + value.dump());
  return {finite_number(value[0], ref, what), finite_number(value[1], ref, what)};
}

Shape read_common(const AnnotationRef& ref, ShapeKind kind) {
  const json& annotation = ref.annotation;
  if (!annotation.is_object())
    ref.fail(": expected an annotation object, got " + annotation.dump());
  Shape shape;
  shape.kind = kind;
  if (const auto id = annotation.find("id"); id != annotation.end() && id->is_string())
    shape.id = id->get_ref<const std::string&>();
  const auto label = annotation.find("classification");
  if (label == annotation.end() || !label->is_string() ||
      label->get_ref<const std::string&>().empty())
    ref.fail(": `classification` must be a non-empty string");
  shape.label = label->get_ref<const std::string&>();
  if (!annotation.contains("data"))
    ref.fail(": `data` is missing");
  return shape;
}

Shape read_box(const AnnotationRef& ref) {
  Shape shape = read_common(ref, ShapeKind::box);
  const json& data = ref.annotation["data"];
  if (!data.is_array() || data.size() != 4)
    ref.fail(": `data` must be [x, y, width, height], got " + data.dump());
  const double x = finite_number(data[0], ref, [] { return "x"; });
  const double y = finite_number(data[1], ref, [] { return "y"; });
  const double w = finite_number(data[2], ref, [] { return "width"; });
  const double h = finite_number(data[3], ref, [] { return "height"; });
  if (w < 0 || h < 0)
    ref.fail(": width and height must be >= 0, got " + data.dump());
  shape.box = {x, y, x + w, y + h};
  return shape;
}

Shape read_polygon(const AnnotationRef& ref) {
  Shape shape = read_common(ref, ShapeKind::polygon);
  const json& data = ref.annotation["data"];
  if (!data.is_array() || data.size() < 3)
    ref.fail(": `data` must be a list of at least 3 points [x, y], got " + data.dump());
  shape.points.reserve(data.size());
  for (std::size_t i = 0; i < data.size(); ++i)
    shape.points.push_back(read_point(data[i], ref, i));
  return shape;
}

std::size_t count_of(const json& image, const char* tool) {
  const auto it = image.find(tool);
  return it != image.end() && it->is_array() ? it->size() : 0;
}

}  // namespace

std::string describe_item(const json& item) {
  std::string text = "item";
  if (const auto id = item.find("id"); id != item.end())
    text += " " + (id->is_string() ? id->get<std::string>() : id->dump());
  const auto files = item.find("files");
  if (files != item.end() && files->is_object()) {
    const auto name = files->find("file_name_original");
    if (name != files->end() && name->is_string())
      text += " (" + name->get<std::string>() + ")";
  }
  return text;
}

std::string original_file_name(const json& item) {
  const auto files = item.find("files");
  if (files != item.end() && files->is_object()) {
    const auto name = files->find("file_name_original");
    if (name != files->end() && name->is_string()) {
      const std::string& text = name->get_ref<const std::string&>();
      std::string base = text.substr(text.rfind('/') + 1);  // npos + 1 == 0: the whole name
      if (!base.empty())
        return base;
    }
  }
  fail(describe_item(item), "files.file_name_original is missing; the image's file name is needed");
}

std::string saved_origin_name(const json& item) {
  const auto files = item.find("files");
  if (files == item.end() || !files->is_object())
    return {};
  const auto name = files->find("origin_file_name");
  return name != files->end() && name->is_string() ? name->get<std::string>() : std::string();
}

ImageSize image_size(const json& item, std::string_view format) {
  const auto files = item.find("files");
  const auto dimension = [&](const char* key) -> std::int64_t {
    if (files == item.end() || !files->is_object())
      return 0;
    const auto it = files->find(key);
    if (it == files->end() || !it->is_number_integer() || it->get<std::int64_t>() <= 0)
      return 0;
    return it->get<std::int64_t>();
  };
  const ImageSize size{dimension("width"), dimension("height")};
  if (size.width == 0 || size.height == 0)
    fail(describe_item(item),
         "files.width and files.height must be positive integers (the host reads them from the "
         "image header; is the first file an image?); " +
             std::string(format) + " coordinates cannot be written without the image size");
  return size;
}

ImageShapes read_shapes(const json& data, std::string_view where) {
  if (!data.is_object())
    fail(where, "the annotation `data` must be a Synapse DM v2 object, got " + data.dump());
  const auto images = data.find("images");
  if (images == data.end() || !images->is_array())
    fail(where, "the annotation `data` has no `images` list (Synapse DM v2)");
  ImageShapes result;
  if (images->empty())
    return result;
  result.extra_images = images->size() - 1;
  const json& image = (*images)[0];
  if (!image.is_object())
    fail(where, "images[0] must be an object, got " + image.dump());
  for (const std::string_view tool : kShapeTools) {
    const auto list = image.find(tool);
    if (list == image.end() || list->is_null())
      continue;
    if (!list->is_array())
      fail(where, "images[0]." + std::string(tool) + " must be a list, got " + list->dump());
    for (std::size_t i = 0; i < list->size(); ++i) {
      const AnnotationRef ref{where, tool, i, (*list)[i]};
      result.shapes.push_back(tool == "bounding_box" ? read_box(ref) : read_polygon(ref));
    }
  }
  result.keypoints = count_of(image, "keypoint");
  result.polylines = count_of(image, "polyline");
  return result;
}

std::vector<std::string> class_hints(const json& data) {
  std::vector<std::string> names;
  if (!data.is_object())
    return names;
  const auto lists = data.find("classification");
  if (lists == data.end() || !lists->is_object())
    return names;
  for (const std::string_view tool : kShapeTools) {
    const auto list = lists->find(tool);
    if (list == lists->end() || !list->is_array())
      continue;
    for (const json& name : *list) {
      if (name.is_string() && !name.get_ref<const std::string&>().empty())
        names.push_back(name.get<std::string>());
    }
  }
  return names;
}

std::optional<ClippedShape> clip_to_image(const Shape& shape, ImageSize size) {
  const auto width = static_cast<double>(size.width);
  const auto height = static_cast<double>(size.height);
  ClippedShape out;
  out.kind = shape.kind;
  out.label = shape.label;
  if (shape.kind == ShapeKind::box) {
    out.bbox = clip_rect(shape.box, width, height);
    out.clipped = !(out.bbox == shape.box);
    out.outline = corners(out.bbox);
    out.area = out.bbox.area();
  } else {
    out.clipped = leaves_image(shape.points, width, height);
    out.outline = out.clipped ? clip_polygon(shape.points, width, height) : shape.points;
    out.bbox = bounds(out.outline);
    out.area = out.outline.size() >= 3 ? polygon_area(out.outline) : 0;
  }
  if (out.area <= 0 || out.bbox.width() <= 0 || out.bbox.height() <= 0)
    return std::nullopt;
  return out;
}

}  // namespace export_plugins

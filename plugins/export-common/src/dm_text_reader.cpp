#include "dm_text_reader.hpp"

#include <cmath>
#include <cstdint>
#include <utility>

#include <nlohmann/json.hpp>

namespace export_plugins {
namespace {

using nlohmann::json;

// Where the reader is: one frame per open object or array. `skip` is anything it does not read.
enum class Frame : std::uint8_t {
  root,          // the document
  class_lists,   // root.classification
  class_list,    // root.classification.<tool>
  images,        // root.images
  image,         // root.images[0]
  shape_list,    // images[0].bounding_box / polygon
  counted_list,  // images[0].keypoint / polyline: only counted
  annotation,    // one shape
  box_data,      // its [x, y, width, height]
  polygon_data,  // its [[x, y], ...]
  point,         // one [x, y]
  skip,
};

// The keys the reader cares about, as bits: a repeated one makes it give up (a tree keeps the
// last value, and which one the document meant is not the reader's to guess).
enum Key : std::uint16_t {
  kOther = 0,
  kImages = 1 << 0,
  kClassification = 1 << 1,
  kBoundingBox = 1 << 2,
  kPolygon = 1 << 3,
  kKeypoint = 1 << 4,
  kPolyline = 1 << 5,
  kId = 1 << 6,
  kData = 1 << 7,
};

Key key_of(std::string_view name, Frame frame) {
  switch (frame) {
    case Frame::root:
      return name == "images" ? kImages : name == "classification" ? kClassification : kOther;
    case Frame::class_lists:
      return name == "bounding_box" ? kBoundingBox : name == "polygon" ? kPolygon : kOther;
    case Frame::image:
      return name == "bounding_box" ? kBoundingBox
             : name == "polygon"    ? kPolygon
             : name == "keypoint"   ? kKeypoint
             : name == "polyline"   ? kPolyline
                                    : kOther;
    case Frame::annotation:
      return name == "id"               ? kId
             : name == "classification" ? kClassification
             : name == "data"           ? kData
                                        : kOther;
    default:
      return kOther;
  }
}

class StreamingReader final : public nlohmann::json_sax<json> {
 public:
  std::optional<DocumentShapes> read(std::string_view text) {
    stack_.reserve(16);
    if (!json::sax_parse(text.data(), text.data() + text.size(), this) || !done_ || !has_images_)
      return std::nullopt;
    DocumentShapes result;
    result.image.shapes = std::move(boxes_);
    for (Shape& shape : polygons_)
      result.image.shapes.push_back(std::move(shape));
    result.image.keypoints = counts_[0];
    result.image.polylines = counts_[1];
    result.image.extra_images = images_ > 1 ? images_ - 1 : 0;
    result.class_hints = std::move(hints_[0]);
    for (std::string& name : hints_[1])
      result.class_hints.push_back(std::move(name));
    return result;
  }

  bool null() override { return scalar(Scalar::null); }
  bool boolean(bool) override { return scalar(Scalar::other); }
  bool number_integer(number_integer_t value) override {
    return number(static_cast<double>(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return number(static_cast<double>(value));
  }
  bool number_float(number_float_t value, const string_t&) override { return number(value); }
  bool binary(binary_t&) override { return false; }

  bool string(string_t& value) override {
    if (stack_.empty())
      return false;
    if (top() == Frame::class_list) {
      if (!value.empty())
        hints_[list_].push_back(value);
      return true;
    }
    if (top() == Frame::annotation && key_ == kId) {
      shape_.id = value;
      return true;
    }
    if (top() == Frame::annotation && key_ == kClassification) {
      shape_.label = value;
      has_label_ = !value.empty();
      return has_label_;
    }
    return scalar(Scalar::other);
  }

  bool key(string_t& name) override {
    key_ = key_of(name, top());
    if (key_ == kOther)
      return true;
    if (seen_.back() & key_)
      return false;
    seen_.back() |= key_;
    return true;
  }

  bool start_object(std::size_t) override {
    if (stack_.empty())
      return push(Frame::root);
    switch (top()) {
      case Frame::root:
        return key_ == kImages ? false
                               : push(key_ == kClassification ? Frame::class_lists : Frame::skip);
      case Frame::image:
        return key_ == kBoundingBox || key_ == kPolygon ? false : push(Frame::skip);
      case Frame::annotation:
        return key_ == kClassification || key_ == kData ? false : push(Frame::skip);
      case Frame::images:
        return push(images_++ == 0 ? Frame::image : Frame::skip);
      case Frame::shape_list:
        shape_ = Shape{};
        shape_.kind = kind_;
        has_label_ = has_data_ = false;
        return push(Frame::annotation);
      case Frame::counted_list:
        ++counts_[list_];
        return push(Frame::skip);
      case Frame::box_data:
      case Frame::polygon_data:
      case Frame::point:
        return false;
      default:  // class_lists (a list that is not a list: not a hint), class_list, skip
        return push(Frame::skip);
    }
  }

  bool start_array(std::size_t) override {
    if (stack_.empty())
      return false;
    switch (top()) {
      case Frame::root:
        has_images_ = has_images_ || key_ == kImages;
        return push(key_ == kImages ? Frame::images : Frame::skip);
      case Frame::class_lists:
        if (key_ == kOther)
          return push(Frame::skip);
        list_ = key_ == kBoundingBox ? 0 : 1;
        return push(Frame::class_list);
      case Frame::image:
        if (key_ == kBoundingBox || key_ == kPolygon) {
          kind_ = key_ == kBoundingBox ? ShapeKind::box : ShapeKind::polygon;
          return push(Frame::shape_list);
        }
        if (key_ == kKeypoint || key_ == kPolyline) {
          list_ = key_ == kKeypoint ? 0 : 1;
          return push(Frame::counted_list);
        }
        return push(Frame::skip);
      case Frame::annotation:
        if (key_ == kClassification)
          return false;
        if (key_ != kData)
          return push(Frame::skip);
        box_size_ = 0;
        has_data_ = true;
        return push(kind_ == ShapeKind::box ? Frame::box_data : Frame::polygon_data);
      case Frame::images:
        return images_++ == 0 ? false : push(Frame::skip);
      case Frame::counted_list:
        ++counts_[list_];
        return push(Frame::skip);
      case Frame::polygon_data:
        point_size_ = 0;
        return push(Frame::point);
      case Frame::shape_list:
      case Frame::box_data:
      case Frame::point:
        return false;
      default:  // class_list, skip
        return push(Frame::skip);
    }
  }

  bool end_object() override { return pop(); }
  bool end_array() override { return pop(); }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  enum class Scalar { null, other };

  Frame top() const { return stack_.empty() ? Frame::skip : stack_.back(); }

  bool push(Frame frame) {
    stack_.push_back(frame);
    seen_.push_back(0);
    return true;
  }

  bool number(double value) {
    if (top() == Frame::box_data) {
      if (!std::isfinite(value) || box_size_ == 4)
        return false;
      box_[box_size_++] = value;
      return true;
    }
    if (top() == Frame::point) {
      if (!std::isfinite(value) || point_size_ == 2)
        return false;
      point_[point_size_++] = value;
      return true;
    }
    return scalar(Scalar::other);
  }

  // A value that is not an object or array, where the reader expects `top()`'s contents.
  bool scalar(Scalar kind) {
    if (stack_.empty())
      return false;  // the document is not an object
    switch (top()) {
      case Frame::root:
        return key_ != kImages;
      case Frame::image:  // a tool list may be null; nothing else but a list
        return !(key_ == kBoundingBox || key_ == kPolygon) || kind == Scalar::null;
      case Frame::annotation:  // an id that is not a string is no id
        return key_ != kClassification && key_ != kData;
      case Frame::images:
        return images_++ != 0;
      case Frame::counted_list:
        ++counts_[list_];
        return true;
      case Frame::shape_list:
      case Frame::box_data:
      case Frame::polygon_data:
      case Frame::point:
        return false;
      default:  // class_lists, class_list (an entry that is not a name is no hint), skip
        return true;
    }
  }

  // Closes the innermost frame, checking what it read.
  bool pop() {
    const Frame frame = top();
    stack_.pop_back();
    seen_.pop_back();
    switch (frame) {
      case Frame::root:
        done_ = true;
        return true;
      case Frame::box_data: {
        if (box_size_ != 4 || box_[2] < 0 || box_[3] < 0)
          return false;
        shape_.box = {box_[0], box_[1], box_[0] + box_[2], box_[1] + box_[3]};
        return true;
      }
      case Frame::point:
        if (point_size_ != 2)
          return false;
        shape_.points.push_back({point_[0], point_[1]});
        return true;
      case Frame::polygon_data:
        return shape_.points.size() >= 3;
      case Frame::annotation:
        if (!has_label_ || !has_data_)
          return false;
        (kind_ == ShapeKind::box ? boxes_ : polygons_).push_back(std::move(shape_));
        return true;
      default:
        return true;
    }
  }

  std::vector<Frame> stack_;
  std::vector<std::uint16_t> seen_;  // per frame: the Key bits met so far
  Key key_ = kOther;                 // the last key read
  bool done_ = false;                // the document's object closed
  bool has_images_ = false;          // root.images is a list

  std::size_t images_ = 0;  // entries of `images` so far
  std::size_t list_ = 0;    // which class_list / counted_list is open (0 or 1)
  std::vector<std::string> hints_[2];
  std::size_t counts_[2] = {0, 0};  // keypoints, polylines

  ShapeKind kind_ = ShapeKind::box;  // of the open shape list
  Shape shape_;                      // the open annotation
  bool has_label_ = false;
  bool has_data_ = false;
  double box_[4] = {0, 0, 0, 0};
  std::size_t box_size_ = 0;
  double point_[2] = {0, 0};
  std::size_t point_size_ = 0;
  std::vector<Shape> boxes_;
  std::vector<Shape> polygons_;
};

}  // namespace

std::optional<DocumentShapes> stream_shapes(std::string_view text) {
  StreamingReader reader;
  return reader.read(text);
}

DocumentShapes read_shapes_from_text(std::string_view text, std::string_view where) {
  if (auto streamed = stream_shapes(text))
    return std::move(*streamed);
  const json data = json::parse(text);
  DocumentShapes result;
  result.image = read_shapes(data, where);
  result.class_hints = class_hints(data);
  return result;
}

}  // namespace export_plugins

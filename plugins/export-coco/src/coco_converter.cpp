#include "coco_converter.hpp"

#include <string>
#include <utility>

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>
#include <synapse/json_writer.hpp>
#include <synapse/storage.hpp>

#include "dm_shapes.hpp"
#include "shape_walk.hpp"

namespace export_plugins::coco {
namespace {

using nlohmann::json;

json flat(const std::vector<Point>& points) {
  json out = json::array();
  for (const Point& p : points) {
    out.push_back(p.x);
    out.push_back(p.y);
  }
  return out;
}

std::int64_t image_id(const json& item) {
  const auto id = item.find("id");
  if (id == item.end() || !id->is_number_integer())
    throw synapse::ActionError(describe_item(item) +
                               ": the item `id` must be an integer (it is the COCO image id)");
  return id->get<std::int64_t>();
}

// Bytes for the output stream, handed over in large blocks.
class BufferedOutput {
 public:
  explicit BufferedOutput(synapse::WriteStream& out) : out_(out) { buffer_.reserve(kBlock); }
  void write(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kBlock)
      flush();
  }
  void flush() {
    if (!buffer_.empty())
      out_.write(buffer_.data(), buffer_.size());
    buffer_.clear();
  }

 private:
  static constexpr std::size_t kBlock = 1 << 20;
  synapse::WriteStream& out_;
  std::string buffer_;
};

// Copies the JSON lines of `path` as the items of a JSON array.
void copy_lines(const std::filesystem::path& path, BufferedOutput& out) {
  std::ifstream in(path);
  if (!in)
    throw synapse::ActionError("export-coco: cannot read the scratch file " + path.string());
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    out.write(first ? "\n" : ",\n");
    out.write(line);
    first = false;
  }
  if (in.bad())
    throw synapse::ActionError("export-coco: reading the scratch file " + path.string() +
                               " failed");
  out.write(first ? "]" : "\n]");
}

void close_checked(std::ofstream& stream, const std::filesystem::path& path) {
  stream.close();
  if (stream.fail())
    throw synapse::ActionError("export-coco: cannot write the scratch file " + path.string());
}

}  // namespace

CocoConverter::CocoConverter(CategoryOrder order) : order_(std::move(order)) {}

json CocoConverter::convert(const json& item) {
  const std::string where = describe_item(item);
  const std::int64_t id = image_id(item);
  json image = {{"id", id}, {"file_name", original_file_name(item)}};
  const ImageSize size = image_size(item, "COCO");
  image["width"] = size.width;
  image["height"] = size.height;

  const json& data = item.at("data");
  const ImageShapes shapes = read_shapes(data, where);
  order_.learn_document(data);

  json annotations = json::array();
  const ConversionStats stats =
      write_shapes(shapes, order_, size, [&](std::size_t category, const ClippedShape& shape) {
        const Rect& box = shape.bbox;
        annotations.push_back({{"id", next_annotation_id_++},
                               {"image_id", id},
                               {"category_id", static_cast<std::int64_t>(category) + 1},
                               {"bbox", {box.x1, box.y1, box.width(), box.height()}},
                               {"area", shape.area},
                               {"segmentation", json::array({flat(shape.outline)})},
                               {"iscrowd", 0}});
      });
  stats_ += stats;
  return {{"image", std::move(image)}, {"annotations", std::move(annotations)}};
}

json CocoConverter::categories() const {
  json out = json::array();
  for (std::size_t i = 0; i < order_.names().size(); ++i) {
    out.push_back({{"id", static_cast<std::int64_t>(i) + 1},
                   {"name", order_.names()[i]},
                   {"supercategory", ""}});
  }
  return out;
}

InstancesWriter::InstancesWriter(const std::filesystem::path& scratch_dir)
    : images_path_(scratch_dir / "coco_images.jsonl"),
      annotations_path_(scratch_dir / "coco_annotations.jsonl"),
      images_(images_path_, std::ios::binary | std::ios::trunc),
      annotations_(annotations_path_, std::ios::binary | std::ios::trunc) {
  if (!images_ || !annotations_)
    throw synapse::ActionError("export-coco: cannot create scratch files in " +
                               scratch_dir.string());
}

void InstancesWriter::append(const json& fragment) {
  if (!fragment.is_object() || !fragment.contains("image") || !fragment.contains("annotations") ||
      !fragment["annotations"].is_array())
    throw synapse::ActionError(
        "export-coco: an exported item's data is not a COCO fragment {image, annotations}; did "
        "a hook replace it after convert_data?");
  // Compact lines (as dump() writes them) gathered in memory and handed to the streams in
  // large blocks: streaming a json into an ostream costs a stream call per character, a quarter
  // of this hook's time.
  synapse::append_json(images_buffer_, fragment["image"]);
  images_buffer_ += '\n';
  for (const json& annotation : fragment["annotations"]) {
    synapse::append_json(annotations_buffer_, annotation);
    annotations_buffer_ += '\n';
  }
  if (images_buffer_.size() + annotations_buffer_.size() >= kFlushBytes)
    flush_buffers();
  ++images_written_;
  annotations_written_ += fragment["annotations"].size();
}

void InstancesWriter::flush_buffers() {
  images_.write(images_buffer_.data(), static_cast<std::streamsize>(images_buffer_.size()));
  annotations_.write(annotations_buffer_.data(),
                     static_cast<std::streamsize>(annotations_buffer_.size()));
  images_buffer_.clear();
  annotations_buffer_.clear();
  if (!images_ || !annotations_)
    throw synapse::ActionError("export-coco: cannot write the scratch files " +
                               images_path_.string() + " and " + annotations_path_.string());
}

void InstancesWriter::write(synapse::WriteStream& out, const json& info, const json& categories) {
  flush_buffers();
  close_checked(images_, images_path_);
  close_checked(annotations_, annotations_path_);
  BufferedOutput buffered(out);
  buffered.write("{\"info\": " + info.dump() + ",\n\"licenses\": [],\n\"images\": [");
  copy_lines(images_path_, buffered);
  buffered.write(",\n\"annotations\": [");
  copy_lines(annotations_path_, buffered);
  buffered.write(",\n\"categories\": [");
  for (std::size_t i = 0; i < categories.size(); ++i)
    buffered.write((i == 0 ? "\n" : ",\n") + categories[i].dump());
  buffered.write(categories.empty() ? "]}\n" : "\n]}\n");
  buffered.flush();
  out.commit();
}

}  // namespace export_plugins::coco

#include "coco_converter.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>
#include <synapse/json_writer.hpp>
#include <synapse/storage.hpp>

#include "dm_shapes.hpp"
#include "dm_text_reader.hpp"
#include "shape_walk.hpp"

namespace export_plugins::coco {
namespace {

using nlohmann::json;

std::int64_t image_id(const json& item) {
  const auto id = item.find("id");
  if (id == item.end() || !id->is_number_integer())
    throw synapse::ActionError(describe_item(item) +
                               ": the item `id` must be an integer (it is the COCO image id)");
  return id->get<std::int64_t>();
}

// Compact JSON, keys in the order a tree (std::map) dumps them.
void append_annotation(std::string& out, std::int64_t id, std::int64_t image, std::int64_t category,
                       const ClippedShape& shape) {
  using synapse::detail::append_json_double;
  using synapse::detail::append_json_integer;
  const Rect& box = shape.bbox;
  out += "{\"area\":";
  append_json_double(out, shape.area);
  out += ",\"bbox\":[";
  for (const double value : {box.x1, box.y1, box.width(), box.height()}) {
    append_json_double(out, value);
    out += ',';
  }
  out.back() = ']';
  out += ",\"category_id\":";
  append_json_integer(out, category);
  out += ",\"id\":";
  append_json_integer(out, id);
  out += ",\"image_id\":";
  append_json_integer(out, image);
  out += ",\"iscrowd\":0,\"segmentation\":[[";
  for (const Point& p : shape.outline) {
    append_json_double(out, p.x);
    out += ',';
    append_json_double(out, p.y);
    out += ',';
  }
  if (shape.outline.empty())
    out += ']';
  else
    out.back() = ']';
  out += "]}";
}

void append_image(std::string& out, std::int64_t id, const std::string& file_name, ImageSize size) {
  out += "{\"file_name\":";
  synapse::detail::append_json_string<json>(out, file_name);
  out += ",\"height\":";
  synapse::detail::append_json_integer(out, size.height);
  out += ",\"id\":";
  synapse::detail::append_json_integer(out, id);
  out += ",\"width\":";
  synapse::detail::append_json_integer(out, size.width);
  out += '}';
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

// Copies the JSON lines of `path` (each ending in a newline) as the items of a JSON array, a
// block at a time: a newline becomes ",\n" but after the last line.
void copy_lines(const std::filesystem::path& path, BufferedOutput& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw synapse::ActionError("export-coco: cannot read the scratch file " + path.string());
  std::string block(1 << 20, '\0');
  bool any = false;
  bool newline_pending = false;  // the last byte seen was a line's end
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    std::size_t from = 0;
    while (from < got) {
      if (newline_pending) {
        out.write(",\n");
        newline_pending = false;
      } else if (!any) {
        out.write("\n");
      }
      any = true;
      const char* const begin = block.data() + from;
      const auto* const newline = static_cast<const char*>(std::memchr(begin, '\n', got - from));
      const std::size_t size = newline ? static_cast<std::size_t>(newline - begin) : got - from;
      out.write({begin, size});
      from += size + (newline ? 1 : 0);
      newline_pending = newline != nullptr;
    }
  }
  if (in.bad())
    throw synapse::ActionError("export-coco: reading the scratch file " + path.string() +
                               " failed");
  out.write(any ? "\n]" : "]");
}

void close_checked(std::ofstream& stream, const std::filesystem::path& path) {
  stream.close();
  if (stream.fail())
    throw synapse::ActionError("export-coco: cannot write the scratch file " + path.string());
}

}  // namespace

CocoConverter::CocoConverter(CategoryOrder order) : order_(std::move(order)) {}

json CocoConverter::convert(const json& item) {
  return json::parse(convert_text(item, item.at("data").dump()).data);
}

synapse::exports::Exporter::ConvertedText CocoConverter::convert_text(const json& item,
                                                                      std::string_view data) {
  const std::string where = describe_item(item);
  const std::int64_t id = image_id(item);
  const std::string file_name = original_file_name(item);
  const ImageSize size = image_size(item, "COCO");
  const DocumentShapes document = read_shapes_from_text(data, where);
  order_.learn_names(document.class_hints);

  synapse::exports::Exporter::ConvertedText out;
  out.data.reserve(data.size() * 2);
  out.data += "{\"annotations\":[";
  const ConversionStats stats = write_shapes(
      document.image, order_, size, [&](std::size_t category, const ClippedShape& shape) {
        const std::size_t start = out.kept.size();
        append_annotation(out.kept, next_annotation_id_++, id,
                          static_cast<std::int64_t>(category) + 1, shape);
        if (start > 0)
          out.data += ',';
        out.data.append(out.kept, start, out.kept.size() - start);
        out.kept += '\n';
      });
  stats_ += stats;
  out.data += "],\"image\":";
  append_image(out.data, id, file_name, size);
  out.data += '}';
  return out;
}

std::string CocoConverter::image_line(const json& item) {
  std::string saved = saved_origin_name(item);
  std::string line;
  append_image(line, image_id(item), saved.empty() ? original_file_name(item) : std::move(saved),
               image_size(item, "COCO"));
  return line;
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
  std::string image;
  synapse::append_json(image, fragment["image"]);
  std::string lines;
  for (const json& annotation : fragment["annotations"]) {
    synapse::append_json(lines, annotation);
    lines += '\n';
  }
  append_lines(image, lines);
}

void InstancesWriter::append_lines(std::string_view image, std::string_view annotation_lines) {
  // Gathered in memory and handed to the streams in large blocks: an ostream call per small
  // write cost a quarter of this hook's time.
  images_buffer_ += image;
  images_buffer_ += '\n';
  annotations_buffer_ += annotation_lines;
  if (images_buffer_.size() + annotations_buffer_.size() >= kFlushBytes)
    flush_buffers();
  ++images_written_;
  annotations_written_ +=
      static_cast<std::size_t>(std::count(annotation_lines.begin(), annotation_lines.end(), '\n'));
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

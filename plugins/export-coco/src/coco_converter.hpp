// COCO "instances" conversion (https://cocodataset.org/#format-data), in two parts so that
// memory does not grow with the item count:
//
//   CocoConverter   one export item -> that image's fragment {"image": {...},
//                   "annotations": [...]}; keeps only the categories and a few counters;
//   InstancesWriter appends each exported fragment to two scratch files (one JSON object per
//                   line) and, at the end, streams instances.json from them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>
#include <synapse/export/exporter.hpp>

#include "category_order.hpp"
#include "conversion_stats.hpp"

namespace synapse {
class WriteStream;
}

namespace export_plugins::coco {

class CocoConverter {
 public:
  explicit CocoConverter(CategoryOrder order = {});

  // The fragment of one export item: its image {id (the item id), file_name
  // (files.file_name_original without folders), width, height} and one annotation per box or
  // polygon of its first image, clipped to the image; shapes with nothing left after clipping are
  // skipped and counted. Category ids are 1-based indexes of the category order. Throws
  // synapse::ActionError naming the item when it has no usable image size, file name or id, or
  // a malformed annotation.
  nlohmann::json convert(const nlohmann::json& item);

  // The same conversion on the host's text path (Exporter::converts_text): `item` without
  // `data`, `data` its stored annotation text. Returns the fragment as compact JSON, keys in the
  // order a tree's dump() writes them (json/<id>.json is the same bytes either way), and keeps
  // its annotations as InstancesWriter lines (`kept`). convert() is this on the dumped `data`.
  synapse::exports::Exporter::ConvertedText convert_text(const nlohmann::json& item,
                                                         std::string_view data);

  // The image of an exported item (without `data`) as one compact JSON object, named as the
  // host saved its original (files.origin_file_name) when it says so.
  static std::string image_line(const nlohmann::json& item);

  // [{id, name, supercategory: ""}, ...] in id order.
  nlohmann::json categories() const;
  const CategoryOrder& order() const { return order_; }
  // Counters of every item converted so far.
  const ConversionStats& stats() const { return stats_; }

 private:
  CategoryOrder order_;
  ConversionStats stats_;
  std::int64_t next_annotation_id_ = 1;
};

class InstancesWriter {
 public:
  // Creates images.jsonl and annotations.jsonl in `scratch_dir` (which must exist).
  explicit InstancesWriter(const std::filesystem::path& scratch_dir);

  // Adds one exported image (a CocoConverter fragment).
  void append(const nlohmann::json& fragment);
  // The same from text: the image as one compact JSON object, and its annotations as
  // convert_text() keeps them (one compact object per line, each ending in a newline).
  void append_lines(std::string_view image, std::string_view annotation_lines);

  // Streams {"info", "licenses", "images", "annotations", "categories"} to `out` and commits
  // it; `info` and `categories` are written as given. Call once, after the last append.
  void write(synapse::WriteStream& out, const nlohmann::json& info,
             const nlohmann::json& categories);

  std::size_t image_count() const { return images_written_; }
  std::size_t annotation_count() const { return annotations_written_; }

 private:
  static constexpr std::size_t kFlushBytes = 1 << 20;
  void flush_buffers();

  std::filesystem::path images_path_;
  std::filesystem::path annotations_path_;
  std::ofstream images_;
  std::ofstream annotations_;
  std::string images_buffer_;  // lines not yet handed to images_
  std::string annotations_buffer_;
  std::size_t images_written_ = 0;
  std::size_t annotations_written_ = 0;
};

}  // namespace export_plugins::coco

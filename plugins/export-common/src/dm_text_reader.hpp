// read_shapes() for a stored annotation text, without building a JSON tree: for exporters on the
// host's text path (Exporter::converts_text). Parsing a document into a tree, reading the shapes
// out of it and freeing it cost about three times what streaming the text once does, and the
// text path exists to save exactly that.
//
// It reads only documents it can vouch for. Anything else (not JSON, a malformed annotation, a
// key repeated where it matters) makes it give up, and read_shapes_from_text() then reads the
// text the tree way, so a bad document fails with read_shapes()'s own message and the result
// for a good one never depends on which way it was read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dm_shapes.hpp"

namespace export_plugins {

// What a converter takes from one document: its first image's shapes, and the class names of
// its top-level `classification` lists (bounding_box's, then polygon's; non-empty strings only),
// which CategoryOrder::learn_names takes as the order hint.
struct DocumentShapes {
  ImageShapes image;
  std::vector<std::string> class_hints;
};

// The streaming reader alone: nullopt when it gave up (see above). For tests and benchmarks;
// converters call read_shapes_from_text().
std::optional<DocumentShapes> stream_shapes(std::string_view text);

// The shapes of `text`: streamed, or read the tree way when the streaming reader gave up.
// Throws synapse::ActionError naming `where` as read_shapes() does, and nlohmann::json's
// parse_error when `text` is not JSON (out_of_range for a number beyond a double).
DocumentShapes read_shapes_from_text(std::string_view text, std::string_view where);

}  // namespace export_plugins

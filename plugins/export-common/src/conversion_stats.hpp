// What a converter did to the shapes it read, reported once at the end of the export (a warning
// per shape would bury the log of a large export).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace export_plugins {

struct ConversionStats {
  std::size_t images = 0;          // items converted
  std::size_t shapes_written = 0;  // boxes and polygons written
  std::size_t clipped = 0;         // written, but cut to the image first
  std::size_t degenerate = 0;      // skipped: zero area (or width/height) after clipping
  std::size_t unlisted_class = 0;  // skipped: class not in extra_params.categories
  std::size_t keypoints = 0;       // skipped: tool not converted
  std::size_t polylines = 0;       // skipped: tool not converted
  std::size_t extra_images = 0;    // skipped: images[1..] of a document (no file of their own)

  ConversionStats& operator+=(const ConversionStats& other);

  // Shapes read but not written, for whatever reason.
  std::size_t skipped() const;

  // One line: "export-coco: 12 images, 40 shapes written (3 clipped to the image); skipped:
  // 1 degenerate after clipping, 2 keypoints (not converted)".
  std::string summary(std::string_view plugin) const;
};

}  // namespace export_plugins

#include "conversion_stats.hpp"

#include <utility>
#include <vector>

namespace export_plugins {

ConversionStats& ConversionStats::operator+=(const ConversionStats& other) {
  images += other.images;
  shapes_written += other.shapes_written;
  clipped += other.clipped;
  degenerate += other.degenerate;
  unlisted_class += other.unlisted_class;
  keypoints += other.keypoints;
  polylines += other.polylines;
  extra_images += other.extra_images;
  return *this;
}

std::size_t ConversionStats::skipped() const {
  return degenerate + unlisted_class + keypoints + polylines + extra_images;
}

std::string ConversionStats::summary(std::string_view plugin) const {
  std::string text = std::string(plugin) + ": " + std::to_string(images) + " images, " +
                     std::to_string(shapes_written) + " shapes written (" +
                     std::to_string(clipped) + " clipped to the image)";
  const std::vector<std::pair<std::size_t, const char*>> reasons = {
      {degenerate, " degenerate (zero area after clipping)"},
      {unlisted_class, " of a class not in extra_params.categories"},
      {keypoints, " keypoints (not converted)"},
      {polylines, " polylines (not converted)"},
      {extra_images, " extra entries of `images` (only images[0] has a file)"}};
  std::string skipped_text;
  for (const auto& [count, reason] : reasons) {
    if (count == 0)
      continue;
    skipped_text += (skipped_text.empty() ? "" : ", ") + std::to_string(count) + reason;
  }
  if (!skipped_text.empty())
    text += "; skipped: " + skipped_text;
  return text;
}

}  // namespace export_plugins

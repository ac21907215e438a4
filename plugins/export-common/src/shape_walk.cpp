#include "shape_walk.hpp"

namespace export_plugins {

ConversionStats write_shapes(const ImageShapes& shapes, CategoryOrder& order, ImageSize size,
                             const ShapeWriter& write) {
  ConversionStats stats;
  stats.images = 1;
  stats.keypoints = shapes.keypoints;
  stats.polylines = shapes.polylines;
  stats.extra_images = shapes.extra_images;
  for (const Shape& shape : shapes.shapes) {
    const auto category = order.index_of(shape.label);
    if (!category) {
      ++stats.unlisted_class;
      continue;
    }
    const auto clipped = clip_to_image(shape, size);
    if (!clipped) {
      ++stats.degenerate;
      continue;
    }
    stats.clipped += clipped->clipped ? 1 : 0;
    ++stats.shapes_written;
    write(*category, *clipped);
  }
  return stats;
}

}  // namespace export_plugins

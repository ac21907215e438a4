// The per-shape loop of every converter: a shape whose class is not in the category order, or
// that keeps no area inside its image, is counted and skipped; every other one is handed to the
// converter clipped, with its category index. The converters differ only in what they write.
#pragma once

#include <cstddef>
#include <functional>

#include "category_order.hpp"
#include "conversion_stats.hpp"
#include "dm_shapes.hpp"

namespace export_plugins {

using ShapeWriter = std::function<void(std::size_t category, const ClippedShape& shape)>;

// The stats of one image (images = 1, the shapes read_shapes skipped, what this loop skipped
// and wrote).
ConversionStats write_shapes(const ImageShapes& shapes, CategoryOrder& order, ImageSize size,
                             const ShapeWriter& write);

}  // namespace export_plugins

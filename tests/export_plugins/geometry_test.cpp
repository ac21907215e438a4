// export-common geometry: polygon clipping, areas and bounds the converters rely on.
#include <vector>

#include <catch2/catch.hpp>

#include "geometry.hpp"

using export_plugins::bounds;
using export_plugins::clip_polygon;
using export_plugins::clip_rect;
using export_plugins::Point;
using export_plugins::polygon_area;
using export_plugins::Rect;
using Points = std::vector<Point>;

TEST_CASE("export_plugins: geometry clips polygons to the image", "[geometry]") {
  const Points inside = {{1, 1}, {5, 1}, {3, 4}};
  CHECK(clip_polygon(inside, 10, 10) == inside);
  CHECK(clip_polygon({{20, 20}, {30, 20}, {25, 30}}, 10, 10).empty());
  // A square over the top-left corner keeps its quarter inside.
  const Points corner = clip_polygon({{-5, -5}, {5, -5}, {5, 5}, {-5, 5}}, 10, 10);
  CHECK(polygon_area(corner) == 25.0);
  CHECK(bounds(corner) == Rect{0, 0, 5, 5});
  // A diamond larger than the image becomes the image minus its four corner triangles.
  const Points diamond = clip_polygon({{5, -3}, {13, 5}, {5, 13}, {-3, 5}}, 10, 10);
  CHECK(diamond.size() == 8);
  CHECK(polygon_area(diamond) == Approx(100 - 4 * 2.0));
  CHECK(bounds(diamond) == Rect{0, 0, 10, 10});
  // The image itself is the most a polygon can cover.
  CHECK(polygon_area(clip_polygon({{-100, -100}, {100, -100}, {100, 100}, {-100, 100}}, 7, 3)) ==
        21.0);
}

TEST_CASE("export_plugins: geometry areas and rectangles", "[geometry]") {
  CHECK(polygon_area({{0, 0}, {4, 0}, {4, 3}}) == 6.0);
  CHECK(polygon_area({{4, 3}, {4, 0}, {0, 0}}) == 6.0);  // orientation does not matter
  CHECK(polygon_area({{0, 0}, {1, 1}, {2, 2}}) == 0.0);
  CHECK(clip_rect({-2, 3, 12, 20}, 10, 10) == Rect{0, 3, 10, 10});
  CHECK(clip_rect({11, 3, 15, 4}, 10, 10).width() == 0.0);
}

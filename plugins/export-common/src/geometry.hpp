// Plane geometry the converters need: clipping boxes and polygons to the image, areas, bounds.
// Coordinates are absolute pixels with the origin at the image's top-left corner, as in the
// Synapse DM format (docs/annotation-format.md).
#pragma once

#include <vector>

namespace export_plugins {

struct Point {
  double x = 0;
  double y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

// An axis-aligned rectangle by its corners; x1 <= x2 and y1 <= y2 once normalised.
struct Rect {
  double x1 = 0;
  double y1 = 0;
  double x2 = 0;
  double y2 = 0;
  double width() const { return x2 - x1; }
  double height() const { return y2 - y1; }
  double area() const { return width() * height(); }
  friend bool operator==(const Rect&, const Rect&) = default;
};

// `rect` limited to [0, width] x [0, height]. A rectangle wholly outside comes back with zero
// width or height (degenerate).
Rect clip_rect(const Rect& rect, double width, double height);

// `polygon` clipped to [0, width] x [0, height] (Sutherland-Hodgman against the four image
// edges: exact, because the window is convex). Consecutive repeated points are dropped; a
// polygon wholly outside comes back with fewer than 3 points.
std::vector<Point> clip_polygon(const std::vector<Point>& polygon, double width, double height);

// True when a point of `polygon` lies outside [0, width] x [0, height] (clipping changes it).
bool leaves_image(const std::vector<Point>& polygon, double width, double height);

// Shoelace area, always >= 0 (orientation does not matter).
double polygon_area(const std::vector<Point>& polygon);

// The smallest rectangle holding every point; {0,0,0,0} for an empty polygon.
Rect bounds(const std::vector<Point>& polygon);

// The four corners of `rect`, clockwise in image coordinates from the top-left.
std::vector<Point> corners(const Rect& rect);

}  // namespace export_plugins

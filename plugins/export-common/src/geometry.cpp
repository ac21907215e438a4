#include "geometry.hpp"

#include <algorithm>
#include <cmath>

namespace export_plugins {
namespace {

// One half-plane of the clip window: the points whose `axis` coordinate is >= limit (or <= when
// `keep_below`).
struct Edge {
  bool vertical;  // true: compares x, false: compares y
  double limit;
  bool keep_below;

  double coordinate(const Point& p) const { return vertical ? p.x : p.y; }
  bool inside(const Point& p) const {
    return keep_below ? coordinate(p) <= limit : coordinate(p) >= limit;
  }
  // Where the segment a-b crosses the edge; only called when it does.
  Point crossing(const Point& a, const Point& b) const {
    const double t = (limit - coordinate(a)) / (coordinate(b) - coordinate(a));
    if (vertical)
      return {limit, a.y + t * (b.y - a.y)};
    return {a.x + t * (b.x - a.x), limit};
  }
};

std::vector<Point> clip_to_edge(const std::vector<Point>& input, const Edge& edge) {
  std::vector<Point> output;
  output.reserve(input.size() + 2);
  for (std::size_t i = 0; i < input.size(); ++i) {
    const Point& current = input[i];
    const Point& previous = input[(i + input.size() - 1) % input.size()];
    const bool current_in = edge.inside(current);
    const bool previous_in = edge.inside(previous);
    if (current_in != previous_in)
      output.push_back(edge.crossing(previous, current));
    if (current_in)
      output.push_back(current);
  }
  return output;
}

void drop_repeats(std::vector<Point>& polygon) {
  polygon.erase(std::unique(polygon.begin(), polygon.end()), polygon.end());
  while (polygon.size() > 1 && polygon.front() == polygon.back())
    polygon.pop_back();
}

}  // namespace

Rect clip_rect(const Rect& rect, double width, double height) {
  const auto clamp_x = [&](double v) { return std::clamp(v, 0.0, width); };
  const auto clamp_y = [&](double v) { return std::clamp(v, 0.0, height); };
  return {clamp_x(std::min(rect.x1, rect.x2)), clamp_y(std::min(rect.y1, rect.y2)),
          clamp_x(std::max(rect.x1, rect.x2)), clamp_y(std::max(rect.y1, rect.y2))};
}

std::vector<Point> clip_polygon(const std::vector<Point>& polygon, double width, double height) {
  std::vector<Point> result = polygon;
  for (const Edge& edge : {Edge{true, 0, false}, Edge{true, width, true}, Edge{false, 0, false},
                           Edge{false, height, true}}) {
    if (result.empty())
      break;
    result = clip_to_edge(result, edge);
  }
  drop_repeats(result);
  return result;
}

bool leaves_image(const std::vector<Point>& polygon, double width, double height) {
  return std::any_of(polygon.begin(), polygon.end(), [&](const Point& p) {
    return p.x < 0 || p.y < 0 || p.x > width || p.y > height;
  });
}

double polygon_area(const std::vector<Point>& polygon) {
  double twice = 0;
  for (std::size_t i = 0; i < polygon.size(); ++i) {
    const Point& a = polygon[i];
    const Point& b = polygon[(i + 1) % polygon.size()];
    twice += a.x * b.y - b.x * a.y;
  }
  return std::abs(twice) / 2;
}

Rect bounds(const std::vector<Point>& polygon) {
  if (polygon.empty())
    return {};
  Rect r{polygon[0].x, polygon[0].y, polygon[0].x, polygon[0].y};
  for (const Point& p : polygon) {
    r.x1 = std::min(r.x1, p.x);
    r.y1 = std::min(r.y1, p.y);
    r.x2 = std::max(r.x2, p.x);
    r.y2 = std::max(r.y2, p.y);
  }
  return r;
}

std::vector<Point> corners(const Rect& rect) {
  return {{rect.x1, rect.y1}, {rect.x2, rect.y1}, {rect.x2, rect.y2}, {rect.x1, rect.y2}};
}

}  // namespace export_plugins

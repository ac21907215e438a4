// The streaming DM reader (dm_text_reader.hpp) against read_shapes() on the same documents:
// what it reads must be exactly what the tree way reads, and wherever it cannot vouch for a
// document it must give up, so that read_shapes_from_text() fails with read_shapes()'s message.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <synapse/errors.hpp>

#include "dm_text_reader.hpp"
#include "fake_export_context.hpp"

using namespace export_plugins_test;
using export_plugins::class_hints;
using export_plugins::DocumentShapes;
using export_plugins::ImageShapes;
using export_plugins::read_shapes;
using export_plugins::read_shapes_from_text;
using export_plugins::Shape;
using export_plugins::stream_shapes;

namespace {

std::string describe(const Shape& s) {
  std::string text = (s.kind == export_plugins::ShapeKind::box ? "box " : "polygon ") + s.id + " " +
                     s.label + " [" + std::to_string(s.box.x1) + "," + std::to_string(s.box.y1) +
                     "," + std::to_string(s.box.x2) + "," + std::to_string(s.box.y2) + "]";
  for (const auto& p : s.points)
    text += " (" + std::to_string(p.x) + "," + std::to_string(p.y) + ")";
  return text;
}

std::vector<std::string> describe(const ImageShapes& image) {
  std::vector<std::string> out;
  for (const Shape& s : image.shapes)
    out.push_back(describe(s));
  out.push_back("keypoints " + std::to_string(image.keypoints) + " polylines " +
                std::to_string(image.polylines) + " extra_images " +
                std::to_string(image.extra_images));
  return out;
}

// The streamed reading of `text` is the tree's, shape for shape.
void check_streams_like_the_tree(const std::string& text) {
  INFO(text);
  const auto streamed = stream_shapes(text);
  REQUIRE(streamed.has_value());
  const json data = json::parse(text);
  CHECK(describe(streamed->image) == describe(read_shapes(data, "item")));
  CHECK(streamed->class_hints == class_hints(data));
}

// The streaming reader gives up, and read_shapes_from_text gives the tree's result or error.
void check_left_to_the_tree(const std::string& text) {
  INFO(text);
  CHECK_FALSE(stream_shapes(text).has_value());
  json data;
  try {
    data = json::parse(text);
  } catch (const json::exception& e) {  // not JSON, or a number beyond a double
    CHECK_THROWS_WITH(read_shapes_from_text(text, "item 1"), e.what());
    return;
  }
  std::string tree_error;
  std::vector<std::string> tree_shapes;
  try {
    tree_shapes = describe(read_shapes(data, "item 1"));
  } catch (const synapse::ActionError& e) {
    tree_error = e.what();
  }
  if (tree_error.empty()) {
    const DocumentShapes read = read_shapes_from_text(text, "item 1");
    CHECK(describe(read.image) == tree_shapes);
    CHECK(read.class_hints == class_hints(data));
  } else {
    CHECK_THROWS_WITH(read_shapes_from_text(text, "item 1"), tree_error);
  }
}

}  // namespace

TEST_CASE("export_plugins: the streaming DM reader reads what the tree reads", "[dm_text]") {
  const json boxes = {box("b1", "cat", 10, 20, 40, 30), box("b2", "dog", -5, 1.25, 0, 1e3)};
  const json polygons = {polygon("p1", "road", {{0, 90}, {159, 90.5}, {159, 119}}),
                         polygon("p2", "dog", {{-8, -8}, {32, 0}, {40, 60}, {0, 40}})};
  // Polygons listed first still come after the boxes, as read_shapes orders them.
  check_streams_like_the_tree(R"({"images":[{"polygon":)" + polygons.dump() +
                              R"(,"bounding_box":)" + boxes.dump() + "}]}");
  check_streams_like_the_tree(
      dm_doc({{"bounding_box", boxes}, {"polygon", polygons}}, {{"polygon", {"road", "", 7, "dog"}},
                                                                {"bounding_box", {"cat", "person"}},
                                                                {"keypoint", {"nose"}}})
          .dump());
  check_streams_like_the_tree(dm_doc(json::object()).dump());
  check_streams_like_the_tree(R"({"images":[]})");
  check_streams_like_the_tree(R"({"images":[{"bounding_box":null,"polygon":null}]})");
  // Counted tools and further images, whatever they hold.
  check_streams_like_the_tree(
      R"({"images":[{"keypoint":[{"data":[1,2]},3,[4],null],"polyline":[{"a":[[1,2]]}],)"
      R"("bounding_box":[{"id":"b","classification":"c","data":[1,2,3,4]}]},)"
      R"({"bounding_box":"anything"},7,[8]]})");
  check_streams_like_the_tree(R"({"images":[{"keypoint":"x","polyline":{"a":1}}]})");
  // Ids that are no strings are no ids; other keys, nested or not, are skipped.
  check_streams_like_the_tree(
      R"({"meta":{"images":[1],"classification":{"bounding_box":["x"]}},"images":[{"extra":)"
      R"([{"bounding_box":[]}],"bounding_box":[{"id":7,"attrs":[{"data":"x"}],)"
      R"("classification":"c","data":[1,2,3,4],"more":{"classification":1}},)"
      R"({"id":{"x":1},"classification":"d","data":[0,0,1,1]}]}],"classification":[1]})");
  // Class lists that are not lists, entries that are not names.
  check_streams_like_the_tree(
      R"({"classification":{"bounding_box":"cat","polygon":[["x"],{"y":1},null,"ok"]},"images":[]})");
  check_streams_like_the_tree(R"({"classification":7,"images":[]})");
  // Numbers of every kind, and whitespace.
  check_streams_like_the_tree(
      " {\n \"images\" : [ { \"bounding_box\" : [ { \"classification\" : \"c\" , \"data\" : "
      "[ 18446744073709551615 , -9223372036854775807 , 1.5e2 , 0 ] } ] } ] } ");
}

TEST_CASE("export_plugins: the streaming DM reader leaves malformed documents to the tree",
          "[dm_text]") {
  for (
      const std::string text :
      {// Not a DM document.
       R"([1])", R"("x")", R"(null)", R"({})", R"({"images":{}})", R"({"images":null})",
       R"({"images":[1]})", R"({"images":[[]]})", R"({"images":[null]})",
       // A tool list that is not a list, an annotation that is not an object.
       R"({"images":[{"bounding_box":{}}]})", R"({"images":[{"polygon":"x"}]})",
       R"({"images":[{"bounding_box":[1]}]})", R"({"images":[{"bounding_box":[[]]}]})",
       // Classification missing, empty, not a string.
       R"({"images":[{"bounding_box":[{"data":[1,2,3,4]}]}]})",
       R"({"images":[{"bounding_box":[{"classification":"","data":[1,2,3,4]}]}]})",
       R"({"images":[{"bounding_box":[{"classification":3,"data":[1,2,3,4]}]}]})",
       R"({"images":[{"bounding_box":[{"classification":["a"],"data":[1,2,3,4]}]}]})",
       // Box data missing, not a list, not four numbers, negative size.
       R"({"images":[{"bounding_box":[{"id":"b9","classification":"a"}]}]})",
       R"({"images":[{"bounding_box":[{"classification":"a","data":null}]}]})",
       R"({"images":[{"bounding_box":[{"classification":"a","data":{"x":1}}]}]})",
       R"({"images":[{"bounding_box":[{"classification":"a","data":[1,2,3]}]}]})",
       R"({"images":[{"bounding_box":[{"classification":"a","data":[1,2,3,4,5]}]}]})",
       R"({"images":[{"bounding_box":[{"classification":"a","data":[1,"2",3,4]}]}]})",
       R"({"images":[{"bounding_box":[{"classification":"a","data":[1,2,[3],4]}]}]})",
       R"({"images":[{"bounding_box":[{"id":"b2","classification":"a","data":[1,2,-3,4]}]}]})",
       R"({"images":[{"bounding_box":[{"classification":"a","data":[1,2,3,1e999]}]}]})",
       // Polygon data: too few points, a point that is not [x, y] of numbers.
       R"({"images":[{"polygon":[{"classification":"a","data":[[0,0],[1,1]]}]}]})",
       R"({"images":[{"polygon":[{"classification":"a","data":[[0,0],[1,1],[2]]}]}]})",
       R"({"images":[{"polygon":[{"classification":"a","data":[[0,0],[1,1],[2,0,1]]}]}]})",
       R"({"images":[{"polygon":[{"classification":"a","data":[[0,0],[1,1],[2,null]]}]}]})",
       R"({"images":[{"polygon":[{"classification":"a","data":[[0,0],[1,1],{"x":2}]}]}]})",
       R"({"images":[{"polygon":[{"classification":"a","data":[[0,0],[1,1],3]]}]}]})",
       // A key that matters, repeated: the tree keeps the last value.
       R"({"images":[],"images":[{"bounding_box":[{"classification":"a","data":[1,2,3,4]}]}]})",
       R"({"images":[{"bounding_box":[],"bounding_box":[{"classification":"a","data":[1,2,3,4]}]}]})",
       R"({"images":[{"keypoint":[1],"keypoint":[1,2]}]})",
       R"({"images":[{"bounding_box":[{"classification":"a","classification":"b","data":[1,2,3,4]}]}]})",
       R"({"images":[{"bounding_box":[{"id":"x","id":"y","classification":"a","data":[1,2,3,4]}]}]})",
       R"({"images":[{"bounding_box":[{"classification":"a","data":[1,2,3,4],"data":[0,0,1,1]}]}]})",
       R"({"classification":{},"classification":{"bounding_box":["z"]},"images":[]})",
       R"({"classification":{"polygon":["a"],"polygon":["b"]},"images":[]})",
       // Not JSON.
       R"({"images":[)", R"({"images":[]} x)",
       "{\"images\":[{\"bounding_box\":[{\"classification\":\"\xc3\",\"data\":[1,2,3,4]}]}]}"}) {
    check_left_to_the_tree(text);
  }
}

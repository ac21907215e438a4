#include "annotations/annotation_document.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "annotations/annotation_vocabulary.hpp"
#include "common/json_cursor.hpp"

namespace synapse::runtime::annotations {

namespace {

using Kind = JsonCursor::Kind;
using namespace detail;  // the vocabulary of annotation_vocabulary.hpp

}  // namespace

// Scratch memory kept between documents.
struct DocumentChecker::State {
  std::unordered_map<std::string, Loc> ids;  // id -> where it was defined
  struct LabelUse {
    Loc loc;
    std::string label;
  };
  std::vector<LabelUse> labels;
  struct Ref {  // an id in relation/group data, checked when its image is complete
    Loc loc;
    std::size_t index;
    std::string id;
  };
  std::vector<Ref> refs;
  std::array<std::unordered_set<std::string>, kToolCount> classes;  // the top-level map
  std::array<bool, kToolCount> listed{};

  void clear() {
    ids.clear();
    labels.clear();
    refs.clear();
    for (auto& set : classes)
      set.clear();
    listed.fill(false);
  }
};

namespace {

// One walk over one document; the structure follows docs/annotation-format.md.
class Walk {
 public:
  Walk(JsonCursor& cursor, DocumentChecker::State& state, CheckedDocument& doc)
      : cur_(cursor), s_(state), doc_(doc) {}

  void document();

 private:
  void problem(std::string where, std::string message) {
    if (doc_.problems.size() < CheckedDocument::kMaxProblems)
      doc_.problems.push_back({std::move(where), std::move(message)});
    else
      ++doc_.problems_not_kept;
  }
  void unit_id();
  void file_name();
  void class_map();
  void images();
  void image(std::size_t index);
  void tool_list(std::size_t image, Tool tool);
  void annotation(const Loc& loc);
  void attrs(const Loc& loc);
  void data(const Loc& loc);
  void points(const Loc& loc, std::size_t minimum);
  void ids(const Loc& loc);
  bool numbers(std::size_t count, bool* negative = nullptr);
  void check_refs(std::size_t image);
  void check_labels();

  JsonCursor& cur_;
  DocumentChecker::State& s_;
  CheckedDocument& doc_;
};

void Walk::document() {
  if (cur_.peek() != Kind::object) {
    cur_.skip();
    cur_.finish();
    problem("", "expected a JSON object {\"images\": [...]} (see docs/annotation-format.md)");
    return;
  }
  cur_.enter_object();
  enum : unsigned { kImages = 1, kClasses = 2, kUnitId = 4, kFileName = 8 };
  unsigned seen = 0;
  std::string_view key;
  while (cur_.next_member(key)) {
    unsigned bit = 0;
    if (key == "images")
      bit = kImages;
    else if (key == "classification")
      bit = kClasses;
    else if (key == "data_unit_id")
      bit = kUnitId;
    else if (key == "file_name")
      bit = kFileName;
    if (bit == 0 || (seen & bit) != 0) {
      problem(member("", key), bit == 0 ? "unknown key; allowed: images, classification, "
                                          "data_unit_id, file_name"
                                        : "duplicate key");
      cur_.skip();
      continue;
    }
    seen |= bit;
    const std::size_t start = cur_.key_offset();
    switch (bit) {
      case kImages:
        images();
        break;
      case kClasses:
        class_map();
        break;
      case kUnitId:
        unit_id();
        doc_.left_out.emplace_back(start, cur_.offset());
        break;
      default:
        file_name();
        doc_.left_out.emplace_back(start, cur_.offset());
    }
  }
  cur_.finish();
  if ((seen & kImages) == 0)
    problem("images", "is required: a list with one object per image");
  if ((seen & kUnitId) != 0 && (seen & kFileName) != 0)
    problem("file_name", "give data_unit_id or file_name, not both");
  check_labels();
}

void Walk::unit_id() {
  if (cur_.peek() == Kind::number) {
    const std::string_view raw = cur_.read_number();
    CatalogId id = 0;
    const auto [end, error] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
    if (error == std::errc() && end == raw.data() + raw.size() && id > 0) {
      doc_.unit = DataUnitKey{DataUnitKey::Kind::id, id, {}};
      return;
    }
  } else {
    cur_.skip();
  }
  problem("data_unit_id", "expected a positive integer (the id of a data unit)");
}

void Walk::file_name() {
  if (cur_.peek() == Kind::string) {
    const std::string_view name = cur_.read_string();
    if (!name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos) {
      doc_.unit = DataUnitKey{DataUnitKey::Kind::file_name, 0, std::string(name)};
      return;
    }
  } else {
    cur_.skip();
  }
  problem("file_name",
          "expected a file name without '/' (the original name of a file of the "
          "data unit, e.g. \"cat.jpg\")");
}

void Walk::class_map() {
  if (cur_.peek() != Kind::object) {
    cur_.skip();
    problem("classification", "expected an object: tool -> list of class names");
    return;
  }
  cur_.enter_object();
  std::string_view key;
  while (cur_.next_member(key)) {
    const auto tool = tool_named(key);
    if (!tool || s_.listed[static_cast<std::size_t>(*tool)]) {
      problem(member("classification", key),
              tool ? "duplicate key" : "unknown tool; allowed: " + std::string(kToolList));
      cur_.skip();
      continue;
    }
    const std::string where = "classification." + std::string(name_of(*tool));
    if (cur_.peek() != Kind::array) {
      cur_.skip();
      problem(where, "expected a list of class names (non-empty strings)");
      continue;
    }
    s_.listed[static_cast<std::size_t>(*tool)] = true;
    auto& classes = s_.classes[static_cast<std::size_t>(*tool)];
    cur_.enter_array();
    for (std::size_t k = 0; cur_.next_element(); ++k) {
      if (cur_.peek() == Kind::string) {
        const std::string_view name = cur_.read_string();
        if (!name.empty()) {
          classes.emplace(name);
          continue;
        }
      } else {
        cur_.skip();
      }
      problem(element(where, k), "expected a class name (a non-empty string)");
    }
  }
}

void Walk::images() {
  if (cur_.peek() != Kind::array) {
    cur_.skip();
    problem("images", "expected a list with one object per image");
    return;
  }
  cur_.enter_array();
  for (std::size_t i = 0; cur_.next_element(); ++i)
    image(i);
}

void Walk::image(std::size_t index) {
  if (cur_.peek() != Kind::object) {
    cur_.skip();
    problem(element("images", index), "expected an object: tool -> list of annotations");
    return;
  }
  s_.refs.clear();
  cur_.enter_object();
  std::array<bool, kToolCount> seen{};
  std::string_view key;
  while (cur_.next_member(key)) {
    const auto tool = tool_named(key);
    if (!tool || seen[static_cast<std::size_t>(*tool)]) {
      problem(member(element("images", index), key),
              tool ? "duplicate key" : "unknown tool; allowed: " + std::string(kToolList));
      cur_.skip();
      continue;
    }
    seen[static_cast<std::size_t>(*tool)] = true;
    tool_list(index, *tool);
  }
  check_refs(index);
}

void Walk::tool_list(std::size_t image, Tool tool) {
  if (cur_.peek() != Kind::array) {
    cur_.skip();
    problem(element("images", image) + "." + std::string(name_of(tool)),
            "expected a list of annotations");
    return;
  }
  cur_.enter_array();
  for (std::size_t i = 0; cur_.next_element(); ++i)
    annotation(Loc{image, tool, i});
}

void Walk::annotation(const Loc& loc) {
  const bool whole_image = loc.tool == Tool::classification;
  if (cur_.peek() != Kind::object) {
    cur_.skip();
    problem(path(loc), whole_image ? "expected an object {\"id\", \"classification\"}"
                                   : "expected an object {\"id\", \"classification\", \"data\"}");
    return;
  }
  cur_.enter_object();
  enum : unsigned { kId = 1, kClass = 2, kAttrs = 4, kData = 8 };
  unsigned seen = 0;
  std::string_view key;
  while (cur_.next_member(key)) {
    unsigned bit = 0;
    if (key == "id")
      bit = kId;
    else if (key == "classification")
      bit = kClass;
    else if (key == "attrs")
      bit = kAttrs;
    else if (key == "data")
      bit = kData;
    if (bit == 0 || (seen & bit) != 0) {
      problem(member(path(loc), key),
              bit != 0      ? "duplicate key"
              : whole_image ? "unknown key; allowed: id, classification, attrs"
                            : "unknown key; allowed: id, classification, attrs, data");
      cur_.skip();
      continue;
    }
    seen |= bit;
    switch (bit) {
      case kId: {
        if (cur_.peek() == Kind::string) {
          const std::string_view id = cur_.read_string();
          if (is_id(id)) {
            const auto [it, added] = s_.ids.try_emplace(std::string(id), loc);
            if (!added)
              problem(path(loc, "id"),
                      json_quoted(id) + " is already the id of " + path(it->second));
            break;
          }
        } else {
          cur_.skip();
        }
        problem(path(loc, "id"), "expected an id: a string matching " + std::string(kIdRule));
        break;
      }
      case kClass: {
        if (cur_.peek() == Kind::string) {
          const std::string_view label = cur_.read_string();
          if (!label.empty()) {
            s_.labels.push_back({loc, std::string(label)});
            break;
          }
        } else {
          cur_.skip();
        }
        problem(path(loc, "classification"), "expected a class name (a non-empty string)");
        break;
      }
      case kAttrs:
        attrs(loc);
        break;
      default:
        if (whole_image) {
          cur_.skip();
          problem(path(loc, "data"), expected_data(loc.tool));
        } else {
          data(loc);
        }
    }
  }
  if ((seen & kId) == 0)
    problem(path(loc, "id"), "is required");
  if ((seen & kClass) == 0)
    problem(path(loc, "classification"), "is required");
  if (!whole_image && (seen & kData) == 0)
    problem(path(loc, "data"), "is required: " + expected_data(loc.tool));
}

void Walk::attrs(const Loc& loc) {
  // Built only for a problem: most annotations have attrs, few have bad ones.
  auto where = [&] { return path(loc, "attrs"); };
  if (cur_.peek() != Kind::array) {
    cur_.skip();
    problem(where(), "expected a list of {\"name\": ..., \"value\": ...}");
    return;
  }
  cur_.enter_array();
  for (std::size_t k = 0; cur_.next_element(); ++k) {
    if (cur_.peek() != Kind::object) {
      cur_.skip();
      problem(element(where(), k), "expected an object {\"name\": ..., \"value\": ...}");
      continue;
    }
    cur_.enter_object();
    bool name = false;
    bool value = false;
    std::string_view key;
    while (cur_.next_member(key)) {
      const bool is_name = key == "name";
      if ((!is_name && key != "value") || (is_name ? name : value)) {
        problem(member(element(where(), k), key),
                is_name || key == "value" ? "duplicate key" : "unknown key; allowed: name, value");
        cur_.skip();
        continue;
      }
      if (!is_name) {
        value = true;
        cur_.skip();  // any JSON value
        continue;
      }
      name = true;
      if (cur_.peek() == Kind::string) {
        if (!cur_.read_string().empty())
          continue;
      } else {
        cur_.skip();
      }
      problem(element(where(), k) + ".name", "expected a non-empty string");
    }
    if (!name)
      problem(element(where(), k) + ".name", "is required");
    if (!value)
      problem(element(where(), k) + ".value", "is required");
  }
}

// Reads an array and tells whether it held exactly `count` numbers, each within the range of a
// double (and in `negative`, if given, which were below zero). Always consumes the value.
bool Walk::numbers(std::size_t count, bool* negative) {
  if (cur_.peek() != Kind::array) {
    cur_.skip();
    return false;
  }
  cur_.enter_array();
  std::size_t n = 0;
  bool ok = true;
  for (; cur_.next_element(); ++n) {
    if (n < count && cur_.peek() == Kind::number) {
      const auto number = inspect_number(cur_.read_number());
      ok = number.in_range && ok;
      if (negative != nullptr)
        negative[n] = number.negative;
    } else {
      cur_.skip();
      ok = false;
    }
  }
  return ok && n == count;
}

void Walk::data(const Loc& loc) {
  switch (loc.tool) {
    case Tool::bounding_box: {
      bool negative[4] = {};
      if (!numbers(4, negative) || negative[2] || negative[3])
        problem(path(loc, "data"), expected_data(loc.tool));
      return;
    }
    case Tool::keypoint: {
      if (!numbers(2))
        problem(path(loc, "data"), expected_data(loc.tool));
      return;
    }
    case Tool::polygon:
      points(loc, 3);
      return;
    case Tool::polyline:
      points(loc, 2);
      return;
    case Tool::relation:
    case Tool::group:
      ids(loc);
      return;
    case Tool::classification:
      cur_.skip();  // refused by the caller
      return;
  }
}

void Walk::points(const Loc& loc, std::size_t minimum) {
  if (cur_.peek() != Kind::array) {
    cur_.skip();
    problem(path(loc, "data"), expected_data(loc.tool));
    return;
  }
  cur_.enter_array();
  std::size_t n = 0;
  for (; cur_.next_element(); ++n) {
    if (!numbers(2))
      problem(element(path(loc, "data"), n), "expected a point [x, y] (two numbers)");
  }
  if (n < minimum)
    problem(path(loc, "data"), expected_data(loc.tool));
}

void Walk::ids(const Loc& loc) {
  if (cur_.peek() != Kind::array) {
    cur_.skip();
    problem(path(loc, "data"), expected_data(loc.tool));
    return;
  }
  cur_.enter_array();
  std::size_t n = 0;
  for (; cur_.next_element(); ++n) {
    if (cur_.peek() == Kind::string) {
      const std::string_view id = cur_.read_string();
      if (!id.empty()) {
        s_.refs.push_back({loc, n, std::string(id)});
        continue;
      }
    } else {
      cur_.skip();
    }
    problem(element(path(loc, "data"), n),
            "expected the id of another annotation of this image (a string)");
  }
  if (loc.tool == Tool::relation ? n != 2 : n == 0)
    problem(path(loc, "data"), expected_data(loc.tool));
}

// Relations and groups refer to annotations of their own image, which may come after them.
void Walk::check_refs(std::size_t image) {
  for (const auto& ref : s_.refs) {
    const auto it = s_.ids.find(ref.id);
    const std::string where = element(path(ref.loc, "data"), ref.index);
    if (it == s_.ids.end() || it->second.image != image)
      problem(where, json_quoted(ref.id) + " is not the id of an annotation of " +
                         element("images", image));
    else if (it->second == ref.loc)
      problem(where, json_quoted(ref.id) + " is the id of this annotation itself");
  }
  s_.refs.clear();
}

// The top-level map may come after the images, so labels are checked at the end.
void Walk::check_labels() {
  for (const auto& use : s_.labels) {
    const auto tool = static_cast<std::size_t>(use.loc.tool);
    if (s_.listed[tool] && s_.classes[tool].count(use.label) == 0) {
      problem(path(use.loc, "classification"), json_quoted(use.label) +
                                                   " is not listed in classification." +
                                                   std::string(kToolNames[tool]));
    }
  }
}

}  // namespace

DocumentChecker::DocumentChecker() : state_(std::make_unique<State>()) {}
DocumentChecker::~DocumentChecker() = default;

CheckedDocument DocumentChecker::check(std::string_view text) {
  CheckedDocument doc;
  state_->clear();
  // A UTF-8 byte order mark (some Windows editors write one) is not part of the JSON.
  const std::string_view bom = "\xEF\xBB\xBF";
  const std::size_t skipped = text.substr(0, 3) == bom ? 3 : 0;
  JsonCursor cursor(text.substr(skipped));
  try {
    Walk(cursor, *state_, doc).document();
  } catch (const JsonSyntaxError& e) {
    const auto at = line_column(text, e.offset() + skipped);
    doc.problems = {{std::to_string(at.line) + ":" + std::to_string(at.column),
                     std::string("invalid JSON: ") + e.what(), true}};
    doc.problems_not_kept = 0;
  }
  if (!doc.problems.empty() || doc.problems_not_kept != 0) {
    doc.unit.reset();
    doc.left_out.clear();
    return doc;
  }
  for (auto& [begin, end] : doc.left_out) {
    begin += skipped;
    end += skipped;
  }
  if (skipped != 0)
    doc.left_out.insert(doc.left_out.begin(), {0, skipped});
  return doc;
}

}  // namespace synapse::runtime::annotations

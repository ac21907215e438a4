// One annotation file as `synapse annotations import` reads it (docs/annotation-format.md):
// every rule of the format checked, every problem reported with its JSON path, and on success
// the text the catalog stores (compact, without the keys that name the data unit).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <synapse/catalog.hpp>

namespace synapse::runtime::annotations {

// Where a document breaks a rule and what was expected. `where` is a JSON path
// ("images[0].bounding_box[2].data"), "" for the whole document, or, for a syntax error,
// "line:column" (at_position).
struct Problem {
  std::string where;
  std::string message;
  bool at_position = false;
};

// The line an operator reads: "cat.json: images[0].bounding_box[2].data: expected ...",
// "cat.json:3:14: invalid JSON: ..." or "cat.json: expected ...".
std::string describe(std::string_view file, const Problem& problem);

// [begin, end) byte offsets in a document's text.
using ByteRanges = std::vector<std::pair<std::size_t, std::size_t>>;

struct CheckedDocument {
  // The unit the document names with data_unit_id or file_name; std::nullopt when it names
  // none (the file's stem then does).
  std::optional<DataUnitKey> unit;
  // What stored_annotation() leaves out: the data_unit_id / file_name members and a byte
  // order mark. Usually empty, so an import keeps it per file and, when it writes, turns the
  // text it reads again into the stored one without checking it a second time.
  ByteRanges left_out;
  std::vector<Problem> problems;  // empty: the document is valid
  // Problems beyond kMaxProblems are counted, not kept: a file with thousands of bad boxes
  // must not flood the report (nor the memory of an import of 100,000 such files).
  std::size_t problems_not_kept = 0;
  static constexpr std::size_t kMaxProblems = 20;
};

// What the catalog stores for a valid document: its text without whitespace between tokens and
// without the `left_out` ranges (strings keep their escapes, numbers their spelling).
std::string stored_annotation(std::string_view text, const ByteRanges& left_out);

// Checks documents one after the other, reusing its scratch memory (ids, class names) between
// them. Not thread-safe: one per thread.
class DocumentChecker {
 public:
  DocumentChecker();
  ~DocumentChecker();
  DocumentChecker(const DocumentChecker&) = delete;
  DocumentChecker& operator=(const DocumentChecker&) = delete;

  CheckedDocument check(std::string_view text);

  struct State;  // scratch memory, defined in the .cpp

 private:
  std::unique_ptr<State> state_;
};

}  // namespace synapse::runtime::annotations

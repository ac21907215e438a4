// error_file_list.json (spec/export.md §8.2 step 8): the items whose outputs failed,
//
//   {"json_file_name": [[file, error], ...], "origin_file_name": [[file, error], ...]}
//
// written as Python's json.dump(indent=4, ensure_ascii=False) writes it. Entries go to two
// scratch files as they come (never a list in memory: an export where every item fails stays
// flat) and are streamed into the output when the export ends.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string_view>

#include <synapse/storage.hpp>

namespace synapse::runtime::exports {

class ErrorList {
 public:
  // The two scratch files are made in `scratch_dir`.
  explicit ErrorList(const std::filesystem::path& scratch_dir);

  void add_json(std::string_view file, std::string_view error);
  void add_origin(std::string_view file, std::string_view error);
  std::int64_t size() const { return json_.count + origin_.count; }

  // The whole document into `out` (not committed: the caller commits).
  void write_to(synapse::WriteStream& out);

 private:
  struct Part {
    std::filesystem::path file;
    std::ofstream stream;
    std::int64_t count = 0;
  };
  static void add(Part& part, std::string_view file, std::string_view error);
  static void copy(Part& part, synapse::WriteStream& out);

  Part json_;
  Part origin_;
};

}  // namespace synapse::runtime::exports

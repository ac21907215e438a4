// Upload file discovery: finds the files of an upload in a Storage and groups them into data
// units (spec/upload.md §6.4, §11.2; design.md §5). Three strategies:
//
//   flat          <root>/<spec>/<file>           a file belongs to the folder it is in (exact
//                                                 name: `image` never captures `image_2/`);
//                                                 unit key = stem ("1")
//   recursive     <root>/<spec>/<sub/...>/<file> same, walking each spec folder; unit key =
//                                                 sub-path + stem ("a/1"), so image/a/1.jpg pairs
//                                                 with meta/a/1.json, not with image/b/1.jpg
//   by_extension  <root>/<file> (or below)       the spec is chosen by the file's extension;
//                                                 unit key = (sub-path +) stem, or with
//                                                 group_by folder the folder path ("a/b")
//
// Stem and extension: the extension is the longest of the spec's `extensions` the name ends
// with (case-insensitive), so with ".tar.gz" listed `a.tar.gz` has stem "a"; a spec that lists
// no extensions accepts any file and cuts the last suffix only (`a.tar.gz` -> stem "a.tar").
// A leading dot is not a suffix (".hidden" has stem ".hidden").
//
// Streaming and memory: units are emitted through a callback in ascending key order (byte-wise
// std::string order), as soon as every spec's stream has moved past the key. Each stream walks
// its folder tree depth-first, listing and sorting one folder at a time, so memory is bounded
// by the entries of the folders on the current path (names packed in one buffer, ~24 bytes
// of overhead per entry), never by the number of files in the tree. A single folder of N files
// costs about N * (name length + 24) bytes per spec, e.g. ~40 MB for 1,000,000 short names.
// The report keeps counts plus at most `max_examples` examples of each problem.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>
#include <synapse/errors.hpp>
#include <synapse/storage.hpp>

namespace synapse::runtime::upload {

// A wrong layout (missing root, no spec folder, ambiguous extensions, ...): the message names
// what was expected and what was found. An ActionError, so the run ends with exit code 1.
class DiscoveryError : public synapse::ActionError {
 public:
  using synapse::ActionError::ActionError;
};

struct OrganizedUnit {
  std::string key;                           // "1", "a/1", or a folder path with group_by folder
  std::map<std::string, std::string> files;  // spec name -> path in the storage
};

enum class GroupBy { stem, folder };

struct DiscoveryOptions {
  bool recursive = true;  // by_extension only: walk below root (forced on by group_by folder)
  GroupBy group_by = GroupBy::stem;  // by_extension only
  std::size_t max_examples = 10;     // examples kept per problem kind in the report
};

struct SpecDiscovery {
  std::string spec;
  std::string source;  // the folder searched, relative to the storage root ("" = root)
  bool found = false;  // the source folder exists
  bool required = false;
  std::vector<std::string> extensions;  // allowed; empty = any
  std::uint64_t files = 0;              // files accepted for this spec (duplicates included)
};

struct UnmatchedFile {
  std::string path;
  std::string reason;
};

struct DuplicateFile {
  std::string key;
  std::string spec;
  std::string kept;     // first in name order: deterministic, unlike Python's newest-mtime
  std::string ignored;  // rule, which also depends on clocks
};

struct MissingRequired {
  std::string key;
  std::vector<std::string> missing;  // spec names
};

struct DiscoveryReport {
  std::string strategy;
  std::string root;
  std::vector<SpecDiscovery> specs;          // in the order the specs were given
  std::uint64_t units = 0;                   // emitted
  std::uint64_t units_missing_required = 0;  // dropped: lacking a required spec
  std::vector<MissingRequired> missing_required_examples;
  std::uint64_t unmatched_files = 0;  // found but used by no unit (wrong extension, ...)
  std::vector<UnmatchedFile> unmatched_examples;
  std::uint64_t duplicate_files = 0;  // second file for the same (unit, spec): not used
  std::vector<DuplicateFile> duplicate_examples;
  std::vector<std::string> warnings;  // e.g. an optional spec folder that does not exist

  // For a dry-run plan or a log event.
  nlohmann::json to_json() const;
};

using UnitCallback = std::function<void(OrganizedUnit&&)>;

class FileDiscovery {
 public:
  virtual ~FileDiscovery() = default;
  virtual std::string name() const = 0;
  // Calls `on_unit` once per complete unit, in ascending key order, and fills `report` (which
  // is reset first). Throws DiscoveryError on a wrong layout, StorageError from the storage.
  virtual void discover(synapse::Storage& storage, const std::string& root,
                        const std::vector<synapse::FileSpecification>& specs,
                        const DiscoveryOptions& options, const UnitCallback& on_unit,
                        DiscoveryReport& report) = 0;
};

// "flat", "recursive" or "by_extension"; anything else throws DiscoveryError naming them.
std::unique_ptr<FileDiscovery> make_file_discovery(const std::string& name);

}  // namespace synapse::runtime::upload

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

#include <memory>
#include <string>
#include <vector>

#include <synapse/upload/strategies.hpp>

namespace synapse::runtime::upload {

// The types live in the SDK so plugins can implement discovery strategies too.
using synapse::upload::DiscoveryError;
using synapse::upload::DiscoveryOptions;
using synapse::upload::DiscoveryReport;
using synapse::upload::DuplicateFile;
using synapse::upload::GroupBy;
using synapse::upload::MissingRequired;
using synapse::upload::OrganizedUnit;
using synapse::upload::SpecDiscovery;
using synapse::upload::UnitCallback;
using synapse::upload::UnmatchedFile;
using FileDiscovery = synapse::upload::FileDiscoveryStrategy;

// Multi-path mode (`use_single_path: false`): each spec is read from its own folder (and
// storage); units are grouped across them by sub-path + stem, exactly as `recursive` groups
// spec folders. A required spec without an asset, a missing folder or an asset naming no spec
// throws DiscoveryError listing every such problem.
struct AssetSource {
  std::string spec;
  synapse::Storage* storage = nullptr;
  std::string path;
  bool recursive = true;
};
void discover_assets(const std::vector<AssetSource>& sources,
                     const std::vector<synapse::FileSpecification>& specs,
                     const DiscoveryOptions& options, const UnitCallback& on_unit,
                     DiscoveryReport& report);

// "flat", "recursive" or "by_extension"; anything else throws DiscoveryError naming them.
std::unique_ptr<FileDiscovery> make_file_discovery(const std::string& name);

}  // namespace synapse::runtime::upload

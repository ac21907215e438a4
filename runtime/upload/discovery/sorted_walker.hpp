// Internal: a depth-first walk of a storage folder that yields its files in ascending grouping
// key order while holding only the listings of the folders on the current path.
//
// Why this order is global: a file's key is "<folder path>/<local key>" where the local key is
// a prefix of its name (its stem, or "" to group by folder) and never contains '/'. Sorting a
// folder's entries by local key, a sub-folder `d` counting as "d/", keeps every key of d's
// subtree (all starting with "d/") exactly where "d/" sorts among its siblings, so visiting
// entries in that order and descending into folders in place yields the whole tree in
// std::string order — the order the k-way merge of the spec streams needs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <synapse/storage.hpp>

namespace synapse::runtime::upload::detail {

// What the caller decides about a file name: the length of its local key (a prefix of the
// name) and a tag (the spec index, or -1 for a file no spec accepts).
struct Classified {
  std::size_t key_length = 0;
  int tag = -1;
};
using Classifier = std::function<Classified(std::string_view name)>;

struct WalkItem {
  std::string key;   // folder path relative to the walk's base + "/" (if any) + local key
  std::string path;  // storage path of the file
  int tag = -1;
};

class SortedWalker {
 public:
  // `base` is a storage folder that exists; with `recursive` false, sub-folders are skipped.
  SortedWalker(synapse::Storage& storage, std::string base, bool recursive, Classifier classify);
  // The next file in key order (ties: name order); false at the end.
  bool next(WalkItem& out);
  // Entries the storage's listings left out so far (ObjectLister::take_skipped): how many, and
  // the first kSkippedExamples of them.
  std::size_t skipped_count() const { return skipped_count_; }
  const std::vector<synapse::SkippedEntry>& skipped_examples() const { return skipped_examples_; }
  static constexpr std::size_t kSkippedExamples = 5;

 private:
  struct Entry {
    std::size_t offset = 0;  // of the name in Frame::names
    std::uint32_t length = 0;
    std::uint32_t key_length = 0;
    int tag = -1;
    bool directory = false;
  };
  struct Frame {
    std::string relative;  // to base_, "" for base_ itself
    std::string names;     // every entry name, packed: one allocation instead of one per name
    std::vector<Entry> entries;
    std::size_t position = 0;
  };
  void push(std::string relative);

  synapse::Storage& storage_;
  std::string base_;
  bool recursive_;
  Classifier classify_;
  std::vector<Frame> stack_;
  std::size_t skipped_count_ = 0;
  std::vector<synapse::SkippedEntry> skipped_examples_;
};

// "a/b" + "c" -> "a/b/c"; an empty side is the storage root / the folder itself.
std::string join_path(const std::string& folder, std::string_view name);

}  // namespace synapse::runtime::upload::detail

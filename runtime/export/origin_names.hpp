// Names of the original files under `origin_files/`, unique within one export: the file's
// original name, or `<stem>_<id><ext>` when an earlier item of this export already wrote that
// name (then `<stem>_<id>_2<ext>`, ...), so no original overwrites another.
//
// Memory stays bounded whatever the number of items: no set of every name is kept. Instead
//   - a Bloom filter (fixed size, sized once from the item count, at most 8 MiB) answers "surely
//     never written" for almost every fresh name without any I/O;
//   - a small FIFO of the most recent names (4096) answers "surely written" for the common
//     repeat (several assignments of one data unit come one after another) without I/O;
//   - only the rest (a name seen long ago, or a Bloom false positive, about 1 in 1,000 at the
//     sizing point) is asked of the output storage through `exists` (the caller first lets the
//     pending writes land, then stats the object).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <synapse/catalog.hpp>

namespace synapse::runtime::exports {

class OriginNames {
 public:
  // Whether `name` already exists under origin_files/ of this export.
  using Exists = std::function<bool(const std::string& name)>;

  explicit OriginNames(std::int64_t expected_items);

  // The name the original `name` of item `id` is written under; it counts as written from now.
  std::string claim(const std::string& name, CatalogId id, const Exists& exists);

  // How often `exists` was asked (tests, and the reason behind the sizing).
  std::int64_t storage_checks() const { return storage_checks_; }

 private:
  bool maybe_written(std::string_view name) const;
  void remember(const std::string& name);

  std::vector<std::uint64_t> bits_;
  std::uint64_t mask_ = 0;  // bit count - 1 (a power of two)
  std::unordered_set<std::string> recent_;
  std::deque<std::string> recent_order_;
  std::int64_t storage_checks_ = 0;
};

// `<stem>_<suffix><ext>` ("cat.jpg", "7" -> "cat_7.jpg"; "README", "7" -> "README_7").
std::string with_suffix(const std::string& name, const std::string& suffix);

}  // namespace synapse::runtime::exports

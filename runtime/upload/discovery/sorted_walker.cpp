#include "upload/discovery/sorted_walker.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include "storage/skipped_entries.hpp"

namespace synapse::runtime::upload::detail {

namespace {

// Compares two local keys, a folder's key carrying an implicit trailing '/'. Byte-wise like
// std::string (char_traits<char> compares as unsigned char, as memcmp does).
int compare_keys(std::string_view a, bool a_slash, std::string_view b, bool b_slash) {
  const std::size_t common = std::min(a.size(), b.size());
  if (const int c = std::memcmp(a.data(), b.data(), common); c != 0) {
    return c;
  }
  // Past the common part: the next character is '/' for a folder, the end otherwise.
  const auto at = [](std::string_view s, bool slash, std::size_t i) -> int {
    if (i < s.size()) {
      return static_cast<unsigned char>(s[i]);
    }
    return i == s.size() && slash ? '/' : -1;
  };
  for (std::size_t i = common; i <= common + 1; ++i) {
    const int x = at(a, a_slash, i);
    const int y = at(b, b_slash, i);
    if (x != y) {
      return x < y ? -1 : 1;
    }
    if (x == -1) {
      return 0;
    }
  }
  return 0;  // both continue past common + 1: impossible unless equal lengths, handled above
}

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string join_path(const std::string& folder, std::string_view name) {
  if (folder.empty() || name.empty()) {
    return folder.empty() ? std::string(name) : folder;
  }
  std::string out;
  out.reserve(folder.size() + 1 + name.size());
  out.append(folder).append("/").append(name);
  return out;
}

SortedWalker::SortedWalker(synapse::Storage& storage, std::string base, bool recursive,
                           Classifier classify)
    : storage_(storage),
      base_(std::move(base)),
      recursive_(recursive),
      classify_(std::move(classify)) {
  push("");
}

void SortedWalker::push(std::string relative) {
  Frame frame;
  frame.relative = std::move(relative);
  auto lister = storage_.list(join_path(base_, frame.relative), /*recursive=*/false);
  std::vector<synapse::SkippedEntry> skipped_here;
  while (auto info = lister->next()) {
    if (info->is_directory && !recursive_) {
      continue;
    }
    if (info->is_directory && info->is_link) {
      // Not descended into: a link to an ancestor would walk the same files again and again.
      skipped_here.push_back({info->path, skip_reason::kSymlinkedFolder});
      continue;
    }
    const std::string_view name = base_name(info->path);
    if (name.empty() || name.size() > std::numeric_limits<std::uint32_t>::max()) {
      continue;
    }
    Entry entry;
    entry.offset = frame.names.size();
    entry.length = static_cast<std::uint32_t>(name.size());
    entry.directory = info->is_directory;
    if (!entry.directory) {
      const Classified c = classify_(name);
      entry.key_length = static_cast<std::uint32_t>(std::min(c.key_length, name.size()));
      entry.tag = c.tag;
    } else {
      entry.key_length = entry.length;
    }
    frame.names.append(name);
    frame.entries.push_back(entry);
  }
  for (auto& skipped : lister->take_skipped()) {
    skipped_here.push_back(std::move(skipped));
  }
  std::sort(skipped_here.begin(), skipped_here.end(),  // listing order varies: name order
            [](const auto& x, const auto& y) { return x.path < y.path; });
  for (auto& skipped : skipped_here) {
    if (++skipped_count_ <= kSkippedExamples) {
      skipped_examples_.push_back(std::move(skipped));
    }
  }
  frame.entries.shrink_to_fit();
  frame.names.shrink_to_fit();
  const std::string& names = frame.names;
  std::sort(frame.entries.begin(), frame.entries.end(), [&names](const Entry& x, const Entry& y) {
    const std::string_view xk(names.data() + x.offset, x.key_length);
    const std::string_view yk(names.data() + y.offset, y.key_length);
    if (const int c = compare_keys(xk, x.directory, yk, y.directory); c != 0) {
      return c < 0;
    }
    // Same key (1.jpg and 1.png): name order, so duplicates resolve the same way every run.
    return std::string_view(names.data() + x.offset, x.length) <
           std::string_view(names.data() + y.offset, y.length);
  });
  stack_.push_back(std::move(frame));
}

bool SortedWalker::next(WalkItem& out) {
  while (!stack_.empty()) {
    Frame& frame = stack_.back();
    if (frame.position == frame.entries.size()) {
      stack_.pop_back();
      continue;
    }
    const Entry entry = frame.entries[frame.position++];
    const std::string_view name(frame.names.data() + entry.offset, entry.length);
    if (entry.directory) {
      push(join_path(frame.relative, name));  // invalidates `frame`
      continue;
    }
    out.key = frame.relative.empty() ? std::string() : frame.relative + "/";
    out.key.append(name.substr(0, entry.key_length));
    out.path = join_path(join_path(base_, frame.relative), name);
    out.tag = entry.tag;
    return true;
  }
  return false;
}

}  // namespace synapse::runtime::upload::detail

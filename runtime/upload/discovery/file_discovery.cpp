#include "upload/discovery/file_discovery.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "common/text.hpp"
#include "upload/discovery/sorted_walker.hpp"

namespace synapse::runtime::upload {

namespace {

using detail::Classified;
using detail::join_path;
using detail::SortedWalker;
using detail::WalkItem;

constexpr std::size_t kRootExamples = 5;

// Python's Path.stem: cut the last suffix, a leading dot not counting as one.
std::size_t last_suffix_stem(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? name.size() : dot;
}

// The stem length when `extensions` accept the name (longest listed match wins), else nullopt.
std::optional<std::size_t> accepted_stem(std::string_view name,
                                         const std::vector<std::string>& extensions) {
  if (extensions.empty()) {
    return last_suffix_stem(name);
  }
  std::optional<std::size_t> best;
  for (const auto& ext : extensions) {
    // The stem must keep at least one character: ".jpg" alone is a hidden file, not a JPEG.
    if (name.size() > ext.size() && ends_with_ci(name, ext) &&
        (!best || name.size() - ext.size() < *best)) {
      best = name.size() - ext.size();
    }
  }
  return best;
}

std::string quoted_root(const std::string& root) {
  return root.empty() ? "the storage root" : "\"" + root + "\"";
}

// The first few entry names of `root` in name order, for error messages. Reads the whole
// listing once but keeps only kRootExamples names.
std::string root_entries(synapse::Storage& storage, const std::string& root) {
  std::set<std::string> first;
  std::size_t total = 0;
  auto lister = storage.list(root, false);
  while (auto info = lister->next()) {
    ++total;
    auto name = info->path.substr(info->path.rfind('/') + 1) + (info->is_directory ? "/" : "");
    first.insert(std::move(name));
    if (first.size() > kRootExamples) {
      first.erase(std::prev(first.end()));
    }
  }
  std::string out = join({first.begin(), first.end()});
  if (total > first.size()) {
    out += " (and " + std::to_string(total - first.size()) + " more)";
  }
  return out;
}

std::string normalized_root(const std::string& root) {
  std::string out = root;
  while (!out.empty() && out.front() == '/') {
    out.erase(out.begin());
  }
  while (!out.empty() && out.back() == '/') {
    out.pop_back();
  }
  return out;
}

// Checks the root exists and is not empty; names the storage provider in the error.
void check_root(synapse::Storage& storage, const std::string& root,
                const std::vector<synapse::FileSpecification>& specs, const std::string& expect) {
  if (specs.empty()) {
    throw DiscoveryError("upload discovery: no file specifications given");
  }
  const auto info = storage.stat(root);
  if (!info || !info->is_directory) {
    throw DiscoveryError("upload discovery: root " + quoted_root(root) +
                         " is not a folder in the " + storage.provider() + " storage" +
                         (info ? "" : " (it does not exist)") + "; expected it to contain " +
                         expect);
  }
  auto lister = storage.list(root, false);
  if (!lister->next()) {
    // "Empty" would mislead when the folder holds only entries the listing left out.
    std::vector<std::string> left_out;
    for (const auto& skipped : lister->take_skipped()) {
      left_out.push_back(skipped.path + ": " + skipped.reason);
    }
    throw DiscoveryError(
        "upload discovery: root " + quoted_root(root) +
        (left_out.empty() ? " is empty"
                          : " holds nothing that can be uploaded (" + join(left_out, "; ") + ")") +
        "; expected it to contain " + expect);
  }
}

void reset(DiscoveryReport& report, const std::string& strategy, const std::string& root,
           const std::vector<synapse::FileSpecification>& specs) {
  report = DiscoveryReport{};
  report.strategy = strategy;
  report.root = root;
  for (const auto& spec : specs) {
    report.specs.push_back({spec.name, "", false, spec.is_required, spec.extensions, 0});
  }
}

// One sorted stream of files (a spec folder, or the root for by_extension) and its head.
struct Stream {
  SortedWalker walker;
  WalkItem head;
  bool live = false;
  std::string reject_reason;  // for a file whose extension no spec of the stream accepts
};

// A warning naming the entries the storage left out of the listings (a symlink leading out of
// the storage root, ...): they are not uploaded, and the user should hear why.
void report_skipped(const std::vector<Stream>& streams, DiscoveryReport& report) {
  std::size_t count = 0;
  std::vector<std::string> examples;
  for (const auto& s : streams) {
    count += s.walker.skipped_count();
    for (const auto& skipped : s.walker.skipped_examples()) {
      if (examples.size() < SortedWalker::kSkippedExamples) {
        examples.push_back(skipped.path + ": " + skipped.reason);
      }
    }
  }
  if (count == 0) {
    return;
  }
  std::string warning = std::to_string(count) + " entr" + (count == 1 ? "y" : "ies") +
                        " not uploaded (" + join(examples, "; ");
  if (count > examples.size()) {
    warning += "; and " + std::to_string(count - examples.size()) + " more";
  }
  report.warnings.push_back(warning + ")");
}

// Merges the streams by key and emits each complete unit (one lacking a required spec is
// reported instead). `strip_slash`: keys are "<folder>/" (group_by folder); "" is the root.
void merge(std::vector<Stream>& streams, const std::vector<synapse::FileSpecification>& specs,
           const DiscoveryOptions& options, const UnitCallback& on_unit, DiscoveryReport& report,
           bool strip_slash) {
  const auto unmatched = [&](const std::string& path, std::string reason) {
    ++report.unmatched_files;
    if (report.unmatched_examples.size() < options.max_examples) {
      report.unmatched_examples.push_back({path, std::move(reason)});
    }
  };
  const auto advance = [&](Stream& s) {
    while ((s.live = s.walker.next(s.head))) {
      if (s.head.tag < 0) {
        unmatched(s.head.path, s.reject_reason);
        continue;
      }
      if (strip_slash && s.head.key.empty()) {
        unmatched(s.head.path, "directly under the root: group_by folder needs a sub-folder");
        continue;
      }
      ++report.specs[static_cast<std::size_t>(s.head.tag)].files;
      return;
    }
  };
  for (auto& s : streams) {
    advance(s);
  }
  for (;;) {
    const std::string* min = nullptr;
    for (const auto& s : streams) {
      if (s.live && (min == nullptr || s.head.key < *min)) {
        min = &s.head.key;
      }
    }
    if (min == nullptr) {
      report_skipped(streams, report);
      return;
    }
    OrganizedUnit unit;
    unit.key = *min;  // copied: advancing overwrites the head
    for (auto& s : streams) {
      while (s.live && s.head.key == unit.key) {
        const auto& spec = specs[static_cast<std::size_t>(s.head.tag)].name;
        if (const auto it = unit.files.find(spec); it != unit.files.end()) {
          ++report.duplicate_files;
          if (report.duplicate_examples.size() < options.max_examples) {
            report.duplicate_examples.push_back({unit.key, spec, it->second, s.head.path});
          }
        } else {
          unit.files.emplace(spec, s.head.path);
        }
        advance(s);
      }
    }
    if (strip_slash) {
      unit.key.pop_back();
    }
    MissingRequired missing{unit.key, {}};
    for (const auto& spec : specs) {
      if (spec.is_required && !unit.files.contains(spec.name)) {
        missing.missing.push_back(spec.name);
      }
    }
    if (!missing.missing.empty()) {
      ++report.units_missing_required;
      if (report.missing_required_examples.size() < options.max_examples) {
        report.missing_required_examples.push_back(std::move(missing));
      }
      continue;
    }
    ++report.units;
    on_unit(std::move(unit));
  }
}

// flat and recursive: one stream per <root>/<spec name> folder.
class FolderDiscovery : public FileDiscovery {
 public:
  explicit FolderDiscovery(bool recursive) : recursive_(recursive) {}
  std::string name() const override { return recursive_ ? "recursive" : "flat"; }

  void discover(synapse::Storage& storage, const std::string& root_in,
                const std::vector<synapse::FileSpecification>& specs,
                const DiscoveryOptions& options, const UnitCallback& on_unit,
                DiscoveryReport& report) override {
    const std::string root = normalized_root(root_in);
    reset(report, name(), root, specs);
    std::vector<std::string> names;
    for (const auto& spec : specs) {
      // Exact folder names only: a spec name is one path component.
      if (spec.name.empty() || spec.name.find('/') != std::string::npos || spec.name == "." ||
          spec.name == "..") {
        throw DiscoveryError("upload discovery: spec name \"" + spec.name +
                             "\" cannot be a folder name");
      }
      names.push_back(spec.name + "/");
    }
    const std::string expect = "one folder per spec: " + join(names);
    check_root(storage, root, specs, expect);

    std::vector<Stream> streams;
    std::vector<std::string> missing_required;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      auto& entry = report.specs[i];
      entry.source = join_path(root, specs[i].name);
      const auto info = storage.stat(entry.source);
      entry.found = info && info->is_directory;
      if (!entry.found) {
        if (specs[i].is_required) {
          missing_required.push_back(names[i]);
        } else {
          report.warnings.push_back("optional spec folder \"" + entry.source + "\" not found");
        }
        continue;
      }
      const auto& extensions = specs[i].extensions;
      const int tag = static_cast<int>(i);
      streams.push_back(
          {SortedWalker(storage, entry.source, recursive_,
                        [&extensions, tag](std::string_view file) {
                          const auto stem = accepted_stem(file, extensions);
                          return stem ? Classified{*stem, tag} : Classified{file.size(), -1};
                        }),
           {},
           false,
           "extension not accepted by spec \"" + specs[i].name + "\" (" + join(extensions) + ")"});
    }
    if (streams.empty()) {
      throw DiscoveryError("upload discovery: none of the spec folders (" + join(names) +
                           ") exists under " + quoted_root(root) +
                           "; found: " + root_entries(storage, root));
    }
    if (!missing_required.empty()) {
      throw DiscoveryError("upload discovery: required spec folder(s) " + join(missing_required) +
                           " missing under " + quoted_root(root) +
                           "; found: " + root_entries(storage, root));
    }
    merge(streams, specs, options, on_unit, report, false);
  }

 private:
  bool recursive_;
};

// by_extension: one stream over root, each file's spec chosen by its extension.
class ExtensionDiscovery : public FileDiscovery {
 public:
  std::string name() const override { return "by_extension"; }

  void discover(synapse::Storage& storage, const std::string& root_in,
                const std::vector<synapse::FileSpecification>& specs,
                const DiscoveryOptions& options, const UnitCallback& on_unit,
                DiscoveryReport& report) override {
    const std::string root = normalized_root(root_in);
    reset(report, name(), root, specs);
    // Reported up front: with a shared or missing extension the spec of a file is a guess.
    std::map<std::string, std::string> owner;  // extension -> spec
    std::vector<std::string> all;
    for (const auto& spec : specs) {
      if (spec.extensions.empty()) {
        throw DiscoveryError(
            "upload discovery: by_extension needs extensions for every spec; "
            "spec \"" +
            spec.name + "\" lists none");
      }
      for (const auto& ext : spec.extensions) {
        const auto [it, inserted] = owner.emplace(ext, spec.name);
        if (!inserted) {
          throw DiscoveryError("upload discovery: by_extension: extension \"" + ext +
                               "\" is ambiguous: specs \"" + it->second + "\" and \"" + spec.name +
                               "\" both accept it");
        }
        all.push_back(ext);
      }
    }
    check_root(storage, root, specs, "files with the extensions " + join(all));
    for (auto& entry : report.specs) {
      entry.source = root;
      entry.found = true;
    }
    const bool folder = options.group_by == GroupBy::folder;
    const auto classify = [&specs, folder](std::string_view file) {
      Classified best{file.size(), -1};
      std::size_t best_stem = file.size() + 1;
      for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto stem = accepted_stem(file, specs[i].extensions);
        if (stem && *stem < best_stem) {  // longest extension wins (".tar.gz" over ".gz")
          best_stem = *stem;
          best = {folder ? 0 : *stem, static_cast<int>(i)};
        }
      }
      return best;
    };
    std::vector<Stream> streams;
    streams.push_back({SortedWalker(storage, root, options.recursive || folder, classify),
                       {},
                       false,
                       "extension accepted by no spec (" + join(all) + ")"});
    merge(streams, specs, options, on_unit, report, folder);
  }
};

}  // namespace

void discover_assets(const std::vector<AssetSource>& sources,
                     const std::vector<synapse::FileSpecification>& specs,
                     const DiscoveryOptions& options, const UnitCallback& on_unit,
                     DiscoveryReport& report) {
  reset(report, "multi_path", "", specs);
  std::vector<Stream> streams;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    auto& entry = report.specs[i];
    const auto source = std::find_if(sources.begin(), sources.end(),
                                     [&](const AssetSource& a) { return a.spec == specs[i].name; });
    if (source == sources.end()) {
      if (specs[i].is_required) {
        problems.push_back("required spec \"" + specs[i].name + "\" has no entry in assets");
      }
      continue;
    }
    entry.source = normalized_root(source->path);
    if (source->storage == nullptr)
      continue;  // reported below
    const auto info = source->storage->stat(entry.source);
    entry.found = info && info->is_directory;
    if (!entry.found) {
      problems.push_back("assets." + specs[i].name + ".path " + quoted_root(entry.source) +
                         " is not a folder in the " + source->storage->provider() + " storage" +
                         (info ? "" : " (it does not exist)"));
      continue;
    }
    const auto& extensions = specs[i].extensions;
    const int tag = static_cast<int>(i);
    streams.push_back(
        {SortedWalker(*source->storage, entry.source, source->recursive,
                      [&extensions, tag](std::string_view file) {
                        const auto stem = accepted_stem(file, extensions);
                        return stem ? Classified{*stem, tag} : Classified{file.size(), -1};
                      }),
         {},
         false,
         "extension not accepted by spec \"" + specs[i].name + "\" (" + join(extensions) + ")"});
  }
  std::set<std::string> seen;
  for (const auto& source : sources) {
    if (source.storage == nullptr)
      problems.push_back("assets." + source.spec + " has no storage");
    if (!seen.insert(source.spec).second)
      problems.push_back("assets." + source.spec + " is given twice");
    if (std::none_of(specs.begin(), specs.end(),
                     [&](const synapse::FileSpecification& s) { return s.name == source.spec; })) {
      problems.push_back("assets." + source.spec +
                         " names no file specification of the collection");
    }
  }
  if (!problems.empty()) {
    std::string text;
    for (const auto& p : problems) {
      text += (text.empty() ? "" : "; ") + p;
    }
    throw DiscoveryError("upload discovery (multi-path): " + text);
  }
  merge(streams, specs, options, on_unit, report, false);
}

std::unique_ptr<FileDiscovery> make_file_discovery(const std::string& name) {
  if (name == "flat") {
    return std::make_unique<FolderDiscovery>(false);
  }
  if (name == "recursive") {
    return std::make_unique<FolderDiscovery>(true);
  }
  if (name == "by_extension") {
    return std::make_unique<ExtensionDiscovery>();
  }
  throw DiscoveryError("upload discovery: unknown strategy \"" + name +
                       "\"; known: flat, recursive, by_extension");
}

}  // namespace synapse::runtime::upload

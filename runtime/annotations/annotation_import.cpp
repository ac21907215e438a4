#include "annotations/annotation_import.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>

#include "annotations/annotation_document.hpp"
#include "annotations/annotation_writer.hpp"
#include "annotations/chunk_pipeline.hpp"
#include "annotations/unit_resolver.hpp"
#include "common/runtime_error.hpp"
#include "common/text.hpp"

namespace synapse::runtime::annotations {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void bad_options(const std::string& message) {
  throw RuntimeError(ExitCode::usage, "annotations.bad_options", message);
}

// Reads the whole file into `out` (reused between files: no allocation per file once it is
// large enough). Returns "" or why it failed.
std::string read_whole(const fs::path& file, std::string& out) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::strerror(errno);
  struct stat info {};
  std::string error;
  if (::fstat(fd, &info) != 0) {
    error = std::strerror(errno);
  } else {
    // The size is a hint: a file that grows while read is read to its end all the same.
    out.resize(static_cast<std::size_t>(info.st_size) + 1);
    std::size_t used = 0;
    for (;;) {
      if (used == out.size())
        out.resize(out.size() * 2);
      const ssize_t n = ::read(fd, out.data() + used, out.size() - used);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0) {
        error = std::strerror(errno);
        break;
      }
      if (n == 0)
        break;
      used += static_cast<std::size_t>(n);
    }
    out.resize(used);
  }
  ::close(fd);
  return error;
}

std::uint64_t content_hash(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}

void check_options(Catalog& catalog, const ImportOptions& options) {
  catalog.get_data_collection(options.collection_id);  // not_found names it
  const bool ground_truth = options.target == ImportTarget::ground_truth;
  if (!ground_truth && !options.project_id) {
    bad_options(std::string("target ") + target_name(options.target) +
                " needs a project (--project): the " + target_name(options.target) +
                "s belong to one");
  }
  if (ground_truth && options.dataset_version.empty())
    bad_options("target ground_truth needs a dataset version (--version)");
  if (!ground_truth && !options.dataset_version.empty()) {
    bad_options(std::string("a dataset version (--version) is for target ground_truth only, not ") +
                target_name(options.target));
  }
  if (options.project_id) {
    const Project project = catalog.get_project(*options.project_id);  // not_found names it
    // Annotations of this collection's units in a project of another collection make no sense
    // (the upload refuses the same pairing).
    if (project.collection_id && *project.collection_id != options.collection_id) {
      bad_options("project " + std::to_string(project.id) + " belongs to data collection " +
                  std::to_string(*project.collection_id) + ", not " +
                  std::to_string(options.collection_id));
    }
  }
}

}  // namespace

const char* target_name(ImportTarget target) {
  switch (target) {
    case ImportTarget::task:
      return "task";
    case ImportTarget::assignment:
      return "assignment";
    case ImportTarget::ground_truth:
      return "ground_truth";
  }
  return "task";
}

std::optional<ImportTarget> parse_target(std::string_view name) {
  for (auto target : {ImportTarget::task, ImportTarget::assignment, ImportTarget::ground_truth}) {
    if (name == target_name(target))
      return target;
  }
  return std::nullopt;
}

std::vector<fs::path> list_annotation_files(const std::vector<fs::path>& inputs) {
  std::vector<fs::path> files;
  std::vector<std::string> problems;
  for (const auto& input : inputs) {
    std::error_code error;
    const auto status = fs::status(input, error);
    if (status.type() == fs::file_type::not_found || error) {
      problems.push_back(input.string() + ": " +
                         (status.type() == fs::file_type::not_found ? "no such file or directory"
                                                                    : error.message()));
      continue;
    }
    if (!fs::is_directory(status)) {
      files.push_back(input);
      continue;
    }
    std::vector<fs::path> found;
    for (fs::recursive_directory_iterator it(input, error), end; !error && it != end;
         it.increment(error)) {
      if (ends_with_ci(it->path().filename().string(), ".json") && it->is_regular_file(error))
        found.push_back(it->path());
    }
    if (error) {
      problems.push_back(input.string() + ": cannot list the folder: " + error.message());
      continue;
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), std::make_move_iterator(found.begin()),
                 std::make_move_iterator(found.end()));
  }
  if (!problems.empty()) {
    throw RuntimeError(ExitCode::usage, "annotations.no_input",
                       std::to_string(problems.size()) + " input(s) cannot be read", problems);
  }
  return files;
}

ImportSummary import_annotations(Catalog& catalog, const ImportOptions& options) {
  check_options(catalog, options);
  const std::vector<fs::path> files = list_annotation_files(options.inputs);
  ImportSummary summary;
  summary.files = files.size();
  const std::size_t chunk = std::max<std::size_t>(options.batch_size, 1);

  // 1. Check every file (worker threads) and resolve its unit (here, in batches); keep a unit
  // id, a hash and what the stored text leaves out (usually nothing) per file.
  std::vector<CatalogId> units(files.size(), 0);
  std::vector<std::uint64_t> hashes(files.size(), 0);
  std::vector<ByteRanges> left_out(files.size());
  std::vector<FileProblem> problems;
  UnitResolver resolver(catalog, options.collection_id, options.batch_size, files, units, problems);
  struct CheckedFile {
    std::string read_error;
    CheckedDocument doc;
    std::uint64_t hash = 0;
  };
  auto check_chunk = [&files](std::size_t begin, std::size_t end) {
    std::vector<CheckedFile> out(end - begin);
    DocumentChecker checker;
    std::string text;
    for (std::size_t i = begin; i < end; ++i) {
      auto& file = out[i - begin];
      file.read_error = read_whole(files[i], text);
      if (!file.read_error.empty())
        continue;
      file.doc = checker.check(text);
      file.hash = content_hash(text);
    }
    return out;
  };
  std::size_t i = 0;
  run_in_chunks(files.size(), chunk, check_chunk, [&](std::vector<CheckedFile> checked) {
    for (auto& file : checked) {
      auto& doc = file.doc;
      if (!file.read_error.empty()) {
        problems.push_back({i, Problem{"", "cannot read: " + file.read_error}});
      } else if (!doc.problems.empty() || doc.problems_not_kept != 0) {
        for (auto& problem : doc.problems)
          problems.push_back({i, std::move(problem)});
        if (doc.problems_not_kept != 0) {
          problems.push_back({i, Problem{"", "and " + std::to_string(doc.problems_not_kept) +
                                                 " more problem(s) in this file"}});
        }
      } else {
        hashes[i] = file.hash;
        left_out[i] = std::move(doc.left_out);
        resolver.add(
            i, doc.unit ? std::move(*doc.unit)
                        : DataUnitKey{DataUnitKey::Kind::file_stem, 0, files[i].stem().string()});
      }
      ++i;
    }
  });
  resolver.flush();
  if (!problems.empty()) {
    // Document problems come at once, unit problems a batch later: list them by file.
    std::stable_sort(problems.begin(), problems.end(),
                     [](const FileProblem& a, const FileProblem& b) { return a.file < b.file; });
    std::vector<std::string> lines;
    lines.reserve(problems.size());
    std::size_t bad_files = 0;
    for (std::size_t k = 0; k < problems.size(); ++k) {
      if (k == 0 || problems[k].file != problems[k - 1].file)
        ++bad_files;
      lines.push_back(describe(files[problems[k].file].string(), problems[k].problem));
    }
    throw RuntimeError(ExitCode::usage, "annotations.invalid",
                       std::to_string(problems.size()) + " problem(s) in " +
                           std::to_string(bad_files) + " of " + std::to_string(files.size()) +
                           " annotation file(s); nothing was imported",
                       std::move(lines));
  }
  if (options.dry_run) {
    summary.data_units = files.size();
    return summary;
  }

  // 2. Write: the files are read again and compacted (worker threads) and written in batches
  // (here), so memory stays at a few chunks. The text is the one checked (same hash), so it is
  // not checked again.
  struct StoredChunk {
    std::vector<std::string> texts;  // up to the first file that changed, if any
    std::string why;                 // how that file changed; "" when none did
  };
  auto store_chunk = [&](std::size_t begin, std::size_t end) {
    StoredChunk out;
    out.texts.reserve(end - begin);
    std::string text;
    for (std::size_t k = begin; k < end; ++k) {
      const auto error = read_whole(files[k], text);
      if (!error.empty() || content_hash(text) != hashes[k]) {
        out.why =
            error.empty() ? "its content differs from the checked one" : "cannot read: " + error;
        break;
      }
      out.texts.push_back(stored_annotation(text, left_out[k]));
    }
    return out;
  };
  AnnotationWriter writer(catalog, options, summary);
  std::size_t written = 0;
  run_in_chunks(files.size(), chunk, store_chunk, [&](StoredChunk stored) {
    for (auto& text : stored.texts)
      writer.add(units[written++], std::move(text));
    if (!stored.why.empty()) {
      writer.flush();
      throw RuntimeError(ExitCode::action_failed, "annotations.changed",
                         files[written].string() + " changed while it was imported (" + stored.why +
                             "); " + std::to_string(summary.data_units) +
                             " annotation(s) were written before it: run the import again");
    }
  });
  writer.flush();
  return summary;
}

}  // namespace synapse::runtime::annotations

#include "admin/file_replacement.hpp"

#include <system_error>

namespace synapse::runtime {

namespace fs = std::filesystem;

namespace {

// What one file's replacement changed, to be undone in reverse order.
struct Step {
  fs::path target;
  std::vector<fs::path> made_folders;  // outermost first
  fs::path set_aside;                  // the previous file, when there was one
  bool placed = false;                 // the new file is at `target`
};

// Best effort: every undo is tried even when one fails; false when any did.
bool undo(std::vector<Step>& steps) {
  bool all = true;
  for (auto step = steps.rbegin(); step != steps.rend(); ++step) {
    std::error_code ec;
    if (step->placed) {
      fs::remove(step->target, ec);
      all = all && !ec;
    }
    if (!step->set_aside.empty()) {
      fs::rename(step->set_aside, step->target, ec);
      all = all && !ec;
    }
    for (auto folder = step->made_folders.rbegin(); folder != step->made_folders.rend(); ++folder) {
      fs::remove(*folder, ec);  // only removes it empty
      all = all && !ec;
    }
  }
  return all;
}

bool exists_no_follow(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

}  // namespace

std::vector<std::string> replacement_conflicts(const fs::path& into,
                                               const std::vector<std::string>& relative) {
  std::vector<std::string> conflicts;
  for (const auto& name : relative) {
    const fs::path target = into / name;
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(target, ec)))
      conflicts.push_back(target.string() + " is a folder; the template has a file there");
    for (fs::path folder = target.parent_path(); folder != into && folder.has_relative_path();
         folder = folder.parent_path()) {
      const auto status = fs::status(folder, ec);
      if (fs::exists(status) && !fs::is_directory(status)) {
        conflicts.push_back(folder.string() + " is a file; the template has a folder there");
        break;
      }
    }
  }
  return conflicts;
}

void replace_files(const fs::path& from, const fs::path& into,
                   const std::vector<std::string>& relative, const fs::path& aside) {
  std::vector<Step> steps;
  steps.reserve(relative.size());
  const auto fail = [&](const fs::path& path, const std::error_code& ec) {
    const bool restored = undo(steps);
    throw ReplaceFilesError(path, ec.message(), restored);
  };
  for (const auto& name : relative) {
    Step& step = steps.emplace_back();
    step.target = into / name;
    std::error_code ec;
    std::vector<fs::path> missing;
    for (fs::path folder = step.target.parent_path(); !exists_no_follow(folder);
         folder = folder.parent_path()) {
      missing.insert(missing.begin(), folder);
    }
    for (const auto& folder : missing) {
      const bool made = fs::create_directory(folder, ec);
      if (ec)
        fail(folder, ec);
      if (made)  // not one that appeared meanwhile: undo removes only what this call made
        step.made_folders.push_back(folder);
    }
    if (exists_no_follow(step.target)) {
      const fs::path saved = aside / name;
      fs::create_directories(saved.parent_path(), ec);
      if (ec)
        fail(saved.parent_path(), ec);
      fs::rename(step.target, saved, ec);
      if (ec)
        fail(step.target, ec);
      step.set_aside = saved;
    }
    fs::rename(from / name, step.target, ec);
    if (ec)
      fail(step.target, ec);
    step.placed = true;
  }
}

}  // namespace synapse::runtime

// Moving a set of finished files into an existing folder, all or nothing: `plugin new --force`
// writes a template's files into a project that already has some of them, and a failure half
// way (a read-only sub-folder, a full disk) must not leave it half old, half new.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace synapse::runtime {

// A step of replace_files failed; `restored` says whether the folder was put back as it was.
class ReplaceFilesError : public std::runtime_error {
 public:
  ReplaceFilesError(std::filesystem::path path, const std::string& why, bool restored)
      : std::runtime_error(path.string() + ": " + why),
        path_(std::move(path)),
        restored_(restored) {}
  const std::filesystem::path& path() const { return path_; }
  bool restored() const { return restored_; }

 private:
  std::filesystem::path path_;
  bool restored_;
};

// The places in `into` where a file of `relative` cannot go (a folder holds its name, or a
// file holds the name of one of its folders), as "<path> is a folder" lines; empty when all can.
std::vector<std::string> replacement_conflicts(const std::filesystem::path& into,
                                               const std::vector<std::string>& relative);

// Renames every `from`/<relative> to `into`/<relative>, creating missing folders. A file already
// at the target is first renamed to `aside`/<relative> (a folder on the same file system, e.g.
// beside the staging folder). If any step fails, the steps done are undone in reverse order —
// new files removed, the files set aside renamed back, the folders made removed — and
// ReplaceFilesError names the path that failed. On success the old files stay in `aside` for
// the caller to delete. Check replacement_conflicts() first: a folder in a file's place is an
// error, not something to set aside.
void replace_files(const std::filesystem::path& from, const std::filesystem::path& into,
                   const std::vector<std::string>& relative, const std::filesystem::path& aside);

}  // namespace synapse::runtime

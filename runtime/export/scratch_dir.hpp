// A private local folder for one export's scratch files (the error list being built, whatever an
// exporter assembles in ExportContext::scratch_dir()); removed with everything in it when the
// object goes, also when the export fails.
//
// The system's temporary folder is often on the file system the export writes to; emptying the
// folder before the export's one sync keeps that sync from writing scratch files to the disk
// (export-coco's are about as large as its instances.json).
#pragma once

#include <filesystem>

namespace synapse::runtime::exports {

class ScratchDir {
 public:
  // A new folder "synapse-export-XXXXXX" in the system's temporary folder. Throws
  // std::filesystem::filesystem_error when it cannot be made.
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Removes what is in the folder, best effort (the folder stays).
  static void empty(const std::filesystem::path& folder);

 private:
  std::filesystem::path path_;
};

}  // namespace synapse::runtime::exports

// A private local folder for one export's scratch files (the error list being built, whatever an
// exporter assembles in ExportContext::scratch_dir()); removed with everything in it when the
// object goes, also when the export fails.
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

 private:
  std::filesystem::path path_;
};

}  // namespace synapse::runtime::exports

#include "export/scratch_dir.hpp"

#include <stdlib.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace synapse::runtime::exports {

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "synapse-export-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::filesystem::filesystem_error("cannot create the export's scratch folder", pattern,
                                            std::error_code(errno, std::generic_category()));
  }
  path_ = pattern;
}

void ScratchDir::empty(const std::filesystem::path& folder) {
  std::error_code ignored;  // best effort, as the destructor: only the sync's work is at stake
  for (std::filesystem::directory_iterator it(folder, ignored), end; !ignored && it != end;
       it.increment(ignored)) {
    std::error_code also_ignored;
    std::filesystem::remove_all(it->path(), also_ignored);
  }
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;  // best effort: a leftover in /tmp must not turn success into failure
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace synapse::runtime::exports

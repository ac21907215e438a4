#include "storage/sftp/sftp_lister.hpp"

#include <utility>
#include <vector>

#include "storage/sftp/sftp_paths.hpp"
#include "storage/sftp/sftp_resolver.hpp"
#include "storage/sftp/sftp_streams.hpp"
#include "storage/skipped_entries.hpp"

namespace synapse::runtime::sftp {
namespace {

using Kind = StorageError::Kind;

struct OpenFolder {
  sftp_dir handle;
  std::string absolute;
  std::string relative;
};

sftp_dir open_folder(SftpConnection& connection, const std::string& absolute,
                     const std::string& relative) {
  sftp_dir handle = sftp_opendir(connection.sftp(), absolute.c_str());
  if (handle == nullptr) {
    connection.fail("cannot list the folder", relative);
  }
  return handle;
}

class SftpLister : public ObjectLister {
 public:
  SftpLister(std::shared_ptr<SftpConnection> connection, OpenFolder top, bool recursive)
      : connection_(std::move(connection)), recursive_(recursive) {
    stack_.push_back(std::move(top));
  }

  ~SftpLister() override {
    auto lock = connection_->lock();
    for (OpenFolder& folder : stack_) {
      sftp_closedir(folder.handle);
    }
  }

  std::optional<ObjectInfo> next() override {
    auto lock = connection_->lock();
    while (!stack_.empty()) {
      OpenFolder& folder = stack_.back();
      Attributes entry(sftp_readdir(connection_->sftp(), folder.handle));
      if (!entry) {
        if (sftp_dir_eof(folder.handle) == 0) {
          connection_->fail("cannot list the folder", folder.relative);
        }
        sftp_closedir(folder.handle);
        stack_.pop_back();
        continue;
      }
      std::optional<ObjectInfo> info = describe_entry(folder, *entry);
      if (info) {
        return info;
      }
    }
    return std::nullopt;
  }

  std::vector<SkippedEntry> take_skipped() override { return std::exchange(skipped_, {}); }

 private:
  // The entry as the caller sees it, nullopt to skip it (and maybe descend into it).
  std::optional<ObjectInfo> describe_entry(const OpenFolder& folder,
                                           const sftp_attributes_struct& entry) {
    const std::string name = entry.name != nullptr ? entry.name : "";
    if (name.empty() || name == "." || name == ".." ||
        name.find(kTemporaryMarker) != std::string::npos) {
      return std::nullopt;
    }
    const std::string relative = folder.relative.empty() ? name : folder.relative + "/" + name;
    const std::string absolute = join(folder.absolute, name);
    if (entry.type == SSH_FILEXFER_TYPE_SYMLINK) {
      return describe_symlink(absolute, relative);
    }
    if (entry.type == SSH_FILEXFER_TYPE_DIRECTORY && recursive_) {
      stack_.push_back({open_folder(*connection_, absolute, relative), absolute, relative});
      return std::nullopt;
    }
    return to_object_info(relative, entry);
  }

  // readdir reports the link itself; callers want what it points to, and only when that is
  // inside the root (stat/open_read would refuse the rest with path_escape).
  std::optional<ObjectInfo> describe_symlink(const std::string& absolute,
                                             const std::string& relative) {
    char* target = sftp_canonicalize_path(connection_->sftp(), absolute.c_str());
    if (target == nullptr) {
      skipped_.push_back({relative, skip_reason::kSymlinkToNothing});
      return std::nullopt;
    }
    bool inside = is_within(connection_->root(), target);
    ssh_string_free_char(target);
    if (!inside) {
      skipped_.push_back({relative, skip_reason::kSymlinkOutOfRoot});
      return std::nullopt;
    }
    Attributes attributes(sftp_stat(connection_->sftp(), absolute.c_str()));
    if (!attributes) {
      skipped_.push_back({relative, skip_reason::kSymlinkToNothing});
      return std::nullopt;
    }
    if (recursive_ && attributes->type == SSH_FILEXFER_TYPE_DIRECTORY) {
      skipped_.push_back({relative, skip_reason::kSymlinkedFolder});
      return std::nullopt;
    }
    ObjectInfo info = to_object_info(relative, *attributes);
    info.is_link = true;
    return info;
  }

  std::shared_ptr<SftpConnection> connection_;
  bool recursive_;
  std::vector<OpenFolder> stack_;  // depth-first: the deepest open folder is at the back
  std::vector<SkippedEntry> skipped_;
};

}  // namespace

std::unique_ptr<ObjectLister> open_lister(std::shared_ptr<SftpConnection> connection,
                                          const std::string& absolute, const std::string& relative,
                                          bool recursive) {
  Attributes attributes = stat_or_null(*connection, absolute, relative);
  if (!attributes) {
    throw StorageError(Kind::not_found,
                       where(*connection, relative) + ": the folder does not exist");
  }
  if (attributes->type != SSH_FILEXFER_TYPE_DIRECTORY) {
    throw StorageError(Kind::io, where(*connection, relative) + ": is not a folder");
  }
  OpenFolder top{open_folder(*connection, absolute, relative), absolute, relative};
  return std::make_unique<SftpLister>(std::move(connection), std::move(top), recursive);
}

}  // namespace synapse::runtime::sftp

// From a storage path to a server path that is provably inside the root: lexical checks
// first (sftp_paths.hpp), then the server's own realpath (sftp_canonicalize_path) so a symlink
// pointing out of root_path is refused too. Every function expects the caller to hold the
// connection's lock.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <libssh/sftp.h>
#include <synapse/storage.hpp>

#include "storage/sftp/ssh_session.hpp"

namespace synapse::runtime::sftp {

struct AttributesDeleter {
  void operator()(sftp_attributes attributes) const { sftp_attributes_free(attributes); }
};
using Attributes = std::unique_ptr<std::remove_pointer_t<sftp_attributes>, AttributesDeleter>;

struct Resolved {
  std::string relative;  // normalised storage path ("" = the root)
  std::string absolute;  // server path: symlinks resolved when it exists, else root + relative
  bool exists = false;
};

// Throws path_escape when `path` leaves the root lexically or through a symlink; other server
// errors as StorageError. A missing object is not an error here (exists = false).
Resolved resolve(SftpConnection& connection, std::string_view path);

// Like resolve(), without following the last component: the path of the entry itself, so
// remove() unlinks a symlink rather than what it points to. Throws not_found when the parent
// folder does not exist.
Resolved resolve_entry(SftpConnection& connection, std::string_view path);

// mkdir -p for the storage folder `relative` (normalised); each existing level is checked to
// be a folder inside the root.
void make_folders(SftpConnection& connection, const std::string& relative);

// sftp_stat (following symlinks); nullptr when the object does not exist, throws otherwise.
Attributes stat_or_null(SftpConnection& connection, const std::string& absolute,
                        const std::string& relative);

ObjectInfo to_object_info(const std::string& relative, const sftp_attributes_struct& attributes);

// "sftp://user@host:port/<relative>", for messages.
std::string where(const SftpConnection& connection, const std::string& relative);

}  // namespace synapse::runtime::sftp

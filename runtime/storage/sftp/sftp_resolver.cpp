#include "storage/sftp/sftp_resolver.hpp"

#include "storage/sftp/sftp_paths.hpp"

namespace synapse::runtime::sftp {
namespace {

using Kind = StorageError::Kind;

[[noreturn]] void escape(const SftpConnection& connection, std::string_view path) {
  throw StorageError(Kind::path_escape, connection.name() + ": path '" + std::string(path) +
                                            "' resolves outside root_path '" + connection.root() +
                                            "'");
}

std::string normalise_or_escape(const SftpConnection& connection, std::string_view path) {
  std::optional<std::string> relative = normalise(path);
  if (!relative) {
    escape(connection, path);
  }
  return *relative;
}

// The server's realpath of `absolute`; nullopt when (a component of) it does not exist.
std::optional<std::string> canonical(SftpConnection& connection, const std::string& absolute,
                                     const std::string& relative) {
  char* resolved = sftp_canonicalize_path(connection.sftp(), absolute.c_str());
  if (resolved != nullptr) {
    std::string result = resolved;
    ssh_string_free_char(resolved);
    return result;
  }
  if (connection.last_error_is_not_found()) {
    return std::nullopt;
  }
  connection.fail("cannot resolve the path", relative);
}

// The canonical form of `relative`'s nearest existing ancestor must lie inside the root: a
// not-yet-existing object below a symlinked folder would otherwise be created outside it.
void check_ancestors(SftpConnection& connection, const std::string& relative,
                     std::string_view original) {
  std::string ancestor = parent_of(relative);
  for (;;) {
    std::optional<std::string> resolved =
        canonical(connection, join(connection.root(), ancestor), ancestor);
    if (resolved) {
      if (!is_within(connection.root(), *resolved)) {
        escape(connection, original);
      }
      return;
    }
    if (ancestor.empty()) {
      return;  // the root itself vanished; the operation will report it
    }
    ancestor = parent_of(ancestor);
  }
}

}  // namespace

std::string where(const SftpConnection& connection, const std::string& relative) {
  return connection.name() + "/" + relative;
}

Resolved resolve(SftpConnection& connection, std::string_view path) {
  Resolved result;
  result.relative = normalise_or_escape(connection, path);
  result.absolute = join(connection.root(), result.relative);
  std::optional<std::string> resolved = canonical(connection, result.absolute, result.relative);
  if (resolved) {
    if (!is_within(connection.root(), *resolved)) {
      escape(connection, path);
    }
    // OpenSSH's realpath also succeeds for a missing last component; only stat knows.
    Attributes attributes(sftp_stat(connection.sftp(), resolved->c_str()));
    if (attributes) {
      result.absolute = *resolved;
      result.exists = true;
      return result;
    }
    if (!connection.last_error_is_not_found()) {
      connection.fail("cannot read metadata", result.relative);
    }
  }
  check_ancestors(connection, result.relative, path);
  return result;
}

Resolved resolve_entry(SftpConnection& connection, std::string_view path) {
  Resolved result;
  result.relative = normalise_or_escape(connection, path);
  const std::string parent = parent_of(result.relative);
  Resolved folder = resolve(connection, parent);
  if (!folder.exists) {
    throw StorageError(Kind::not_found, where(connection, result.relative) + ": the folder '" +
                                            parent + "' does not exist");
  }
  const std::string name = result.relative.substr(parent.empty() ? 0 : parent.size() + 1);
  result.absolute = join(folder.absolute, name);
  Attributes attributes(sftp_lstat(connection.sftp(), result.absolute.c_str()));
  if (!attributes && !connection.last_error_is_not_found()) {
    connection.fail("cannot read metadata", result.relative);
  }
  result.exists = attributes != nullptr;
  return result;
}

void make_folders(SftpConnection& connection, const std::string& relative) {
  if (relative.empty()) {
    return;
  }
  std::string level;
  std::size_t start = 0;
  while (start <= relative.size()) {
    std::size_t end = relative.find('/', start);
    if (end == std::string::npos) {
      end = relative.size();
    }
    level = relative.substr(0, end);
    start = end + 1;
    Resolved folder = resolve(connection, level);
    if (folder.exists) {
      Attributes attributes = stat_or_null(connection, folder.absolute, level);
      if (!attributes || attributes->type != SSH_FILEXFER_TYPE_DIRECTORY) {
        throw StorageError(Kind::io, where(connection, level) + ": exists and is not a folder");
      }
      continue;
    }
    if (sftp_mkdir(connection.sftp(), folder.absolute.c_str(), 0755) != SSH_OK) {
      // Another writer may have created it in the meantime; that is what we wanted.
      Attributes attributes(sftp_stat(connection.sftp(), folder.absolute.c_str()));
      if (!attributes || attributes->type != SSH_FILEXFER_TYPE_DIRECTORY) {
        connection.fail("cannot create the folder", level);
      }
    }
  }
}

Attributes stat_or_null(SftpConnection& connection, const std::string& absolute,
                        const std::string& relative) {
  Attributes attributes(sftp_stat(connection.sftp(), absolute.c_str()));
  if (!attributes && !connection.last_error_is_not_found()) {
    connection.fail("cannot read metadata", relative);
  }
  return attributes;
}

ObjectInfo to_object_info(const std::string& relative, const sftp_attributes_struct& attributes) {
  ObjectInfo info;
  info.path = relative;
  info.is_directory = attributes.type == SSH_FILEXFER_TYPE_DIRECTORY;
  info.size = info.is_directory ? 0 : attributes.size;
  if ((attributes.flags & SSH_FILEXFER_ATTR_ACMODTIME) != 0) {
    // SFTP v3 (OpenSSH) carries 32-bit seconds in `mtime`; later versions fill `mtime64`.
    info.modified_unix = attributes.mtime64 != 0 ? static_cast<std::int64_t>(attributes.mtime64)
                                                 : static_cast<std::int64_t>(attributes.mtime);
  }
  return info;
}

}  // namespace synapse::runtime::sftp

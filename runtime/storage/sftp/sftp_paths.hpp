// Lexical path handling for the sftp provider: storage paths are relative to root_path and
// must never leave it. Symlinks are checked separately, on the server (SftpStorage::resolve),
// because only the server knows where they point.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace synapse::runtime::sftp {

// "a//b/./c/../d" -> "a/b/d"; "" / "/" -> "" (the root). A leading '/' is ignored (storage
// paths are always root-relative). nullopt when ".." climbs above the root or the path holds
// a NUL byte (it would silently truncate the C string handed to libssh).
std::optional<std::string> normalise(std::string_view path);

// `root` + "/" + `relative` (`relative` already normalised; "" gives `root`).
std::string join(const std::string& root, const std::string& relative);

// Whether the absolute server path `path` is `root` itself or below it. Both must be
// canonical (no "..", no trailing '/'), as sftp_canonicalize_path returns them.
bool is_within(const std::string& root, const std::string& path);

// "a/b/c" -> "a/b"; "c" -> "".
std::string parent_of(const std::string& relative);

}  // namespace synapse::runtime::sftp

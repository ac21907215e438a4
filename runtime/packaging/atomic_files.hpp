// The few filesystem steps that make packaging and installing all-or-nothing: unique temporary
// names beside the target (same filesystem, so the final step is one rename), fsync, and the
// renames themselves. Every failure throws RuntimeError archive.io_failed (exit 4, retryable:
// usually a full disk or a permission) naming the path.
#pragma once

#include <filesystem>
#include <string>

namespace synapse::runtime::packaging {

[[noreturn]] void throw_io(const std::string& what, const std::filesystem::path& path, int error);

// Creates `dir/<prefix>XXXXXX` (mkdtemp) with mode 0755 and returns it.
std::filesystem::path make_temp_dir(const std::filesystem::path& dir, const std::string& prefix);

// Creates `dir/<prefix>XXXXXX` (mkstemp) with mode 0644; returns its fd and sets `path`.
int make_temp_file(const std::filesystem::path& dir, const std::string& prefix,
                   std::filesystem::path& path);

// fsync of a file or folder by path (folders: so a rename or a new entry survives a crash).
void fsync_path(const std::filesystem::path& path);

// Moves `from` to `to` unless `to` exists; false (nothing moved) when it does.
bool rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to);

// Puts `fresh` in `target`'s place in one step (renameat2 RENAME_EXCHANGE); the old content is
// then at `fresh`. On a filesystem without RENAME_EXCHANGE, `target` is first renamed to
// `parking`, then `fresh` to `target`: `target` is briefly missing but never half-written. The
// caller removes `fresh` and `parking` afterwards.
void replace_atomically(const std::filesystem::path& fresh, const std::filesystem::path& target,
                        const std::filesystem::path& parking);

// Removes a path recursively, ignoring errors (cleanup on a failure path).
void remove_quietly(const std::filesystem::path& path) noexcept;

}  // namespace synapse::runtime::packaging

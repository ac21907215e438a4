// Why a listing leaves an entry out (ObjectLister::take_skipped): the same words from every
// storage that has symlinks (local, sftp), so a user reads one message whatever the source.
#pragma once

namespace synapse::runtime::skip_reason {

inline constexpr const char* kSymlinkOutOfRoot =
    "a symlink leading out of the storage root, not followed";
inline constexpr const char* kSymlinkToNothing = "a symlink to nothing (its target does not exist)";
inline constexpr const char* kSymlinkedFolder =
    "a symlink to a folder, not descended into (a recursive listing does not follow folder "
    "links)";

}  // namespace synapse::runtime::skip_reason

// Streaming folder listing: one open remote directory per level of the walk, entries fetched
// as next() asks for them, so a huge tree is never held in memory.
#pragma once

#include <memory>
#include <string>

#include <synapse/storage.hpp>

#include "storage/sftp/ssh_session.hpp"

namespace synapse::runtime::sftp {

// Lists the folder `relative` (normalised; its server path is `absolute`). Recursive listings
// walk depth-first and yield files only; symlinked folders are listed as entries but never
// descended into (no loops), and symlinks pointing outside the root or to nothing are left out
// (both told by take_skipped(), as a linked folder a recursive listing skips). Caller holds
// the connection's lock; throws not_found when the folder does not exist.
std::unique_ptr<ObjectLister> open_lister(std::shared_ptr<SftpConnection> connection,
                                          const std::string& absolute, const std::string& relative,
                                          bool recursive);

}  // namespace synapse::runtime::sftp

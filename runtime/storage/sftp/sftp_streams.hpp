// Read and write streams over one open remote file. Both keep the connection alive through a
// shared_ptr and take its lock for every call, so they may outlive the Storage that made them
// and be used next to other operations on it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <libssh/sftp.h>
#include <synapse/storage.hpp>

#include "storage/sftp/ssh_session.hpp"

namespace synapse::runtime::sftp {

// Marker in temporary names; listings hide entries carrying it (an upload in progress is not
// an object yet).
inline constexpr const char* kTemporaryMarker = ".synapse-tmp-";

// Takes ownership of `file` (already positioned at the start offset).
std::unique_ptr<ReadStream> make_read_stream(std::shared_ptr<SftpConnection> connection,
                                             sftp_file file, std::string relative,
                                             std::optional<std::uint64_t> length);

// Writes into a fresh temporary file next to `target` (an absolute server path) and renames it
// over `target` on commit(); without commit() the temporary file is removed. Caller holds the
// connection's lock.
std::unique_ptr<WriteStream> open_write_stream(std::shared_ptr<SftpConnection> connection,
                                               std::string target, std::string relative);

}  // namespace synapse::runtime::sftp

#include "storage/sftp/sftp_streams.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "storage/sftp/sftp_resolver.hpp"

namespace synapse::runtime::sftp {
namespace {

using Kind = StorageError::Kind;

// OpenSSH's sftp-server rejects packets above 256 KiB; 64 KiB stays well below that with any
// server while keeping the per-request round trips few.
constexpr std::size_t kWriteChunk = 64 * 1024;

class SftpReadStream : public ReadStream {
 public:
  SftpReadStream(std::shared_ptr<SftpConnection> connection, sftp_file file, std::string relative,
                 std::optional<std::uint64_t> length)
      : connection_(std::move(connection)),
        file_(file),
        relative_(std::move(relative)),
        remaining_(length) {}

  ~SftpReadStream() override {
    auto lock = connection_->lock();
    sftp_close(file_);
  }

  std::size_t read(char* buffer, std::size_t size) override {
    if (remaining_) {
      size = static_cast<std::size_t>(std::min<std::uint64_t>(size, *remaining_));
    }
    if (size == 0) {
      return 0;
    }
    auto lock = connection_->lock();
    ssize_t count = sftp_read(file_, buffer, size);
    if (count < 0) {
      connection_->fail("cannot read", relative_);
    }
    if (remaining_) {
      *remaining_ -= static_cast<std::uint64_t>(count);
    }
    return static_cast<std::size_t>(count);
  }

 private:
  std::shared_ptr<SftpConnection> connection_;
  sftp_file file_;
  std::string relative_;
  std::optional<std::uint64_t> remaining_;  // nullopt: to the end of the file
};

std::string random_suffix() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(engine()));
  return text;
}

class SftpWriteStream : public WriteStream {
 public:
  SftpWriteStream(std::shared_ptr<SftpConnection> connection, sftp_file file, std::string temporary,
                  std::string target, std::string relative)
      : connection_(std::move(connection)),
        file_(file),
        temporary_(std::move(temporary)),
        target_(std::move(target)),
        relative_(std::move(relative)) {}

  ~SftpWriteStream() override {
    if (committed_) {
      return;
    }
    // Abandoned upload: never leave the partial bytes behind. Errors cannot be reported from a
    // destructor; a leftover temporary file is at worst hidden from listings.
    auto lock = connection_->lock();
    if (file_ != nullptr) {
      sftp_close(file_);
    }
    sftp_unlink(connection_->sftp(), temporary_.c_str());
  }

  void write(const char* data, std::size_t size) override {
    if (file_ == nullptr) {
      throw StorageError(Kind::io, where(*connection_, relative_) + ": write after commit");
    }
    auto lock = connection_->lock();
    while (size > 0) {
      std::size_t chunk = std::min(size, kWriteChunk);
      ssize_t written = sftp_write(file_, data, chunk);
      if (written <= 0) {
        connection_->fail("cannot write", relative_);
      }
      data += written;
      size -= static_cast<std::size_t>(written);
    }
  }

  void commit() override {
    if (file_ == nullptr) {
      throw StorageError(Kind::io, where(*connection_, relative_) + ": already committed");
    }
    auto lock = connection_->lock();
    // Durable before visible (write, fsync, rename), where the server offers fsync.
    if (sftp_extension_supported(connection_->sftp(), "fsync@openssh.com", "1") != 0 &&
        sftp_fsync(file_) != SSH_OK) {
      connection_->fail("cannot flush the upload", relative_);
    }
    // Closing reports a failed flush on the server (e.g. a full disk) before the file goes live.
    int closed = sftp_close(file_);
    file_ = nullptr;
    if (closed != SSH_OK) {
      connection_->fail("cannot finish the upload", relative_);
    }
    rename_over_target();
    committed_ = true;
  }

 private:
  void rename_over_target() {
    sftp_session sftp = connection_->sftp();
    if (sftp_rename(sftp, temporary_.c_str(), target_.c_str()) == SSH_OK) {
      return;
    }
    // SFTP v3 rename refuses an existing target, and libssh 0.10 has no call for OpenSSH's
    // posix-rename@openssh.com extension. So the old object is moved aside first and only
    // deleted once the new one is in place: readers may find the object missing for one round
    // trip, but never see a partial file, and a failure leaves the old version in place.
    Attributes existing(sftp_lstat(sftp, target_.c_str()));
    if (!existing) {
      connection_->fail("cannot move the upload into place", relative_);
    }
    if (existing->type == SSH_FILEXFER_TYPE_DIRECTORY) {
      throw StorageError(Kind::io, where(*connection_, relative_) + ": is a folder");
    }
    const std::string aside = temporary_ + "-old";  // carries the marker: hidden from listings
    if (sftp_rename(sftp, target_.c_str(), aside.c_str()) != SSH_OK) {
      connection_->fail("cannot replace the existing object", relative_);
    }
    if (sftp_rename(sftp, temporary_.c_str(), target_.c_str()) != SSH_OK) {
      StorageError error = connection_->error("cannot move the upload into place", relative_);
      sftp_rename(sftp, aside.c_str(), target_.c_str());
      throw error;
    }
    sftp_unlink(sftp, aside.c_str());  // a failure only leaves a hidden leftover behind
  }

  std::shared_ptr<SftpConnection> connection_;
  sftp_file file_;
  std::string temporary_;
  std::string target_;
  std::string relative_;
  bool committed_ = false;
};

}  // namespace

std::unique_ptr<ReadStream> make_read_stream(std::shared_ptr<SftpConnection> connection,
                                             sftp_file file, std::string relative,
                                             std::optional<std::uint64_t> length) {
  return std::make_unique<SftpReadStream>(std::move(connection), file, std::move(relative), length);
}

std::unique_ptr<WriteStream> open_write_stream(std::shared_ptr<SftpConnection> connection,
                                               std::string target, std::string relative) {
  // A random suffix and O_EXCL: two writers of the same object never share a temporary file.
  std::string temporary = target + kTemporaryMarker + random_suffix();
  sftp_file file =
      sftp_open(connection->sftp(), temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (file == nullptr) {
    connection->fail("cannot create a temporary file", relative);
  }
  return std::make_unique<SftpWriteStream>(std::move(connection), file, std::move(temporary),
                                           std::move(target), std::move(relative));
}

}  // namespace synapse::runtime::sftp

// The sftp provider: one authenticated libssh session per Storage object, shared with the
// streams and listers it hands out; a mutex serialises its use (libssh is not thread-safe).
#include "storage/sftp/sftp_storage.hpp"

#include <fcntl.h>

#include "storage/sftp/sftp_config.hpp"
#include "storage/sftp/sftp_lister.hpp"
#include "storage/sftp/sftp_paths.hpp"
#include "storage/sftp/sftp_resolver.hpp"
#include "storage/sftp/sftp_streams.hpp"
#include "storage/sftp/ssh_session.hpp"

namespace synapse::runtime {
namespace {

using Kind = StorageError::Kind;
using sftp::Attributes;
using sftp::Resolved;
using sftp::SftpConnection;
using sftp::where;

class SftpStorage : public Storage {
 public:
  explicit SftpStorage(const sftp::SftpConfig& config)
      : connection_(std::make_shared<SftpConnection>(config)) {}

  std::string provider() const override { return "sftp"; }

  std::optional<ObjectInfo> stat(std::string_view path) override {
    auto lock = connection_->lock();
    Resolved object = sftp::resolve(*connection_, path);
    if (!object.exists) {
      return std::nullopt;
    }
    Attributes attributes = sftp::stat_or_null(*connection_, object.absolute, object.relative);
    if (!attributes) {
      return std::nullopt;
    }
    return sftp::to_object_info(object.relative, *attributes);
  }

  std::unique_ptr<ObjectLister> list(std::string_view prefix, bool recursive) override {
    auto lock = connection_->lock();
    Resolved folder = sftp::resolve(*connection_, prefix);
    if (!folder.exists) {
      throw StorageError(Kind::not_found,
                         where(*connection_, folder.relative) + ": the folder does not exist");
    }
    return sftp::open_lister(connection_, folder.absolute, folder.relative, recursive);
  }

  std::unique_ptr<ReadStream> open_read(std::string_view path, std::uint64_t offset,
                                        std::optional<std::uint64_t> length) override {
    auto lock = connection_->lock();
    Resolved object = sftp::resolve(*connection_, path);
    if (!object.exists) {
      throw StorageError(Kind::not_found,
                         where(*connection_, object.relative) + ": the object does not exist");
    }
    sftp_file file = sftp_open(connection_->sftp(), object.absolute.c_str(), O_RDONLY, 0);
    if (file == nullptr) {
      connection_->fail("cannot open", object.relative);
    }
    // A folder opens fine on OpenSSH and only fails at the first read; say what is wrong now.
    Attributes attributes(sftp_fstat(file));
    if (!attributes || attributes->type == SSH_FILEXFER_TYPE_DIRECTORY) {
      sftp_close(file);
      throw StorageError(attributes ? Kind::io : connection_->last_error_kind(),
                         where(*connection_, object.relative) + ": is not a readable object");
    }
    if (offset > 0 && sftp_seek64(file, offset) != 0) {
      sftp_close(file);
      throw StorageError(Kind::io, where(*connection_, object.relative) + ": cannot seek");
    }
    return sftp::make_read_stream(connection_, file, object.relative, length);
  }

  std::unique_ptr<WriteStream> open_write(std::string_view path) override {
    auto lock = connection_->lock();
    Resolved object = sftp::resolve(*connection_, path);
    if (object.relative.empty()) {
      throw StorageError(Kind::io, connection_->name() + ": cannot write to the storage root");
    }
    if (object.exists) {
      Attributes attributes = sftp::stat_or_null(*connection_, object.absolute, object.relative);
      if (attributes && attributes->type == SSH_FILEXFER_TYPE_DIRECTORY) {
        throw StorageError(Kind::io, where(*connection_, object.relative) + ": is a folder");
      }
    } else {
      sftp::make_folders(*connection_, sftp::parent_of(object.relative));
    }
    // An existing object is written through its resolved path: replacing a symlink inside the
    // root replaces its target, as a local write would.
    return sftp::open_write_stream(connection_, object.absolute, object.relative);
  }

  void remove(std::string_view path) override {
    auto lock = connection_->lock();
    Resolved entry = sftp::resolve_entry(*connection_, path);
    if (entry.relative.empty()) {
      throw StorageError(Kind::io, connection_->name() + ": cannot remove the storage root");
    }
    if (!entry.exists) {
      throw StorageError(Kind::not_found,
                         where(*connection_, entry.relative) + ": the object does not exist");
    }
    if (sftp_unlink(connection_->sftp(), entry.absolute.c_str()) != SSH_OK) {
      // OpenSSH answers a folder's unlink with a generic failure; name the real reason.
      Attributes attributes(sftp_lstat(connection_->sftp(), entry.absolute.c_str()));
      if (attributes && attributes->type == SSH_FILEXFER_TYPE_DIRECTORY) {
        throw StorageError(Kind::io, where(*connection_, entry.relative) +
                                         ": is a folder; remove() deletes objects only");
      }
      connection_->fail("cannot remove", entry.relative);
    }
  }

 private:
  std::shared_ptr<SftpConnection> connection_;
};

}  // namespace

std::unique_ptr<Storage> make_sftp_storage(const nlohmann::json& configuration) {
  return std::make_unique<SftpStorage>(sftp::parse_sftp_config(configuration));
}

}  // namespace synapse::runtime

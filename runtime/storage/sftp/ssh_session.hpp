// One authenticated SFTP connection: connect with a timeout, verify the host key against the
// configured known_hosts file, log in with the private key, start the sftp subsystem, and
// resolve root_path on the server. RAII: the destructor closes everything in the right order.
//
// libssh sessions are not thread-safe, so every use of sftp() must hold lock(); the storage
// and its streams share the connection through a shared_ptr so a stream outliving its
// Storage object still has a live session.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <libssh/libssh.h>
#include <libssh/sftp.h>
#include <synapse/storage.hpp>

#include "storage/sftp/sftp_config.hpp"

namespace synapse::runtime::sftp {

class SftpConnection {
 public:
  // Throws StorageError: invalid_config (unreadable key, missing root_path), unreachable
  // (refused, timeout), auth_failed (unknown/changed host key, key not accepted), io.
  explicit SftpConnection(const SftpConfig& config);
  ~SftpConnection();
  SftpConnection(const SftpConnection&) = delete;
  SftpConnection& operator=(const SftpConnection&) = delete;

  std::unique_lock<std::mutex> lock() { return std::unique_lock(mutex_); }
  sftp_session sftp() const { return sftp_; }
  // Canonical absolute folder on the server every storage path is relative to.
  const std::string& root() const { return root_; }
  // "sftp://user@host:port", the prefix of every message.
  const std::string& name() const { return name_; }

  // The kind of the last failed sftp_* call: from its SFTP status, or unreachable when the
  // connection itself is gone.
  StorageError::Kind last_error_kind() const;
  // Whether the last failed sftp_* call failed because the path does not exist.
  bool last_error_is_not_found() const;
  // The last failed sftp_* call as StorageError: "<name>/<path>: <what>: <reason>".
  StorageError error(const std::string& what, const std::string& path) const;
  [[noreturn]] void fail(const std::string& what, const std::string& path) const {
    throw error(what, path);
  }
  std::string last_error_text() const;

 private:
  void close() noexcept;
  void connect(const SftpConfig& config);
  void verify_host_key(const SftpConfig& config);
  void authenticate(const SftpConfig& config, ssh_key key);
  void start_sftp();
  void resolve_root(const SftpConfig& config);
  [[noreturn]] void session_error(StorageError::Kind kind, const std::string& what) const;

  std::string name_;
  std::string root_;
  ssh_session session_ = nullptr;
  sftp_session sftp_ = nullptr;
  std::mutex mutex_;
};

}  // namespace synapse::runtime::sftp

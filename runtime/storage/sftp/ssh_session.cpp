#include "storage/sftp/ssh_session.hpp"

#include <memory>

namespace synapse::runtime::sftp {
namespace {

using Kind = StorageError::Kind;

// Long enough for a slow link, short enough that a dead host fails a job instead of hanging it.
constexpr long kConnectTimeoutSeconds = 10;

struct KeyDeleter {
  void operator()(ssh_key key) const { ssh_key_free(key); }
};
using KeyPtr = std::unique_ptr<std::remove_pointer_t<ssh_key>, KeyDeleter>;

// SFTP v3 status codes (draft-ietf-secsh-filexfer-02) as an operator would read them.
const char* status_text(int status) {
  switch (status) {
    case SSH_FX_EOF:
      return "end of file";
    case SSH_FX_NO_SUCH_FILE:
    case SSH_FX_NO_SUCH_PATH:
      return "no such file or folder";
    case SSH_FX_PERMISSION_DENIED:
    case SSH_FX_WRITE_PROTECT:
      return "permission denied";
    case SSH_FX_FAILURE:
      return "the server reported a failure";
    case SSH_FX_BAD_MESSAGE:
      return "bad message";
    case SSH_FX_NO_CONNECTION:
    case SSH_FX_CONNECTION_LOST:
      return "connection lost";
    case SSH_FX_OP_UNSUPPORTED:
      return "operation not supported by the server";
    case SSH_FX_FILE_ALREADY_EXISTS:
      return "already exists";
    default:
      return "error";
  }
}

// "SHA256:..." of the server's host key, so an auth_failed message shows the operator which
// key to compare against the one they expect. "" when it cannot be computed.
std::string server_fingerprint(ssh_session session) {
  ssh_key key = nullptr;
  if (ssh_get_server_publickey(session, &key) != SSH_OK) {
    return {};
  }
  KeyPtr owned(key);
  unsigned char* hash = nullptr;
  std::size_t length = 0;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK) {
    return {};
  }
  char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
  ssh_clean_pubkey_hash(&hash);
  if (text == nullptr) {
    return {};
  }
  std::string result = std::string(ssh_key_type_to_char(ssh_key_type(key))) + " " + text;
  ssh_string_free_char(text);
  return result;
}

}  // namespace

SftpConnection::SftpConnection(const SftpConfig& config) : name_(describe(config)) {
  // The key is read before any network traffic: a missing or unreadable key is a configuration
  // mistake and should be reported as one, whatever state the server is in.
  ssh_key raw_key = nullptr;
  int imported =
      ssh_pki_import_privkey_file(config.key_file.c_str(), nullptr, nullptr, nullptr, &raw_key);
  KeyPtr key(raw_key);
  if (imported != SSH_OK) {
    throw StorageError(Kind::invalid_config,
                       name_ + ": key_file '" + config.key_file +
                           (imported == SSH_EOF ? "' cannot be read"
                                                : "' is not a private key libssh can use "
                                                  "(unsupported format or passphrase-protected)"));
  }
  session_ = ssh_new();
  if (session_ == nullptr) {
    throw StorageError(Kind::io, name_ + ": cannot allocate an ssh session");
  }
  try {
    connect(config);
    verify_host_key(config);
    authenticate(config, key.get());
    start_sftp();
    resolve_root(config);
  } catch (...) {
    close();  // a throwing constructor gets no destructor call
    throw;
  }
}

SftpConnection::~SftpConnection() {
  close();
}

void SftpConnection::close() noexcept {
  if (sftp_ != nullptr) {
    sftp_free(sftp_);
    sftp_ = nullptr;
  }
  if (session_ != nullptr) {
    if (ssh_is_connected(session_) != 0) {
      ssh_disconnect(session_);
    }
    ssh_free(session_);
    session_ = nullptr;
  }
}

void SftpConnection::connect(const SftpConfig& config) {
  unsigned int port = config.port;
  long timeout = kConnectTimeoutSeconds;
  // Only the configured files count: ~/.ssh/config, ~/.ssh/known_hosts and
  // /etc/ssh/ssh_known_hosts of whoever runs the host must not change what is accepted.
  bool process_config = false;
  // Every SFTP request waits for its reply; with Nagle's algorithm each small request also
  // waits for a delayed ACK (~40 ms), which made a 5 MiB upload take seconds on loopback.
  int no_delay = 1;
  const char* known_hosts = config.known_hosts.c_str();
  if (ssh_options_set(session_, SSH_OPTIONS_PROCESS_CONFIG, &process_config) != SSH_OK ||
      ssh_options_set(session_, SSH_OPTIONS_HOST, config.host.c_str()) != SSH_OK ||
      ssh_options_set(session_, SSH_OPTIONS_PORT, &port) != SSH_OK ||
      ssh_options_set(session_, SSH_OPTIONS_USER, config.username.c_str()) != SSH_OK ||
      ssh_options_set(session_, SSH_OPTIONS_KNOWNHOSTS, known_hosts) != SSH_OK ||
      ssh_options_set(session_, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, known_hosts) != SSH_OK ||
      ssh_options_set(session_, SSH_OPTIONS_TIMEOUT, &timeout) != SSH_OK ||
      ssh_options_set(session_, SSH_OPTIONS_NODELAY, &no_delay) != SSH_OK) {
    session_error(Kind::invalid_config, "invalid connection option");
  }
  if (ssh_connect(session_) != SSH_OK) {
    session_error(Kind::unreachable, "cannot connect");
  }
}

void SftpConnection::verify_host_key(const SftpConfig& config) {
  const std::string file = "known_hosts file '" + config.known_hosts + "'";
  const std::string host = config.host + ":" + std::to_string(config.port);
  switch (ssh_session_is_known_server(session_)) {
    case SSH_KNOWN_HOSTS_OK:
      return;
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER: {
      // Possibly a man-in-the-middle: never continue, and say so plainly.
      throw StorageError(Kind::auth_failed,
                         name_ + ": the host key of " + host + " (" + server_fingerprint(session_) +
                             ") does not match the one in the " + file +
                             "; it changed or someone is intercepting the connection");
    }
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      throw StorageError(Kind::auth_failed,
                         name_ + ": host " + host + " is not listed in the " + file +
                             " (server key " + server_fingerprint(session_) +
                             "); verify the fingerprint and add it, e.g. with ssh-keyscan");
    case SSH_KNOWN_HOSTS_ERROR:
    default:
      session_error(Kind::auth_failed, "cannot check the host key against the " + file);
  }
}

void SftpConnection::authenticate(const SftpConfig& config, ssh_key key) {
  int result = ssh_userauth_publickey(session_, nullptr, key);
  if (result == SSH_AUTH_SUCCESS) {
    return;
  }
  if (result == SSH_AUTH_ERROR && ssh_is_connected(session_) == 0) {
    session_error(Kind::unreachable, "connection lost during login");
  }
  throw StorageError(
      Kind::auth_failed,
      name_ + ": the server did not accept the key '" + config.key_file + "' for user '" +
          config.username + "'" +
          (result == SSH_AUTH_PARTIAL ? " (it requires a further login method)" : ""));
}

void SftpConnection::start_sftp() {
  sftp_ = sftp_new(session_);
  if (sftp_ == nullptr) {
    session_error(Kind::io, "cannot open the sftp channel");
  }
  if (sftp_init(sftp_) != SSH_OK) {
    session_error(Kind::io, "the server refused the sftp subsystem");
  }
}

void SftpConnection::resolve_root(const SftpConfig& config) {
  // The server resolves "." to the login folder and a relative root_path against it; the
  // canonical form is what symlink targets are later compared with.
  const std::string wanted = config.root_path.empty() ? "." : config.root_path;
  char* canonical = sftp_canonicalize_path(sftp_, wanted.c_str());
  if (canonical == nullptr) {
    if (ssh_is_connected(session_) == 0) {
      session_error(Kind::unreachable, "connection lost");
    }
    throw StorageError(Kind::invalid_config,
                       name_ + ": root_path '" + wanted +
                           "' cannot be resolved on the server: " + last_error_text());
  }
  root_ = canonical;
  ssh_string_free_char(canonical);
  sftp_attributes attributes = sftp_stat(sftp_, root_.c_str());
  bool is_directory = attributes != nullptr && attributes->type == SSH_FILEXFER_TYPE_DIRECTORY;
  sftp_attributes_free(attributes);
  if (!is_directory) {
    throw StorageError(Kind::invalid_config,
                       name_ + ": root_path '" + root_ + "' is not an existing folder");
  }
}

void SftpConnection::session_error(Kind kind, const std::string& what) const {
  throw StorageError(kind, name_ + ": " + what + ": " + ssh_get_error(session_));
}

bool SftpConnection::last_error_is_not_found() const {
  int status = sftp_get_error(sftp_);
  return ssh_is_connected(session_) != 0 &&
         (status == SSH_FX_NO_SUCH_FILE || status == SSH_FX_NO_SUCH_PATH);
}

StorageError::Kind SftpConnection::last_error_kind() const {
  if (ssh_is_connected(session_) == 0) {
    return Kind::unreachable;
  }
  switch (sftp_get_error(sftp_)) {
    case SSH_FX_NO_SUCH_FILE:
    case SSH_FX_NO_SUCH_PATH:
      return Kind::not_found;
    case SSH_FX_PERMISSION_DENIED:
    case SSH_FX_WRITE_PROTECT:
      return Kind::permission_denied;
    case SSH_FX_NO_CONNECTION:
    case SSH_FX_CONNECTION_LOST:
      return Kind::unreachable;
    default:
      return Kind::io;
  }
}

std::string SftpConnection::last_error_text() const {
  if (ssh_is_connected(session_) == 0) {
    return std::string("connection lost: ") + ssh_get_error(session_);
  }
  int status = sftp_get_error(sftp_);
  if (status == SSH_FX_OK) {
    // Not an SFTP status: libssh itself failed (e.g. a protocol error); its text says why.
    return ssh_get_error(session_);
  }
  return status_text(status);
}

StorageError SftpConnection::error(const std::string& what, const std::string& path) const {
  return StorageError(last_error_kind(),
                      name_ + "/" + path + ": " + what + ": " + last_error_text());
}

}  // namespace synapse::runtime::sftp

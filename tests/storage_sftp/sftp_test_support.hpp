// Shared helpers of the sftp tests: where the fixture sshd is (SYNAPSE_SSHD_STATE, written by
// tools/services/sshd.sh), configurations for it, and small read/write shortcuts.
#pragma once

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <synapse/storage.hpp>

#include "storage/sftp/sftp_storage.hpp"

namespace sftp_test {

inline std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

struct Server {
  std::filesystem::path state;
  std::string port;
  std::string user;
  std::filesystem::path home;
};

inline const Server& server() {
  static const Server instance = [] {
    const char* state = std::getenv("SYNAPSE_SSHD_STATE");
    if (state == nullptr || !std::filesystem::exists(std::filesystem::path(state) / "port")) {
      FAIL(
          "SYNAPSE_SSHD_STATE is unset or the sshd fixture did not start "
          "(run through ctest, or: tools/services/sshd.sh start DIR)");
    }
    Server result;
    result.state = state;
    result.port = read_text(result.state / "port");
    result.user = read_text(result.state / "user");
    result.home = read_text(result.state / "home");
    return result;
  }();
  return instance;
}

inline nlohmann::json config(const std::string& root_path = "") {
  const Server& s = server();
  nlohmann::json result = {
      {"host", "127.0.0.1"},
      {"port", std::stoi(s.port)},
      {"username", s.user},
      {"key_file", (s.state / "client_ed25519").string()},
      {"known_hosts", (s.state / "known_hosts").string()},
  };
  if (!root_path.empty()) {
    result["root_path"] = root_path;
  }
  return result;
}

// A folder name no other test (or earlier run) uses, so every test starts from nothing.
inline std::string unique_folder(const std::string& name) {
  static std::atomic<int> counter{0};
  return "t-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

inline void put(synapse::Storage& storage, const std::string& path, const std::string& data) {
  auto stream = storage.open_write(path);
  stream->write(data.data(), data.size());
  stream->commit();
}

inline std::string get(synapse::Storage& storage, const std::string& path, std::uint64_t offset = 0,
                       std::optional<std::uint64_t> length = {}, std::size_t buffer_size = 100000) {
  auto stream = storage.open_read(path, offset, length);
  std::string result;
  std::string buffer(buffer_size, '\0');
  while (std::size_t count = stream->read(buffer.data(), buffer.size())) {
    result.append(buffer.data(), count);
  }
  return result;
}

// The StorageError kind `action` throws; fails the test when it throws nothing.
template <typename Action>
synapse::StorageError::Kind error_kind(Action&& action, std::string* message = nullptr) {
  try {
    action();
  } catch (const synapse::StorageError& error) {
    if (message != nullptr) {
      *message = error.what();
    }
    return error.kind();
  }
  FAIL("expected a StorageError");
  return synapse::StorageError::Kind::io;
}

}  // namespace sftp_test

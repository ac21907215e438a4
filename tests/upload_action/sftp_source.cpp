// Uploads whose source is an sftp storage: the loopback sshd of the ctest fixture `sshd` (its
// state folder in SYNAPSE_SSHD_STATE: port, user, client key, known_hosts). Each test works in
// its own folder of the login folder.
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include <catch2/catch.hpp>

#include "remote_support.hpp"

using namespace upload_action_test;

namespace {

std::string first_line(const fs::path& file) {
  const auto text = read_file(file);
  return text.substr(0, text.find_first_of("\r\n"));
}

json sftp_configuration() {
  const char* state_env = std::getenv("SYNAPSE_SSHD_STATE");
  REQUIRE(state_env != nullptr);
  const fs::path state = state_env;
  REQUIRE(fs::exists(state / "port"));
  return {{"host", "127.0.0.1"},
          {"port", std::stoi(first_line(state / "port"))},
          {"username", first_line(state / "user")},
          {"key_file", (state / "client_ed25519").string()},
          {"known_hosts", (state / "known_hosts").string()}};
}

std::string unique_folder() {
  static std::atomic<int> counter{0};
  return "upload-action-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

TEST_CASE("sftp source: the sample in an sftp folder becomes units with the same bytes",
          "[upload_action][sftp]") {
  upload_in_process("sftp", sftp_configuration(), unique_folder());
}

TEST_CASE("sftp source: synapse storage add --provider sftp then synapse run uploads the sample",
          "[upload_action][sftp][cli]") {
  upload_with_binary("sftp", sftp_configuration(), unique_folder());
}

// Exports into an sftp storage: the loopback sshd of the ctest fixture `sshd` (its state folder
// in SYNAPSE_SSHD_STATE: port, user, client key, known_hosts). Each run in its own folder.
#include <unistd.h>

#include <cstdlib>

#include "remote_output.hpp"

using namespace export_test;

namespace {

std::string first_line(const fs::path& file) {
  const auto text = read_file(file);
  return text.substr(0, text.find_first_of("\r\n"));
}

}  // namespace

TEST_CASE("sftp output: the export's JSON and originals land on the server",
          "[export_action][sftp]") {
  const char* state_env = std::getenv("SYNAPSE_SSHD_STATE");
  REQUIRE(state_env != nullptr);
  const fs::path state = state_env;
  REQUIRE(fs::exists(state / "port"));
  const json configuration = {{"host", "127.0.0.1"},
                              {"port", std::stoi(first_line(state / "port"))},
                              {"username", first_line(state / "user")},
                              {"key_file", (state / "client_ed25519").string()},
                              {"known_hosts", (state / "known_hosts").string()}};
  export_to_remote("sftp", configuration, "export-action-" + std::to_string(::getpid()));
}

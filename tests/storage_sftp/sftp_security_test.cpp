// What the sftp provider refuses: paths leaving root_path (lexically or through a server-side
// symlink), unknown keys and host keys, and broken configurations — each with the right kind.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <set>

#include "sftp_test_support.hpp"

using Kind = synapse::StorageError::Kind;
using namespace sftp_test;
namespace fs = std::filesystem;

namespace {

// A loopback port nobody listens on: bound once to learn a free number, then released.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t size = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

fs::path scratch_file(const std::string& name, const std::string& content) {
  fs::path file = server().state / ("test-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(file) << content;
  return file;
}

}  // namespace

TEST_CASE("sftp paths leaving the root are path_escape", "[storage][sftp]") {
  // root_path is a sub-folder here, so "outside" is a real folder of the same user.
  const std::string f = unique_folder("escape");
  auto home_storage = synapse::runtime::make_sftp_storage(config());
  put(*home_storage, f + "/outside/secret.txt", "secret");
  put(*home_storage, f + "/root/inside/ok.txt", "ok");
  const fs::path root = server().home / f / "root";
  fs::create_symlink("../outside", root / "out-dir");
  fs::create_symlink("/etc/hostname", root / "out-file");
  fs::create_symlink("inside", root / "in-dir");

  // A relative root_path is resolved against the login folder.
  auto storage = synapse::runtime::make_sftp_storage(config(f + "/root"));
  CHECK(get(*storage, "inside/ok.txt") == "ok");
  CHECK(get(*storage, "in-dir/ok.txt") == "ok");  // a symlink inside the root is fine
  CHECK(get(*storage, "inside/../inside/ok.txt") == "ok");

  std::string message;
  CHECK(error_kind([&] { storage->stat("../outside/secret.txt"); }, &message) == Kind::path_escape);
  CHECK_THAT(message, Catch::Contains("../outside/secret.txt"));
  CHECK(error_kind([&] { storage->open_read("../x"); }) == Kind::path_escape);
  CHECK(error_kind([&] { storage->open_write("inside/../../x"); }) == Kind::path_escape);
  CHECK(error_kind([&] { storage->remove("../outside/secret.txt"); }) == Kind::path_escape);
  CHECK(error_kind([&] { storage->list("..", false); }) == Kind::path_escape);

  CHECK(error_kind([&] { storage->open_read("out-dir/secret.txt"); }) == Kind::path_escape);
  CHECK(error_kind([&] { storage->stat("out-dir/secret.txt"); }) == Kind::path_escape);
  CHECK(error_kind([&] { storage->open_read("out-file"); }) == Kind::path_escape);
  CHECK(error_kind([&] { storage->list("out-dir", false); }) == Kind::path_escape);
  CHECK(error_kind([&] { storage->open_write("out-dir/planted.txt"); }) == Kind::path_escape);
  CHECK(error_kind([&] { storage->open_write("out-dir/new/planted.txt"); }) == Kind::path_escape);
  CHECK_FALSE(fs::exists(server().home / f / "outside" / "planted.txt"));
  CHECK_FALSE(fs::exists(server().home / f / "outside" / "new"));
  CHECK(get(*home_storage, f + "/outside/secret.txt") == "secret");

  // Listings leave out links that lead outside and never descend into linked folders; they
  // say so (take_skipped), and mark the links they list.
  const auto skipped_of = [](synapse::ObjectLister& lister) {
    std::set<std::string> out;
    for (const auto& entry : lister.take_skipped())
      out.insert(entry.path + ": " + entry.reason);
    return out;
  };
  std::set<std::string> flat;
  auto flat_lister = storage->list("", false);
  while (auto entry = flat_lister->next()) {
    flat.insert(entry->path + (entry->is_directory ? "/" : "") + (entry->is_link ? " (link)" : ""));
  }
  CHECK(flat == std::set<std::string>{"in-dir/ (link)", "inside/"});
  CHECK(skipped_of(*flat_lister) ==
        std::set<std::string>{"out-dir: a symlink leading out of the storage root, not followed",
                              "out-file: a symlink leading out of the storage root, not followed"});
  std::set<std::string> recursive;
  auto recursive_lister = storage->list("", true);
  while (auto entry = recursive_lister->next()) {
    recursive.insert(entry->path);
  }
  CHECK(recursive == std::set<std::string>{"inside/ok.txt"});
  CHECK(skipped_of(*recursive_lister) ==
        std::set<std::string>{"in-dir: a symlink to a folder, not descended into (a recursive "
                              "listing does not follow folder links)",
                              "out-dir: a symlink leading out of the storage root, not followed",
                              "out-file: a symlink leading out of the storage root, not followed"});

  // Removing a link removes the link, not its target.
  storage->remove("out-file");
  CHECK_FALSE(fs::is_symlink(root / "out-file"));
  CHECK(fs::exists("/etc/hostname"));
}

TEST_CASE("sftp a key the server does not accept is auth_failed", "[storage][sftp]") {
  auto configuration = config();
  configuration["key_file"] = (server().state / "stranger_ed25519").string();
  std::string message;
  CHECK(error_kind([&] { synapse::runtime::make_sftp_storage(configuration); }, &message) ==
        Kind::auth_failed);
  CHECK_THAT(message, Catch::Contains("stranger_ed25519") && Catch::Contains(server().user));
}

TEST_CASE("sftp an unknown host key is auth_failed", "[storage][sftp]") {
  auto configuration = config();
  const fs::path empty = scratch_file("empty_known_hosts", "");
  configuration["known_hosts"] = empty.string();
  std::string message;
  CHECK(error_kind([&] { synapse::runtime::make_sftp_storage(configuration); }, &message) ==
        Kind::auth_failed);
  CHECK_THAT(message, Catch::Contains("127.0.0.1:" + server().port) &&
                          Catch::Contains(empty.string()) && Catch::Contains("not listed"));
  fs::remove(empty);
}

TEST_CASE("sftp a changed host key is auth_failed", "[storage][sftp]") {
  // The listed key for this host is another one (the stranger's public key).
  const std::string other = read_text(server().state / "stranger_ed25519.pub");
  const std::string entry =
      "[127.0.0.1]:" + server().port + " " + other.substr(0, other.rfind(' '));
  const fs::path known_hosts = scratch_file("changed_known_hosts", entry + "\n");
  auto configuration = config();
  configuration["known_hosts"] = known_hosts.string();
  std::string message;
  CHECK(error_kind([&] { synapse::runtime::make_sftp_storage(configuration); }, &message) ==
        Kind::auth_failed);
  CHECK_THAT(message, Catch::Contains("does not match") && Catch::Contains(known_hosts.string()));
  fs::remove(known_hosts);
}

TEST_CASE("sftp a closed port is unreachable", "[storage][sftp]") {
  auto configuration = config();
  configuration["port"] = closed_port();
  const auto start = std::chrono::steady_clock::now();
  CHECK(error_kind([&] { synapse::runtime::make_sftp_storage(configuration); }) ==
        Kind::unreachable);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("sftp broken configurations are invalid_config", "[storage][sftp]") {
  auto missing_key = config();
  missing_key["key_file"] = (server().state / "no-such-key").string();
  std::string message;
  CHECK(error_kind([&] { synapse::runtime::make_sftp_storage(missing_key); }, &message) ==
        Kind::invalid_config);
  CHECK_THAT(message, Catch::Contains("key_file") && Catch::Contains("no-such-key"));

  const fs::path not_a_key = scratch_file("not_a_key", "hello\n");
  auto bad_key = config();
  bad_key["key_file"] = not_a_key.string();
  CHECK(error_kind([&] { synapse::runtime::make_sftp_storage(bad_key); }) == Kind::invalid_config);
  fs::remove(not_a_key);

  for (const char* key : {"host", "username", "key_file", "known_hosts"}) {
    auto configuration = config();
    configuration.erase(key);
    CHECK(error_kind([&] { synapse::runtime::make_sftp_storage(configuration); }, &message) ==
          Kind::invalid_config);
    CHECK_THAT(message, Catch::Contains(key));
  }
  auto bad_port = config();
  bad_port["port"] = "twenty-two";
  CHECK(error_kind([&] { synapse::runtime::make_sftp_storage(bad_port); }) == Kind::invalid_config);
  auto missing_root = config("no-such-folder-" + std::to_string(::getpid()));
  CHECK(error_kind([&] { synapse::runtime::make_sftp_storage(missing_root); }) ==
        Kind::invalid_config);
}

TEST_CASE("sftp a port given as a string is accepted", "[storage][sftp]") {
  auto configuration = config();
  configuration["port"] = server().port;  // as `storage add --config port=...` passes it
  auto storage = synapse::runtime::make_sftp_storage(configuration);
  CHECK(storage->stat("")->is_directory);
}

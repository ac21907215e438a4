#include "loader/undefined_symbols.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <sstream>

extern char** environ;

namespace synapse::runtime {

namespace {

// Runs argv (no shell involved: the path is never interpreted), returning stdout+stderr.
std::optional<std::string> capture(std::vector<std::string> args) {
  int fds[2];
  if (::pipe(fds) != 0)
    return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return std::nullopt;
  }
  std::string out;
  std::array<char, 4096> buf{};
  for (ssize_t n; (n = ::read(fds[0], buf.data(), buf.size())) > 0;)
    out.append(buf.data(), n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    return std::nullopt;  // no ldd
  return out;
}

}  // namespace

std::optional<std::vector<std::string>> find_undefined_symbols(
    const std::filesystem::path& library) {
  const auto out = capture({"ldd", "-r", std::filesystem::absolute(library).string()});
  if (!out)
    return std::nullopt;
  std::vector<std::string> symbols;
  std::istringstream lines(*out);
  constexpr std::string_view marker = "undefined symbol: ";
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find(marker);
    if (at == std::string::npos)
      continue;
    auto name = line.substr(at + marker.size());
    name = name.substr(0, name.find_first_of("\t ("));
    symbols.push_back(name);
  }
  return symbols;
}

}  // namespace synapse::runtime

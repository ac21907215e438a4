#include "process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace fs = std::filesystem;

namespace test_support {

namespace {

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> child_environment(const ProcessOptions& options) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    bool drop = options.env.count(name) != 0;
    for (const auto& prefix : options.unset_prefixes)
      drop = drop || name.rfind(prefix, 0) == 0;
    if (!drop)
      env.push_back(entry);
  }
  for (const auto& [name, value] : options.env) {
    if (value)
      env.push_back(name + "=" + *value);
  }
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::string ProcessResult::describe(const std::vector<std::string>& argv) const {
  std::string command;
  for (const auto& a : argv)
    command += (command.empty() ? "" : " ") + a;
  return "exit " + std::to_string(exit_code) + " from `" + command + "`\nstdout:\n" + out +
         "\nstderr:\n" + err;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty())
    throw std::invalid_argument("run_process: empty argv");
  // Output goes to files, not pipes: a chatty build cannot fill a pipe and block.
  char out_name[] = "/tmp/synapse-test-out-XXXXXX";
  char err_name[] = "/tmp/synapse-test-err-XXXXXX";
  const int out_fd = ::mkstemp(out_name);
  const int err_fd = ::mkstemp(err_name);
  if (out_fd < 0 || err_fd < 0)
    throw std::runtime_error("run_process: cannot create capture files in /tmp");

  auto env_strings = child_environment(options);
  auto argv_strings = argv;
  auto envp = pointers(env_strings);
  auto args = pointers(argv_strings);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  const std::string cwd = options.cwd.string();
  if (!cwd.empty())
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  // PATH lookup uses the parent's PATH; the child gets envp.
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_fd);
  ::close(err_fd);

  ProcessResult result;
  if (rc != 0) {
    result.exit_code = 127;
    result.err = "cannot start " + argv[0] + ": " + std::to_string(rc);
  } else {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = slurp(out_name);
    result.err = slurp(err_name);
  }
  ::unlink(out_name);
  ::unlink(err_name);
  return result;
}

}  // namespace test_support

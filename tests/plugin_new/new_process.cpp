#include "new_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace fs = std::filesystem;

namespace plugin_new_test {

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> files_below(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file())
      files.push_back(entry.path().lexically_relative(dir).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Sandbox::Sandbox() {
  static std::atomic<int> counter{0};
  dir_ = fs::temp_directory_path() /
         ("synapse-plugin-new-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir_);
  fs::create_directories(dir_ / "home");
  std::ofstream(dir_ / "runtime.yaml") << "# empty: defaults + environment\n";
}

Sandbox::~Sandbox() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

Result Sandbox::run(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env, const fs::path& cwd) const {
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e) {
    const std::string entry(*e);
    if (entry.rfind("SYNAPSE_", 0) == 0 || entry.rfind("HOME=", 0) == 0 ||
        entry.rfind("USER=", 0) == 0 || entry.rfind("GIT_", 0) == 0)
      continue;
    env_s.push_back(entry);
  }
  env_s.push_back("HOME=" + (dir_ / "home").string());
  env_s.push_back("GIT_CONFIG_NOSYSTEM=1");
  env_s.push_back("SYNAPSE_CONFIG=" + (dir_ / "runtime.yaml").string());
  env_s.push_back("SYNAPSE_HOME=" + (dir_ / "home" / "data").string());
  for (const auto& [key, value] : env)
    env_s.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& e : env_s)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  std::vector<std::string> argv_s{SYNAPSE_EXE};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  const fs::path out = dir_ / "stdout";
  const fs::path err = dir_ / "stderr";
  const std::string work = (cwd.empty() ? dir_ : cwd).string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&actions, work.c_str());
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::runtime_error("cannot start " + std::string(SYNAPSE_EXE));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  Result result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out);
  result.err = read_file(err);
  return result;
}

}  // namespace plugin_new_test

#include "synapse_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <random>
#include <sstream>

extern char** environ;

namespace fs = std::filesystem;

namespace cli_test {

namespace {

std::vector<std::string> environment_for(const fs::path& home) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string entry(*e);
    if (entry.rfind("SYNAPSE_", 0) == 0)
      continue;  // no leaks from the caller's shell
    env.push_back(entry);
  }
  env.push_back("SYNAPSE_HOME=" + home.string());
  env.push_back(std::string("SYNAPSE_PLUGIN_PATH=") + SYNAPSE_PLUGIN_STAGING_DIR + ":" +
                SYNAPSE_FIXTURE_DIR);
  // An empty runtime.yaml: nothing from the user's or the build's configuration leaks in.
  env.push_back("SYNAPSE_CONFIG=" + (home.parent_path() / "runtime.yaml").string());
  return env;
}

pid_t spawn(const std::vector<std::string>& args, const fs::path& home, const fs::path& out,
            const fs::path& err) {
  std::vector<std::string> argv_s{SYNAPSE_EXE};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  auto env_s = environment_for(home);
  std::vector<char*> envp;
  for (auto& e : env_s)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::runtime_error("cannot start " + std::string(SYNAPSE_EXE));
  return pid;
}

}  // namespace

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Sandbox::Sandbox() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  dir_ =
      fs::temp_directory_path() / ("synapse-cli-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(counter++) + "-" + std::to_string(rd() % 100000));
  home_ = dir_ / "home";
  fs::create_directories(home_);
  std::ofstream(dir_ / "runtime.yaml") << "# empty: defaults + environment\n";
}

Sandbox::~Sandbox() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

Result Sandbox::run(const std::vector<std::string>& args) const {
  const auto out = dir_ / "stdout";
  const auto err = dir_ / "stderr";
  Result result;
  result.exit_code = wait(spawn(args, home_, out, err));
  result.out = read_file(out);
  result.err = read_file(err);
  return result;
}

pid_t Sandbox::start(const std::vector<std::string>& args) const {
  return spawn(args, home_, dir_ / "bg.stdout", dir_ / "bg.stderr");
}

int Sandbox::wait(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace cli_test

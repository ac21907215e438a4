#include "action/cancellation.hpp"

#include <csignal>

namespace synapse::runtime {

namespace {
// Written from a signal handler: must be lock-free.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int signo) {
  if (g_signal.exchange(signo) != 0) {
    // Second signal: the action did not stop in time; fall back to the default action.
    std::signal(signo, SIG_DFL);
    std::raise(signo);
  }
}
}  // namespace

void install_stop_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() noexcept {
  return g_signal.load() != 0;
}
int stop_signal() noexcept {
  return g_signal.load();
}
void request_stop_for_testing(int signo) noexcept {
  g_signal.store(signo);
}

}  // namespace synapse::runtime

// Cancellation: SIGINT/SIGTERM set a process-wide token that RunContext::is_cancelled()
// reports; the run then ends with exit code 130. A second signal kills the process with the
// signal's default action (the operator insisted).
#pragma once

#include <atomic>

namespace synapse::runtime {

void install_stop_signal_handlers();
bool stop_requested() noexcept;
int stop_signal() noexcept;  // 0 when none
void request_stop_for_testing(int signo) noexcept;

}  // namespace synapse::runtime

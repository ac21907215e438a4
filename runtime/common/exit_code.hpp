// Process exit codes (design.md §4), chosen so Slurm/Kubernetes can decide what to retry.
#pragma once

namespace synapse::runtime {

enum class ExitCode : int {
  success = 0,
  action_failed = 1,  // the action failed (after rollback)
  usage = 2,          // bad usage, config or params: never retry
  load_failed = 3,    // the plugin could not be loaded (missing, ABI mismatch, ...)
  transient = 4,      // a catalog or storage was unreachable: retry
  cancelled = 130,    // SIGINT/SIGTERM
};

constexpr int to_int(ExitCode code) noexcept {
  return static_cast<int>(code);
}

}  // namespace synapse::runtime

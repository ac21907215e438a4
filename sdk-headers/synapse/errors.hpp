// Error types shared across the host/plugin boundary. A plugin throws them to tell the host
// how its action ended; the host maps each to an exit code (see README, "Exit codes").
// Anything else a plugin throws is treated like ActionError.
#pragma once

#include <stdexcept>
#include <string>

#include <synapse/visibility.hpp>

namespace synapse {

// Base of every error the SDK defines.
class SYNAPSE_SYMBOL_VISIBLE Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The action failed; the message is shown to the operator. Exit code 1.
class SYNAPSE_SYMBOL_VISIBLE ActionError : public Error {
 public:
  using Error::Error;
};

// The action rejected its params after the host's own validation. Exit code 2.
class SYNAPSE_SYMBOL_VISIBLE ParamsError : public Error {
 public:
  using Error::Error;
};

// The action stopped because RunContext::is_cancelled() became true. Exit code 130.
class SYNAPSE_SYMBOL_VISIBLE CancelledError : public Error {
 public:
  CancelledError() : Error("cancelled") {}
  using Error::Error;
};

// A storage or service the action needs is unreachable; worth retrying. Exit code 4.
class SYNAPSE_SYMBOL_VISIBLE TransientError : public Error {
 public:
  using Error::Error;
};

}  // namespace synapse

// Action: a generic action implemented by a plugin. The host creates it through the factory
// the plugin exports with SYNAPSE_ACTION (see synapse/plugin.hpp) and calls run() once.
#pragma once

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>
#include <synapse/run_context.hpp>
#include <synapse/visibility.hpp>

namespace synapse {

class SYNAPSE_SYMBOL_VISIBLE Action {
 public:
  virtual ~Action() = default;

  // Runs the action; the returned JSON is the action's result (printed by `synapse run` and
  // kept in the job record). Throw one of the errors of synapse/errors.hpp to fail.
  virtual nlohmann::json run(RunContext& context) = 0;
};

// Signature of the factory that SYNAPSE_ACTION exports. The host owns the returned object and
// deletes it (through the virtual destructor, i.e. in the plugin's code) before unloading.
using ActionFactory = Action*();

}  // namespace synapse

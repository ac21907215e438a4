// The library's exported symbols: its metadata (ABI, SDK, compiler, and the category, which
// must be config.yaml's or the host refuses the plugin) and the factory of the action that
// config.yaml names (`entrypoint: lib<target>.so:Action`). Exactly one translation unit of the
// plugin holds these; the code is in action.cpp.
#include <synapse/plugin.hpp>

#include "action.hpp"

SYNAPSE_PLUGIN({{category}})
SYNAPSE_ACTION(Action, plugin::PluginAction)

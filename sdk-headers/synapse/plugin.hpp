// The export macros a plugin uses, once per library:
//
//   #include <synapse/plugin.hpp>
//   class Hello final : public synapse::Action { ... };
//   SYNAPSE_PLUGIN(neural_net)        // metadata record: ABI, SDK, compiler, category
//   SYNAPSE_ACTION(Hello, Hello)      // factory alias `Hello` creating a Hello
//
// config.yaml then names the alias: `entrypoint: libhello.so:Hello` (or just `Hello`).
// SYNAPSE_PLUGIN must appear in exactly one translation unit of the library (a second one is
// a link error, by design). Build with synapse_add_plugin() so the visibility flags are set.
#pragma once

#include <synapse/action.hpp>
#include <synapse/detail/plugin_metadata.hpp>
#include <synapse/version.hpp>

// `category` is one of: neural_net export upload smart_tool post_annotation pre_annotation
// data_validation custom (written bare, not quoted); it must be config.yaml's `category`, or the
// host refuses the plugin (loader.category_mismatch).
#define SYNAPSE_PLUGIN(category)                                                                \
  SYNAPSE_DETAIL_PLUGIN_METADATA(SYNAPSE_ABI_VERSION, SYNAPSE_DETAIL_CC, SYNAPSE_DETAIL_STDLIB, \
                                 category)

// Exports a factory alias `Alias` that creates `Class` (default-constructible, derived from
// synapse::Action).
#define SYNAPSE_ACTION(Alias, Class)             \
  namespace synapse_plugin_factories {           \
  ::synapse::Action* Alias##_synapse_factory() { \
    return new Class();                          \
  }                                              \
  }                                              \
  BOOST_DLL_ALIAS_SECTIONED(synapse_plugin_factories::Alias##_synapse_factory, Alias, synactn)

// The one visibility header. Plugins are built with -fvisibility=hidden; every type whose
// typeinfo or vtable must be the same on both sides of the boundary (interfaces, exceptions)
// is marked SYNAPSE_SYMBOL_VISIBLE so that catch clauses and dynamic_cast match across it.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define SYNAPSE_SYMBOL_VISIBLE __attribute__((visibility("default")))
#define SYNAPSE_SYMBOL_EXPORT __attribute__((visibility("default")))
#else
#define SYNAPSE_SYMBOL_VISIBLE
#define SYNAPSE_SYMBOL_EXPORT
#endif

// Internal: how a plugin's metadata record is laid out. Not part of the public API.
//
// The host must read the metadata WITHOUT loading the library (loading runs the plugin's
// static initialisers). boost::dll::library_info reads symbol names per ELF section without
// dlopen, so every field is encoded in the *name* of an exported alias placed in the section
// `synmeta`:
//
//   synapse_meta_abi_<N>                 SYNAPSE_ABI_VERSION
//   synapse_meta_sdk_<maj>_<min>_<pat>   SDK version the plugin was compiled with
//   synapse_meta_cc_<gcc|clang>_<maj>_<min>
//   synapse_meta_stdlib_<libstdcxx_cxx11abi_<0|1> | libcxx | other>
//   synapse_meta_json_<maj>_<min>_<pat>  nlohmann-json version (its types cross the boundary)
//   synapse_meta_category_<category>
//
// Action factories are aliases in the section `synactn`; their names are the action aliases.
// Section names stay at most 8 characters (ELF/PE portability in Boost.DLL).
#pragma once

#include <cstddef>  // pulls in the standard library's configuration macros

#include <boost/dll/alias.hpp>
#include <nlohmann/json_fwd.hpp>
#include <synapse/version.hpp>

#define SYNAPSE_DETAIL_CAT_(a, b) a##b
#define SYNAPSE_DETAIL_CAT(a, b) SYNAPSE_DETAIL_CAT_(a, b)
#define SYNAPSE_DETAIL_CAT3(a, b, c) SYNAPSE_DETAIL_CAT(SYNAPSE_DETAIL_CAT(a, b), c)
#define SYNAPSE_DETAIL_VERSION3(prefix, a, b, c) \
  SYNAPSE_DETAIL_CAT(SYNAPSE_DETAIL_CAT3(SYNAPSE_DETAIL_CAT3(prefix, a, _), b, _), c)

#if defined(__clang__)
#define SYNAPSE_DETAIL_CC \
  SYNAPSE_DETAIL_CAT3(clang_, __clang_major__, SYNAPSE_DETAIL_CAT(_, __clang_minor__))
#elif defined(__GNUC__)
#define SYNAPSE_DETAIL_CC SYNAPSE_DETAIL_CAT3(gcc_, __GNUC__, SYNAPSE_DETAIL_CAT(_, __GNUC_MINOR__))
#else
#define SYNAPSE_DETAIL_CC unknown
#endif

#if defined(_GLIBCXX_USE_CXX11_ABI)
#define SYNAPSE_DETAIL_STDLIB SYNAPSE_DETAIL_CAT(libstdcxx_cxx11abi_, _GLIBCXX_USE_CXX11_ABI)
#elif defined(_LIBCPP_VERSION)
#define SYNAPSE_DETAIL_STDLIB libcxx
#else
#define SYNAPSE_DETAIL_STDLIB other
#endif

#define SYNAPSE_DETAIL_SDK                                                                         \
  SYNAPSE_DETAIL_VERSION3(synapse_meta_sdk_, SYNAPSE_SDK_VERSION_MAJOR, SYNAPSE_SDK_VERSION_MINOR, \
                          SYNAPSE_SDK_VERSION_PATCH)
#define SYNAPSE_DETAIL_JSON                                                \
  SYNAPSE_DETAIL_VERSION3(synapse_meta_json_, NLOHMANN_JSON_VERSION_MAJOR, \
                          NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH)

namespace synapse::detail {
// The object every metadata alias points at; only the aliases' names carry information.
inline const char plugin_metadata_marker = 0;
}  // namespace synapse::detail

#define SYNAPSE_DETAIL_META_ALIAS(name) \
  BOOST_DLL_ALIAS_SECTIONED(::synapse::detail::plugin_metadata_marker, name, synmeta)

// Full form, used by the test fixtures to fake a mismatching plugin. Every argument is a
// token that is pasted into a symbol name.
#define SYNAPSE_DETAIL_PLUGIN_METADATA(abi, cc, stdlib, category)             \
  SYNAPSE_DETAIL_META_ALIAS(SYNAPSE_DETAIL_CAT(synapse_meta_abi_, abi))       \
  SYNAPSE_DETAIL_META_ALIAS(SYNAPSE_DETAIL_SDK)                               \
  SYNAPSE_DETAIL_META_ALIAS(SYNAPSE_DETAIL_CAT(synapse_meta_cc_, cc))         \
  SYNAPSE_DETAIL_META_ALIAS(SYNAPSE_DETAIL_CAT(synapse_meta_stdlib_, stdlib)) \
  SYNAPSE_DETAIL_META_ALIAS(SYNAPSE_DETAIL_JSON)                              \
  SYNAPSE_DETAIL_META_ALIAS(SYNAPSE_DETAIL_CAT(synapse_meta_category_, category))

// The library's exported symbols: its metadata (ABI, SDK, compiler, category) and the factory
// of the Uploader that config.yaml names (`entrypoint: lib<target>.so:Uploader`). Exactly one
// translation unit of the plugin holds these; the code is in uploader.cpp.
#include <synapse/upload/uploader.hpp>

#include "uploader.hpp"

SYNAPSE_PLUGIN(upload)
SYNAPSE_UPLOADER(Uploader, plugin::PluginUploader)

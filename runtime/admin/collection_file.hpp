// A data collection described in YAML (`synapse collection create --from collection.yaml`):
//   name: sample-images                 (required)
//   description: ...
//   file_specifications:                (required, at least one)
//     - {name: image_1, file_type: image, extensions: [jpg, png], is_required: true,
//        description: ...}
//   data_unit_meta_schema: {...}        (optional JSON Schema for every data unit's meta)
// Every problem is reported at once as `file:line:column: key.path: message` (id
// "collection.invalid", exit 2). Extensions are stored lower-case with a leading dot.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <synapse/catalog.hpp>

namespace synapse::runtime {

synapse::DataCollection read_collection_file(const std::filesystem::path& file);
synapse::DataCollection parse_collection_file(std::string_view yaml_text,
                                              const std::string& display_name);

}  // namespace synapse::runtime

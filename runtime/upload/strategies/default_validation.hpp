// Validation strategy `default` (spec/upload.md §11.1, made per unit): every file's spec exists
// in the collection, its name ends with one of the spec's extensions (case-insensitive; a spec
// without extensions accepts any), its base name is at most 255 bytes, and every required spec
// is present.
#pragma once

#include <memory>

#include <synapse/upload/strategies.hpp>

namespace synapse::runtime::upload {

std::unique_ptr<synapse::upload::ValidationStrategy> make_default_validation();

}  // namespace synapse::runtime::upload

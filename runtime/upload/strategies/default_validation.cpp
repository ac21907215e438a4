#include "upload/strategies/default_validation.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace synapse::runtime::upload {

namespace {

using synapse::FileSpecification;
using synapse::upload::OrganizedUnit;
using synapse::upload::ValidationResult;

constexpr std::size_t kMaxNameBytes = 255;

bool extension_allowed(std::string_view name, const std::vector<std::string>& extensions) {
  if (extensions.empty())
    return true;
  return std::any_of(extensions.begin(), extensions.end(), [&](const std::string& ext) {
    if (ext.empty())
      return false;
    const std::string dotted = ext.front() == '.' ? ext : "." + ext;
    return ends_with_ci(name, dotted);
  });
}

class DefaultValidation final : public synapse::upload::ValidationStrategy {
 public:
  std::string name() const override { return "default"; }

  ValidationResult validate_unit(const OrganizedUnit& unit,
                                 const std::vector<FileSpecification>& specs) override {
    ValidationResult result;
    const auto fail = [&](std::string error) {
      result.valid = false;
      result.errors.push_back("unit '" + unit.key + "': " + std::move(error));
    };
    if (unit.files.empty())
      fail("has no files");
    for (const auto& [spec_name, path] : unit.files) {
      const auto spec = std::find_if(specs.begin(), specs.end(), [&](const FileSpecification& s) {
        return s.name == spec_name;
      });
      if (spec == specs.end()) {
        fail("file " + path + " is for '" + spec_name +
             "', which is not a file specification of the collection");
        continue;
      }
      const auto slash = path.find_last_of('/');
      const std::string_view base = slash == std::string::npos
                                        ? std::string_view(path)
                                        : std::string_view(path).substr(slash + 1);
      if (base.empty())
        fail("spec '" + spec_name + "' has an empty file path");
      else if (base.size() > kMaxNameBytes)
        fail("file name of " + path + " is longer than 255 bytes");
      if (!extension_allowed(base, spec->extensions)) {
        std::string allowed;
        for (const auto& ext : spec->extensions)
          allowed += (allowed.empty() ? "" : ", ") + ext;
        fail("file " + path + " has an extension spec '" + spec_name + "' does not allow (" +
             allowed + ")");
      }
    }
    for (const auto& spec : specs) {
      if (spec.is_required && !unit.files.contains(spec.name))
        fail("required spec '" + spec.name + "' is missing");
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<synapse::upload::ValidationStrategy> make_default_validation() {
  return std::make_unique<DefaultValidation>();
}

}  // namespace synapse::runtime::upload

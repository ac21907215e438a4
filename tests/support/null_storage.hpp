// A Storage that stores nothing: every operation does nothing or finds nothing. Tests derive
// from it to override the one or two calls they watch (its provider name, sync()).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <synapse/storage.hpp>

namespace synapse::testing {

class NullStorage : public synapse::Storage {
 public:
  explicit NullStorage(std::string provider = "local") : provider_(std::move(provider)) {}
  std::string provider() const override { return provider_; }
  std::optional<synapse::ObjectInfo> stat(std::string_view) override { return {}; }
  std::unique_ptr<synapse::ObjectLister> list(std::string_view, bool) override { return {}; }
  std::unique_ptr<synapse::ReadStream> open_read(std::string_view, std::uint64_t,
                                                 std::optional<std::uint64_t>) override {
    return {};
  }
  std::unique_ptr<synapse::WriteStream> open_write(std::string_view) override { return {}; }
  void remove(std::string_view) override {}

 private:
  std::string provider_;
};

}  // namespace synapse::testing

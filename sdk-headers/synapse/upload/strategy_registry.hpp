// StrategyRegistry: named factories per strategy kind (design.md §5). The runtime fills it
// with the built-in strategies, then hands it to the plugin's Uploader::configure(), where a
// plugin may add its own, replace or remove one, or force which one a kind uses. The upload
// then creates one strategy per kind: the forced name if any, else the one the params select
// (spec/upload.md §12, see the runtime's strategy factory).
//
// A factory receives the validated params (defaults applied) and returns a new strategy.
// Header-only, like StepRegistry, so plugins use it without linking the runtime. Errors
// (StrategyRegistryError) name the kind and list what is registered; a failed call changes
// nothing.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>
#include <synapse/upload/strategies.hpp>
#include <synapse/visibility.hpp>

namespace synapse::upload {

class SYNAPSE_SYMBOL_VISIBLE StrategyRegistryError : public Error {
 public:
  using Error::Error;
};

template <class Strategy>
using StrategyFactory = std::function<std::unique_ptr<Strategy>(const nlohmann::json& params)>;

class StrategyRegistry {
 public:
  // Registers `name` for Strategy's kind; a name already registered is an error (use
  // replace()).
  template <class Strategy>
  void add(const std::string& name, StrategyFactory<Strategy> factory) {
    auto& table = factories<Strategy>();
    check(Strategy::kind, name, factory != nullptr);
    if (table.contains(name)) {
      throw StrategyRegistryError(std::string(to_string(Strategy::kind)) + " strategy '" + name +
                                  "' already registered");
    }
    table.emplace(name, std::move(factory));
  }

  // Puts `factory` in the place of the registered `name`.
  template <class Strategy>
  void replace(const std::string& name, StrategyFactory<Strategy> factory) {
    auto& table = factories<Strategy>();
    check(Strategy::kind, name, factory != nullptr);
    auto it = table.find(name);
    if (it == table.end()) {
      throw unknown(Strategy::kind, name);
    }
    it->second = std::move(factory);
  }

  // Removes `name`; false when there was none. A forced selection of it is dropped too.
  template <class Strategy>
  bool remove(const std::string& name) {
    if (factories<Strategy>().erase(name) == 0) {
      return false;
    }
    auto it = selected_.find(Strategy::kind);
    if (it != selected_.end() && it->second == name) {
      selected_.erase(it);
    }
    return true;
  }

  template <class Strategy>
  bool contains(const std::string& name) const {
    return factories<Strategy>().contains(name);
  }

  // Registered names of Strategy's kind, sorted.
  template <class Strategy>
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : factories<Strategy>()) {
      out.push_back(entry.first);
    }
    return out;
  }

  // A new strategy `name` built for `params`.
  template <class Strategy>
  std::unique_ptr<Strategy> create(const std::string& name, const nlohmann::json& params) const {
    const auto& table = factories<Strategy>();
    auto it = table.find(name);
    if (it == table.end()) {
      throw unknown(Strategy::kind, name);
    }
    auto strategy = it->second(params);
    if (!strategy) {
      throw StrategyRegistryError(std::string(to_string(Strategy::kind)) + " strategy '" + name +
                                  "': its factory returned null");
    }
    return strategy;
  }

  // Forces `kind` to use `name` whatever the params say (checked when the upload starts, so a
  // plugin may select before it adds).
  void select(StrategyKind kind, std::string name) { selected_[kind] = std::move(name); }
  std::optional<std::string> selected(StrategyKind kind) const {
    auto it = selected_.find(kind);
    return it == selected_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }

  // {kind: [names]} (Python's get_available_strategies()).
  nlohmann::json available() const {
    return {{"validation", names<ValidationStrategy>()},
            {"file_discovery", names<FileDiscoveryStrategy>()},
            {"metadata", names<MetadataStrategy>()},
            {"upload", names<UploadStrategy>()},
            {"data_unit", names<DataUnitStrategy>()}};
  }

  // The error for a name that is not registered, listing the registered ones.
  StrategyRegistryError unknown(StrategyKind kind, const std::string& name) const {
    std::vector<std::string> known;
    switch (kind) {
      case StrategyKind::validation:
        known = names<ValidationStrategy>();
        break;
      case StrategyKind::file_discovery:
        known = names<FileDiscoveryStrategy>();
        break;
      case StrategyKind::metadata:
        known = names<MetadataStrategy>();
        break;
      case StrategyKind::upload:
        known = names<UploadStrategy>();
        break;
      case StrategyKind::data_unit:
        known = names<DataUnitStrategy>();
        break;
    }
    std::string list;
    for (const auto& k : known) {
      list += (list.empty() ? "" : ", ") + k;
    }
    return StrategyRegistryError(std::string("unknown ") + to_string(kind) + " strategy '" + name +
                                 "' (registered: " + (list.empty() ? "none" : list) + ")");
  }

 private:
  template <class Strategy>
  using Table = std::map<std::string, StrategyFactory<Strategy>>;

  static void check(StrategyKind kind, const std::string& name, bool has_factory) {
    if (name.empty()) {
      throw StrategyRegistryError(std::string("cannot register a ") + to_string(kind) +
                                  " strategy with an empty name");
    }
    if (!has_factory) {
      throw StrategyRegistryError(std::string("cannot register ") + to_string(kind) +
                                  " strategy '" + name + "' without a factory");
    }
  }

  template <class Strategy>
  Table<Strategy>& factories() {
    return const_cast<Table<Strategy>&>(std::as_const(*this).template factories<Strategy>());
  }
  template <class Strategy>
  const Table<Strategy>& factories() const {
    if constexpr (Strategy::kind == StrategyKind::validation) {
      return validation_;
    } else if constexpr (Strategy::kind == StrategyKind::file_discovery) {
      return file_discovery_;
    } else if constexpr (Strategy::kind == StrategyKind::metadata) {
      return metadata_;
    } else if constexpr (Strategy::kind == StrategyKind::upload) {
      return upload_;
    } else {
      return data_unit_;
    }
  }

  Table<ValidationStrategy> validation_;
  Table<FileDiscoveryStrategy> file_discovery_;
  Table<MetadataStrategy> metadata_;
  Table<UploadStrategy> upload_;
  Table<DataUnitStrategy> data_unit_;
  std::map<StrategyKind, std::string> selected_;
};

}  // namespace synapse::upload

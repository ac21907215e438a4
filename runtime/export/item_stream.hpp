// The items of one export, read lazily: one page of target records at a time (page_size
// records, 100-1000), built into export items, handed out one by one. At most one page is held,
// so memory does not grow with the number of items. It is the ItemReader an Exporter's
// export_all() receives, and the source of the host's own item loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>
#include <synapse/export/export_context.hpp>

#include "export/item_builder.hpp"
#include "export/target_handler.hpp"

namespace synapse::runtime::exports {

class ItemStream final : public synapse::exports::ItemReader {
 public:
  static constexpr std::size_t kDefaultPageSize = 500;

  ItemStream(const TargetHandler& handler, nlohmann::json filter, Catalog& catalog,
             std::size_t page_size = kDefaultPageSize);

  std::optional<nlohmann::json> next() override;
  // Items handed out so far.
  std::int64_t read() const { return read_; }

 private:
  const TargetHandler& handler_;
  nlohmann::json filter_;
  Catalog& catalog_;
  ItemBuilder builder_;
  std::size_t page_size_;
  std::vector<nlohmann::json> page_;
  std::size_t position_ = 0;
  std::string cursor_;
  bool last_page_read_ = false;
  std::int64_t read_ = 0;
};

}  // namespace synapse::runtime::exports

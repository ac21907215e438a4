#include "export/item_stream.hpp"

#include <algorithm>
#include <utility>

namespace synapse::runtime::exports {

ItemStream::ItemStream(const TargetHandler& handler, nlohmann::json filter, Catalog& catalog,
                       std::size_t page_size, Mode mode)
    : handler_(handler),
      filter_(std::move(filter)),
      catalog_(catalog),
      builder_(catalog),
      page_size_(std::clamp<std::size_t>(page_size, 1, 1000)),
      mode_(mode),
      thread_([this] { read_pages(); }) {}

ItemStream::~ItemStream() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

ItemStream::Page ItemStream::build(SeedPage&& seeds) {
  Page page;
  page.last = seeds.next_cursor.empty();
  if (mode_ == Mode::items) {
    page.items = builder_.build(std::move(seeds.items));
    return page;
  }
  page.texts.reserve(seeds.items.size());
  for (auto& seed : seeds.items)
    page.texts.push_back(std::move(seed.data_text));
  if (mode_ == Mode::texts_with_files) {
    page.items = builder_.build(std::move(seeds.items));
    for (auto& item : page.items)
      item.erase("data");
  } else {
    page.items.reserve(seeds.items.size());
    for (const auto& seed : seeds.items)
      page.items.push_back({{"id", seed.id}});
  }
  return page;
}

void ItemStream::read_pages() {
  std::string cursor;
  try {
    bool last = false;
    while (!last) {
      const PageRequest request{cursor, page_size_};
      auto seeds = mode_ == Mode::items ? handler_.fetch(filter_, catalog_, request)
                                        : handler_.fetch_texts(filter_, catalog_, request);
      cursor = seeds.next_cursor;
      last = cursor.empty();
      Page page = build(std::move(seeds));
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || !ready_; });
      if (stop_)
        break;
      ready_ = std::move(page);
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
  }
  std::lock_guard lock(mutex_);
  reading_done_ = true;
  changed_.notify_all();
}

std::optional<nlohmann::json> ItemStream::next() {
  // A filtered page may be empty while later ones are not: keep taking pages until an item or
  // the end.
  while (position_ == page_.size()) {
    if (last_page_taken_)
      return std::nullopt;
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return ready_ || reading_done_; });
    if (!ready_) {
      if (error_)
        std::rethrow_exception(error_);
      return std::nullopt;  // not reached: the thread's last page sets last_page_taken_
    }
    last_page_taken_ = ready_->last;
    page_ = std::move(ready_->items);
    texts_ = std::move(ready_->texts);
    ready_.reset();
    position_ = 0;
    lock.unlock();
    changed_.notify_all();
  }
  ++read_;
  return std::move(page_[position_++]);
}

}  // namespace synapse::runtime::exports

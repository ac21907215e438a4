// The host's item loop (Python BaseExporter.export, spec/export.md §8.2 steps 4-6; design.md §6):
// for each item, before_convert -> convert_data -> after_convert on this thread, then the saves
// (`origin_files/<name>` when save_original_file, then `json/<id>.json`) on the save queue while
// the next items convert, then, back in item order: the export_original_file / export_data_file
// events, the metrics, the progress, and item_exported() for an item whose outputs were all
// saved. A hook that throws or a save that fails fails that item only: it goes to the error list
// and the loop goes on. Cancellation is checked between items; the saves already under way finish
// and are reported before the loop returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include <synapse/export/exporter.hpp>

#include "export/error_list.hpp"
#include "export/export_context_impl.hpp"
#include "export/item_stream.hpp"

namespace synapse::runtime::exports {

struct ItemLoopOptions {
  // Saves run on this many threads (0: inline, one at a time). Unset: chosen for the output
  // storage by default_save_threads().
  std::optional<std::size_t> save_threads;
  // Items converted but not yet reported, at most (bounds memory: each holds its converted JSON).
  std::size_t save_window = 64;
};

struct ItemLoopOutcome {
  std::int64_t items = 0;    // items read
  std::int64_t success = 0;  // outputs saved and item_exported() returned
  std::int64_t failed = 0;
  bool cancelled = false;  // stopped early because the run was cancelled
};

// Local saves get one thread per usable CPU (affinity mask and cgroup quota, usable_cpus.hpp):
// they are deferred-durability writes (no fsync to wait for), bound by CPU and the folder's
// lock, and threads beyond the CPUs only spin on that lock (measured: 2 threads 20-25% faster
// than 8 on 2 cores, 100k items). Remote saves are mostly waiting on the network, where more
// threads than CPUs pays: eight.
std::size_t default_save_threads(const synapse::Storage& output);

// `errors` collects the failed items; the caller writes error_file_list.json from it.
// `items` must have been opened in a text mode when exporter.passes_data_through().
ItemLoopOutcome run_item_loop(synapse::exports::Exporter& exporter, ExportContextImpl& context,
                              ItemStream& items, ErrorList& errors,
                              const ItemLoopOptions& options = {});

}  // namespace synapse::runtime::exports

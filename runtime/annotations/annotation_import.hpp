// `synapse annotations import`: annotation files (docs/annotation-format.md) into the catalog,
// as the annotation of a task, an assignment or a ground truth of each data unit they name.
//
// All or nothing for bad input, bounded memory, idempotent:
// 1. Check: every file is read and checked (on worker threads, a chunk of files each), and the
//    unit it names is resolved through the catalog in batches (find_data_units_by_keys). Only
//    a path, a unit id and a hash are kept per file, so 100,000 files cost a few MB. Any
//    problem (a rule of the format, no unit or several, two files naming one unit, an
//    unreadable file) stops the import before anything is written, with every problem listed:
//    RuntimeError "annotations.invalid" (exit 2).
// 2. Write (not with dry_run): the files are read again and compacted (worker threads) and
//    written in batches on the calling thread, each batch one transaction (put_*_annotations)
//    that updates the rows it finds and creates the others, so running the same import again
//    writes the same rows. A file that changed since it was checked stops the import
//    ("annotations.changed", exit 1); the batches already written stay, and running the import
//    again completes it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <synapse/catalog.hpp>

namespace synapse::runtime::annotations {

enum class ImportTarget { task, assignment, ground_truth };

// "task", "assignment", "ground_truth".
const char* target_name(ImportTarget target);
std::optional<ImportTarget> parse_target(std::string_view name);

struct ImportOptions {
  CatalogId collection_id = 0;
  // Required for task and assignment; optional for ground_truth (then only checked). The
  // project must be bound to the collection or to none.
  std::optional<CatalogId> project_id;
  ImportTarget target = ImportTarget::task;
  std::string dataset_version;  // ground_truth only, and required there
  bool dry_run = false;         // check and resolve only
  // Files (read whatever their name) and folders (every *.json below them, sorted by path).
  std::vector<std::filesystem::path> inputs;
  std::size_t batch_size = 1000;  // files per catalog call (one transaction each)
  // Status a task gets with its annotation (target task).
  std::string task_status = "completed";
};

struct ImportSummary {
  std::size_t files = 0;          // annotation files read (each names one data unit)
  std::size_t data_units = 0;     // data units annotated (or, with dry_run, resolved)
  std::size_t created = 0;        // rows of the target created ...
  std::size_t updated = 0;        // ... and updated
  std::size_t tasks_created = 0;  // target assignment: tasks created for units without one
};

// The files `inputs` name, in import order: each input in turn; a folder gives the *.json
// files below it (recursively, sorted by path). Throws RuntimeError "annotations.no_input"
// (exit 2) naming every input that does not exist or cannot be listed.
std::vector<std::filesystem::path> list_annotation_files(
    const std::vector<std::filesystem::path>& inputs);

// Throws RuntimeError (exit 2) for bad options ("annotations.bad_options": a missing project
// or version, a project bound to another collection) and bad files ("annotations.invalid"),
// CatalogError for a missing collection or project and for catalog failures.
ImportSummary import_annotations(Catalog& catalog, const ImportOptions& options);

}  // namespace synapse::runtime::annotations

// The two shapes a data unit takes on its way through an upload (spec/upload.md §10):
// OrganizedUnit after discovery (which source files make up the unit, with its meta), and
// UploadedUnit after its files are stored in the catalog. Both convert to and from JSON so the
// pipeline can spool them to disk (see spool.hpp) instead of holding a million in memory.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

namespace synapse::upload {

struct OrganizedUnit {
  // Grouping key: the stem ("1"), sub-path + stem ("a/1") or a folder path, unique per upload.
  std::string key;
  // file specification name -> path of the source file in its storage.
  std::map<std::string, std::string> files;
  // The data unit's meta: origin_file_stem, origin_file_extension and the metadata columns.
  nlohmann::json meta = nlohmann::json::object();
};

struct UploadedUnit {
  std::string key;
  std::map<std::string, DataFile> files;  // spec name -> stored data file
  std::map<std::string, bool> created;    // spec name -> this run created the row
  nlohmann::json meta = nlohmann::json::object();
  std::string error;  // empty = every file stored
  bool ok() const { return error.empty(); }
};

}  // namespace synapse::upload

namespace synapse {

// ADL hooks for nlohmann::json (in the records' own namespace, where ADL looks).
inline void to_json(nlohmann::json& out, const DataFile& file) {
  out = {{"id", file.id},
         {"checksum", file.checksum},
         {"size", file.size},
         {"original_name", file.original_name},
         {"location", file.location},
         {"meta", file.meta},
         {"created_at", file.created_at}};
}
inline void from_json(const nlohmann::json& in, DataFile& file) {
  in.at("id").get_to(file.id);
  in.at("checksum").get_to(file.checksum);
  in.at("size").get_to(file.size);
  in.at("original_name").get_to(file.original_name);
  in.at("location").get_to(file.location);
  file.meta = in.value("meta", nlohmann::json::object());
  file.created_at = in.value("created_at", std::string());
}
inline void to_json(nlohmann::json& out, const DataUnit& unit) {
  out = {{"id", unit.id},
         {"collection_id", unit.collection_id},
         {"files", unit.files},
         {"meta", unit.meta}};
}
inline void from_json(const nlohmann::json& in, DataUnit& unit) {
  in.at("id").get_to(unit.id);
  in.at("collection_id").get_to(unit.collection_id);
  in.at("files").get_to(unit.files);
  unit.meta = in.value("meta", nlohmann::json::object());
}

namespace upload {

inline void to_json(nlohmann::json& out, const OrganizedUnit& unit) {
  out = {{"key", unit.key}, {"files", unit.files}, {"meta", unit.meta}};
}
inline void from_json(const nlohmann::json& in, OrganizedUnit& unit) {
  in.at("key").get_to(unit.key);
  in.at("files").get_to(unit.files);
  unit.meta = in.value("meta", nlohmann::json::object());
}
inline void to_json(nlohmann::json& out, const UploadedUnit& unit) {
  out = {{"key", unit.key},
         {"files", unit.files},
         {"created", unit.created},
         {"meta", unit.meta},
         {"error", unit.error}};
}
inline void from_json(const nlohmann::json& in, UploadedUnit& unit) {
  in.at("key").get_to(unit.key);
  in.at("files").get_to(unit.files);
  in.at("created").get_to(unit.created);
  unit.meta = in.value("meta", nlohmann::json::object());
  unit.error = in.value("error", std::string());
}

}  // namespace upload
}  // namespace synapse

// Streaming ListObjectsV2: one page is fetched when the previous one is drained.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <synapse/storage.hpp>

#include "storage/s3/s3_client.hpp"

namespace synapse::runtime::s3 {

struct ListPage {
  std::vector<ObjectInfo> files;     // Contents; path = the full key
  std::vector<std::string> folders;  // CommonPrefixes, as given (ending with '/')
  std::string continuation_token;    // empty on the last page
};

// Parses one ListBucketResult document; throws StorageError io when it is not one.
ListPage parse_list_page(const std::string& xml);

// Entries under `folder` (a storage path, "" = root; normalised). Recursive listings name
// every object below it; otherwise direct children, folders from CommonPrefixes.
std::unique_ptr<ObjectLister> make_s3_lister(std::shared_ptr<S3Client> client, std::string folder,
                                             bool recursive);

// "2013-09-17T18:07:53.000Z" -> seconds since the epoch, -1 when unparsable.
std::int64_t parse_iso8601(const std::string& text);

}  // namespace synapse::runtime::s3

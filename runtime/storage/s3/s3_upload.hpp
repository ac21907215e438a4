// Writing one object: a single PUT up to the multipart threshold, a multipart upload above it.
#pragma once

#include <memory>
#include <string>

#include <synapse/storage.hpp>

#include "storage/s3/s3_client.hpp"

namespace synapse::runtime::s3 {

// `key` is the full object key, `path` the storage path messages name.
std::unique_ptr<WriteStream> make_s3_write_stream(std::shared_ptr<S3Client> client, std::string key,
                                                  std::string path);

}  // namespace synapse::runtime::s3

// The standard uploader: the host's 8-step pipeline and built-in strategies unchanged. An
// upload plugin that needs nothing custom is exactly this file.
#include <synapse/upload/uploader.hpp>

namespace {

class DefaultUploader final : public synapse::upload::Uploader {};

}  // namespace

SYNAPSE_PLUGIN(upload)
SYNAPSE_UPLOADER(Uploader, DefaultUploader)

// jemalloc's options for the host (read by jemalloc at start-up; $MALLOC_CONF still overrides).
//
// dirty_decay_ms: freed pages go back to the system after about a second instead of ten. The
// upload stores two batches at once on several threads, and jemalloc kept every arena's freed
// pages for the default ten seconds: 100,000 small files peaked at 55-63 MiB resident instead
// of 48 MiB (the live data differ by ~5 MiB), next to a 64 MiB budget; no measurable cost in
// time for the upload or the 100,000-item COCO export.
#ifdef SYNAPSE_WITH_JEMALLOC
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface.
const char* malloc_conf = "dirty_decay_ms:1000";
}
#endif

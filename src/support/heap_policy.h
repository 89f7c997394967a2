// How the process's heap grows: in few, large steps on huge pages, and never
// given back before exit. Each 4 kB page the heap first touches is a page
// fault, and in some guests (cloud CI runners among them) a fault costs far
// more than the work that caused it; slimlink's heap is tens of MB that
// parsing, rewriting and writing take and free over and over.
#pragma once

namespace slimlink {

// Call first thing in main(), before any thread starts.
void setHeapPolicy();

// The number of heaps (glibc's arenas) for `workers` worker threads; call
// once their number is known, before the first starts.
void setHeapArenas(unsigned workers);

} // namespace slimlink

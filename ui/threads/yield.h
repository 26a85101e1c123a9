#pragma once
// How the window's worker threads give way to the GUI thread: on a machine with few cores the
// interface answers first, the pictures a person waits for next, and training and other
// background work take what is left (docs/ARCHITECTURE.md, "Threads").

namespace latentlab {

// On a 2-core machine they often all want one: training takes a core, a decoder the other.
enum class Yield {
    // What a person waits for (the slider's preview, a hover's images): nice +10, so the GUI
    // thread gets about nine tenths of a core they share.
    Pictures,
    // Training, the manifold map, the layout of many codes, a followed run's reader: Linux's
    // SCHED_IDLE class, whose threads run only on what the others leave; a waking GUI or
    // picture thread takes their core at once (a nice value only shortens their turn).
    Background,
};
// Puts the calling thread in `role`, once per thread (Linux; elsewhere nothing). Where
// SCHED_IDLE is refused, a background thread takes nice +19 instead.
//
// With LATENTLAB_YIELD=off (any case) in the environment, every thread keeps the GUI
// thread's priority. Work at idle priority gets almost nothing while another busy program
// shares its scheduling group (under autogroup, a terminal session): CTest sets it, as it runs
// several suites side by side, and a person may set it too, to train at full speed beside
// other work.
void yieldToInterface(Yield role);

} // namespace latentlab

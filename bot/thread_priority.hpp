// Background priority for the threads of `yimei serve` whose work may lag (answering recorded
// messages, delivering replies): under a burst the cores go first to what may not lag —
// acknowledging platform callbacks within their deadlines (WeCom retries after 5 s). Answers
// stay durable in the inbox and catch up as soon as the burst ends.
#pragma once

namespace yimei::bot {

// Adds `increment` (0–19) to the calling thread's nice value (Linux keeps one per thread).
// Returns the thread's new nice value; a failure leaves the priority as it was.
int lower_thread_priority(int increment);

// The calling thread's nice value.
int thread_nice_value();

}  // namespace yimei::bot

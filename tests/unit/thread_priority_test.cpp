// lower_thread_priority changes the calling thread only (Linux keeps a nice value per thread).
#include <gtest/gtest.h>

#include <thread>

#include "bot/thread_priority.hpp"

using yimei::bot::lower_thread_priority;
using yimei::bot::thread_nice_value;

TEST(ThreadPriority, LowersOnlyTheCallingThread) {
  const int before = thread_nice_value();
  int inside = -100, returned = -100;
  std::thread t([&] {
    returned = lower_thread_priority(3);
    inside = thread_nice_value();
  });
  t.join();
  EXPECT_EQ(inside, std::min(before + 3, 19));
  EXPECT_EQ(returned, inside);
  EXPECT_EQ(thread_nice_value(), before) << "the calling thread of the test is unchanged";
}

TEST(ThreadPriority, ZeroLeavesThePriorityAlone) {
  int inside = -100;
  const int before = thread_nice_value();
  std::thread t([&] {
    lower_thread_priority(0);
    inside = thread_nice_value();
  });
  t.join();
  EXPECT_EQ(inside, before);
}

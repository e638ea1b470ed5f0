// OutboxSender: a pass repeats while it keeps finding full batches, so a backlog is drained
// without waiting for the next request or poll.
#include "bot/outbox_sender.hpp"

#include <spdlog/spdlog.h>

#include "bot/thread_priority.hpp"
#include "core/db/connection.hpp"

namespace yimei::bot {

OutboxSender::OutboxSender(db::ConnectionPool& pool, PlatformAdapter& adapter, Metrics& metrics,
                           OutboxSenderOptions options)
    : pool_(pool), adapter_(adapter), metrics_(metrics), options_(std::move(options)) {
  if (options_.threads == 0) options_.threads = 1;
  if (options_.batch == 0) options_.batch = 1;
}

OutboxSender::~OutboxSender() {
  stop();
}

void OutboxSender::start() {
  std::lock_guard lock(mu_);
  if (!threads_.empty() || stopping_) return;
  for (std::size_t i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { run(); });
}

void OutboxSender::request() {
  {
    std::lock_guard lock(mu_);
    if (wanted_) return;  // a wake-up is already pending
    wanted_ = true;
  }
  cv_.notify_one();
}

void OutboxSender::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void OutboxSender::run() {
  lower_thread_priority(options_.nice);
  db::thread_init();
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait_for(lock, options_.poll, [&] { return stopping_ || wanted_; });
    const bool last = stopping_;
    if (last && !wanted_) break;
    wanted_ = false;
    lock.unlock();
    deliver_all();
    lock.lock();
    if (last) break;
  }
  lock.unlock();
  db::thread_end();
}

void OutboxSender::deliver_all() {
  const std::string& platform = adapter_.platform();
  for (;;) {
    DeliveryCount n;
    try {
      n = deliver_batch(
          pool_, platform, [this](const OutboxRow& row) { return adapter_.deliver(row); },
          options_.policy, options_.batch);
    } catch (const std::exception& e) {
      spdlog::error("delivery to {} failed (retried on the next pass): {}", platform, e.what());
      return;
    }
    if (n.sent)
      metrics_.add("yimei_outbox_delivered_total", "platform=\"" + platform + "\"", n.sent,
                   "Outbox rows delivered to a platform");
    if (n.claimed < options_.batch) return;
  }
}

}  // namespace yimei::bot

// The io_context runner and the signal watcher (Asio only, no Beast).
#include "bot/net/net_runtime.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace yimei::net {

namespace asio = boost::asio;

struct NetRuntime::Impl {
  explicit Impl(std::size_t n) : io(static_cast<int>(n)), guard(asio::make_work_guard(io)) {}
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::vector<std::thread> threads;
  std::mutex stop_mu;
};

NetRuntime::NetRuntime(std::size_t threads) : impl_(std::make_unique<Impl>(threads)) {
  if (threads == 0) throw std::invalid_argument("NetRuntime: threads must be > 0");
  for (std::size_t i = 0; i < threads; ++i)
    impl_->threads.emplace_back([io = &impl_->io] {
      for (;;) {
        try {
          io->run();
          return;
        } catch (const std::exception& e) {
          // Every spawn has its own completion handler; this is a last line of defence.
          spdlog::error("io thread: unhandled exception: {}", e.what());
        }
      }
    });
}

NetRuntime::~NetRuntime() {
  stop();
}

void NetRuntime::stop() {
  std::lock_guard lock(impl_->stop_mu);
  if (in_io_thread()) throw std::logic_error("NetRuntime::stop called from an io thread");
  impl_->guard.reset();
  impl_->io.stop();
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
}

bool NetRuntime::in_io_thread() const {
  return impl_->io.get_executor().running_in_this_thread();
}

std::size_t NetRuntime::thread_count() const {
  return impl_->threads.size();
}

asio::io_context& NetRuntime::context() {
  return impl_->io;
}

struct SignalWatch::Impl {
  explicit Impl(asio::io_context& io) : set(io) {}
  asio::signal_set set;
  std::mutex mu;
  std::condition_variable cv;
  std::optional<int> caught;
};

SignalWatch::SignalWatch(NetRuntime& runtime, std::vector<int> signals)
    : impl_(std::make_shared<Impl>(runtime.context())) {
  if (signals.empty()) signals = {SIGINT, SIGTERM};
  for (int s : signals) impl_->set.add(s);
  impl_->set.async_wait([impl = impl_](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::info("signal {} received", signo);
    {
      std::lock_guard lock(impl->mu);
      impl->caught = signo;
    }
    impl->cv.notify_all();
  });
}

SignalWatch::~SignalWatch() {
  boost::system::error_code ignored;
  impl_->set.cancel(ignored);
  impl_->set.clear(ignored);
}

int SignalWatch::wait() {
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait(lock, [&] { return impl_->caught.has_value(); });
  return *impl_->caught;
}

std::optional<int> SignalWatch::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait_for(lock, timeout, [&] { return impl_->caught.has_value(); });
  return impl_->caught;
}

}  // namespace yimei::net

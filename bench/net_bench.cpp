// Throughput and latency of the HTTP server with a trivial 200 handler on loopback: the
// baseline the WeCom callback path is later compared against.
//
// Google Benchmark (keep-alive POSIX clients, one connection per benchmark thread):
//   build/<dir>/bench/net_bench --benchmark_min_time=3
// wrk recipe (wrk is installed; 2 wrk threads share the 2 cores with the server):
//   build/<dir>/bench/net_bench --serve 18080 15 1 &      # port, seconds, io threads
//   wrk -t2 -c50 -d10s --latency http://127.0.0.1:18080/bench
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bot/net/http_server.hpp"

using namespace yimei::net;

namespace {

Router trivial_routes() {
  Router r;
  r.handle("GET", "/bench", [](const Request&) { return Response::text(200, "ok\n"); });
  return r;
}

// One server per io-thread count, started on first use and kept for the process.
HttpServer& server_with(std::size_t io_threads) {
  struct Instance {
    std::unique_ptr<NetRuntime> runtime;
    std::unique_ptr<HttpServer> server;
  };
  static Instance instances[3];
  Instance& it = instances[std::min<std::size_t>(io_threads, 2)];
  if (!it.server) {
    spdlog::set_level(spdlog::level::warn);
    it.runtime = std::make_unique<NetRuntime>(io_threads);
    HttpServerOptions o;
    o.port = 0;
    it.server = std::make_unique<HttpServer>(*it.runtime, o, trivial_routes());
    it.server->start();
  }
  return *it.server;
}

class KeepAliveClient {
 public:
  explicit KeepAliveClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("connect failed");
  }
  ~KeepAliveClient() { ::close(fd_); }

  // Sends one GET and reads its whole response; false on any failure.
  bool round_trip() {
    static const std::string request = "GET /bench HTTP/1.1\r\nHost: bench\r\n\r\n";
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size()))
      return false;
    for (;;) {
      const auto head_end = buffer_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto cl = buffer_.find("Content-Length: ");
        if (cl == std::string::npos || cl > head_end) return false;
        const std::size_t length = std::strtoul(buffer_.c_str() + cl + 16, nullptr, 10);
        if (buffer_.size() >= head_end + 4 + length) {
          const bool ok = buffer_.compare(0, 12, "HTTP/1.1 200") == 0;
          buffer_.erase(0, head_end + 4 + length);
          return ok;
        }
      }
      char tmp[4096];
      const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buffer_.append(tmp, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  std::string buffer_;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const std::size_t k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// Arg 0: io threads of the server. Each benchmark thread is one keep-alive connection.
void BM_TrivialHandlerRoundTrip(benchmark::State& state) {
  HttpServer& server = server_with(static_cast<std::size_t>(state.range(0)));
  KeepAliveClient client(server.port());
  std::vector<double> latencies_us;
  latencies_us.reserve(1 << 20);
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!client.round_trip()) {
      state.SkipWithError("round trip failed");
      break;
    }
    latencies_us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["p50_us"] =
      benchmark::Counter(percentile(latencies_us, 0.50), benchmark::Counter::kAvgThreads);
  state.counters["p99_us"] =
      benchmark::Counter(percentile(latencies_us, 0.99), benchmark::Counter::kAvgThreads);
}
BENCHMARK(BM_TrivialHandlerRoundTrip)
    ->ArgName("io_threads")
    ->Arg(1)
    ->Arg(2)
    ->Threads(1)
    ->Threads(8)
    ->Threads(32)
    ->UseRealTime();

// `--serve PORT SECONDS [IO_THREADS]`: a trivial server for wrk; stops by itself.
int serve(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: net_bench --serve PORT SECONDS [IO_THREADS]\n");
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);
  NetRuntime runtime(argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 1);
  HttpServerOptions o;
  o.port = static_cast<std::uint16_t>(std::atoi(argv[2]));
  HttpServer server(runtime, o, trivial_routes());
  server.start();
  std::this_thread::sleep_for(std::chrono::seconds(std::atoi(argv[3])));
  server.shutdown(std::chrono::seconds(2));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--serve") == 0) return serve(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

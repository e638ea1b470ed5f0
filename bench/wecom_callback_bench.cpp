// The WeCom callback path. Google Benchmark: the CPU part of one callback (signature check,
// AES decryption, XML parsing) in process. Request-file mode for wrk against the real
// `yimei serve` (scripts/bench-wecom.sh):
//   wecom_callback_bench --write-requests FILE N   (WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID)
// writes N distinct signed, encrypted text-message callbacks, one per line, for
// scripts/wrk/replay.lua.
//   wecom_callback_bench --fake-api PORT
// serves a minimal WeCom API on 127.0.0.1:PORT until SIGTERM/SIGINT: gettoken hands out a
// token, message/send, appchat/send and media/upload answer errcode 0 — the replies' far end,
// cheap enough not to compete with the service for the cores it is measured on.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "adapters/wecom/callback_message.hpp"
#include "adapters/wecom/msg_crypt.hpp"
#include "bot/net/http_server.hpp"
#include "bot/net/net_runtime.hpp"
#include "bot/net/router.hpp"

using namespace yimei::wecom;

namespace {

const char* kToken = "QDG6eK";
const char* kAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const char* kCorpId = "wx5823bf96d3bd56c7";

struct SignedCallback {
  std::string target;  // "/wecom/callback?msg_signature=…&timestamp=…&nonce=…"
  std::string body;    // the XML envelope
};

SignedCallback make_callback(const MsgCrypt& crypt, const std::string& corp_id,
                             const std::string& msg_id, long timestamp) {
  WecomMessage m;
  m.to_user = corp_id;
  // Many senders, as in a chain's burst: with a few, every one would pass WeCom's 30 messages a
  // minute per member and the replies' retries would load the cores the intake runs on.
  m.from_user = "bench-user-" + std::to_string(std::stoull(msg_id) % 5000);
  m.create_time = std::to_string(timestamp);
  m.msg_type = "text";
  m.content = "最近一个月各科室的业绩";
  m.msg_id = msg_id;
  m.agent_id = "1000002";
  const std::string encrypted = crypt.encrypt(message_xml(m));
  const std::string nonce = std::to_string(1000000 + std::stoull(msg_id) % 9000000);
  const std::string ts = std::to_string(timestamp);
  SignedCallback c;
  c.target = "/wecom/callback?msg_signature=" + crypt.signature(ts, nonce, encrypted) +
             "&timestamp=" + ts + "&nonce=" + nonce;
  c.body = "<xml><ToUserName><![CDATA[" + corp_id + "]]></ToUserName><Encrypt><![CDATA[" +
           encrypted + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
  return c;
}

MsgCrypt bench_crypt() {
  auto c = MsgCrypt::create(kToken, kAesKey, kCorpId);
  if (!c) std::abort();
  return *c;
}

// What the POST handler does before the inbox insert: envelope, signature, decryption, parse.
void BM_VerifyDecryptParse(benchmark::State& state) {
  const MsgCrypt crypt = bench_crypt();
  const auto cb = make_callback(crypt, kCorpId, "4561255354251345929", 1700000000);
  const std::string sig = cb.target.substr(cb.target.find('=') + 1, 40);
  for (auto _ : state) {
    auto encrypted = envelope_encrypt(cb.body);
    if (!encrypted ||
        !crypt.verify(sig, "1700000000", cb.target.substr(cb.target.rfind('=') + 1), *encrypted)) {
      state.SkipWithError("verification failed");
      break;
    }
    auto plain = crypt.decrypt(*encrypted);
    auto message = parse_message(plain.value);
    benchmark::DoNotOptimize(message);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyDecryptParse);

int write_requests(const char* path, long n) {
  const char* token = std::getenv("WECOM_TOKEN");
  const char* key = std::getenv("WECOM_AES_KEY");
  const char* corp = std::getenv("WECOM_CORP_ID");
  auto crypt = MsgCrypt::create(token ? token : kToken, key ? key : kAesKey, corp ? corp : kCorpId);
  if (!crypt) {
    std::cerr << "bad WECOM_TOKEN / WECOM_AES_KEY\n";
    return 2;
  }
  const long now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::ofstream out(path);
  const unsigned long long base = static_cast<unsigned long long>(now) * 100000ULL;
  for (long i = 0; i < n; ++i) {
    const auto cb = make_callback(*crypt, corp ? corp : kCorpId,
                                  std::to_string(base + static_cast<unsigned long long>(i)), now);
    out << "POST\t" << cb.target << "\t" << cb.body << "\n";
  }
  return out ? 0 : 1;
}

int serve_fake_api(int port) {
  namespace net = yimei::net;
  net::NetRuntime runtime(1);
  net::SignalWatch signals(runtime);
  net::Router routes;
  routes.handle("GET", "/cgi-bin/gettoken", [](const net::Request&) {
    return net::Response::json(
        200, R"({"errcode":0,"errmsg":"ok","access_token":"bench","expires_in":7200})");
  });
  const auto ok = [](const net::Request&) {
    return net::Response::json(200, R"({"errcode":0,"errmsg":"ok","msgid":"m"})");
  };
  routes.handle("POST", "/cgi-bin/message/send", ok);
  routes.handle("POST", "/cgi-bin/appchat/send", ok);
  routes.handle("POST", "/cgi-bin/media/upload", [](const net::Request&) {
    return net::Response::json(
        200, R"({"errcode":0,"errmsg":"ok","type":"image","media_id":"m","created_at":"1"})");
  });
  net::HttpServerOptions options;
  options.port = static_cast<std::uint16_t>(port);
  net::HttpServer server(runtime, options, std::move(routes));
  server.start();
  signals.wait();
  server.shutdown(std::chrono::milliseconds(500));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--write-requests") == 0)
    return write_requests(argv[2], std::atol(argv[3]));
  if (argc == 3 && std::strcmp(argv[1], "--fake-api") == 0)
    return serve_fake_api(std::atoi(argv[2]));
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

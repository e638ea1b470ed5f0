// `yimei serve` as a process: it refuses to start on an unmigrated database, answers /healthz
// and /metrics, 404/405 for unknown paths and methods, and ends with exit 0 within 10 s on
// SIGTERM (and on SIGINT).
#include <gtest/gtest.h>
#include <signal.h>

#include "bot/net/http_client.hpp"
#include "bot/net/net_runtime.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/scratch_db.hpp"
#include "tests/support/serve_process.hpp"

using namespace std::chrono_literals;
using yimei::test::ScratchDatabase;
using yimei::test::ServeProcess;

namespace {

yimei::net::HttpResponse get(yimei::net::HttpClient& client, const std::string& url,
                             const std::string& method = "GET") {
  yimei::net::HttpRequest r;
  r.method = method;
  r.url = url;
  auto result = client.send(r);
  EXPECT_TRUE(result.ok()) << url;
  return result.ok() ? result.response() : yimei::net::HttpResponse{};
}

class ServeTest : public ::testing::Test {
 protected:
  ScratchDatabase db_;
  yimei::net::NetRuntime runtime_{1};
  yimei::net::HttpClient client_{runtime_};
  std::map<std::string, std::string> env() const {
    return {{"DB_NAME", db_.name()}, {"YIMEI_LOG_FORMAT", "json"}};
  }
};

TEST_F(ServeTest, AnswersHealthAndMetricsAndStopsOnSigterm) {
  ServeProcess serve(env());
  ASSERT_TRUE(serve.running());
  auto health = get(client_, serve.base_url() + "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");

  auto metrics = get(client_, serve.base_url() + "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers.get("Content-Type").value_or("").find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE yimei_http_requests_total counter"), std::string::npos);
  // The two /healthz and /metrics requests so far were counted.
  EXPECT_NE(metrics.body.find("yimei_http_requests_total "), std::string::npos);

  EXPECT_EQ(get(client_, serve.base_url() + "/no-such-path").status, 404);
  EXPECT_EQ(get(client_, serve.base_url() + "/healthz", "DELETE").status, 405);

  const auto exit = serve.stop(SIGTERM);
  EXPECT_EQ(exit.status, 0) << serve.log();
  EXPECT_LT(exit.took, 10s);
  EXPECT_NE(serve.log().find("stopped"), std::string::npos);
}

TEST_F(ServeTest, StopsOnSigintToo) {
  ServeProcess serve(env());
  ASSERT_TRUE(serve.running());
  const auto exit = serve.stop(SIGINT);
  EXPECT_EQ(exit.status, 0) << serve.log();
}

TEST(ServeStartup, RefusesAnUnmigratedDatabaseWithExit4) {
  auto cfg = yimei::test::env_db_config();
  const std::string name = cfg.database + "_unmigrated_serve";
  {
    yimei::db::ConnectionPool pool(cfg);
    auto c = pool.acquire();
    c->execute_unprepared("DROP DATABASE IF EXISTS " + name);
    c->execute_unprepared("CREATE DATABASE " + name);
  }
  auto r = yimei::test::run_command("DB_NAME=" + name + " YIMEI_LISTEN=127.0.0.1:" +
                                    std::to_string(yimei::test::free_loopback_port()) + " " +
                                    YIMEI_BINARY + " serve 2>&1");
  EXPECT_EQ(r.status, 4);
  EXPECT_NE(r.out.find("yimei db init"), std::string::npos) << r.out;
  yimei::db::ConnectionPool pool(cfg);
  pool.acquire()->execute_unprepared("DROP DATABASE " + name);
}

TEST(ServeStartup, BadListenAddressIsAUsageError) {
  auto r = yimei::test::run_command("YIMEI_LISTEN=nonsense " + std::string(YIMEI_BINARY) +
                                    " serve 2>&1");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("YIMEI_LISTEN"), std::string::npos) << r.out;
}

}  // namespace

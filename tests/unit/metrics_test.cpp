// Metrics: counters add up per (name, labels) whether the caller passes views of temporary
// text or literals, the first help text of a name is the one shown, and the Prometheus text
// groups each name's counters under one HELP/TYPE header.
#include "bot/metrics.hpp"

#include <gtest/gtest.h>

#include <string>

using yimei::bot::Metrics;

TEST(Metrics, CountersAddUpPerNameAndLabelsFromAnyStringSource) {
  Metrics m;
  m.add("yimei_x_total", "result=\"ok\"");
  const std::string name = "yimei_x_total", labels = "result=\"ok\"";
  m.add(std::string_view(name), std::string_view(labels), 4);
  m.add("yimei_x_total", "result=\"failed\"", 2);
  m.add("yimei_x_total");
  EXPECT_EQ(m.counter("yimei_x_total", "result=\"ok\""), 5u);
  EXPECT_EQ(m.counter(name, "result=\"failed\""), 2u);
  EXPECT_EQ(m.counter("yimei_x_total"), 1u);
  EXPECT_EQ(m.counter("yimei_x_total", "result=\"other\""), 0u);
  EXPECT_EQ(m.counter("yimei_y_total"), 0u);
}

TEST(Metrics, PrometheusTextShowsTheFirstHelpOnceAboveEachNamesCounters) {
  Metrics m;
  m.add("yimei_b_total", "k=\"2\"", 1, "B things");
  m.add("yimei_b_total", "k=\"1\"", 3, "ignored: a later help text");
  m.add("yimei_a_total", {}, 7);
  m.set_gauge("yimei_queue", 2.5, "Queue length");
  EXPECT_EQ(m.prometheus_text(),
            "# TYPE yimei_a_total counter\n"
            "yimei_a_total 7\n"
            "# HELP yimei_b_total B things\n"
            "# TYPE yimei_b_total counter\n"
            "yimei_b_total{k=\"1\"} 3\n"
            "yimei_b_total{k=\"2\"} 1\n"
            "# HELP yimei_queue Queue length\n"
            "# TYPE yimei_queue gauge\n"
            "yimei_queue 2.5\n");
}

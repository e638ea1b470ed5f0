// The demo generator: simulates each customer's life (registration, visits with seasonal gaps,
// purchases, card sessions used on later visits, churn), then loads the rows with multi-row
// INSERTs in one transaction. Record ids follow dates, as in a real clinic system.
#include "core/seed/demo_seed.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>

#include "core/analysis/analysis.hpp"
#include "core/seed/demo_catalog.hpp"
#include "core/seed/rng.hpp"

namespace yimei::seed {

namespace {

struct Consultant {
  std::string id, name, department;
  int start_day = 0, end_day = 1 << 30;  // active window, in days since the history start
};

struct Customer {
  std::string id, name, phone, tags, level, consultant_id;
  int register_day = 0;
  int last_visit_day = -1;
};

struct Purchase {
  int day;
  std::size_t customer;
  std::size_t product;
  long cents;
  int quantity;
  int is_new;
  std::string consultant_id;
  const char* payment;
  std::size_t order = 0;  // generation order: the tie-break after the date
};

struct WriteOff {
  int day;
  std::size_t customer;
  std::size_t product;
  long cents;
  std::string consultant_id;
  std::size_t purchase;  // index into purchases
};

struct Balance {
  long total = 0, spent = 0;
  int last_write_off = -1;
  int expires = -1;
};

// An open card: sessions left and the value of each.
struct OpenCard {
  std::size_t product;
  std::size_t purchase;
  int sessions_left;
  long session_cents;
  long last_cents;  // the final session takes the rounding remainder
  int expires;
};

const double kSeason[12] = {0.9, 0.7, 1.1, 1.1, 1.2, 1.0, 1.0, 0.9, 1.0, 1.1, 1.3, 1.2};

std::string money(long cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld.%02ld", cents / 100, cents % 100);
  return buf;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

// Batches rows into multi-row INSERT statements of about 1 MB.
class BulkInserter {
 public:
  BulkInserter(db::Connection& c, std::string head) : c_(c), head_(std::move(head)) {}
  void add(const std::string& row) {
    if (sql_.empty())
      sql_ = head_;
    else
      sql_ += ',';
    sql_ += row;
    if (sql_.size() > (1u << 20)) flush();
  }
  void flush() {
    if (!sql_.empty()) c_.execute_unprepared(sql_);
    sql_.clear();
  }

 private:
  db::Connection& c_;
  std::string head_, sql_;
};

class Generator {
 public:
  Generator(const SeedOptions& o) : o_(o), rng_(o.seed ^ 0x5eed5eedULL) {
    start_ = add_days(o.end_date, -365 * o.years);
    horizon_ = days_between(start_, o.end_date);
  }

  void run() {
    make_consultants();
    make_customers();
    for (std::size_t i = 0; i < customers_.size(); ++i) simulate(i);
    finish_customers();
  }

  std::string date(int day) const { return "'" + format_date(add_days(start_, day)) + "'"; }

  void load(db::Connection& c, SeedReport& r) {
    const auto& products = demo_products();
    // Record ids in date order, as a clinic system would have assigned them.
    std::vector<std::size_t> order(purchases_.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return std::tie(purchases_[a].day, purchases_[a].order) <
             std::tie(purchases_[b].day, purchases_[b].order);
    });
    std::vector<long> record_id(purchases_.size());
    for (std::size_t i = 0; i < order.size(); ++i) record_id[order[i]] = static_cast<long>(i + 1);

    BulkInserter cons(c, "INSERT INTO consultants (consultant_id, name, department) VALUES ");
    for (const auto& s : consultants_)
      cons.add("(" + quote(s.id) + "," + quote(s.name) + "," + quote(s.department) + ")");
    cons.flush();

    BulkInserter prod(c,
                      "INSERT INTO medical_products (product_id, product_name, department, "
                      "product_type, standard_price) VALUES ");
    for (std::size_t i = 0; i < products.size(); ++i)
      prod.add("(" + quote(product_id(i)) + "," + quote(products[i].name) + "," +
               quote(products[i].department) + "," + quote(products[i].type) + "," +
               money(products[i].price_cents) + ")");
    prod.flush();

    BulkInserter cust(c,
                      "INSERT INTO customers (customer_id, name, phone, register_date, "
                      "last_visit_date, consultant_id, health_tags, membership_level) VALUES ");
    for (const auto& k : customers_)
      cust.add("(" + quote(k.id) + "," + quote(k.name) + "," + quote(k.phone) + "," +
               date(k.register_day) + "," +
               (k.last_visit_day < 0 ? "NULL" : date(k.last_visit_day)) + "," +
               (k.consultant_id.empty() ? "NULL" : quote(k.consultant_id)) + "," +
               (k.tags.empty() ? "NULL" : quote(k.tags)) + "," + quote(k.level) + ")");
    cust.flush();

    BulkInserter rec(c,
                     "INSERT INTO consumption_records (record_id, customer_id, consume_date, "
                     "amount, department, is_new_customer, consultant_id, product_id, quantity, "
                     "payment_method) VALUES ");
    for (std::size_t idx : order) {
      const Purchase& p = purchases_[idx];
      rec.add("(" + std::to_string(record_id[idx]) + "," + quote(customers_[p.customer].id) + "," +
              date(p.day) + "," + money(p.cents) + "," + quote(products[p.product].department) +
              "," + std::to_string(p.is_new) + "," +
              (p.consultant_id.empty() ? "NULL" : quote(p.consultant_id)) + "," +
              quote(product_id(p.product)) + "," + std::to_string(p.quantity) + "," +
              quote(p.payment) + ")");
    }
    rec.flush();

    std::stable_sort(writeoffs_.begin(), writeoffs_.end(),
                     [](const WriteOff& a, const WriteOff& b) { return a.day < b.day; });
    BulkInserter wo(c,
                    "INSERT INTO write_off_records (write_off_id, customer_id, write_off_date, "
                    "amount, department, product_id, quantity, consultant_id, consume_record_id) "
                    "VALUES ");
    long wid = 0;
    for (const WriteOff& w : writeoffs_)
      wo.add("(" + std::to_string(++wid) + "," + quote(customers_[w.customer].id) + "," +
             date(w.day) + "," + money(w.cents) + "," + quote(products[w.product].department) +
             "," + quote(product_id(w.product)) + ",1," +
             (w.consultant_id.empty() ? "NULL" : quote(w.consultant_id)) + "," +
             std::to_string(record_id[w.purchase]) + ")");
    wo.flush();

    BulkInserter bal(c,
                     "INSERT INTO unspent_balances (balance_id, customer_id, product_id, "
                     "total_amount, spent_amount, last_write_off_date, expiration_date) VALUES ");
    long bid = 0;
    for (const auto& [key, b] : balances_)
      bal.add("(" + std::to_string(++bid) + "," + quote(customers_[key.first].id) + "," +
              quote(product_id(key.second)) + "," + money(b.total) + "," + money(b.spent) + "," +
              (b.last_write_off < 0 ? "NULL" : date(b.last_write_off)) + "," + date(b.expires) +
              ")");
    bal.flush();

    r.consultants = static_cast<std::int64_t>(consultants_.size());
    r.products = static_cast<std::int64_t>(products.size());
    r.customers = static_cast<std::int64_t>(customers_.size());
    r.consumption_records = static_cast<std::int64_t>(purchases_.size());
    r.write_off_records = wid;
    r.balances = bid;
  }

 private:
  static std::string product_id(std::size_t i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "P%03zu", i + 1);
    return buf;
  }

  std::string person_name() {
    const auto& s = demo_surnames();
    const auto& g = demo_given_chars();
    std::string n = s[rng_.next() % s.size()] + g[rng_.next() % g.size()];
    if (rng_.chance(0.7)) n += g[rng_.next() % g.size()];
    return n;
  }

  void make_consultants() {
    const auto& depts = demo_departments();
    const int n = std::clamp(o_.customers / 250, 8, 60);
    for (int i = 0; i < n; ++i) {
      Consultant s;
      char id[16];
      std::snprintf(id, sizeof id, "S%03d", i + 1);
      s.id = id;
      s.name = person_name();
      s.department = depts[static_cast<std::size_t>(i) % depts.size()];
      consultants_.push_back(s);
    }
    // One consultant left eight months ago, one joined four months ago.
    consultants_[1].end_day = horizon_ - 240;
    consultants_.back().start_day = horizon_ - 120;
  }

  void make_customers() {
    static const char* kPrefixes[] = {"138", "139", "135", "136", "137", "150", "151", "152",
                                      "158", "159", "186", "187", "188", "189", "177", "199"};
    const auto& tags = demo_health_tags();
    for (int i = 0; i < o_.customers; ++i) {
      Customer k;
      char id[16];
      std::snprintf(id, sizeof id, "C%06d", i + 1);
      k.id = id;
      k.name = person_name();
      // Bijective in i: a unique phone for every customer.
      const std::uint64_t group = static_cast<std::uint64_t>(i) / 16;
      char phone[24];
      std::snprintf(
          phone, sizeof phone, "%s%08llu", kPrefixes[i % 16],
          static_cast<unsigned long long>((group * 48271ULL + 1234567ULL) % 100000000ULL));
      k.phone = phone;
      // More registrations in recent years: the clinic grows.
      k.register_day = static_cast<int>(std::pow(rng_.uniform(), 0.7) * horizon_);
      if (rng_.chance(0.4)) {
        const std::size_t a = rng_.next() % tags.size();
        k.tags = tags[a];
        if (rng_.chance(0.3)) {
          const std::size_t b = (a + 1 + rng_.next() % (tags.size() - 1)) % tags.size();
          k.tags += "," + tags[b];
        }
      }
      if (rng_.chance(0.9)) k.consultant_id = pick_consultant(k.register_day, nullptr).id;
      customers_.push_back(std::move(k));
    }
  }

  const Consultant& pick_consultant(int day, const std::string* department) {
    for (int tries = 0; tries < 50; ++tries) {
      const Consultant& s = consultants_[rng_.next() % consultants_.size()];
      if (day < s.start_day || day > s.end_day) continue;
      if (department && tries < 40 && s.department != *department) continue;
      return s;
    }
    return consultants_[0];
  }

  std::size_t pick_product(const std::string& department, int day) {
    const auto& products = demo_products();
    std::vector<double> w(products.size());
    for (std::size_t i = 0; i < products.size(); ++i) {
      w[i] = products[i].popularity * (products[i].department == department ? 6.0 : 1.0);
      // A discontinued product (no sales in the last 400 days) and a new one (last 90 days).
      if (i == 21 && day > horizon_ - 400) w[i] = 0;
      if (i == products.size() - 1 && day < horizon_ - 90) w[i] = 0;
    }
    return rng_.weighted(w);
  }

  const char* payment() {
    static const char* kMethods[] = {"微信", "支付宝", "银行卡", "现金", "储值卡"};
    static const std::vector<double> kWeights = {35, 25, 20, 8, 12};
    return kMethods[rng_.weighted(kWeights)];
  }

  void simulate(std::size_t ci) {
    Customer& k = customers_[ci];
    const auto& products = demo_products();
    // Segments: 0 one-off, 1 regular, 2 loyal; 5% never buy.
    if (rng_.chance(0.05)) {
      if (rng_.chance(0.5)) k.last_visit_day = std::min(horizon_, k.register_day + 3);
      return;
    }
    const int segment = static_cast<int>(rng_.weighted({25, 50, 25}));
    const double mean_gap = segment == 0 ? 90 : segment == 1 ? 42 : 24;
    const double churn = segment == 0 ? 0.45 : segment == 1 ? 0.035 : 0.012;
    const double spend = segment == 2 ? 1.6 : 1.0;
    std::string home_dept;
    for (const auto& s : consultants_)
      if (s.id == k.consultant_id) home_dept = s.department;
    if (home_dept.empty()) home_dept = demo_departments()[rng_.next() % demo_departments().size()];

    std::vector<OpenCard> cards;
    int day = k.register_day + static_cast<int>(rng_.between(0, 10));
    bool first = true;
    int last_activity = -1;
    while (day <= horizon_) {
      const std::string& cons_id = k.consultant_id;
      bool bought = false;
      // Use a session of an open card on most visits.
      for (auto& card : cards) {
        if (card.sessions_left == 0 || day > card.expires || !rng_.chance(0.7)) continue;
        const long cents = card.sessions_left == 1 ? card.last_cents : card.session_cents;
        writeoffs_.push_back({day, ci, card.product, cents, cons_id, card.purchase});
        Balance& b = balances_[{ci, card.product}];
        b.spent += cents;
        b.last_write_off = day;
        --card.sessions_left;
        last_activity = day;
        break;
      }
      const int lines = first ? 1 + static_cast<int>(rng_.chance(0.25))
                              : static_cast<int>(rng_.weighted({20, 55, 25}));
      for (int l = 0; l < lines; ++l) {
        const std::size_t p = pick_product(
            rng_.chance(0.75) ? home_dept
                              : demo_departments()[rng_.next() % demo_departments().size()],
            day);
        const DemoProduct& prod = products[p];
        const int qty = prod.type == "产品" ? static_cast<int>(rng_.between(1, 3)) : 1;
        static const std::vector<double> kDiscountW = {30, 20, 20, 12, 10, 8};
        static const int kDiscount[] = {100, 95, 90, 88, 85, 80};
        int discount = kDiscount[rng_.weighted(kDiscountW)];
        if (spend > 1.0 && discount > 85) discount -= 5;
        const long cents = prod.price_cents * qty * discount / 100;
        std::string rec_cons = cons_id;
        if (rec_cons.empty() || rng_.chance(0.08)) {
          rec_cons = rng_.chance(0.5) ? pick_consultant(day, &prod.department).id : std::string();
        }
        purchases_.push_back(
            {day, ci, p, cents, qty, first ? 1 : 0, rec_cons, payment(), purchases_.size()});
        bought = true;
        if (prod.type == "疗程卡" || prod.type == "套餐") {
          const long per = cents / prod.sessions;
          cards.push_back({p, purchases_.size() - 1, prod.sessions, per,
                           cents - per * (prod.sessions - 1), day + o_.balance_validity_days});
          Balance& b = balances_[{ci, p}];
          b.total += cents;
          b.expires = std::max(b.expires, day + o_.balance_validity_days);
          // A card bought again extends the sessions still open for that product.
          for (auto& other : cards)
            if (other.product == p) other.expires = std::max(other.expires, b.expires);
        }
      }
      if (bought || last_activity == day) last_activity = day;
      first = first && !bought;
      if (rng_.chance(churn)) break;
      const int month = static_cast<int>(static_cast<unsigned>(add_days(start_, day).month())) - 1;
      const double gap = -std::log(1.0 - rng_.uniform()) * mean_gap / kSeason[month];
      day += std::max(1, static_cast<int>(gap));
    }
    // Cards still open after churn stay unspent: dormant balances.
    if (last_activity >= 0) {
      k.last_visit_day = last_activity;
      if (rng_.chance(0.1))
        k.last_visit_day =
            std::min(horizon_, last_activity + static_cast<int>(rng_.between(1, 60)));
    }
  }

  void finish_customers() {
    std::vector<long> lifetime(customers_.size(), 0);
    for (const Purchase& p : purchases_) lifetime[p.customer] += p.cents;
    static const char* kLevels[] = {"普通", "银卡", "金卡", "钻石"};
    for (std::size_t i = 0; i < customers_.size(); ++i) {
      const long yuan = lifetime[i] / 100;
      int level = yuan >= 150000 ? 3 : yuan >= 50000 ? 2 : yuan >= 10000 ? 1 : 0;
      if (rng_.chance(0.08)) level = std::clamp(level + (rng_.chance(0.5) ? 1 : -1), 0, 3);
      customers_[i].level = kLevels[level];
    }
  }

  SeedOptions o_;
  Rng rng_;
  Date start_;
  int horizon_ = 0;
  std::vector<Consultant> consultants_;
  std::vector<Customer> customers_;
  std::vector<Purchase> purchases_;
  std::vector<WriteOff> writeoffs_;
  std::map<std::pair<std::size_t, std::size_t>, Balance> balances_;
};

const char* const kContractTables[] = {"write_off_records",   "unspent_balances",
                                       "consumption_records", "customers",
                                       "medical_products",    "consultants"};

}  // namespace

Outcome<SeedReport> seed_demo_data(db::Connection& c, const SeedOptions& o) {
  if (o.customers < 1 || o.customers > 5'000'000) return bad_input("顾客数应在 1 到 5000000 之间");
  if (o.years < 1 || o.years > 10) return bad_input("历史年数应在 1 到 10 之间");
  const auto t0 = std::chrono::steady_clock::now();

  std::int64_t existing = 0;
  for (const char* t : kContractTables) {
    Table n = c.query(std::string("SELECT COUNT(*) FROM ") + t);
    existing += std::get<std::int64_t>(n.rows.at(0).at(0));
  }
  if (existing > 0 && !o.replace)
    return bad_input("数据库中已有业务数据（" + std::to_string(existing) +
                     " 行）；如需清空后重新生成演示数据，请加 --replace");

  Generator g(o);
  g.run();

  SeedReport r;
  // Bulk load: one transaction, checks off for speed (the generator keeps every invariant;
  // the tests verify them with SQL after loading).
  c.execute_unprepared("SET SESSION foreign_key_checks = 0");
  c.execute_unprepared("SET SESSION unique_checks = 0");
  try {
    db::Transaction tx(c);
    // The analysis summaries are rebuilt once at the end instead of row by row by the triggers.
    const analysis::DeferSummaries defer(c);
    for (const char* t : kContractTables) c.execute_unprepared(std::string("DELETE FROM ") + t);
    g.load(c, r);
    analysis::rebuild_summaries(c);
    tx.commit();
  } catch (...) {
    c.execute_unprepared("SET SESSION foreign_key_checks = 1");
    c.execute_unprepared("SET SESSION unique_checks = 1");
    throw;
  }
  c.execute_unprepared("SET SESSION foreign_key_checks = 1");
  c.execute_unprepared("SET SESSION unique_checks = 1");
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace yimei::seed

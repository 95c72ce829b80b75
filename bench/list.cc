// bench_list: the store's listings, in-process, on a data folder made by
// `bench_seed --visits` (a clinic's history: visits, forms, reviews). Times
// Store::ListSubmissions and Store::ListVisits as the HTTP listings call them
// (SubmissionQuery/VisitQuery, limit 50), each query --runs times after
// --warmup, or until --max-seconds have passed:
//   first        ListSubmissions, no filter: the newest 50
//   pending      review=pending (reviewed = false): the review queue
//   surname      q=<a surname> (name contains it, any case, or date of birth equals it)
//   one_patient  q=<one patient's full name>: one visit's submissions
//   page50       the 50th page of the unfiltered listing, by the cursor of the
//                49th (the 49 pages before are read once, untimed)
//   visits_day   ListVisits for one day (from that day 00:00Z to the next)
// Each includes Poco's statement preparation and binding and building the
// records. Prints one JSON line: per query the times, the rows returned,
// the first and last id (bench.py checks sqlite3's answer against them) and
// the query's parameters.
//
//   bench_list --data DIR --surname S --one-patient NAME --day YYYY-MM-DD
//              [--runs N] [--warmup N] [--max-seconds S]
#include <cstdlib>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.h"
#include "store/store.h"
#include "util/util.h"

namespace consentkit::bench {
namespace {

struct Args {
  std::string data, surname, one_patient, day;
  int runs = 100;
  int warmup = 5;
  double max_seconds = 10;
};

Args ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], value = argv[i + 1];
    if (a == "--data") {
      args.data = value;
    } else if (a == "--surname") {
      args.surname = value;
    } else if (a == "--one-patient") {
      args.one_patient = value;
    } else if (a == "--day") {
      args.day = value;
    } else if (a == "--runs") {
      args.runs = std::atoi(value.c_str());
    } else if (a == "--warmup") {
      args.warmup = std::atoi(value.c_str());
    } else if (a == "--max-seconds") {
      args.max_seconds = std::atof(value.c_str());
    } else {
      throw std::runtime_error(
          "usage: bench_list --data DIR --surname S --one-patient NAME --day YYYY-MM-DD "
          "[--runs N] [--warmup N] [--max-seconds S]");
    }
  }
  if (argc % 2 == 0) throw std::runtime_error("an option lacks its value");
  if (args.data.empty() || args.surname.empty() || args.one_patient.empty() ||
      args.day.size() != 10 || args.runs < 1) {
    throw std::runtime_error("need --data, --surname, --one-patient, --day and --runs >= 1");
  }
  return args;
}

std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;  // none expected
    out += c;
  }
  return out + "\"";
}

struct Result {
  std::vector<double> ms;
  std::size_t rows = 0;
  std::string first, last, next;
};

// Runs `query` (which returns its rows' ids and the next cursor) warmup
// times, then up to `runs` times within `max_seconds`.
Result Time(const Args& args,
            const std::function<std::vector<std::string>(std::string& next)>& query) {
  Result result;
  std::vector<std::string> ids;
  for (int i = 0; i < args.warmup; ++i) ids = query(result.next);
  Clock::time_point all = Clock::now();
  for (int i = 0; i < args.runs; ++i) {
    Clock::time_point start = Clock::now();
    ids = query(result.next);
    result.ms.push_back(MsSince(start));
    if (MsSince(all) > 1000 * args.max_seconds) break;
  }
  result.rows = ids.size();
  if (!ids.empty()) {
    result.first = ids.front();
    result.last = ids.back();
  }
  return result;
}

std::vector<std::string> Ids(const Page<SubmissionRecord>& page) {
  std::vector<std::string> ids;
  for (const SubmissionRecord& r : page.items) ids.push_back(r.id);
  return ids;
}

int Run(const Args& args) {
  std::unique_ptr<Store> store = OpenSqliteStore(args.data);
  std::size_t total = store->CountSubmissions();
  auto submissions = [&](SubmissionQuery q) {
    return [&store, q](std::string& next) {
      Page<SubmissionRecord> page = store->ListSubmissions(q);
      next = page.next;
      return Ids(page);
    };
  };
  std::ostringstream json;
  json.imbue(std::locale::classic());
  json << "{\"submissions\":" << total;
  auto write = [&](const std::string& name, const Result& r, const std::string& params) {
    json << ",\"" << name << "\":{" << StatsJson("ms", r.ms) << ",\"runs\":" << r.ms.size()
         << ",\"rows\":" << r.rows << ",\"first\":" << Quoted(r.first)
         << ",\"last\":" << Quoted(r.last) << ",\"next\":" << Quoted(r.next) << params << "}";
  };

  write("first", Time(args, submissions(SubmissionQuery{})), "");
  SubmissionQuery pending;
  pending.reviewed = false;
  write("pending", Time(args, submissions(pending)), "");
  SubmissionQuery surname;
  surname.patient = args.surname;
  write("surname", Time(args, submissions(surname)), ",\"q\":" + Quoted(args.surname));
  SubmissionQuery one;
  one.patient = args.one_patient;
  write("one_patient", Time(args, submissions(one)), ",\"q\":" + Quoted(args.one_patient));

  // The cursor of page 49, found by paging once, untimed.
  SubmissionQuery paged;
  for (int page = 1; page < 50; ++page) {
    paged.after = store->ListSubmissions(paged).next;
    if (paged.after.empty()) throw std::runtime_error("fewer than 50 pages of submissions");
  }
  write("page50", Time(args, submissions(paged)), ",\"after\":" + Quoted(paged.after));

  VisitQuery day;
  day.from = args.day + "T00:00:00Z";
  day.to = NextDay(args.day) + "T00:00:00Z";
  write("visits_day",
        Time(args,
             [&](std::string& next) {
               Page<Visit> page = store->ListVisits(day);
               next = page.next;
               std::vector<std::string> ids;
               for (const Visit& v : page.items) ids.push_back(v.id);
               return ids;
             }),
        ",\"from\":" + Quoted(day.from) + ",\"to\":" + Quoted(day.to));
  json << ",\"vmhwm_kb\":" << ProcStatusKb("VmHWM") << "}";
  std::cout << json.str() << std::endl;
  return 0;
}

}  // namespace
}  // namespace consentkit::bench

int main(int argc, char** argv) {
  using namespace consentkit::bench;
  return DriverMain("bench_list", argc, argv, ParseArgs, Run);
}
